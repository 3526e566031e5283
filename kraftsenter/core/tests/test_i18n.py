"""The interface is Norwegian bokmål: every translatable string has a bokmål translation."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def test_bokmal_catalogue_covers_every_string_in_the_code(tmp_path, monkeypatch):
    # Extract into a copy of the sources, so the real catalogue is never touched by a test.
    base = Path(settings.BASE_DIR)
    skip = shutil.ignore_patterns("tests", "__pycache__", "*.mo", "builtin", "migrations")
    for folder in ("kraftsenter", "templates", "config", "locale"):
        shutil.copytree(base / folder, tmp_path / folder, ignore=skip)
    target = tmp_path / "locale" / "nb" / "LC_MESSAGES"
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["nb"], verbosity=0, no_obsolete=True)
    stats = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(target / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats.strip()} — run `make messages` and translate the new strings in {CATALOGUE}"
    )


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
