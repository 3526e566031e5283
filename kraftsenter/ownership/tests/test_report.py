"""The full ownership report per municipality (kommuneloven § 26-1): every interest, grouped as
the statute groups them, the cooperations in force once, the municipality's own purpose, the
last ownership statement and when the next is due; what each user may see; query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.ownership import services
from kraftsenter.ownership.report import ownership_report

from .conftest import make_cooperation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


@pytest.fixture
def interests(orgs, iks):
    hamar = orgs["3403"]
    out = {
        "as": services.interest_create(
            actor="t",
            holder=hamar,
            kind="as_wholly_owned",
            entity=orgs["as"],
            share=Decimal("100"),
            purpose="Sikre bredbånd i hele kommunen.",
            management_principles="Styret skal ha bredbåndskompetanse.",
            decided_on=dt.date(2018, 2, 8),
            case_reference="18/200",
        ),
        "kf": services.interest_create(
            actor="t",
            holder=hamar,
            kind="municipal_enterprise",
            entity=orgs["kf"],
            purpose="Forvalte kommunens bygg.",
        ),
        "foundation": services.interest_create(
            actor="t", holder=hamar, kind="foundation", entity=orgs["foundation"]
        ),
        "association": services.interest_create(
            actor="t",
            holder=hamar,
            kind="association",
            entity=orgs["association"],
            published=False,
            purpose="Næringsutvikling.",
        ),
        "iks": services.interest_create(
            actor="t",
            holder=hamar,
            kind="cooperation",
            cooperation=iks,
            purpose="Uavhengig revisjon til lav kostnad.",
            decided_on=dt.date(2019, 6, 20),
        ),
    }
    # Another municipality's interest never appears in Hamar's report.
    services.interest_create(
        actor="t", holder=orgs["3412"], kind="as_partly_owned", entity=orgs["as2"]
    )
    return out


def names(report) -> dict[str, list[str]]:
    return {g.code: [r.name for r in g.rows] for g in report.groups}


def test_every_interest_grouped_as_the_statute_groups_them(orgs, iks, interests, member):
    make_cooperation(
        orgs, "Planlagt Vann IKS", "iks", {"3403": "50", "3412": "50"}, status="planned"
    )
    make_cooperation(
        orgs, "Nedlagt Renovasjon IKS", "iks", {"3403": "50", "3412": "50"}, status="dissolved"
    )
    make_cooperation(orgs, "Avvikles IKS", "iks", {"3403": "50", "3412": "50"}, status="dissolving")
    make_cooperation(orgs, "Digitalt KO", "ko", {"3403": "50", "3412": "50"}, legal_person=True)
    make_cooperation(orgs, "Innkjøp KO", "ko", {"3403": "50", "3412": "50"})
    report = ownership_report(user=member, organisation=orgs["3403"], today=TODAY)
    assert names(report) == {
        "companies": ["Avvikles IKS", "Hamar Bredbånd AS", "Innlandet Revisjon IKS"],
        "enterprises": ["Hamar Eiendom KF"],
        "other": ["Digitalt KO", "Hamar Næringsforening", "Stiftelsen Domkirkeodden"],
    }
    rows = {r.name: r for r in report.entries}
    # The cooperation's share comes from the cooperation register, its purpose from the
    # municipality's interest, not from what the cooperation does.
    assert rows["Innlandet Revisjon IKS"].share == Decimal("60")
    assert rows["Innlandet Revisjon IKS"].purpose == "Uavhengig revisjon til lav kostnad."
    assert rows["Hamar Bredbånd AS"].decision.startswith("kommunestyret, 08.02.2018, ")
    assert rows["Hamar Bredbånd AS"].decision.endswith(" 18/200")
    assert rows["Digitalt KO"].add_url.endswith(f"cooperation={rows['Digitalt KO'].cooperation.pk}")
    assert rows["Innlandet Revisjon IKS"].add_url == ""
    incomplete = {r.name for r in report.incomplete}
    assert {"Stiftelsen Domkirkeodden", "Digitalt KO", "Hamar Eiendom KF"} <= incomplete
    assert "Hamar Bredbånd AS" not in incomplete


def test_an_unpublished_interest_is_shown_only_to_the_municipality(orgs, interests, member):
    public = ownership_report(user=None, organisation=orgs["3403"], today=TODAY)
    assert "Hamar Næringsforening" not in names(public)["other"]
    own = ownership_report(user=member, organisation=orgs["3403"], today=TODAY)
    assert "Hamar Næringsforening" in names(own)["other"]


def test_last_statement_and_next_due(orgs, interests):
    hamar = orgs["3403"]
    report = ownership_report(user=None, organisation=hamar, today=TODAY)
    assert report.last_statement is None
    assert report.next_statement_due == dt.date(2027, 10, 31)
    assert report.control_plan_deadline.status == "overdue"
    services.statement_create(
        actor="t",
        holder=hamar,
        kind="ownership_statement",
        adopted_on=dt.date(2024, 9, 1),
        adopting_body="other_body",
    )
    report = ownership_report(user=None, organisation=hamar, today=TODAY)
    assert report.last_statement is None and len(report.not_by_council) == 1
    adopted = services.statement_create(
        actor="t",
        holder=hamar,
        kind="ownership_statement",
        adopted_on=dt.date(2024, 6, 20),
        principles="Kommunen utøver eierskapet gjennom generalforsamlingen.",
    )
    report = ownership_report(user=None, organisation=hamar, today=TODAY)
    assert report.last_statement == adopted
    assert report.next_statement_due == dt.date(2031, 10, 31)
    assert report.statement_deadline.status == "met"
    assert report.principles.startswith("Kommunen utøver")


def test_the_report_page_says_what_it_covers_and_what_to_add(client, orgs, interests, editor):
    make_cooperation(orgs, "Digitalt KO", "ko", {"3403": "50", "3412": "50"}, legal_person=True)
    html = client.get("/kommuner/3403/eierskapsoversikt/").content.decode()
    for text in (
        "Hamar Bredbånd AS",
        "Hamar Eiendom KF",
        "Stiftelsen Domkirkeodden",
        "Innlandet Revisjon IKS",
        "Uavhengig revisjon til lav kostnad.",
        "18/200",
        "§ 26-1 andre ledd bokstav b",
        "kommuneloven § 23-6 fjerde ledd",
    ):
        assert text in html
    assert "Revisjon av kommunene" not in html  # what the IKS does is not Hamar's purpose
    assert "Hamar Næringsforening" not in html  # unpublished
    assert "/eierskap/interesser/ny/?" not in html  # anonymous users cannot register
    client.force_login(editor)
    html = client.get("/kommuner/3403/eierskapsoversikt/").content.decode()
    assert "/eierskap/interesser/ny/?holder=" in html and "Hamar Næringsforening" in html
    assert client.get("/fylker/34/eierskapsoversikt/").status_code == 200


def test_the_register_link_prefills_the_interest_form(client, orgs, editor):
    coop = make_cooperation(
        orgs, "Digitalt KO", "ko", {"3403": "50", "3412": "50"}, legal_person=True
    )
    client.force_login(editor)
    html = client.get(
        f"/eierskap/interesser/ny/?holder={orgs['3403'].pk}&kind=cooperation&cooperation={coop.pk}"
    ).content.decode()
    assert 'value="3403"' in html
    assert f'<option value="{coop.pk}" selected>' in html
    assert '<option value="cooperation" selected>' in html


def _count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_interests(client, orgs, interests, iks):
    def measure():
        return (
            _count(lambda: ownership_report(user=None, organisation=orgs["3403"], today=TODAY)),
            _count(lambda: client.get("/kommuner/3403/eierskapsoversikt/")),
        )

    before = measure()
    for n in range(3):
        make_cooperation(orgs, f"Ekstra {n} IKS", "iks", {"3403": "50", "3412": "50"})
        services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="as_partly_owned",
            entity=services.Organisation.objects.create(name=f"Selskap {n} AS", kind="as"),
            share=Decimal("10"),
        )
    assert measure() == before
