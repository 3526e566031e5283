"""Every legal citation the platform shows a user exists in the statute text it cites.

The statutes are in ``settings.KRAFTSENTER_LAWS_DIR`` (``../shared/laws``); the parser is
``kraftsenter/core/legal.py`` and docs/legal-citations.md explains both.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from django.conf import settings

from kraftsenter.core import legal

BASE = Path(settings.BASE_DIR)
LAWS = Path(settings.KRAFTSENTER_LAWS_DIR)
needs_laws = pytest.mark.skipif(
    not (LAWS / "lov-2018-06-22-83.md").exists(),
    reason=f"The statute texts are not in {LAWS}: set KRAFTSENTER_LAWS_DIR to the folder that "
    "holds them (see docs/legal-citations.md) to check the platform's legal citations.",
)

# A statute in the format of the laws folder: headings, paragraphs, a list, a note, a repeal.
STATUTE = """---
tittel: "Lov om prøver (prøveloven)"
---

# Lov om prøver (prøveloven)

## Kapittel 1. Innledning

#### § 1-1. Formål

Loven gjelder prøver. Den gjelder også øvelser.

Avtalen skal inneholde

- deltakerne
- formålet
- hvordan samarbeidet skal oppløses.

Kongen kan gi forskrift, jf. § 1-2.

*Endret ved lov 1 jan 2020 nr. 1.*

#### § 1-2. Forskrift

Kongen gir forskrift.

#### § 1-2 a. (Opphevet)

*Opphevet ved lov 1 jan 2021 nr. 2.*

## Kapittel 2. Slutt

#### § 2-1. Ikrafttredelse

Loven gjelder straks.
"""


def citations(text: str, path: str = "x.py") -> list[legal.Citation]:
    return list(legal.find_citations(legal.Unit(path, 1, text, raw=(text,))))


def problems(text: str, statute: str = STATUTE) -> list[str | None]:
    parsed = legal.parse_statute(statute)
    return [legal.check_ref(ref, parsed) for c in citations(text) for ref in c.refs]


# --- the statute text -------------------------------------------------------------------------


def test_parse_statute_counts_paragraphs_list_items_and_sentences_without_notes():
    parsed = legal.parse_statute(STATUTE)
    first = parsed.sections["1-1"]
    assert [p.sentences for p in first.paragraphs] == [2, 1, 1]
    assert [p.items for p in first.paragraphs] == [0, 3, 0]
    assert parsed.sections["1-2a"].repealed and not parsed.sections["1-2"].repealed
    assert parsed.chapters == {"1", "2"}


@needs_laws
def test_parse_statute_reads_the_real_kommuneloven_section_20_4():
    parsed = legal.load_statute(LAWS / "lov-2018-06-22-83.md")
    section = parsed.sections["20-4"]
    assert len(section.paragraphs) == 5  # the fifth: notice to the statsforvalter
    assert section.paragraphs[2].items == 9  # letters a–i
    assert parsed.sections["26-1"].paragraphs[1].items == 3


# --- finding citations ------------------------------------------------------------------------


def test_find_citations_reads_names_abbreviations_lists_and_ranges():
    found = citations(
        "Se kommuneloven § 20-4 femte ledd, pbl. §§ 8-3 og 11-13, samel. § 4-5, "
        "offentleglova § 19 annet punktum, IKS-loven § 6 and sameloven §§ 4-1–4-10."
    )
    assert [(c.statute, [r.section for r in c.refs]) for c in found] == [
        ("kommuneloven", ["20-4"]),
        ("plan- og bygningsloven", ["8-3", "11-13"]),
        ("sameloven", ["4-5"]),
        ("offentleglova", ["19"]),
        ("IKS-loven", ["6"]),
        ("sameloven", ["4-1", "4-10"]),
    ]
    assert found[0].refs[0].paragraphs == (5,) and found[3].refs[0].sentence == 2


def test_find_citations_reads_paragraph_and_letter_in_english_and_bokmal():
    (english,) = citations("(kommuneloven §§ 18-4 fourth paragraph f / 19-4 fourth paragraph f)")
    assert [(r.section, r.paragraphs, r.letters) for r in english.refs] == [
        ("18-4", (4,), ("f",)),
        ("19-4", (4,), ("f",)),
    ]
    (bokmal,) = citations("sameloven § 4-3 bokstav b")
    assert bokmal.refs[0].letters == ("b",)
    (short,) = citations("(kommuneloven § 20-4 b).")
    assert short.refs[0].trailing_letter == "b"
    (word,) = citations("sameloven § 4-1 i saker")
    assert word.refs[0] == legal.Ref("4-1")


def test_a_bare_section_takes_the_statute_named_before_it_in_the_same_text():
    found = citations("Etter sameloven § 4-2 og § 4-5, se også (§ 4-9).")
    assert [(c.statute, c.attribution) for c in found] == [
        ("sameloven", "named"),
        ("sameloven", "text"),
        ("sameloven", "text"),
    ]


def test_a_bare_section_named_only_in_the_lines_before_is_a_guess_and_alone_is_ambiguous():
    unit = legal.Unit("x.py", 9, "§ 4-1: the screening", nearby="# sameloven chapter 4")
    (guess,) = legal.find_citations(unit)
    assert (guess.statute, guess.attribution) == ("sameloven", "nearby")
    (alone,) = citations("§ 4-1: the screening")
    assert alone.statute is None


def test_statutes_by_date_number_and_others_the_folder_does_not_hold():
    found = citations(
        "forskrift 17.6.2005 nr. 657 § 1, lov 9. juni 2023 nr. 28 § 3, valgloven § 9-1, "
        "LOV-2018-06-22-83 § 26-1"
    )
    assert [c.statute for c in found] == [
        "forskrift om forvaltningsområdet for samiske språk",
        "lov-2023-06-09-28",
        "valgloven",
        "kommuneloven",
    ]


def test_a_name_broken_over_two_lines_is_still_the_statute():
    (found,) = citations("(plan- og\n  bygningsloven § 5-4 first and third paragraphs)")
    assert found.statute == "plan- og bygningsloven"
    assert found.refs == (legal.Ref("5-4", (1, 3)),)


def test_an_internal_document_cited_as_a_source_is_found():
    (doc,) = citations("computed from DOMAIN.md §4.7 (the rules)")
    assert doc.document and doc.text == "DOMAIN.md §4.7"


# --- checking against the statute --------------------------------------------------------------


def test_check_accepts_a_section_paragraph_letter_and_sentence_that_exist():
    assert problems("prøveloven § 1-1 annet ledd bokstav c, § 1-1 første ledd annet punktum") == [
        None,
        None,
    ]
    assert problems("§§ 1-1–2-1, § 1-1 last paragraph, § 1-1 (c)") == [None, None, None, None]


def test_check_refuses_a_section_that_does_not_exist_or_is_repealed():
    assert problems("§ 1-3") == ["§ 1-3 does not exist"]
    assert problems("§ 1-2 a.") == ["§ 1-2a is repealed"]


def test_check_refuses_a_range_whose_end_does_not_exist():
    assert problems("§§ 1-1 to 1-9") == [None, "§ 1-9 does not exist"]


def test_check_refuses_a_paragraph_letter_or_sentence_that_does_not_exist():
    assert problems("§ 1-1 fourth paragraph") == ["§ 1-1 has 3 paragraph(s) (ledd), not 4"]
    assert problems("§ 1-1 annet ledd bokstav d") == ["§ 1-1 has letters a–c there, not d"]
    assert problems("§ 1-2 annet punktum") == [
        "§ 1-2 has no sentence (punktum) 2 there (1 at most)"
    ]


def test_a_letter_where_the_statute_text_has_no_list_is_not_checked():
    assert problems("§ 2-1 bokstav f") == [None]


def test_a_letter_after_a_space_is_part_of_the_number_when_the_statute_has_that_section():
    assert problems("§ 1-2 a)") == ["§ 1-2a is repealed"]
    assert problems("§ 1-1 c)") == [None]


@needs_laws
def test_check_citation_names_the_statute_and_a_missing_chapter():
    (wrong,) = citations("sameloven § 4-12")
    assert legal.check_citation(wrong, LAWS) == ["sameloven: § 4-12 does not exist"]
    chapter = citations("sameloven chapter 9")[0]
    assert legal.check_citation(chapter, LAWS) == ["sameloven: chapter 9 does not exist"]


# --- where the platform shows citations ---------------------------------------------------------


def test_units_come_from_strings_templates_markdown_blocks_and_msgstr(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        '"""Module (sameloven § 4-1)."""\n\n'
        "# kommuneloven § 99-9 in a comment is not shown\n"
        'X = _("Join (kommuneloven "\n      "§ 20-4).")\n'
    )
    units = list(legal.python_units(module, "m.py"))
    assert [(u.line, u.text, u.user_facing) for u in units] == [
        (1, "Module (sameloven § 4-1).", False),
        (4, "Join (kommuneloven § 20-4).", True),
    ]
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\n'
        'msgid "Notice (sameloven § 4-5)."\nmsgstr ""\n"Varsel "\n"(§ 4-5)."\n\n'
        'msgid "%(n)s notice (samel. § 4-5)"\nmsgid_plural "%(n)s notices"\n'
        'msgstr[0] "%(n)s varsel (§ 4-5)"\nmsgstr[1] "%(n)s varsler (§ 4-9)"\n\n'
        '#~ msgid "Old (§ 1)"\n#~ msgstr "Gammel (§ 1)"\n'
    )
    entry, *plurals = legal.po_units(po, "django.po")
    assert [(u.line, u.text) for u in plurals] == [
        (11, "%(n)s varsel (§ 4-5)"),
        (12, "%(n)s varsler (§ 4-9)"),
    ]
    assert (entry.line, entry.text, entry.context) == (5, "Varsel (§ 4-5).", entry.context)
    (cited,) = legal.find_citations(entry)
    assert (cited.statute, cited.line) == ("sameloven", 7)
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Title\n\nThe rules of sameloven\nchapter 4 (§ 4-9).\n\n"
        "| a | koml. § 17-1 |\n| b | § 2 |\n"
    )
    blocks = list(legal.markdown_units(doc, "doc.md"))
    assert [(u.line, u.text.splitlines()[0]) for u in blocks] == [
        (3, "The rules of sameloven"),
        (6, "| a | koml. § 17-1 |"),
        (7, "| b | § 2 |"),
    ]
    page = tmp_path / "t.html"
    page.write_text(
        "<h1>{% translate 'Consultations (sameloven chapter 4)' %}</h1>\n<p>§ 4-2</p>\n"
    )
    (line,) = legal.template_units(page, "t.html")
    assert (line.line, line.nearby) == (
        2,
        "<h1>{% translate 'Consultations (sameloven chapter 4)' %}</h1>",
    )


def test_a_translation_citing_other_sections_than_its_msgid_is_wrong_and_fuzzy_ones_are_skipped(
    tmp_path,
):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid "Revised yearly (pbl. § 11-1 fourth paragraph)."\n'
        'msgstr "Revideres årlig (pbl. § 11-4)."\n\n'
        'msgid "Notice (sameloven § 4-5 first paragraph)."\n'
        'msgstr "Varsel (§ 4-5 første ledd)."\n\n'
        "#, fuzzy, python-format\n"
        'msgid "Invalid (sameloven § 4-9)."\nmsgstr "Ugyldig (sameloven § 4-8)."\n'
    )
    drift = [legal.translation_drift(unit) for unit in legal.po_units(po, "django.po")]
    assert drift == [
        "django.po:2: the translation cites plan- og bygningsloven § 11-4 where its msgid cites "
        "plan- og bygningsloven § 11-1 ledd 4",
        None,
    ]


def test_audit_sorts_citations_into_wrong_unchecked_and_ambiguous(tmp_path, monkeypatch):
    (tmp_path / "lov-2000-01-01-1.md").write_text(STATUTE)
    statute = legal.Statute("prøveloven", "lov-2000-01-01-1.md", ("prøveloven",))
    units = [
        legal.Unit("a.py", 1, "prøveloven § 1-1 og § 1-7, valgloven § 9-1"),
        legal.Unit("b.py", 2, "§ 1-1 alone", nearby="prøveloven"),
        legal.Unit("c.py", 3, "§ 1-1 alone"),
        legal.Unit("d.py", 4, "DOMAIN.md §4.7"),
        legal.Unit("e.py", 5, "DOMAIN.md §4.7", user_facing=False),
    ]
    monkeypatch.setattr(legal, "STATUTES", (*legal.STATUTES, statute))
    result = legal.audit(units, tmp_path)
    assert result.checked == 2
    assert result.wrong == [
        "a.py:1: “§ 1-7” [prøveloven] — prøveloven: § 1-7 does not exist",
        "d.py:4: “DOMAIN.md §4.7” — cites an internal document, not a statute",
    ]
    assert [c.statute for c in result.unchecked] == ["valgloven"]
    assert result.ambiguous == [
        "b.py:2: “§ 1-1” [prøveloven?] — not named in its text; if so: exists",
        "c.py:3: “§ 1-1” — no statute named",
    ]


# --- the platform ------------------------------------------------------------------------------


@needs_laws
def test_every_legal_citation_the_platform_shows_exists_in_the_statute_text():
    result = legal.audit(legal.platform_units(BASE), LAWS)
    assert result.checked > 100, "the citations were not found: has the parser stopped matching?"
    if result.unchecked:
        by_statute: dict[str, list[str]] = {}
        for citation in result.unchecked:
            by_statute.setdefault(citation.statute or "", []).append(f"{citation}")
        warnings.warn(
            "Citations of statutes not in the laws folder, left unchecked:\n"
            + "\n".join(f"{name}: {', '.join(items)}" for name, items in by_statute.items()),
            stacklevel=1,
        )
    if result.ambiguous:
        warnings.warn(
            "Citations without a statute named (name it in the text):\n"
            + "\n".join(result.ambiguous),
            stacklevel=1,
        )
    if result.wrong:
        pytest.fail(
            f"{len(result.wrong)} citation(s) not in the statute text in {LAWS}:\n"
            + "\n".join(result.wrong),
            pytrace=False,
        )
