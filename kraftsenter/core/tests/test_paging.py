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


# --- counting without the columns' joins (core.paging.count) --------------------------------


@pytest.fixture
def spread(small_places, django_user_model):
    """Organisations with and without a home municipality (a nullable key), in two counties,
    one with two members (a key that gives several rows)."""
    from kraftsenter.actors.models import Membership
    from kraftsenter.places.models import County, Municipality

    made = []
    for i, number in enumerate(("3403", "3403", "3412", "5610", None, None)):
        municipality = Municipality.objects.get(number=number) if number else None
        county = County.objects.get(number="56") if number is None and i == 5 else None
        made.append(
            organisation_create(
                actor="test",
                name=f"Lag {i}",
                kind=OrganisationKind.ASSOCIATION if i % 2 else OrganisationKind.IKS,
                municipality=municipality,
                county=county,
            )
        )
    for name in ("a", "b"):
        Membership.objects.create(
            user=django_user_model.objects.create(username=name), organisation=made[0]
        )
    return made


def _querysets():
    from django.db.models import Count, Exists, OuterRef, Q

    from kraftsenter.actors.models import Organisation
    from kraftsenter.actors.selectors import organisation_rows, organisation_table
    from kraftsenter.core.light import light
    from kraftsenter.places.models import Municipality

    table = light(
        Organisation.objects.select_related("municipality", "county"),
        "name",
        "municipality__name",
        "county__name_nb",
    )
    same_county = Municipality.objects.filter(county=OuterRef("municipality__county"))
    return {
        "light rows": table,
        "the page's table": organisation_table(user=None),
        "the API's rows": organisation_rows(user=None),
        "kind": table.filter(kind=OrganisationKind.ASSOCIATION),
        "no municipality": table.filter(municipality__isnull=True),
        # A filter across the join: the join stays (and is an inner join).
        "municipality's name": table.filter(municipality__name="Hamar"),
        "municipality's county": table.filter(municipality__county__number="34"),
        "either": table.filter(Q(municipality__name="Karasjok") | Q(county__number="56")),
        # A correlated subquery refers to the outer query's join.
        "subquery": table.filter(Exists(same_county.filter(number="3412"))),
        # A key that gives several rows: counted as rows, as Django counts them.
        "members": Organisation.objects.values("name", "memberships__user__username"),
        "grouped": Organisation.objects.values("kind").annotate(n=Count("pk")),
        "distinct": Organisation.objects.values("municipality__county").distinct(),
        "ordered": table.order_by("municipality__name", "-county__name_nb"),
        "sliced": table[1:4],
    }


def test_a_count_is_the_number_django_counts_for_every_kind_of_list(spread):
    from kraftsenter.core.paging import count

    for name, queryset in _querysets().items():
        assert count(queryset) == queryset.count(), name
        if name != "distinct":  # Django's own count leaves the model's order out of DISTINCT
            assert count(queryset) == len(list(queryset)), name


def test_the_count_of_a_lists_rows_reads_no_table_its_filters_do_not_need(spread):
    from kraftsenter.core.paging import count

    querysets = _querysets()
    for name, joins in (("light rows", 0), ("kind", 0), ("municipality's name", 1)):
        with CaptureQueriesContext(connection) as queries:
            count(querysets[name])
        (sql,) = [q["sql"] for q in queries]
        assert sql.count(" JOIN ") == joins, (name, sql)


# --- a page found by its keys first (core.paging.keys_first) ----------------------------------


def _instance_lists():
    from django.db.models import Count, Exists, OuterRef, Q, Value
    from django.db.models.functions import Concat

    from kraftsenter.actors.models import Organisation
    from kraftsenter.actors.selectors import organisation_rows
    from kraftsenter.places.models import Municipality

    rows = Organisation.objects.select_related("municipality", "county").order_by("name", "pk")
    same_county = Municipality.objects.filter(county=OuterRef("municipality__county"))
    return {
        "the API's rows": organisation_rows(user=None),
        "selected": rows,
        "by the municipality's name": rows.order_by("-municipality__name", "pk"),
        "filtered across a join": rows.filter(municipality__county__number="34"),
        "either": rows.filter(Q(municipality__name="Karasjok") | Q(county__number="56")),
        "subquery": rows.filter(Exists(same_county.filter(number="3412"))),
        "annotated order": rows.annotate(label=Concat("kind", Value("/"), "name")).order_by(
            "-label", "pk"
        ),
        "counted": rows.annotate(members=Count("memberships")).order_by("-members", "pk"),
        "by members": rows.filter(memberships__user__username="a"),
        "prefetched": rows.prefetch_related("memberships"),
        "deferred": Organisation.objects.select_related("municipality")
        .only("name", "municipality__name")
        .order_by("name", "pk"),
    }


def test_a_page_found_by_its_keys_is_the_page_django_reads(spread):
    """Every page of every kind of list (the first, the second, the last, past the end), with
    the same rows, their selected records, annotations and prefetches."""
    from kraftsenter.core.paging import keys_first, page_with_count

    def shown(rows):
        return [
            vars(r)
            if not hasattr(r, "_meta")  # a light row: all its columns
            else (
                r.pk,
                r.name,
                r.municipality.name if r.municipality_id else None,
                getattr(r, "label", None),
                getattr(r, "members", None),
            )
            for r in rows
        ]

    for name, queryset in _instance_lists().items():
        expected_all = list(queryset)
        for bottom, top in ((0, 2), (2, 4), (4, 6), (5, 50), (40, 60)):
            rows, total = page_with_count(keys_first(queryset), bottom, top)
            # The count comes with the keys; past the end there are none to bring it, and a
            # grouped list is read as it stands (counted apart).
            found = bottom < len(expected_all) and name != "counted"
            assert total == (len(expected_all) if found else None), (name, bottom)
            assert shown(rows) == shown(expected_all[bottom:top]), (name, bottom)
        if name == "prefetched":
            rows, _total = page_with_count(keys_first(queryset), 0, 2)
            with CaptureQueriesContext(connection) as reading:
                members = [len(r.memberships.all()) for r in rows]
            assert not reading.captured_queries and members


def test_the_keys_are_found_without_the_columns_and_the_rows_without_the_filter(spread):
    from kraftsenter.core.paging import keys_first, page_with_count

    queryset = _instance_lists()["filtered across a join"]
    with CaptureQueriesContext(connection) as queries:
        rows, _total = page_with_count(keys_first(queryset), 0, 2)
    keys, whole = (q["sql"] for q in queries)
    # The keys: the filter's joins only, none of the columns; the count of all with them.
    assert keys.startswith(
        'SELECT "actors_organisation"."id" AS "pk", COUNT(*) OVER () AS "ks_total" FROM'
    ), keys
    assert "'34'" in keys and "LIMIT 2" in keys
    assert _total == queryset.count() > 2
    # The rows: by key, with the records they select, without the filter or a limit.
    assert "'34'" not in whole and "LIMIT" not in whole and '"places_municipality"."name"' in whole
    assert [r.name for r in rows] == [r.name for r in queryset[:2]]


def test_a_search_page_of_the_api_is_found_by_its_keys(client, spread):
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/organisations", {"q": "lag", "page_size": 2, "page": 2}).json()
    assert [item["name"] for item in body["items"]] == ["Lag 2", "Lag 3"]
    assert body["count"] == 6 and body["next"] and body["previous"]
    assert any(
        q["sql"].startswith('SELECT "actors_organisation"."id" AS "pk", COUNT(*) OVER ()')
        for q in queries
    )
    # The count came with the keys: no statement counts the search again.
    assert not any("COUNT(*) AS" in q["sql"] for q in queries)
