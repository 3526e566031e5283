"""The interface's languages: every translatable string has a bokmål and a nynorsk translation,
the Northern Sami catalogue covers navigation, places and consultations, the source strings
(msgids) are English, and pages render in bokmål unless the visitor chose another language."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUE = LOCALE / "nb" / "LC_MESSAGES" / "django.po"

#: Where the Northern Sami catalogue must be complete: navigation and the shared pages, the
#: public pages of places and regions, and everything a Sami party meets in a consultation
#: (the register, the case page, the protocol, the notice e-mail). docs/languages.md.
SAMI_SCOPE = (
    "templates/base.html",
    "templates/includes/",
    "templates/400.html",
    "templates/403.html",
    "templates/404.html",
    "templates/500.html",
    "templates/registration/",
    "templates/core/_form_errors.html",
    "templates/core/languages.html",
    "templates/core/language_unknown.html",
    "kraftsenter/consultations/templates/",
    "kraftsenter/consultations/choices.py",
    "kraftsenter/consultations/models.py",
    "kraftsenter/consultations/views.py",
    "kraftsenter/consultations/digest.py",
    "kraftsenter/agreements/templates/agreements/email/digest.txt",
    "kraftsenter/places/templates/",
    "kraftsenter/places/choices.py",
    "kraftsenter/knowledge/templates/knowledge/profile.html",
    "kraftsenter/knowledge/profile.py",
    "kraftsenter/knowledge/profile_views.py",
)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """The catalogues as `make messages` would leave them, extracted into a copy of the sources,
    so that the real catalogues are never touched by a test."""
    base = Path(settings.BASE_DIR)
    tmp = tmp_path_factory.mktemp("catalogues")
    skip = shutil.ignore_patterns("tests", "__pycache__", "*.mo", "builtin", "migrations")
    for folder in ("kraftsenter", "templates", "config", "locale"):
        shutil.copytree(base / folder, tmp / folder, ignore=skip)
    here = os.getcwd()
    os.chdir(tmp)
    try:
        with override_settings(LOCALE_PATHS=[tmp / "locale"]):
            call_command("makemessages", locale=["nb", "nn", "se"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(here)
    return tmp / "locale"


def _statistics(po: Path) -> str:
    return subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr


def _entries(po: Path, *options: str) -> list[tuple[str, list[str]]]:
    """(msgid, references) of a catalogue's entries (``msgattrib`` options select them)."""
    text = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-wrap", *options, str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for block in text.split("\n\n"):
        refs = [ref for line in re.findall(r"^#: (.*)$", block, re.M) for ref in line.split()]
        msgid = re.search(r'^msgid "(.*)"$', block, re.M)
        if msgid and msgid.group(1):
            found.append((msgid.group(1), refs))
    return found


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_catalogue_covers_every_string_in_the_code(extracted, language):
    """Bokmål and nynorsk: the whole interface is translated."""
    stats = _statistics(extracted / language / "LC_MESSAGES" / "django.po")
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{language}: {stats.strip()} — run `make messages` and translate the new strings in "
        f"{LOCALE / language / 'LC_MESSAGES' / 'django.po'}"
    )


def test_northern_sami_catalogue_covers_navigation_places_and_consultations(extracted):
    po = extracted / "se" / "LC_MESSAGES" / "django.po"
    missing = [
        msgid
        for msgid, refs in _entries(po, "--untranslated") + _entries(po, "--only-fuzzy")
        if any(ref.startswith(SAMI_SCOPE) for ref in refs)
    ]
    assert not missing, (
        f"{len(missing)} Northern Sami strings in scope untranslated: {missing[:10]}"
    )
    # Outside the scope some are translated and the rest falls back to bokmål: not all empty.
    assert len(_entries(po, "--translated")) >= 250


def test_northern_sami_catalogue_says_who_reviewed_it_and_has_three_plural_forms():
    po = LOCALE / "se" / "LC_MESSAGES" / "django.po"
    text = po.read_text()
    header = text.split("\n\n", 1)[0]
    assert "machine-assisted draft" in header and "reviewed by: not yet reviewed" in header
    assert "/om/sprak/" in header  # where to suggest a correction
    assert '"Language: se\\n"' in header
    assert '"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);\\n"' in header
    # CLDR's one, two, other: every translated plural entry has all three forms.
    for block in text.split("\n\n"):
        if "msgid_plural" in block and re.search(r'^msgstr\[0\] "(.+)"$', block, re.M):
            forms = re.findall(r'^msgstr\[(\d)\] "(.*)"$', block, re.M)
            assert [i for i, value in forms if value] == ["0", "1", "2"], block


def test_northern_sami_falls_back_to_bokmal_not_english():
    # A Sami reader who meets an untranslated text reads it in Norwegian, as the Sami pages of
    # Norwegian public bodies do, not in the English of the source strings.
    with translation.override("nb"):
        bokmal = translation.gettext("Accounts")
    with translation.override("se"):
        assert translation.gettext("Accounts") == bokmal != "Accounts"
        assert translation.gettext("Consultations") not in {"Consultations", bokmal}


NORWEGIAN_WORDS = frozenset({
    "ikke", "og", "som", "skal", "eller", "må", "ble", "blir", "denne", "dette", "fra", "etter",
    "ved", "mellom", "hvis", "når", "hvor", "deg", "du", "vi", "dere", "har", "kan", "er", "det",
    "på", "av", "med", "en", "et", "ei", "å", "til", "om", "seg", "sin", "sitt", "også", "alle",
    "ingen", "noen", "være", "vært", "bli",
})  # fmt: skip
#: Norwegian names of statutes and regulations, which the English strings cite as they are.
LEGAL_TITLE = re.compile(r"\b(forskrift|lov)\b[^,;()]*", re.I)


def looks_norwegian(msgid: str) -> bool:
    """Two or more distinct Norwegian function words outside the cited statutes' titles."""
    words = re.findall(r"[a-zæøå]+", LEGAL_TITLE.sub(" ", msgid).lower())
    return len(NORWEGIAN_WORDS.intersection(words)) >= 2


def test_the_check_tells_norwegian_from_english():
    assert looks_norwegian("Kommunen er ikke med i noen registrert småbyregion.")
    assert looks_norwegian("Fristen er passert og saken kan ikke endres.")
    assert not looks_norwegian("The municipality is not part of any registered region.")
    assert not looks_norwegian(
        "forskrift 21.6.2013 nr. 732 om universell utforming av IKT-løsninger, § 4e"
    )


def test_source_strings_are_english_so_the_english_interface_is_complete():
    """English is the source language: no catalogue, no fallback. A msgid left in Norwegian
    would show Norwegian on English pages."""
    norwegian = [msgid for msgid, _refs in _entries(CATALOGUE) if looks_norwegian(msgid)]
    assert not norwegian, f"msgids in Norwegian (write them in English): {norwegian[:10]}"
    with translation.override("en"):
        assert translation.gettext("Accounts") == "Accounts"


def test_pages_render_in_bokmal_whatever_the_browser_asks(client, db):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).content.decode()
    assert 'lang="nb"' in html and "Hopp til hovedinnhold" in html


def test_pages_render_in_english_when_chosen(client, db):
    response = client.get("/sprak/en/", {"next": "/kommuner/"})
    assert response.status_code == 302 and response["Location"] == "/kommuner/"
    assert "Skip to main content" in client.get("/").content.decode()


def test_choose_language_refuses_redirect_to_other_site(client, db):
    response = client.get("/sprak/en/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"
