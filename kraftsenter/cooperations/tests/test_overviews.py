"""Overviews: a municipality's cooperations (page, CSV), its ownership report, a region's
coverage matrix and network; what each user may see; constant query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.actors.validators import WEIGHTS
from kraftsenter.cooperations import overviews
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.services import ParticipantInput, cooperation_create
from kraftsenter.ownership.report import ownership_report
from kraftsenter.places.models import Municipality
from kraftsenter.places.services import region_create

pytestmark = pytest.mark.django_db


def org_number(stem: str) -> str:
    """A valid organisation number from eight digits (MOD11 check digit)."""
    for n in range(100):
        base = f"{int(stem) + n:08d}"
        remainder = sum(int(d) * w for d, w in zip(base, WEIGHTS, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return base + str(check)
    raise AssertionError("no number")


def create(orgs, name: str, form: str, shares: dict[str, str | None], areas: list[str], **kw):
    participants = [
        ParticipantInput(orgs[key], Decimal(share) if share is not None else None)
        for key, share in shares.items()
    ]
    return cooperation_create(
        actor="t", name=name, legal_form=form, participants=participants, areas=areas, **kw
    )


@pytest.fixture
def register(orgs):
    """Cooperations of every kind that matters to the overviews."""
    c = {}
    c["ipr"] = create(
        orgs,
        "Hamarregionen interkommunalt politisk råd",
        "ipr",
        {"3403": "60", "3412": "40"},
        ["regional_policy", "business"],
        purpose="Regional utvikling",
    )
    c["iks"] = create(
        orgs,
        "Innlandet revisjon IKS",
        "iks",
        {"3403": "50", "3412": "25", "iks": "25"},
        ["audit"],
        purpose="Revisjon og sekretariat for kontrollutvalg – særlig økonomi",
        organisation_number=org_number("91234567"),
        host=orgs["3403"],
    )
    c["as"] = create(
        orgs,
        "Snøbrøyt Innlandet AS",
        "as",
        {"3403": "12.5", "3412": "7.5", "firm": "80"},
        ["transport"],
        legal_person=True,
        purpose="Brøyting av kommunale veier",
    )
    c["sa"] = create(
        orgs,
        "Fjellbygd Kraftlag SA",
        "sa",
        {"3403": None, "3412": None},
        ["utilities"],
        legal_person=True,
        organisation_number=org_number("98765432"),
    )
    c["ko_person"] = create(
        orgs,
        "Digitalt kommunalt oppgavefellesskap",
        "ko",
        {"3403": "50", "3412": "50"},
        ["ict", "innovation"],
        legal_person=True,
        purpose="Felles digitalisering",
    )
    c["ko_plain"] = create(orgs, "Innkjøp KO", "ko", {"3403": "50", "3412": "50"}, ["procurement"])
    c["host"] = create(
        orgs,
        "Barnevern Hamar og Løten",
        "host_administrative",
        {"3403": None, "3412": None},
        ["child_welfare"],
        host=orgs["3403"],
    )
    c["culture"] = create(
        orgs, "Kulturbrua", "association", {"3403": None, "5610": None}, ["culture", "audit"]
    )
    c["dissolved"] = create(
        orgs,
        "Gammel brannordning",
        "host_administrative",
        {"3403": None, "3412": None},
        ["emergency"],
        status="dissolved",
        end_date=dt.date(2022, 12, 31),
    )
    c["hidden"] = create(
        orgs,
        "Hemmelig planforum",
        "association",
        {"3403": None, "3412": None},
        ["planning"],
        published=False,
    )
    return c


@pytest.fixture
def region(orgs):
    found = {m.number: m for m in Municipality.objects.all()}
    return region_create(
        actor=None,
        name="Hamar og omland",
        centre=found["3403"],
        hinterland=[found["5610"], found["3412"]],
    )


@pytest.fixture
def member_of_loten(orgs):
    user = get_user_model().objects.create_user("loten", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3412"], user=user, role=Role.MEMBER)
    return user


def names(participations) -> list[str]:
    return [p.cooperation.name for p in participations]


# --- organisation overview ---------------------------------------------------------------------


def test_overview_groups_by_area_and_form_with_shares(orgs, register):
    overview = overviews.organisation_overview(user=None, organisation=orgs["3412"])
    by_area = {g.code: g for g in overview.by_area}
    by_form = {g.code: g for g in overview.by_form}
    # A cooperation with two areas appears under each; areas come in Area order.
    assert names(by_area["ict"].participations) == ["Digitalt kommunalt oppgavefellesskap"]
    assert names(by_area["innovation"].participations) == ["Digitalt kommunalt oppgavefellesskap"]
    assert list(by_area)[:2] == ["procurement", "business"]
    assert "planning" not in by_area  # only the unpublished one is there
    assert "emergency" in by_area  # the dissolved one is listed …
    assert "emergency" in dict(overview.areas_without)  # … but does not cover the area
    assert ("planning", str(overviews.Area.PLANNING.label)) in overview.areas_without
    assert names(by_form["ko"].participations) == [
        "Digitalt kommunalt oppgavefellesskap",
        "Innkjøp KO",
    ]
    assert "culture" not in by_area  # Løten is not in Kulturbrua
    ipr = by_form["ipr"].participations[0]
    assert ipr.ownership_share == Decimal("40") and ipr.ownership_display == "40"
    as_part = by_form["as"].participations[0]
    assert as_part.ownership_display == "7,5"
    assert by_form["host_administrative"].participations[0].host == orgs["3403"]
    # The dissolved one is listed (with its status); each cooperation once in the flat list.
    assert len(overview.participations) == 8
    assert len(set(names(overview.participations))) == 8


def test_overview_page_lists_cooperations_with_links(client, orgs, register):
    response = client.get("/kommuner/3412/samarbeid/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Innlandet revisjon IKS" in html and register["iks"].get_absolute_url() in html
    assert "Hemmelig planforum" not in html
    assert "/kommuner/3412/eierskapsoversikt/" in html and "?format=csv" in html


def test_county_page_and_unknown_places(client, orgs, register):
    assert client.get("/fylker/34/samarbeid/").status_code == 200  # no cooperations: fine
    assert client.get("/fylker/34/eierskapsoversikt/").status_code == 200
    assert client.get("/kommuner/9999/samarbeid/").status_code == 404
    assert client.get("/fylker/99/samarbeid/").status_code == 404


def test_csv_has_bom_semicolons_and_norwegian_letters(client, orgs, register):
    response = client.get("/kommuner/3403/samarbeid/", {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="samarbeid-3403-' in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").lstrip("\ufeff").splitlines()
    assert lines[0] == (
        "samarbeid;form_kode;form;status;omrader;eierandel;ansvarsandel;vertskommune;formal"
    )
    rows = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    assert "Snøbrøyt Innlandet AS" in rows and "Hemmelig planforum" not in rows
    iks = rows["Innlandet revisjon IKS"]
    assert iks[1] == "iks" and iks[5] == "50" and iks[6] == ""
    assert iks[7] == "Hamar kommune" and "særlig økonomi" in iks[8]
    assert rows["Snøbrøyt Innlandet AS"][5] == "12,5"
    assert len(rows) == 9  # one row per participation (the dissolved one included)


# --- ownership report ---------------------------------------------------------------------------


def _activate(*cooperations):
    # Test set-up: the statuses a cooperation reaches through its services in real use.
    Cooperation.objects.filter(pk__in=[c.pk for c in cooperations]).update(status="active")


def test_ownership_report_lists_cooperations_in_force_that_are_entities(orgs, register):
    _activate(register["iks"], register["as"], register["sa"], register["ko_plain"])
    report = ownership_report(user=None, organisation=orgs["3403"], today=dt.date(2026, 3, 1))
    groups = {g.code: [r.name for r in g.rows] for g in report.groups}
    # IKS, AS and SA are companies; the KO that is a separate legal person is still only
    # planned, and the KO that is not one, the IPR and the host cooperations are no entities.
    assert groups == {
        "companies": ["Fjellbygd Kraftlag SA", "Innlandet revisjon IKS", "Snøbrøyt Innlandet AS"],
        "enterprises": [],
        "other": [],
    }
    by_name = {e.name: e for e in report.entries}
    assert by_name["Snøbrøyt Innlandet AS"].share == Decimal("12.5")
    # The cooperation's purpose says what it does: the municipality's purpose is still missing.
    assert by_name["Innlandet revisjon IKS"].purpose == ""
    assert len(report.incomplete) == 3


def test_ownership_report_page(client, orgs, register):
    _activate(register["iks"], register["sa"])
    html = client.get("/kommuner/3403/eierskapsoversikt/").content.decode()
    assert "Innlandet revisjon IKS" in html and "Fjellbygd Kraftlag SA" in html
    assert "Snøbrøyt Innlandet AS" not in html  # planned
    assert "Innkjøp KO" not in html and "Kulturbrua" not in html
    assert "Hamarregionen interkommunalt politisk råd" not in html
    assert register["iks"].organisation_number in html
    # What the cooperation does is not shown as the municipality's purpose (§ 26-1 c).
    assert "særlig økonomi" not in html


# --- region coverage and network ----------------------------------------------------------------


def test_coverage_matrix_cells_and_gaps(orgs, register, region):
    coverage = overviews.region_coverage(user=None, region=region)
    assert [m.number for m in coverage.members] == ["3403", "3412", "5610"]
    rows = {r.area: r for r in coverage.rows}
    assert list(rows) == list(overviews.Area.values)

    def cell(area: str) -> list[list[str]]:
        return [[i.name for i in c.items] for c in rows[area].cells]

    assert cell("audit") == [
        ["Innlandet revisjon IKS", "Kulturbrua"],
        ["Innlandet revisjon IKS"],
        ["Kulturbrua"],
    ]
    assert rows["audit"].uncovered == 0
    assert cell("child_welfare") == [
        ["Barnevern Hamar og Løten"],
        ["Barnevern Hamar og Løten"],
        [],
    ]
    assert rows["child_welfare"].uncovered == 1
    assert rows["emergency"].uncovered == 3  # dissolved cooperations do not cover
    assert rows["planning"].uncovered == 3  # unpublished: hidden from anonymous visitors
    item = rows["audit"].cells[0].items[0]
    assert (item.id, item.legal_form, item.short_form) == (register["iks"].pk, "iks", "IKS")
    assert coverage.covered_counts[2] == 2  # Karasjok: audit and culture


def test_coverage_page_marks_gaps_and_links(client, orgs, register, region):
    response = client.get(f"/regioner/{region.slug}/samarbeid/")
    assert response.status_code == 200
    html = response.content.decode()
    table = html.split('class="ds-table ks-cov"')[1].split("</table>")[0]
    assert table.count('scope="row"') == len(overviews.Area.values) + 1  # + the totals row
    assert table.count("ks-cov__gap") == sum(
        r.uncovered for r in overviews.region_coverage(user=None, region=region).rows
    )
    assert register["iks"].get_absolute_url() in table
    assert "<svg" in html and html.count('class="ks-net__edge') == 2
    assert "style=" not in html.split("<main")[1]


def test_network_edge_weights(orgs, register, region):
    network = overviews.region_network(user=None, region=region)
    weights = {(e.a.number, e.b.number): e.weight for e in network.edges}
    # Hamar–Løten: IPR, IKS, AS, SA, two KO, host (not the dissolved or the hidden one).
    assert weights == {("3403", "3412"): 7, ("3403", "5610"): 1}
    assert network.edges[0].a.number == "3403"  # heaviest first
    assert network.edges[1].names == ["Kulturbrua"]
    counts = {n.municipality.number: n.cooperation_count for n in network.nodes}
    assert counts == {"3403": 8, "3412": 7, "5610": 1}
    assert network.nodes[0].is_centre


# --- visibility --------------------------------------------------------------------------------


def test_unpublished_hidden_from_anonymous_but_shown_to_member_of_participant(
    client, orgs, register, region, member_of_loten
):
    anonymous = overviews.organisation_overview(user=None, organisation=orgs["3403"])
    assert "Hemmelig planforum" not in names(anonymous.participations)
    # A member of Løten sees it on Hamar's page too: Løten takes part.
    member = overviews.organisation_overview(user=member_of_loten, organisation=orgs["3403"])
    assert "Hemmelig planforum" in names(member.participations)
    assert "Hemmelig planforum" not in client.get("/kommuner/3403/samarbeid/").content.decode()
    client.force_login(member_of_loten)
    assert "Hemmelig planforum" in client.get("/kommuner/3403/samarbeid/").content.decode()
    html = client.get(f"/regioner/{region.slug}/samarbeid/").content.decode()
    assert "Hemmelig planforum" in html


# --- query counts --------------------------------------------------------------------------------


def _add_cooperations(orgs, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        create(
            orgs,
            f"Samarbeid {i:02d} IKS",
            "iks",
            {"3403": "40", "3412": "30", "5610": "30"},
            ["health", "ict"] if i % 2 else ["education"],
            host=orgs["3403"],
        )


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("anonymous", [True, False])
def test_query_counts_do_not_grow_with_cooperations(
    client, orgs, region, member_of_loten, anonymous
):
    if not anonymous:
        client.force_login(member_of_loten)
    pages = [
        "/kommuner/3403/samarbeid/",
        "/kommuner/3403/samarbeid/?format=csv",
        "/kommuner/3403/eierskapsoversikt/",
        f"/regioner/{region.slug}/samarbeid/",
    ]
    selectors = [
        lambda u: overviews.organisation_overview(user=u, organisation=orgs["3403"]),
        lambda u: ownership_report(user=u, organisation=orgs["3403"], today=dt.date(2026, 3, 1)),
        lambda u: overviews.region_coverage(user=u, region=region),
        lambda u: overviews.region_network(user=u, region=region),
    ]

    def fresh_user():
        # A new user object each time: roles are cached on it after the first query.
        return None if anonymous else get_user_model().objects.get(pk=member_of_loten.pk)

    def measure() -> list[int]:
        counts = [_count(lambda u=u: client.get(u)) for u in pages]
        for select in selectors:
            user = fresh_user()
            counts.append(_count(lambda s=select, u=user: s(u)))
        return counts

    _add_cooperations(orgs, 2)
    few = measure()
    _add_cooperations(orgs, 8, start=2)
    many = measure()
    assert few == many
    assert all(c <= 12 for c in few)


def test_coverage_cell_lists_five_and_links_to_the_rest(client, orgs):
    from decimal import Decimal

    from kraftsenter.cooperations.services import ParticipantInput, cooperation_create
    from kraftsenter.places.services import region_create

    region = region_create(
        actor=None,
        name="Tett",
        centre=Municipality.objects.get(number="3403"),
        hinterland=[Municipality.objects.get(number="3412")],
    )
    for i in range(7):
        cooperation_create(
            actor="t",
            name=f"IKT {i} KO",
            legal_form="ko",
            areas=["ict"],
            participants=[
                ParticipantInput(orgs["3403"], Decimal(50)),
                ParticipantInput(orgs["3412"], Decimal(50)),
            ],
        )
    html = client.get(f"/regioner/{region.slug}/samarbeid/").content.decode()
    matrix = html.split('id="network"')[0]
    assert "IKT 4 KO" in matrix and "IKT 5 KO" not in matrix  # five names per cell

    assert matrix.count("og 2 til") == 2

    assert "?municipality=3403&amp;area=ict" in html


def test_each_place_has_its_own_organisations_overview(client, orgs, register):
    """The municipality's or county municipality's organisation is read by the place's key
    (a statement kept per kind of place): each place its own, a place whose organisation
    was archived has none (404)."""
    from kraftsenter.actors.services import organisation_archive

    for number in ("3403", "3412", "5601"):
        page = client.get(f"/kommuner/{number}/samarbeid/").content.decode()
        assert orgs[number].name in page
    for number in ("34", "56"):
        page = client.get(f"/fylker/{number}/samarbeid/").content.decode()
        assert orgs[number].name in page
    organisation_archive(actor="t", organisation=orgs["5601"])
    assert client.get("/kommuner/5601/samarbeid/").status_code == 404
    assert client.get("/kommuner/3412/samarbeid/").status_code == 200
