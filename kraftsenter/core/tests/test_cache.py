"""The anonymous response cache never serves stale data and never caches personal pages."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create, organisation_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    settings.KRAFTSENTER_PAGE_CACHE = True
    caches["pages"].clear()


def test_cache_second_anonymous_read_is_a_hit(client, small_places):
    assert client.get("/kommuner/3403/")["X-Cache"] == "miss"
    second = client.get("/kommuner/3403/")
    assert second["X-Cache"] == "hit" and "Hamar" in second.content.decode()
    assert "script-src 'self'" in second["Content-Security-Policy"]


def test_cache_any_change_makes_cached_pages_stale(client, small_places):
    org = organisation_create(actor="test", name="Gammelt navn", kind=OrganisationKind.ASSOCIATION)
    assert "Gammelt navn" in client.get("/organisasjoner/").content.decode()
    organisation_update(actor="test", organisation=org, expected_version=1, name="Nytt navn")
    response = client.get("/organisasjoner/")
    assert response["X-Cache"] == "miss" and "Nytt navn" in response.content.decode()


def test_cache_not_used_for_logged_in_users_or_tokens(client, small_places, django_user_model):
    client.get("/kommuner/")
    user = django_user_model.objects.create_user("u", password="x-long-password-1")
    client.force_login(user)
    response = client.get("/kommuner/")
    assert "X-Cache" not in response and 'href="/konto/profil/"' in response.content.decode()


def test_cache_separates_languages(client, small_places):
    client.get("/kommuner/")
    client.cookies["django_language"] = "en"
    assert "Municipalities" in client.get("/kommuner/").content.decode()


def test_cache_never_stores_pages_with_a_csrf_cookie(client, db):
    first = client.get("/konto/logg-inn/")
    assert "X-Cache" not in first and first.cookies  # the CSRF cookie is set
    assert "X-Cache" not in client.get("/konto/logg-inn/")


def test_cache_serves_register_pages(client, small_places):
    assert client.get("/samarbeid/")["X-Cache"] == "miss"
    assert client.get("/samarbeid/")["X-Cache"] == "hit"
