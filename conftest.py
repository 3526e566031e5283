"""Shared pytest fixtures for every app."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("KRAFTSENTER_ALLOW_INSECURE_KEY", "1")

REPO = Path(__file__).resolve().parent
SMALL_PLACES = REPO / "kraftsenter" / "places" / "tests" / "fixtures" / "places_small"
SHARED_DATA = Path(os.environ.get("KRAFTSENTER_TEST_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture
def small_places(db):
    """Two counties and four municipalities with centrality, population and two boundaries."""
    from kraftsenter.places.importers.files import read_directory
    from kraftsenter.places.importers.load import load_places

    return load_places(read_directory(SMALL_PLACES))


@pytest.fixture
def builtin_places(db):
    from kraftsenter.places.importers.load import load_places
    from kraftsenter.places.importers.sources import builtin_dataset

    return load_places(builtin_dataset())


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is slow on purpose; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_api_rate_limit(settings):
    """The suite sends many requests from one address; test_api_http.py limits them itself."""
    settings.KRAFTSENTER_API_RATE_ANONYMOUS = ""
    settings.KRAFTSENTER_API_RATE_AUTHENTICATED = ""


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Tests measure real work (queries, rendering); test_cache.py turns the cache on itself."""
    settings.KRAFTSENTER_PAGE_CACHE = False


# --- Guard rail: every page template is rendered by some test ------------------------------------

TEMPLATE_DIRS = [REPO / "templates", *sorted((REPO / "kraftsenter").glob("*/templates"))]
_RENDERED: set[str] = set()


@pytest.fixture(autouse=True, scope="session")
def _record_rendered_templates():
    """Notes the name of every template a test renders (Django's test instrumentation)."""
    from django.test.signals import template_rendered

    def noted(sender, template, context, **kwargs):
        if template.name:
            _RENDERED.add(template.name.encode().decode())  # a plain str, also for SafeString

    template_rendered.connect(noted, weak=False, dispatch_uid="kraftsenter-rendered")
    yield


def all_templates() -> set[str]:
    return {
        str(path.relative_to(folder)) for folder in TEMPLATE_DIRS for path in folder.rglob("*.html")
    }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """With pytest-xdist, each worker reports the templates its tests rendered."""
    _RENDERED.update(getattr(node, "workeroutput", {}).get("rendered_templates", ()))


def pytest_sessionfinish(session, exitstatus):
    """After the whole unit suite (``make test``), fail if a template was never rendered."""
    config = session.config
    if hasattr(config, "workeroutput"):  # a pytest-xdist worker: report to the controller
        config.workeroutput["rendered_templates"] = sorted(_RENDERED)
        return
    whole_suite = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if (
        exitstatus != 0
        or not whole_suite
        or config.option.keyword
        or config.option.markexpr != "not browser"
        or getattr(config.option, "lf", False)
    ):
        return
    missing = sorted(all_templates() - _RENDERED)
    if missing:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_line(
            "Templates no test renders (write a test that shows the page): " + ", ".join(missing),
            red=True,
        )
        session.exitstatus = 1
