"""Pages as users see them: every template rendered, forms through the services, bad input
shown on the form with nothing written, query counts constant for lists and dashboards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements import services
from kraftsenter.agreements.dashboards import county_strategies
from kraftsenter.agreements.models import Agreement, Commitment, FollowUpReport, Plan

from .conftest import END, START

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def world(active_agreement, orgs):
    """A plan chain, a partnership with a meeting and a decision, an anchored agreement with
    goals, a document, commitments and a report."""
    strategy = services.plan_create(
        actor="t",
        title="Regional planstrategi Innlandet",
        kind="regional_planning_strategy",
        owner=orgs["34"],
        election_year=2023,
        adopted_on=D(2024, 6, 1),
        status="adopted",
    )
    regional = services.plan_create(
        actor="t",
        title="Regional plan for bærekraftig utvikling",
        kind="regional_plan",
        owner=orgs["34"],
        based_on=strategy,
    )
    programme = services.plan_create(
        actor="t",
        title="Handlingsprogram 2024–2025",
        kind="action_programme",
        owner=orgs["34"],
        parent=regional,
    )
    item = services.plan_item_add(actor="t", plan=programme, code="2.1", title="Sentrumsutvikling")
    services.plan_create(
        actor="t",
        title="Planstrategi Karasjok",
        kind="municipal_planning_strategy",
        owner=orgs["5610"],
        election_year=2023,
    )
    partnership = services.partnership_create(
        actor="t",
        name="Regionalt partnerskap Innlandet",
        lead=orgs["34"],
        members=[orgs["3403"], orgs["3412"]],
    )
    meeting = services.meeting_add(
        actor="t",
        partnership=partnership,
        held_on=D(2024, 2, 1),
        title="Oppstart",
        agenda="1. Avtale",
        minutes="Enighet",
    )
    services.decision_record(
        actor="t",
        partnership=partnership,
        decided_on=D(2024, 2, 1),
        text="Inngå avtale",
        agreed_by=[orgs["34"], orgs["3403"]],
        meeting=meeting,
    )
    services.goal_add(actor="t", agreement=active_agreement, text="Grønn vekst", sdgs=[11])
    services.anchor_add(actor="t", agreement=active_agreement, plan=programme, item=item)
    services.document_add(
        actor="t",
        agreement=active_agreement,
        title="Signert avtale",
        url="https://example.invalid/avtale.pdf",
    )
    commitment = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3403"],
        description="Ladepunkter",
        due_date=D(2024, 6, 1),
        plan_item=item,
    )
    report = services.report_create(actor="t", agreement=active_agreement)
    return {
        "plan": programme,
        "strategy": strategy,
        "partnership": partnership,
        "agreement": active_agreement,
        "commitment": commitment,
        "report": report,
    }


def pages(w, orgs) -> list[str]:
    a, c, r = w["agreement"], w["commitment"], w["report"]
    return [
        "/planer/",
        f"/planer/{w['plan'].pk}/",
        f"/planer/{w['plan'].pk}/historikk/",
        f"/planer/{w['strategy'].pk}/",
        "/planer/fylker/34/",
        "/planer/fylker/56/?valgar=2019",
        "/partnerskap/",
        f"/partnerskap/{w['partnership'].pk}/",
        f"/partnerskap/{w['partnership'].pk}/historikk/",
        "/avtaler/",
        "/avtaler/?county=34&kind=regional_growth",
        f"/avtaler/{a.pk}/",
        f"/avtaler/{a.pk}/historikk/",
        f"/avtaler/{a.pk}/rapporter/{r.pk}/",
        "/forpliktelser/",
        "/forpliktelser/?status=not_started&due_before=2025-01-01",
        f"/forpliktelser/{c.pk}/",
        f"/forpliktelser/{c.pk}/historikk/",
        "/dashbord/",
        "/dashbord/fylker/34/",
        f"/dashbord/organisasjoner/{orgs['3403'].pk}/",
    ]


def editor_pages(w) -> list[str]:
    a, c, p = w["agreement"], w["commitment"], w["plan"]
    return [
        "/planer/ny/",
        f"/planer/{p.pk}/endre/",
        f"/planer/{p.pk}/tiltak/ny/",
        f"/planer/{p.pk}/vedtak/ny/",
        "/partnerskap/ny/",
        f"/partnerskap/{w['partnership'].pk}/endre/",
        f"/partnerskap/{w['partnership'].pk}/moter/ny/",
        f"/partnerskap/{w['partnership'].pk}/vedtak/ny/",
        "/avtaler/ny/",
        f"/avtaler/{a.pk}/endre/",
        f"/avtaler/{a.pk}/parter/",
        f"/avtaler/{a.pk}/vedtak/ny/",
        f"/avtaler/{a.pk}/mal/ny/",
        f"/avtaler/{a.pk}/mal/{a.goals.get().pk}/endre/",
        f"/avtaler/{a.pk}/forankring/ny/",
        f"/avtaler/{a.pk}/dokumenter/ny/",
        f"/avtaler/{a.pk}/forpliktelser/ny/",
        f"/avtaler/{a.pk}/rapporter/ny/",
        f"/avtaler/{a.pk}/forny/",
        f"/forpliktelser/{c.pk}/endre/",
        f"/forpliktelser/{c.pk}/arkiver/",
        "/dashbord/varsler/",
    ]


def test_every_public_page_renders_for_anonymous_and_editor(client, world, orgs, users):
    for path in pages(world, orgs):
        assert client.get(path).status_code == 200, path
    client.force_login(users["county"])
    for path in pages(world, orgs):
        assert client.get(path).status_code == 200, path


def test_every_editor_page_renders_for_the_lead_partys_editor(client, world, users):
    client.force_login(users["county"])
    for path in editor_pages(world):
        assert client.get(path).status_code == 200, path


def test_editor_pages_are_refused_to_outsiders(client, world, users):
    client.force_login(users["outsider"])
    for path in editor_pages(world)[1:]:
        if path.startswith(("/planer/ny", "/partnerskap/ny", "/avtaler/ny", "/dashbord/")):
            continue
        assert client.get(path).status_code == 403, path


def test_county_dashboard_counts_commitments_by_status_and_party(client, world, orgs):
    html = client.get("/dashbord/fylker/34/").content.decode()
    assert "<svg" in html and 'class="ds-table"' in html
    assert "Hamar kommune" in html and "Regionvekstavtale Innlandet sør" in html
    assert client.get("/dashbord/fylker/99/").status_code == 404


def test_organisation_dashboard_lists_overdue_commitments(client, world, orgs):
    html = client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").content.decode()
    assert world["commitment"].get_absolute_url() in html


def test_county_strategies_list_every_municipality_with_the_sami_section(client, world, orgs):
    html = client.get("/planer/fylker/56/?valgar=2023").content.decode()
    assert "Alta" in html and "Planstrategi Karasjok" in html
    assert "ks-deadline--overdue" in html  # both municipalities are past 31.10.2024
    rows = html.count('class="ks-deadline ')
    assert rows == 3  # the county municipality and its two municipalities
    found = county_strategies(user=None, county=orgs["56"].county, year=2023, today=D(2025, 1, 1))
    flags = {r.number: (r.status, r.highlight, r.sami_area, r.sami_missing) for r in found}
    assert flags == {
        "56": ("unregistered", "overdue", True, True),
        "5601": ("unregistered", "overdue", False, False),
        "5610": ("overdue", "overdue", True, True),
    }


def test_plan_create_page_shows_the_rule_on_the_field_and_writes_nothing(client, users, orgs):
    client.force_login(users["hamar"])
    response = client.post(
        "/planer/ny/",
        {
            "title": "Planstrategi Hamar",
            "kind": "municipal_planning_strategy",
            "owner": "3403",
            "election_year": "2023",
            "status": "preparation",
            "deadline": "2023-09-01",
        },
    )
    html = response.content.decode()
    assert (
        response.status_code == 422
        and "pbl. § 10-1 første ledd" in html
        and 'id="id_deadline-error"' in html
    )
    assert Plan.objects.count() == 0


def test_agreement_create_page_with_parties(client, users, orgs):
    client.force_login(users["county"])
    response = client.post(
        "/avtaler/ny/",
        {
            "title": "Byregionavtale Hamar",
            "kind": "partnership",
            "status": "draft",
            "parties": "34\n3403\nLøten",
            "lead": "34",
            "period_start": "2024-01-01",
            "period_end": "2027-12-31",
        },
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert agreement.lead == orgs["34"] and agreement.party_links.count() == 3


def test_agreement_create_page_period_error_names_the_field(client, users, orgs):
    client.force_login(users["county"])
    response = client.post(
        "/avtaler/ny/",
        {
            "title": "Feil",
            "kind": "partnership",
            "status": "draft",
            "parties": "34\n3403",
            "period_start": "2025-01-01",
            "period_end": "2024-01-01",
        },
    )
    assert response.status_code == 422 and 'id="id_period_end-error"' in response.content.decode()
    assert Agreement.objects.count() == 0


def test_commitment_add_page_refuses_a_dropped_commitment_without_reason(
    client, users, active_agreement, orgs
):
    client.force_login(users["hamar"])
    response = client.post(
        f"/avtaler/{active_agreement.pk}/forpliktelser/ny/",
        {
            "party": orgs["3403"].pk,
            "description": "Ny gang- og sykkelvei",
            "due_date": "2025-05-01",
            "status": "dropped",
        },
    )
    assert (
        response.status_code == 422 and 'id="id_status_reason-error"' in response.content.decode()
    )
    assert Commitment.objects.count() == 0


def test_report_page_records_entries_and_completes(client, users, active_agreement, orgs):
    commitment = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3412"],
        description="Sykkelvei",
        due_date=D(2024, 9, 1),
    )
    client.force_login(users["loten"])
    response = client.post(f"/avtaler/{active_agreement.pk}/rapporter/ny/", {})
    report = FollowUpReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    response = client.post(
        report.get_absolute_url(),
        {"commitment": commitment.pk, "status": "in_progress", "text": "Prosjektert"},
    )
    assert response.status_code == 302
    response = client.post(
        f"{report.get_absolute_url()}ferdig/", {"version": report.version, "summary": "OK"}
    )
    report.refresh_from_db()
    commitment.refresh_from_db()
    assert report.completed_on is not None and commitment.status == "in_progress"


def test_renew_page_creates_the_linked_agreement(client, users, active_agreement):
    client.force_login(users["county"])
    response = client.post(
        f"/avtaler/{active_agreement.pk}/forny/",
        {"title": "Ny avtale", "period_start": "2028-01-01", "period_end": "2031-12-31"},
    )
    new = Agreement.objects.get(renewal_of=active_agreement)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    html = client.get(active_agreement.get_absolute_url()).content.decode()
    assert new.get_absolute_url() in html


def test_digest_preference_page_saves_the_choice(client, users):
    client.force_login(users["hamar"])
    assert client.post("/dashbord/varsler/", {"frequency": "daily"}).status_code == 302
    assert users["hamar"].digest_preference.frequency == "daily"
    assert client.post("/dashbord/varsler/", {"frequency": "hourly"}).status_code == 422


def test_commitment_list_csv(client, world):
    response = client.get("/forpliktelser/?format=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("id;avtale_id;avtale;part_id")
    assert "Ladepunkter" in body


def _many(agreement, orgs, n: int) -> None:
    for i in range(n):
        services.commitment_create(
            actor="t",
            agreement=agreement,
            party=orgs["3403" if i % 2 else "3412"],
            description=f"Forpliktelse {i}",
            due_date=D(2025, 1, 1) + dt.timedelta(days=i),
        )


def _agreements(orgs, n: int) -> None:
    for i in range(n):
        a = services.agreement_create(
            actor="t",
            title=f"Avtale {i}",
            kind="partnership",
            period_start=START,
            period_end=END,
            lead=orgs["34"],
            parties=[orgs["34"], orgs["3403"], orgs["3412"], orgs["state"]],
        )
        _many(a, orgs, 2)
        services.report_create(actor="t", agreement=a, due_date=D(2024, 2, 1))


def test_commitment_list_query_count_is_constant(client, active_agreement, orgs, users):
    client.force_login(users["hamar"])
    _many(active_agreement, orgs, 2)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/forpliktelser/?status=not_started&party={orgs['3403'].pk}")
        client.get("/api/v1/commitments?status=not_started")
    _many(active_agreement, orgs, 20)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/forpliktelser/?status=not_started&party={orgs['3403'].pk}")
        client.get("/api/v1/commitments?status=not_started")
    assert len(few) == len(many)


def test_county_dashboard_query_count_is_constant(client, orgs, users):
    client.force_login(users["county"])
    _agreements(orgs, 2)
    with CaptureQueriesContext(connection) as few:
        client.get("/dashbord/fylker/34/")
    _agreements(orgs, 12)
    with CaptureQueriesContext(connection) as many:
        client.get("/dashbord/fylker/34/")
    assert len(few) == len(many)


def test_agreement_list_and_page_query_count_is_constant(client, orgs):
    _agreements(orgs, 2)
    agreement = Agreement.objects.first()
    with CaptureQueriesContext(connection) as few:
        client.get("/avtaler/?county=34")
        client.get("/api/v1/agreements")
        client.get(agreement.get_absolute_url())
    _agreements(orgs, 10)
    _many(agreement, orgs, 15)
    with CaptureQueriesContext(connection) as many:
        client.get("/avtaler/?county=34")
        client.get("/api/v1/agreements")
        client.get(agreement.get_absolute_url())
    assert len(few) == len(many)


def test_county_dashboard_counts_each_party_by_status_without_archived_ones(orgs):
    """The pivot: every party of the county's agreements (those outside the county too), in
    name order, its commitments per status and the overdue open ones; an archived agreement's
    commitments and an archived commitment are not counted."""
    from kraftsenter.agreements.dashboards import county_dashboard

    parties = [orgs["34"], orgs["3403"], orgs["3412"], orgs["state"]]
    live, gone = (
        services.agreement_create(
            actor="t",
            title=title,
            kind="partnership",
            period_start=START,
            period_end=END,
            lead=orgs["34"],
            parties=parties,
        )
        for title in ("Levende", "Arkivert")
    )
    made = []
    for agreement in (live, gone):
        for i, key in enumerate(["3403", "3403", "3412", "state", "state", "state"]):
            made.append(
                services.commitment_create(
                    actor="t",
                    agreement=agreement,
                    party=orgs[key],
                    description=f"{agreement.title} {i}",
                    due_date=D(2025, 1, 1) if i % 2 else D(2027, 1, 1),
                )
            )
    services.commitment_update(
        actor="t", commitment=made[0], expected_version=made[0].version, status="done"
    )
    services.commitment_archive(actor="t", commitment=made[5])
    services.agreement_archive(actor="t", agreement=gone)
    data = county_dashboard(user=None, county=orgs["34"].county, today=D(2026, 1, 1))
    rows = {name: (values, total) for _pk, name, values, total in data.party_rows}
    names = [name for _pk, name, _values, _total in data.party_rows]
    assert names == sorted(names) and len(names) == 3
    assert rows[orgs["3403"].name] == ({"done": 1, "not_started": 1}, 2)
    assert rows[orgs["3412"].name] == ({"not_started": 1}, 1)
    assert rows[orgs["state"].name] == ({"not_started": 2}, 2)  # the third archived
    assert data.commitment_count == 5
    # Overdue: open and due before the day (the odd ones are due 1.1.2025).
    assert data.overdue_commitments == 2
    assert data.agreement_count == 1
    # A county without agreements: nothing, and no error (no ids to read by).
    none = county_dashboard(user=None, county=orgs["5601"].municipality.county, today=D(2026, 1, 1))
    assert (none.agreement_count, none.commitment_count, none.overdue_report_count) == (0, 0, 0)
    assert none.party_rows == none.agreements == none.overdue_reports == []
