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
def _no_page_cache(settings):
    """Tests measure real work (queries, rendering); test_cache.py turns the cache on itself."""
    settings.KRAFTSENTER_PAGE_CACHE = False
