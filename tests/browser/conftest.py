"""Fixtures for the browser tests: reference data, a live server and Debian's Chromium.

Playwright's sync API runs an asyncio event loop in the test thread, which makes Django's
"async unsafe" guard refuse the ORM calls of the tests and of the database fixtures. The guard
is switched off (DJANGO_ALLOW_ASYNC_UNSAFE) only while the browser runs, not at import, so a
unit-test run that merely collects this package keeps the guard.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("KRAFTSENTER_TEST_DATA", REPO_ROOT.parent / "shared" / "data"))
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SCRIPT = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def place_dataset():
    """The reference data read once per run (reading is pure; loading happens per test)."""
    from kraftsenter.places.importers.files import read_directory

    if not (DATA_DIR / "kommuner_2024.csv").is_file():
        pytest.fail(
            f"Reference data not found in {DATA_DIR} (no kommuner_2024.csv). Set "
            "KRAFTSENTER_TEST_DATA to a directory in the import format (docs/import-format.md).",
            pytrace=False,
        )
    return read_directory(DATA_DIR)


def _load_site_data(dataset) -> None:
    from kraftsenter.demo.loader import load_demo_content
    from kraftsenter.places.importers.load import load_places

    load_places(dataset)
    from kraftsenter.knowledge.importers.files import read_directory as read_statistics
    from kraftsenter.knowledge.importers.load import load_statistics

    # The shared industry and emissions files cover Telemark only: a deliberate partial load.
    load_statistics(read_statistics(DATA_DIR), allow_partial=True)
    load_demo_content(say=lambda s: None)


@pytest.fixture(scope="session")
def _site_data_snapshot() -> Iterator[dict]:
    """Holds an in-memory copy of the loaded SQLite test database, made by the first test."""
    holder: dict = {}
    yield holder
    if "db" in holder:
        holder["db"].close()


@pytest.fixture
def site_data(transactional_db, place_dataset, _site_data_snapshot) -> None:
    """All counties and municipalities, then the demo organisations and regions.

    live_server needs transactional_db, which empties the database after every test, so the
    data is put back before each test. The first test loads it through the real importer;
    with the in-memory SQLite test database, later tests restore a copy of that result with
    SQLite's backup API (milliseconds instead of a second). Other databases load every time.
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    if not (connection.vendor == "sqlite" and connection.is_in_memory_db()):
        _load_site_data(place_dataset)
        return
    connection.ensure_connection()
    snapshot = _site_data_snapshot.get("db")
    if snapshot is None:
        _load_site_data(place_dataset)
        snapshot = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(snapshot)
        _site_data_snapshot["db"] = snapshot
    else:
        snapshot.backup(connection.connection)
        # The flush re-created the content types under new ids; the copy has the old ones.
        ContentType.objects.clear_cache()


@pytest.fixture
def site(live_server, site_data) -> str:
    """Base address of a live server with the data loaded, without a trailing slash."""
    return live_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator:
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium package.", pytrace=False)
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _new_page(browser, **options):
    # Norwegian bokmål, as a Norwegian visitor's browser would ask for.
    context = browser.new_context(locale="nb-NO", **options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh page in its own context; the site's Content-Security-Policy applies."""
    context, page = _new_page(browser)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser) -> Iterator:
    """A page that may inject axe-core: the strict CSP (script-src 'self') is bypassed."""
    if not AXE_SCRIPT.is_file():
        pytest.fail(
            f"{AXE_SCRIPT} not found: run `npm ci` (axe-core is a devDependency).", pytrace=False
        )
    context, page = _new_page(browser, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console messages of type error and uncaught page errors, collected as they happen."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"console: {message.text} ({message.location.get('url') or '-'})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors
