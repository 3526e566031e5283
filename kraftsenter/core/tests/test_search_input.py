"""Hostile search text on every list that searches (issue 14, "Bad input"): quotes, operators,
wildcards, SQL, only stop words, 1 000 characters. Each answers with results or "no hits" (or
a 422 naming the field in the API), never a server error, and finds nothing it should not."""

from __future__ import annotations

import pytest

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create

pytestmark = pytest.mark.django_db

QUERIES = [
    '"unclosed quote',
    "hamar AND løten OR -stange",
    "*",
    "%",
    "_",
    "og i på",
    "' OR 1=1 --",
    "\\",
    "Kárášjohka & | ! ( ) : <-> ~",
    "x" * 1000,
    "🙂🚀 Москва 東京",
    "hamar:* | !løten",
]
PAGES = [
    "/organisasjoner/",
    "/samarbeid/",
    "/avtaler/",
    "/planer/",
    "/partnerskap/",
    "/forpliktelser/",
    "/kommuner/",
    "/eierskap/interesser/",
]
API = [
    "/api/v1/organisations",
    "/api/v1/cooperations",
    "/api/v1/agreements",
    "/api/v1/plans",
    "/api/v1/partnerships",
    "/api/v1/commitments",
    "/api/v1/municipalities",
    "/api/v1/ownership-interests",
]


@pytest.fixture
def places(small_places):
    organisation_create(actor="t", name="Hamar Næringsråd", kind=OrganisationKind.ASSOCIATION)
    return small_places


@pytest.mark.parametrize("path", PAGES)
def test_search_pages_answer_hostile_text_without_error(client, places, path):
    for query in QUERIES:
        response = client.get(path, {"q": query})
        assert response.status_code == 200, (path, query[:40], response.status_code)


@pytest.mark.parametrize("path", API)
def test_search_api_answers_hostile_text_with_results_or_a_named_422(client, places, path):
    for query in QUERIES:
        response = client.get(path, {"q": query})
        assert response.status_code in (200, 422), (path, query[:40], response.status_code)
        if response.status_code == 422:
            assert [e["field"] for e in response.json()["errors"]] == ["q"]


def test_wildcards_and_sql_find_nothing_they_should_not(client, places):
    for query in ("%", "_", "*", "' OR 1=1 --", "x" * 1000, "og i på", "🙂"):
        body = client.get("/api/v1/organisations", {"q": query}).json()
        assert body["count"] == 0, query[:40]
    assert client.get("/api/v1/organisations", {"q": "næringsråd"}).json()["count"] == 1
    assert client.get("/api/v1/organisations", {"q": "naeringsrad"}).json()["count"] == 1
    assert client.get("/api/v1/organisations", {"q": '"Hamar" næ*'}).json()["count"] == 1


def test_place_search_answers_hostile_text(client, places):
    for query in QUERIES:
        assert client.get("/sok/", {"q": query}).status_code == 200, query[:40]
        api = client.get("/api/v1/places/search", {"q": query})
        assert api.status_code in (200, 422), query[:40]
