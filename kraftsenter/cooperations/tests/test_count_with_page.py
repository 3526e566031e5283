"""A list filtered by county reads its page and its count in one statement
(core.filtering.FilterSet.count_with_page, core.paging): the same pages, counts, links and
404 past the end as a page and a count read apart."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.cooperations import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def nine(orgs, ipr_data, django_user_model):
    """Seven cooperations with Hamar (Innlandet), two with Alta and Karasjok (Finnmark)."""
    from kraftsenter.cooperations.services import ParticipantInput

    for i in range(7):
        services.cooperation_create(actor="t", **{**ipr_data, "name": f"Råd {i} IPR"})
    for i in range(2):
        services.cooperation_create(
            actor="t",
            **{
                **ipr_data,
                "name": f"Finnmarksråd {i} IPR",
                "participants": [
                    ParticipantInput(orgs["5601"], Decimal("50")),
                    ParticipantInput(orgs["5610"], Decimal("50")),
                ],
            },
        )
    return django_user_model.objects.create_superuser("admin", password="x")


def _read(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    sql = [q["sql"] for q in queries]
    return response, sql


def test_the_api_pages_of_a_county_each_read_with_the_count(client, nine):
    client.force_login(nine)
    seen = []
    for page in (1, 2, 3):
        response, sql = _read(client, f"/api/v1/cooperations?county=34&page_size=3&page={page}")
        body = response.json()
        assert response.status_code == 200 and body["count"] == 7, page
        assert not any(s.startswith("SELECT COUNT(") for s in sql), page
        assert any("OVER ()" in s for s in sql), page
        assert (body["next"] is None) == (page == 3) and (body["previous"] is None) == (page == 1)
        seen += [item["name"] for item in body["items"]]
        assert "ks_total" not in body["items"][0]
    assert seen == sorted(f"Råd {i} IPR" for i in range(7))
    assert client.get("/api/v1/cooperations?county=34&page_size=3&page=4").status_code == 404
    finnmark = client.get("/api/v1/cooperations?county=56&page_size=1").json()
    assert finnmark["count"] == 2 and finnmark["items"][0]["name"] == "Finnmarksråd 0 IPR"
    empty = client.get("/api/v1/cooperations?county=56&form=iks").json()
    assert empty["count"] == 0 and empty["items"] == []  # nothing to read the count with
    # Without the county, the page and the count are read as before.
    response, sql = _read(client, "/api/v1/cooperations?page_size=3")
    assert response.json()["count"] == 9 and not any("OVER ()" in s for s in sql)
    assert any(s.startswith("SELECT COUNT(") for s in sql)


def test_the_page_of_a_county_shows_the_count_read_with_it(client, nine):
    client.force_login(nine)
    response, sql = _read(client, "/samarbeid/?county=56")
    assert response.status_code == 200 and any("OVER ()" in s for s in sql)
    paginator = response.context["paginator"]
    assert paginator.count == 2 and paginator.num_pages == 1
    html = response.content.decode()
    assert "Finnmarksråd 0 IPR" in html and "Finnmarksråd 1 IPR" in html and "Råd 3 IPR" not in html
    past = client.get("/samarbeid/?county=56&page=2")
    assert past.status_code == 404
