"""A text search's pages, as a user pages through them: every page is the ranked list cut at
that page, its count is the list's, archived organisations are neither listed nor counted,
and a page past the end is refused as before. On SQLite a search that finds many
organisations finds each page one rank at a time (core.fulltext, issue 14); these tests run
that plan on small lists by lowering the number of matches it starts at, and check it against
the one statement that ranks and sorts every match. On PostgreSQL the one statement serves
every page, and the same assertions hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_archive
from kraftsenter.core import fulltext

pytestmark = pytest.mark.django_db

API = "/api/v1/organisations"
QUERY = "fjellgruppe nord"
TOWNS = ["Alta", "Bodø", "Dovre", "Evje", "Fauske", "Gran", "Hol", "Kvam", "Lom", "Os"]


def _kinds(i: int) -> str:
    return OrganisationKind.ASSOCIATION if i % 3 else OrganisationKind.BUSINESS


@pytest.fixture
def planned(monkeypatch):
    """The ranked plan for every search that finds anything (it starts at 1 000 matches)."""
    monkeypatch.setattr(fulltext, "PLANNED_FROM", 1)


@pytest.fixture
def groups():
    """Organisations in all three ranks of the search "fjellgruppe nord", with names that
    interleave across the ranks, names shared by two organisations, archived ones in each
    rank and some the search does not find."""
    names = []
    for i in range(6):  # rank 0: the name starts with what was typed
        names.append(f"Fjellgruppe nord {TOWNS[i]}")
    names.append("Fjellgruppe nord og Hol fjellgruppe nord")  # and has it again later
    for i in range(20):  # rank 1: what was typed, from a word's start
        names.append(f"{TOWNS[i % 10]} fjellgruppe nord {i:02d}")
    names.append("Kvam fjellgruppe nord 03")  # the same name as another
    for i in range(13):  # rank 2: both words, not as typed
        names.append(f"{TOWNS[(i * 3) % 10]} nord fjellgruppe {i:02d}")
    names.append("Fjellgruppe sør og nord")
    names.append("Storfjellgruppe nord og fjellgruppe")  # typed, but not from a word's start
    for town in TOWNS[:4]:  # not found
        names.append(f"{town} fjellklubb nord")
    Organisation.objects.bulk_create(
        Organisation(name=name, kind=_kinds(i)) for i, name in enumerate(names)
    )
    gone = Organisation.objects.filter(
        name__in=["Fjellgruppe nord Bodø", "Gran fjellgruppe nord 05", "Hol nord fjellgruppe 02"]
    )
    Organisation.objects.filter(pk__in=gone.values("pk")).update(
        archived_at=timezone.now() - dt.timedelta(days=1)
    )
    return names


def ranked() -> list[tuple[str, int]]:
    """The list as the one statement ranks and sorts it, every match at once."""
    found = fulltext.search(Organisation.objects.active(), QUERY)
    return list(found.values_list("name", "pk"))


def expected_in_python() -> list[tuple[str, int]]:
    """The same list worked out here: the name starting with what was typed first, then what
    was typed from a word's start, then the rest; by name and key within each."""

    def rank(name: str) -> int:
        folded = fulltext.document(name)
        if folded.startswith("fjellgruppe nord"):
            return 0
        return 1 if " fjellgruppe nord" in folded else 2

    rows = [
        (o.name, o.pk)
        for o in Organisation.objects.active()
        if {"fjellgruppe", "nord"} <= set(fulltext.words(o.name))
    ]
    return sorted(rows, key=lambda row: (rank(row[0]), row[0], row[1]))


def api_pages(client, size: int, **params) -> tuple[list[tuple[str, int]], set[int]]:
    rows: list[tuple[str, int]] = []
    counts = set()
    page = 1
    while True:
        response = client.get(API, {"q": QUERY, "page_size": size, "page": page, **params})
        if response.status_code == 404:
            return rows, counts
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        counts.add(body["count"])
        rows += [(item["name"], item["id"]) for item in body["items"]]
        page += 1
        assert page < 100


@pytest.mark.parametrize("size", [1, 4, 7, 11, 200])
def test_every_page_is_the_ranked_list_cut_at_that_page(client, groups, planned, size):
    expected = ranked()
    assert expected == expected_in_python()
    assert len(expected) == 40  # 7 + 21 + 15 found, 3 archived
    rows, counts = api_pages(client, size)
    assert rows == expected
    assert counts == {len(expected)}


@pytest.mark.parametrize(
    "text",
    [
        "nord fjellgruppe",  # the other order: rank 0 and 1 swap with rank 2
        "FJELLGRUPPE  Nord",  # case and spaces
        "fjellgr",  # one word, a prefix: ranks 0 and 1 only
        "fjellgruppe og nord",  # a stop word inside what was typed
        "sør og",  # ends in a stop word
        "fjellgruppe nord 0",  # a number as the last word's prefix
        "kvam fjellgruppe nord 03",  # two organisations of that name
    ],
)
def test_other_texts_page_as_the_one_statement_ranks_them(client, groups, planned, text):
    expected = list(fulltext.search(Organisation.objects.active(), text).values_list("name", "pk"))
    assert expected
    rows, counts = [], set()
    for page in range(1, 40):
        response = client.get(API, {"q": text, "page_size": 3, "page": page})
        if response.status_code == 404:
            break
        counts.add(response.json()["count"])
        rows += [(item["name"], item["id"]) for item in response.json()["items"]]
    assert rows == expected and counts == {len(expected)}


def test_the_plan_serves_the_pages_on_sqlite(client, groups, planned):
    """Not the one statement in disguise: the page is read rank by rank (walking the name
    order for rank 1), and the count comes from the full-text index."""
    if connection.vendor != "sqlite":
        pytest.skip("the ranked plan is SQLite's")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API, {"q": QUERY, "page_size": 10})
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("COUNT(*) OVER" in s for s in sql)
    assert any('"id" + 0 IN' in s for s in sql)
    assert response.json()["count"] == 40


def test_archiving_one_takes_it_off_the_pages_and_the_count(client, groups, planned):
    before, _ = api_pages(client, 5)
    leaving = Organisation.objects.get(name="Fjellgruppe nord Alta")
    organisation_archive(actor="test", organisation=leaving, reason="Lagt ned")
    rows, counts = api_pages(client, 5)
    assert rows == [row for row in before if row[1] != leaving.pk] == ranked()
    assert counts == {len(before) - 1}


def test_other_filters_and_an_ordering_still_page_as_before(client, groups, planned):
    by_kind = list(
        fulltext.search(
            Organisation.objects.active().filter(kind="association"), QUERY
        ).values_list("name", "pk")
    )
    rows, counts = api_pages(client, 4, kind="association")
    assert rows == by_kind and counts == {len(by_kind)}
    rows, counts = api_pages(client, 6, ordering="-name")
    names = [name for name, _pk in rows]
    assert names == sorted(names, reverse=True) and counts == {40}


def test_a_page_past_the_end_is_refused_as_before(client, groups, planned):
    assert client.get(API, {"q": QUERY, "page_size": 10, "page": 4}).status_code == 200
    assert client.get(API, {"q": QUERY, "page_size": 10, "page": 5}).status_code == 404
    assert client.get(API, {"q": QUERY, "page": 1_000_000}).status_code == 404
    response = client.get("/organisasjoner/", {"q": QUERY, "page": 1})
    assert response.status_code == 200
    assert [o.pk for o in response.context["page_obj"]] == [pk for _n, pk in ranked()]
    assert response.context["paginator"].count == 40
    assert client.get("/organisasjoner/", {"q": QUERY, "page": 2}).status_code == 404


def test_the_list_page_pages_fifty_at_a_time_through_the_ranks(client, planned):
    """Over fifty found: the second list page starts where the first ended."""
    Organisation.objects.bulk_create(
        [Organisation(name=f"Fjellgruppe nord {i:03d}", kind=_kinds(i)) for i in range(30)]
        + [
            Organisation(name=f"{TOWNS[i % 10]} fjellgruppe nord {i:03d}", kind=_kinds(i))
            for i in range(45)
        ]
        + [Organisation(name=f"Nord fjellgruppe {i:03d}", kind=_kinds(i)) for i in range(10)]
    )
    expected = [pk for _n, pk in ranked()]
    shown = []
    for page in (1, 2):
        response = client.get("/organisasjoner/", {"q": QUERY, "page": page})
        assert response.status_code == 200
        assert response.context["paginator"].count == 85
        shown += [o.pk for o in response.context["page_obj"]]
    assert shown == expected


def test_a_search_that_finds_a_thousand_uses_the_plan(client):
    """At the number it starts at, without lowering it: the same pages, found rank by rank."""
    if connection.vendor != "sqlite":
        pytest.skip("the ranked plan is SQLite's")
    total = fulltext.PLANNED_FROM
    Organisation.objects.bulk_create(
        Organisation(name=f"{TOWNS[i % 10]} fjellgruppe nord {i:04d}", kind=_kinds(i))
        for i in range(total)
    )
    with CaptureQueriesContext(connection) as queries:
        response = client.get(API, {"q": QUERY, "page": 3})
    assert response.status_code == 200
    assert any('"id" + 0 IN' in q["sql"] for q in queries.captured_queries)
    body = response.json()
    assert body["count"] == total
    assert [item["id"] for item in body["items"]] == [pk for _n, pk in ranked()][100:150]
    Organisation.objects.filter(name__endswith="0999").update(archived_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(API, {"q": QUERY}).json()["count"] == total - 1
    assert not any('"id" + 0 IN' in q["sql"] for q in queries.captured_queries)


def test_a_register_without_the_archived_index_keeps_the_one_statement():
    """The plan counts the archived matches through a partial index: a register that has
    none (cooperations) would scan its table for them on every page."""
    from kraftsenter.cooperations.models import Cooperation
    from kraftsenter.core.paging import PAGE_PLAN

    assert not hasattr(fulltext.search(Cooperation.objects.all(), QUERY).query, PAGE_PLAN)
    indexes = {index.name: index for index in Organisation._meta.indexes}
    assert indexes["organisation_archived_idx"].condition is not None
