"""Region coverage counts per cell in SQL: the first five per cell, the number of the rest, and a
constant number of queries however many cooperations a municipality takes part in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create
from kraftsenter.cooperations import overviews
from kraftsenter.cooperations.models import CooperationArea
from kraftsenter.cooperations.services import ParticipantInput, cooperation_create
from kraftsenter.core.services import record_archive
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.services import region_create

pytestmark = pytest.mark.django_db

#: Ownership shares that add up to 100 for two or three participants.
SHARES = {2: [Decimal(50)] * 2, 3: [Decimal(40), Decimal(30), Decimal(30)]}


@pytest.fixture
def region(orgs) -> Region:
    found = {m.number: m for m in Municipality.objects.all()}
    created = region_create(
        actor=None, name="Tett", centre=found["3403"], hinterland=[found["3412"], found["5610"]]
    )
    return Region.objects.select_related("centre").prefetch_related("hinterland").get(pk=created.pk)


def _add(orgs, name: str, areas: list[str], keys=("3403", "3412")):
    return cooperation_create(
        actor="t",
        name=name,
        legal_form="ko",
        areas=areas,
        participants=[
            ParticipantInput(orgs[k], share)
            for k, share in zip(keys, SHARES[len(keys)], strict=True)
        ],
    )


def _cells(coverage, area: str):
    return next(r for r in coverage.rows if r.area == area).cells


def test_a_cell_lists_the_first_five_by_name_and_counts_the_rest(orgs, region):
    for i in (6, 2, 0, 5, 3, 1, 4):  # created out of order: the cell sorts by name
        _add(orgs, f"IKT {i} KO", ["ict"])
    _add(orgs, "Helse KO", ["health", "ict"], keys=("3403", "5610"))

    coverage = overviews.region_coverage(user=None, region=region)
    hamar, loten, karasjok = _cells(coverage, "ict")
    assert [i.name for i in hamar.shown] == [
        "Helse KO",
        "IKT 0 KO",
        "IKT 1 KO",
        "IKT 2 KO",
        "IKT 3 KO",
    ]
    assert (hamar.total, hamar.more) == (8, 3)
    assert [i.name for i in loten.shown] == [f"IKT {i} KO" for i in range(5)]
    assert (loten.total, loten.more) == (7, 2)
    assert ([i.name for i in karasjok.items], karasjok.total, karasjok.more) == (["Helse KO"], 1, 0)
    assert hamar.shown[0].url.startswith("/samarbeid/")
    health = _cells(coverage, "health")
    assert [c.total for c in health] == [1, 0, 1]
    assert coverage.covered_counts == [2, 1, 2]
    rows = {r.area: r for r in coverage.rows}
    assert (rows["ict"].uncovered, rows["health"].uncovered, rows["audit"].uncovered) == (0, 1, 3)


def test_coverage_runs_the_same_queries_for_ten_or_forty_cooperations(orgs, region):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            overviews.region_coverage(user=None, region=region)
        return len(ctx.captured_queries)

    for i in range(10):
        _add(orgs, f"A {i:02d} KO", ["ict", "health"])
    few = count()
    for i in range(10, 40):
        _add(orgs, f"A {i:02d} KO", ["ict", "education"], keys=("3403", "3412", "5610"))
    # The cooperations with their areas, the participations, and the names the cells show.
    assert count() == few == 3


@pytest.mark.parametrize("language", ["nb", "en"])
def test_overview_labels_are_the_models_in_the_current_language(orgs, language):
    from django.utils import translation

    _add(orgs, "Innkjøp KO", ["ict", "health"])
    with translation.override(language):
        (p,) = overviews.organisation_overview(user=None, organisation=orgs["3412"]).participations
        coop = p.cooperation
        assert p.legal_form_label == str(coop.get_legal_form_display())
        assert p.status_label == str(coop.get_status_display())
        assert sorted(p.areas) == ["health", "ict"]
        assert p.area_labels == [str(overviews.Area(c).label) for c in p.areas]


def test_network_names_the_first_five_shared_by_name_across_sets_of_members(orgs, region):
    """Hamar and Løten share cooperations with and without Karasjok: the edge counts both and
    names the first five by name, merged; Karasjok's edges count only the three."""
    for i in (7, 1, 5, 3):
        _add(orgs, f"Felles {i} KO", ["ict"])
    for i in (6, 0, 2):
        _add(orgs, f"Felles {i} KO", ["health"], keys=("3403", "3412", "5610"))

    network = overviews.region_network(user=None, region=region)
    edges = {(e.a.number, e.b.number): e for e in network.edges}
    hamar_loten = edges[("3403", "3412")]
    assert hamar_loten.weight == 7 and hamar_loten.more_names == 2
    assert hamar_loten.shown_names == [f"Felles {i} KO" for i in (0, 1, 2, 3, 5)]
    assert edges[("3403", "5610")].names == [f"Felles {i} KO" for i in (0, 2, 6)]
    assert edges[("3412", "5610")].weight == 3
    assert [e.weight for e in network.edges] == [7, 3, 3]
    counts = {n.municipality.number: n.cooperation_count for n in network.nodes}
    assert counts == {"3403": 7, "3412": 7, "5610": 3}


def _counts(user, region) -> tuple[list[int], dict[tuple[str, str], int], dict[str, int]]:
    """What the page shows of Hamar, Løten and Karasjok: ICT cell totals, edge weights and how
    many cooperations each takes part in."""
    coverage = overviews.region_coverage(user=user, region=region)
    network = overviews.region_network(user=user, region=region)
    return (
        [c.total for c in _cells(coverage, "ict")],
        {(e.a.number, e.b.number): e.weight for e in network.edges},
        {n.municipality.number: n.cooperation_count for n in network.nodes},
    )


def test_a_second_organisation_of_a_municipality_counts_it_once_until_archived(orgs, region):
    """A municipality registered twice as a municipality organisation (a merger's old and new
    entity): a cooperation both take part in counts once for it; one only the archived
    organisation takes part in counts no more for it."""
    second = organisation_create(
        actor="t",
        name="Hamar kommune (gammel)",
        kind=OrganisationKind.MUNICIPALITY,
        municipality=orgs["3403"].municipality,
    )
    orgs = {**orgs, "second": second}
    _add(orgs, "Begge Hamar KO", ["ict"], keys=("3403", "second", "3412"))
    _add(orgs, "Gamle Hamar KO", ["ict"], keys=("second", "5610"))

    assert _counts(None, region) == (
        [2, 1, 1],
        {("3403", "3412"): 1, ("3403", "5610"): 1},
        {"3403": 2, "3412": 1, "5610": 1},
    )
    record_archive(second, actor="t", reason="Slått sammen")
    # Karasjok still takes part in the old entity's cooperation; Hamar no more.
    assert _counts(None, region) == (
        [1, 1, 1],
        {("3403", "3412"): 1},
        {"3403": 1, "3412": 1, "5610": 1},
    )


def test_a_cooperation_without_areas_counts_in_the_network_not_in_the_matrix(orgs, region):
    """An older import recorded no areas for a cooperation: no cell counts it, the network
    does."""
    _add(orgs, "Uten område KO", ["ict"])
    _add(orgs, "IKT KO", ["ict"], keys=("3403", "5610"))
    CooperationArea.objects.filter(cooperation__name="Uten område KO").delete()

    coverage = overviews.region_coverage(user=None, region=region)
    assert [[i.name for i in c.items] for c in _cells(coverage, "ict")] == [
        ["IKT KO"],
        [],
        ["IKT KO"],
    ]
    assert coverage.gap_count == sum(len(r.cells) for r in coverage.rows) - 2
    assert _counts(None, region)[1:] == (
        {("3403", "3412"): 1, ("3403", "5610"): 1},
        {"3403": 2, "3412": 1, "5610": 1},
    )
