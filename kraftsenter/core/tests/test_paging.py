"""Lists count only when they must (core.paging, core.api.paginate): a page that is not full
is the last one and its rows give the count; a full page, or an empty one past the first,
still asks the database. What the reader sees — how many, which page of how many, the next
and previous links, 404 past the end — is the same either way."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create

pytestmark = pytest.mark.django_db


def _associations(n: int) -> None:
    for i in range(n):
        organisation_create(actor="test", name=f"Lag {i:03d}", kind=OrganisationKind.ASSOCIATION)


def _get(client, path, **params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, params)
    counted = any("COUNT(" in q["sql"] for q in queries)
    return response, counted


def test_a_list_shorter_than_a_page_is_counted_from_its_rows(client):
    _associations(3)
    response, counted = _get(client, "/organisasjoner/", kind="association")
    assert response.status_code == 200 and not counted
    assert response.context["paginator"].count == 3
    assert response.context["paginator"].num_pages == 1
    assert len(response.context["object_list"]) == 3
    assert response.context["page_obj"].has_next() is False


def test_an_empty_list_has_one_empty_page_and_nothing_past_it(client):
    response, _counted = _get(client, "/organisasjoner/", kind="association")
    assert response.status_code == 200 and response.context["paginator"].count == 0
    assert client.get("/organisasjoner/", {"kind": "association", "page": 2}).status_code == 404


def test_full_pages_count_and_the_last_page_counts_from_its_rows(client):
    _associations(53)
    first, counted = _get(client, "/organisasjoner/", kind="association")
    assert counted and first.context["paginator"].count == 53
    assert first.context["paginator"].num_pages == 2 and first.context["page_obj"].has_next()
    second, counted = _get(client, "/organisasjoner/", kind="association", page=2)
    assert not counted and second.status_code == 200
    assert second.context["paginator"].count == 53
    assert [o.name for o in second.context["object_list"]] == ["Lag 050", "Lag 051", "Lag 052"]
    assert second.context["page_obj"].has_previous() and not second.context["page_obj"].has_next()
    last, _ = _get(client, "/organisasjoner/", kind="association", page="last")
    assert last.context["page_obj"].number == 2
    for page in (3, 0, "abc"):
        response = client.get("/organisasjoner/", {"kind": "association", "page": page})
        assert response.status_code == 404


def test_exactly_one_full_page_has_no_second(client):
    _associations(50)
    response, counted = _get(client, "/organisasjoner/", kind="association")
    assert counted and response.context["paginator"].num_pages == 1
    assert not response.context["page_obj"].has_next()
    assert client.get("/organisasjoner/", {"kind": "association", "page": 2}).status_code == 404


def test_the_api_counts_the_same_way(client):
    _associations(5)
    path = "/api/v1/organisations"
    body, counted = _get(client, path, kind="association", page_size=2)
    assert counted and body.json()["count"] == 5 and body.json()["next"].endswith("page=2")
    last, counted = _get(client, path, kind="association", page_size=2, page=3)
    assert not counted and last.status_code == 200
    data = last.json()
    assert data["count"] == 5 and [i["name"] for i in data["items"]] == ["Lag 004"]
    assert data["next"] is None and data["previous"].endswith("page=2")
    assert client.get(path, {"kind": "association", "page_size": 2, "page": 4}).status_code == 404
    five, counted = _get(client, path, kind="association", page_size=5)
    assert counted and five.json()["count"] == 5 and five.json()["next"] is None
    assert client.get(path, {"kind": "association", "page_size": 5, "page": 2}).status_code == 404
    few, counted = _get(client, path, kind="association", page_size=50)
    assert not counted and few.json()["count"] == 5
