"""Boundary texts kept per process on PostgreSQL (``places.boundaries``): every change is drawn
at the next request, whichever municipality it is and however often a transaction makes it."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from kraftsenter.places import boundaries
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db


def ring(*corners: tuple[float, float]) -> dict:
    points = [list(c) for c in corners]
    return {"type": "Polygon", "coordinates": [[*points, points[0]]]}


def county_paths(client) -> dict[str, str]:
    """Each municipality's outline on Innlandet's page, by the name it is labelled with."""
    html = client.get("/fylker/34/").content.decode()
    return {
        name: html.split(f'aria-label="{name}">')[1].split("</a>")[0]
        for name in ("Hamar", "Løten")
        if f'aria-label="{name}">' in html
    }


def test_county_page_draws_each_change_of_the_second_municipality(client, small_places):
    """Løten (the county's second municipality) changed twice in one transaction, then its
    boundary removed: each request draws what is stored."""
    before = county_paths(client)
    assert set(before) == {"Hamar", "Løten"}
    assert county_paths(client) == before  # kept: the same drawing again
    loten = Municipality.objects.filter(number="3412")
    with transaction.atomic():
        loten.update(boundary=ring((11.3, 60.7), (11.6, 60.7), (11.6, 60.9), (11.3, 60.9)))
        first = county_paths(client)
        # the same transaction again: the row's version must still tell the two apart
        loten.update(
            boundary=ring((11.3, 60.7), (11.6, 60.7), (11.7, 60.8), (11.6, 60.9), (11.3, 60.9))
        )
        second = county_paths(client)
    assert first["Løten"] != before["Løten"] and first["Løten"].count(" L") == 4
    assert second["Løten"] != first["Løten"] and second["Løten"].count(" L") == 5
    # Hamar's outline is the same ring (moved only as the map's extent follows Løten's)
    assert first["Hamar"].count(" L") == second["Hamar"].count(" L") == before["Hamar"].count(" L")
    assert county_paths(client) == second
    loten.update(boundary=None)
    html = client.get("/fylker/34/").content.decode()
    assert html.count("<path") == 1 and 'href="/kommuner/3412/"' in html  # listed, not drawn


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite hands the text over as is")
def test_kept_texts_are_read_once_and_again_only_when_a_row_changes(
    small_places, django_assert_num_queries
):
    boundaries.forget()
    alias = "default"
    rows = list(
        Municipality.objects.filter(number__in=["3403", "3412"])
        .order_by("number")
        .values_list("pk", boundaries.row_version("default"))
    )
    with django_assert_num_queries(1):
        first = boundaries.texts(alias, rows)
    stored = dict(Municipality.objects.values_list("pk", "boundary"))
    assert {pk: stored[pk] is not None for pk in first} == {pk: True for pk, _v in rows}
    with django_assert_num_queries(0):
        assert boundaries.texts(alias, rows) == first
    hamar_pk = rows[0][0]
    Municipality.objects.filter(pk=hamar_pk).update(boundary=ring((1, 1), (2, 1), (2, 2)))
    changed = list(
        Municipality.objects.filter(pk__in=[pk for pk, _v in rows])
        .order_by("number")
        .values_list("pk", boundaries.row_version("default"))
    )
    assert changed[0][1] != rows[0][1] and changed[1] == rows[1]
    with django_assert_num_queries(1):
        again = boundaries.texts(alias, changed)
    assert '"coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]' in (again[hamar_pk] or "")
    assert again[rows[1][0]] == first[rows[1][0]]
