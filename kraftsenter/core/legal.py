"""Legal citations the platform shows a user, checked against the statute texts.

The statutes are Lovdata's consolidated texts, one Markdown file each, in the folder
``settings.KRAFTSENTER_LAWS_DIR`` (by default ``../shared/laws``). This module finds citations
in text ("kommuneloven § 20-4 femte ledd", "pbl. §§ 8-3 og 11-13", "samel. § 4-5",
"sameloven §§ 4-1–4-10", "koml. § 18-4 fourth paragraph letter f"), attributes a bare section
sign to the statute named before it, and says whether the cited section, paragraph (ledd),
sentence (punktum) and letter (bokstav) exist in the statute text.
``core/tests/test_legal_citations.py`` runs it over the code, the templates, the docs and the
bokmål catalogue; docs/legal-citations.md explains it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

# --- the statutes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Statute:
    """A statute the laws folder holds: the name the platform writes, its file, its names."""

    key: str
    filename: str
    #: Regular expressions (matched case-insensitively) for its names and abbreviations.
    names: tuple[str, ...]


STATUTES: tuple[Statute, ...] = (
    Statute("kommuneloven", "lov-2018-06-22-83.md", ("kommuneloven", "kommunelova", r"koml\.")),
    Statute("IKS-loven", "lov-1999-01-29-6.md", ("iks-loven", "iks-lova", r"iksl\.")),
    Statute(
        "foretaksnavneloven",
        "lov-1985-06-21-79.md",
        ("foretaksnavneloven", "føretaksnamnelova", r"ftnavnl\."),
    ),
    Statute(
        "foretaksregisterloven",
        "lov-1985-06-21-78.md",
        ("foretaksregisterloven", "føretaksregisterlova", r"fregl\."),
    ),
    Statute(
        "enhetsregisterloven",
        "lov-1994-06-03-15.md",
        ("enhetsregisterloven", "einingsregisterlova", r"enhregl\."),
    ),
    Statute("sameloven", "lov-1987-06-12-56.md", ("sameloven", "samelova", r"samel\.")),
    Statute(
        "forskrift om forvaltningsområdet for samiske språk",
        "forskrift-2005-06-17-657.md",
        (r"forskrift(?:en)? om forvaltningsområdet for samiske språk",),
    ),
    Statute(
        "offentleglova",
        "lov-2006-05-19-16.md",
        ("offentleglova", "offentlighetsloven", r"offl\."),
    ),
    Statute(
        "plan- og bygningsloven",
        "lov-2008-06-27-71.md",
        (r"plan- og bygningsloven", r"plan- og bygningslova", r"pbl\."),
    ),
    Statute("forsøksloven", "lov-1992-06-26-87.md", ("forsøksloven", "forsøkslova")),
    Statute(
        "forvaltningsloven",
        "lov-1967-02-10.md",
        ("forvaltningsloven", "forvaltningslova", r"fvl\."),
    ),
    Statute(
        "personopplysningsloven",
        "lov-2018-06-15-38.md",
        ("personopplysningsloven", "personopplysningslova", r"popplyl\."),
    ),
    Statute(
        "likestillings- og diskrimineringsloven",
        "lov-2017-06-16-51.md",
        (r"likestillings- og diskrimineringsloven", r"ldl\."),
    ),
    Statute(
        "forskrift om universell utforming av IKT-løsninger",
        "forskrift-2013-06-21-732.md",
        (r"forskrift(?:en)? om universell utforming av (?:ikt|informasjons- og kommunik\S+)",),
    ),
)

# A name may be broken over two lines ("plan- og\nbygningsloven").
_SPACE = r"\s+"
_KNOWN = "|".join(
    f"(?P<s{i}>{'|'.join(name.replace(' ', _SPACE) for name in statute.names)})"
    for i, statute in enumerate(STATUTES)
)
_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip
# A statute by its date and number: "forskrift 17.6.2005 nr. 657", "lov 9. juni 2023 nr. 28",
# "LOV-2018-06-22-83".
_DATED = (
    r"(?P<kind>lov|forskrift)(?:en)?\s+(?:av\s+)?(?P<d>\d{1,2})\.\s?"
    rf"(?P<m>\d{{1,2}}\.|{'|'.join(_MONTHS)})\s?(?P<y>\d{{4}})\s+nr\.\s?(?P<n>\d+)"
    r"|(?P<id>(?:lov|for)-\d{4}-\d{2}-\d{2}(?:-\d+)?)"
)
# Any other statute: a word ending in -loven/-lova or -forskriften ("valgloven").
_OTHER = r"(?P<other>\w[\w-]*?(?:loven|lova|forskriften))"
_NAMES = rf"(?<![\w-])(?:{_KNOWN}|{_DATED}|{_OTHER})"
#: A statute named in running text.
MENTION = re.compile(rf"{_NAMES}(?![\w-])", re.IGNORECASE)
#: A statute named right before "§" (or "chapter").
_NAME_BEFORE = re.compile(rf"{_NAMES}\s*$", re.IGNORECASE)
#: An internal document named right before "§" ("DOMAIN.md §4.7"): not a legal source.
_DOCUMENT_BEFORE = re.compile(r"[\w./-]+\.md`?\s*$")


def _statute_of(match: re.Match[str]) -> str:
    for group, value in match.groupdict().items():
        if value and re.fullmatch(r"s\d+", group):
            return STATUTES[int(group[1:])].key
    if match.group("id") or match.group("kind"):
        if match.group("id"):
            ref = match.group("id").lower().replace("for-", "forskrift-")
        else:
            month = match.group("m").rstrip(".")
            number = int(month) if month.isdigit() else _MONTHS.index(month.lower()) + 1
            ref = "-".join(
                (match.group("kind").lower(), match.group("y"), f"{number:02}")
                + (f"{int(match.group('d')):02}", match.group("n"))
            )
        for statute in STATUTES:
            held = statute.filename.removesuffix(".md")
            if ref == held or ref.startswith(held + "-"):
                return statute.key
        return ref
    return match.group("other").lower()


def statute_named(key: str) -> Statute | None:
    return next((s for s in STATUTES if s.key == key), None)


# --- the statute texts ----------------------------------------------------------------------------

LAST = -1  # "siste ledd" / "last paragraph"


@dataclass
class Paragraph:
    """One ledd: its sentences (punktum) and the items of its list (bokstav a, b …), if any."""

    sentences: int
    items: int = 0


@dataclass
class Section:
    """One § of a statute: its paragraphs, and whether it is repealed."""

    number: str
    repealed: bool = False
    paragraphs: list[Paragraph] = field(default_factory=list)


@dataclass
class StatuteText:
    """A statute as parsed from its Markdown file: sections by number, and chapter numbers."""

    sections: dict[str, Section]
    chapters: set[str]


_HEADING = re.compile(r"^#+\s+(.*)$")
_SECTION_HEADING = re.compile(
    r"^§\s*(?P<num>\d+(?:\s?[A-Z](?=-))?(?:-\d+)?)(?:\s?(?P<letter>[a-z]))?(?!\w)\.?\s*(?P<rest>.*)$"
)
_CHAPTER_HEADING = re.compile(r"^Kapit(?:t)?el\s+(\d+|[IVXL]+)\b", re.IGNORECASE)
_LIST_ITEM = re.compile(r"^(?:[-*]\s|\d+\.\s)")
_ABBREVIATIONS = re.compile(r"\b(?:jf|jfr|nr|mv|m\.m|bl\.a|f\.eks|pkt|ca|dvs|kap|nedenfor)\.")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ])")


def section_key(number: str, letter: str = "") -> str:
    """The normalised number of a section: "7-2 a" → "7-2a", "12 A-1" → "12A-1"."""
    return re.sub(r"\s+", "", number) + letter


def count_sentences(text: str) -> int:
    return len(_SENTENCE_END.split(_ABBREVIATIONS.sub("#", text.strip())))


def parse_statute(text: str) -> StatuteText:
    """Sections, paragraphs (text blocks), list items and chapters of a statute file.

    A paragraph (ledd) is a block of text between blank lines; a list that follows it belongs to
    it (its items are the letters a, b …); amendment notes in italics are not paragraphs.
    """
    if text.startswith("---"):
        end = text.find("\n---", 3)
        text = text[end + 4 :] if end >= 0 else text
    sections: dict[str, Section] = {}
    chapters: set[str] = set()
    current: Section | None = None
    block: list[str] = []

    def flush() -> None:
        if current is None or not block:
            block.clear()
            return
        joined = " ".join(line.strip() for line in block)
        if joined.startswith("*"):
            if joined.lstrip("*").startswith("Opphevet"):
                current.repealed = True
        elif all(_LIST_ITEM.match(line.strip()) for line in block):
            if not current.paragraphs:
                current.paragraphs.append(Paragraph(sentences=0))
            current.paragraphs[-1].items += len(block)
        else:
            current.paragraphs.append(Paragraph(sentences=count_sentences(joined)))
        block.clear()

    for line in text.splitlines():
        heading = _HEADING.match(line)
        if heading:
            flush()
            title = heading.group(1).strip()
            section = _SECTION_HEADING.match(title)
            chapter = _CHAPTER_HEADING.match(title)
            if section:
                key = section_key(section.group("num"), section.group("letter") or "")
                current = Section(key, repealed=section.group("rest").startswith("(Opphevet"))
                sections.setdefault(key, current)
            else:
                current = None
                if chapter:
                    chapters.add(chapter.group(1).upper())
        elif not line.strip():
            flush()
        else:
            block.append(line)
    flush()
    return StatuteText(sections=sections, chapters=chapters)


@cache
def load_statute(path: Path) -> StatuteText:
    return parse_statute(path.read_text(encoding="utf-8"))


# --- citations in text --------------------------------------------------------------------------

_ORDINALS = {
    "første": 1, "fyrste": 1, "first": 1,
    "annet": 2, "andre": 2, "second": 2,
    "tredje": 3, "third": 3,
    "fjerde": 4, "fourth": 4,
    "femte": 5, "fifth": 5,
    "sjette": 6, "sixth": 6,
    "sjuende": 7, "syvende": 7, "sjuande": 7, "seventh": 7,
    "åttende": 8, "åttande": 8, "eighth": 8,
    "niende": 9, "niande": 9, "ninth": 9,
    "tiende": 10, "tiande": 10, "tenth": 10,
    "siste": LAST, "last": LAST,
}  # fmt: skip
_ORD = "|".join(sorted(_ORDINALS, key=len, reverse=True))
_NUM = re.compile(r"(?P<num>\d+(?:\s?[A-Z](?=-))?(?:-\d+)?)(?P<suffix>[a-z])?(?![\w-])")
# " b" after a section: a letter ("§ 20-4 b") or part of the number ("§ 7-2 a"), decided by
# the statute text; only before punctuation or the end, so that "§ 4 i saker" is not a letter.
_SPACE_LETTER = re.compile(r"\s(?P<l1>[a-z])(?:–(?P<l2>[a-z]))?(?=\s*[),.;:/|]|\s*$)")
_PAREN_PARAGRAPH = re.compile(r"\((?P<p1>\d+)\)")
_PARAGRAPH = re.compile(
    rf",?\s+(?P<p1>{_ORD})(?:\s+(?:og|and|or|eller)\s+(?P<p2>{_ORD}))?\s+(?:ledd|paragraphs?)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(rf",?\s+(?P<n>{_ORD})\s+(?:punktum|sentence)\b", re.IGNORECASE)
_LETTER = re.compile(
    r",?\s+(?:letters?|bokstav(?:ene|ane)?|litra)\s+(?P<l1>[a-z])"
    r"(?:\s*(?:–|-|to|til|og|and)\s*(?P<l2>[a-z]))?(?!\w)"
    r"|\s?\((?P<l3>[a-z])\)"
)
_SEPARATOR = re.compile(r"\s*(?P<sep>,|;|/|–|\bog\b|\band\b|\bor\b|\beller\b|\bto\b|\btil\b)\s*")
_CHAPTER = re.compile(
    r"\b(?:ch\.|chapters?|kapittel|kapitlene|kapitla|kap\.)\s+(?P<c1>\d+|[IVXL]+)\b"
    r"(?:\s*(?:–|-|to|til|and|og)\s*(?P<c2>\d+|[IVXL]+)\b)?"
)


@dataclass(frozen=True)
class Ref:
    """One cited section, with the paragraphs, sentence and letters cited within it."""

    section: str
    paragraphs: tuple[int, ...] = ()
    sentence: int | None = None
    letters: tuple[str, ...] = ()
    #: A letter after a space ("§ 20-4 b"): part of the number if the statute has "§ 20-4 b".
    trailing_letter: str = ""


@dataclass(frozen=True)
class Citation:
    """A citation found in a file: where, what it says, the statute it is attributed to."""

    path: str
    line: int
    text: str
    #: The statute's key (``Statute.key``), or the name of a statute the folder does not hold.
    statute: str | None
    refs: tuple[Ref, ...] = ()
    chapters: tuple[str, ...] = ()
    #: "named" (the statute is named with it), "text" (named before it in the same text, or in
    #: the msgid of a msgstr), "nearby" (only named in the lines before: a guess), "" (none).
    attribution: str = "named"
    #: An internal document ("DOMAIN.md §4.7") cited in place of a statute.
    document: bool = False
    user_facing: bool = True

    def __str__(self) -> str:
        how = {"text": f" [{self.statute}]", "nearby": f" [{self.statute}?]"}.get(
            self.attribution, ""
        )
        return f"{self.path}:{self.line}: “{self.text}”{how}"


@dataclass(frozen=True)
class Unit:
    """A piece of text shown as one: a string literal, a line, a Markdown block, a msgstr."""

    path: str
    line: int
    text: str
    #: The raw source lines of the unit, to find the line of a citation in it.
    raw: tuple[str, ...] = ()
    #: The msgid of a msgstr: the same message, so it names the statute as reliably as the text.
    context: str = ""
    #: The source lines before the unit, which may name the statute (a guess, never a failure).
    nearby: str = ""
    user_facing: bool = True

    def line_of(self, needle: str) -> int:
        """The line of the citation (or of its first words, where a line break splits it)."""
        for candidate in (needle, " ".join(needle.split()[:2])):
            for i, raw in enumerate(self.raw):
                if candidate in raw:
                    return self.line + i
        return self.line


def _parse_refs(text: str, pos: int, plural: bool) -> tuple[list[Ref], int]:
    """The sections cited from ``pos`` (just after "§"/"§§") and where the citation ends."""
    refs: list[Ref] = []
    while True:
        start = pos
        while pos < len(text) and text[pos] == " ":
            pos += 1
        number = _NUM.match(text, pos)
        if not number:
            return refs, start
        pos = number.end()
        key = section_key(number.group("num"), number.group("suffix") or "")
        paragraphs: list[int] = []
        letters: list[str] = []
        trailing = ""
        sentence = None
        space_letter = _SPACE_LETTER.match(text, pos)
        if space_letter:
            pos = space_letter.end()
            if space_letter.group("l2"):
                letters += [space_letter.group("l1"), space_letter.group("l2")]
            else:
                trailing = space_letter.group("l1")
        if m := _PAREN_PARAGRAPH.match(text, pos):
            paragraphs.append(int(m.group("p1")))
            pos = m.end()
        if m := _PARAGRAPH.match(text, pos):
            paragraphs += [_ORDINALS[g.lower()] for g in m.group("p1", "p2") if g]
            pos = m.end()
        if m := _SENTENCE.match(text, pos):
            sentence = _ORDINALS[m.group("n").lower()]
            pos = m.end()
        if m := _LETTER.match(text, pos):
            letters += [g for g in m.group("l1", "l2", "l3") if g]
            pos = m.end()
        elif not trailing and not letters and (m := _SPACE_LETTER.match(text, pos)):
            letters += [g for g in m.group("l1", "l2") if g]
            pos = m.end()
        refs.append(Ref(key, tuple(paragraphs), sentence, tuple(letters), trailing))
        separator = _SEPARATOR.match(text, pos)
        if not separator or not _NUM.match(text, separator.end()):
            return refs, pos
        sep = separator.group("sep")
        if sep == ";" or (not plural and sep == ","):
            return refs, pos
        pos = separator.end()


def _attribute(unit: Unit, offset: int) -> tuple[str | None, str]:
    """The statute a bare section sign at ``offset`` belongs to, and how sure that is."""
    before = list(MENTION.finditer(unit.text, 0, offset)) or list(MENTION.finditer(unit.context))
    if before:
        return _statute_of(before[-1]), "text"
    nearby = list(MENTION.finditer(unit.nearby))
    if nearby:
        return _statute_of(nearby[-1]), "nearby"
    return None, ""


def find_citations(unit: Unit) -> Iterator[Citation]:
    """Every citation of a section (or a chapter) of a statute in the unit's text."""
    text = unit.text
    for mark in re.finditer(r"§§?", text):
        if mark.start() > 0 and text[mark.start() - 1] == "§":
            continue
        head = text[max(0, mark.start() - 120) : mark.start()]
        document = _DOCUMENT_BEFORE.search(head)
        dotted = re.match(r"\s*\d+(?:\.\d+)+", text[mark.end() :])
        if document or dotted:
            end = mark.end() + (dotted.end() if dotted else 0)
            if not dotted and (m := re.match(r"\s*\d+", text[mark.end() :])):
                end = mark.end() + m.end()
            begin = mark.start() - (len(document.group(0)) if document else 0)
            yield Citation(
                unit.path,
                unit.line_of(text[mark.start() : end]),
                text[begin:end].strip(),
                None,
                attribution="",
                document=True,
                user_facing=unit.user_facing,
            )
            continue
        refs, end = _parse_refs(text, mark.end(), plural=mark.group(0) == "§§")
        if not refs:
            continue
        named = _NAME_BEFORE.search(head)
        if named:
            statute: str | None = _statute_of(named)
            attribution = "named"
            begin = mark.start() - len(named.group(0))
        else:
            statute, attribution = _attribute(unit, mark.start())
            begin = mark.start()
        yield Citation(
            unit.path,
            unit.line_of(text[mark.start() : end]),
            text[begin:end].strip(),
            statute,
            tuple(refs),
            attribution=attribution,
            user_facing=unit.user_facing,
        )
    for chapter in _CHAPTER.finditer(text):
        named = _NAME_BEFORE.search(text[max(0, chapter.start() - 120) : chapter.start()])
        if not named:
            continue
        chapters = tuple(c.upper() for c in chapter.group("c1", "c2") if c)
        yield Citation(
            unit.path,
            unit.line_of(chapter.group(0)),
            f"{named.group(0)}{chapter.group(0)}".strip(),
            _statute_of(named),
            chapters=chapters,
            user_facing=unit.user_facing,
        )


# --- checking -----------------------------------------------------------------------------------


def _letter_index(letter: str) -> int:
    return ord(letter) - ord("a") + 1


def check_ref(ref: Ref, statute: StatuteText) -> str | None:
    """What is wrong with one cited section, or None when the statute text has it all."""
    letters = list(ref.letters)
    section = statute.sections.get(ref.section)
    if ref.trailing_letter:
        with_letter = statute.sections.get(ref.section + ref.trailing_letter)
        if with_letter is not None:
            section = with_letter
        else:
            letters.append(ref.trailing_letter)
    name = f"§ {section.number if section else ref.section}"
    if section is None:
        return f"{name} does not exist"
    if section.repealed:
        return f"{name} is repealed"
    paragraphs = section.paragraphs
    chosen: list[Paragraph] = []
    for number in ref.paragraphs:
        if number == LAST:
            chosen.append(paragraphs[-1])
        elif number > len(paragraphs):
            return f"{name} has {len(paragraphs)} paragraph(s) (ledd), not {number}"
        else:
            chosen.append(paragraphs[number - 1])
    scope = chosen or paragraphs
    if ref.sentence is not None and ref.sentence != LAST:
        most = max((p.sentences for p in scope), default=0)
        if ref.sentence > most:
            return f"{name} has no sentence (punktum) {ref.sentence} there ({most} at most)"
    if letters:
        items = max((p.items for p in scope), default=0)
        wanted = max(_letter_index(letter) for letter in letters)
        if items and wanted > items:
            return f"{name} has letters a–{chr(ord('a') + items - 1)} there, not {letters[-1]}"
    return None


def check_citation(citation: Citation, laws_dir: Path) -> list[str]:
    """The problems of a citation of a statute the folder holds (empty when it is right)."""
    if citation.document:
        return ["cites an internal document, not the statute"]
    statute = statute_named(citation.statute or "")
    if statute is None:
        return []
    text = load_statute(laws_dir / statute.filename)
    problems = [p for ref in citation.refs if (p := check_ref(ref, text))]
    problems += [
        f"chapter {chapter} does not exist"
        for chapter in citation.chapters
        if chapter not in text.chapters
    ]
    return [f"{statute.key}: {p}" for p in problems]


# --- where the platform shows citations ----------------------------------------------------------


def python_units(path: Path, rel: str) -> Iterator[Unit]:
    """Every string literal of a module (implicitly joined as Python joins them)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.add(id(value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "§" in node.value:
            first, last = node.lineno, node.end_lineno or node.lineno
            yield Unit(
                rel,
                first,
                node.value,
                raw=tuple(lines[first - 1 : last]),
                nearby="\n".join(lines[max(0, first - 6) : first - 1]),
                user_facing=id(node) not in docstrings,
            )


def template_units(path: Path, rel: str) -> Iterator[Unit]:
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, line in enumerate(lines):
        if "§" in line:
            yield Unit(rel, i + 1, line, raw=(line,), nearby="\n".join(lines[max(0, i - 3) : i]))


_MD_START = re.compile(r"^\s*(?:[-*]\s|\d+\.\s|\||#)")


def markdown_units(path: Path, rel: str) -> Iterator[Unit]:
    """Paragraphs, list items, table rows and headings, each one unit."""
    lines = path.read_text(encoding="utf-8").splitlines()
    block: list[str] = []
    start = 0

    def unit() -> Iterator[Unit]:
        text = "\n".join(block)
        if "§" in text:
            yield Unit(rel, start + 1, text, raw=tuple(block))

    for i, line in enumerate(lines):
        if not line.strip() or _MD_START.match(line) or (block and block[0].startswith("|")):
            yield from unit()
            block, start = [], i
        if line.strip():
            if not block:
                start = i
            block.append(line)
    yield from unit()


def _po_string(lines: list[str]) -> str:
    return "".join(ast.literal_eval(line) for line in lines)


def po_units(path: Path, rel: str) -> Iterator[Unit]:
    """Every msgstr (each plural form; its msgid as context); fuzzy and obsolete ones left out,
    as gettext never shows them."""
    lines = path.read_text(encoding="utf-8").splitlines()
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None
    msgstr_line = 0
    fuzzy = flagged = False

    def entry() -> Iterator[Unit]:
        text = _po_string(msgstr) if msgstr and not fuzzy else ""
        if "§" in text:
            raw = tuple(lines[msgstr_line - 1 : msgstr_line - 1 + len(msgstr)])
            yield Unit(rel, msgstr_line, text, raw=raw, context=_po_string(msgid))

    for i, line in enumerate(lines):
        if line.startswith("#,"):
            flagged = "fuzzy" in line
        elif line.startswith("msgid "):
            yield from entry()
            msgid, msgstr, fuzzy, flagged = [line[6:]], [], flagged, False
            target = msgid
        elif line.startswith("msgstr"):
            yield from entry()  # msgstr[1] after msgstr[0]
            msgstr, msgstr_line = [line.split(" ", 1)[1]], i + 1
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(line)
        elif not line.startswith("msgid_plural"):
            target = None
    yield from entry()


def _cited(unit: Unit) -> set[tuple[str | None, str, tuple[int, ...], tuple[str, ...]]]:
    return {
        (c.statute, r.section, r.paragraphs, (*r.letters, r.trailing_letter))
        for c in find_citations(unit)
        for r in c.refs
    }


def translation_drift(unit: Unit) -> str | None:
    """A msgstr that cites other sections than its msgid (a translation left behind)."""
    if not unit.context:
        return None
    said, meant = _cited(unit), _cited(Unit(unit.path, unit.line, unit.context))
    if said == meant:
        return None

    def show(cited: set[tuple[str | None, str, tuple[int, ...], tuple[str, ...]]]) -> str:
        return ", ".join(
            sorted(
                f"{statute or ''} § {number}"
                + "".join(f" ledd {p}" for p in paragraphs)
                + "".join(f" {letter}" for letter in letters if letter)
                for statute, number, paragraphs, letters in cited
            )
        ).strip()

    return (
        f"{unit.path}:{unit.line}: the translation cites {show(said - meant) or 'less'} where "
        f"its msgid cites {show(meant - said) or 'less'}"
    )


def _files(base: Path, pattern: str) -> Iterator[Path]:
    skip = {"tests", "migrations", "node_modules", ".venv", "__pycache__"}
    for path in sorted(base.glob(pattern)):
        if not skip.intersection(path.relative_to(base).parts):
            yield path


#: Docs that show wrong citations as examples of what the check refuses.
WRONG_ON_PURPOSE = {"legal-citations.md"}


def platform_units(base: Path) -> Iterator[Unit]:
    """Everything the platform shows a user that may cite law (docs/legal-citations.md)."""
    for path in _files(base, "kraftsenter/**/*.py"):
        yield from python_units(path, str(path.relative_to(base)))
    for pattern in ("templates/**/*.html", "kraftsenter/**/*.html"):
        for path in _files(base, pattern):
            yield from template_units(path, str(path.relative_to(base)))
    for path in [base / "README.md", *_files(base, "docs/**/*.md")]:
        if path.exists() and path.name not in WRONG_ON_PURPOSE:
            yield from markdown_units(path, str(path.relative_to(base)))
    catalogue = base / "locale" / "nb" / "LC_MESSAGES" / "django.po"
    if catalogue.exists():
        yield from po_units(catalogue, str(catalogue.relative_to(base)))


@dataclass
class Audit:
    """The citations found, sorted into wrong, unchecked (statute not held) and ambiguous."""

    checked: int = 0
    wrong: list[str] = field(default_factory=list)
    unchecked: list[Citation] = field(default_factory=list)
    #: Bare citations: not attributed, or attributed only from the lines before (with the result).
    ambiguous: list[str] = field(default_factory=list)


def audit(units: Iterable[Unit], laws_dir: Path) -> Audit:
    result = Audit()
    for unit in units:
        if drift := translation_drift(unit):
            result.wrong.append(drift)
        for citation in find_citations(unit):
            if citation.document:
                if citation.user_facing:
                    result.wrong.append(f"{citation} — cites an internal document, not a statute")
                continue
            if citation.statute is None:
                result.ambiguous.append(f"{citation} — no statute named")
                continue
            if statute_named(citation.statute) is None:
                result.unchecked.append(citation)
                continue
            problems = check_citation(citation, laws_dir)
            if citation.attribution == "nearby":
                verdict = "; ".join(problems) or "exists"
                result.ambiguous.append(f"{citation} — not named in its text; if so: {verdict}")
                continue
            result.checked += 1
            result.wrong += [f"{citation} — {p}" for p in problems]
    return result
