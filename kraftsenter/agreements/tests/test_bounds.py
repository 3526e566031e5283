"""Bounds of plans, partnerships, agreements, commitments and reports (docs/bounds.md).

The extreme valid value of every field never breaks a page, a CSV download or the API; a value
out of bounds is refused on the page, in the API and by the service, naming the field, with
nothing written (issue 12: an agreement starting 0001-01-01 was saved and broke every list).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.agreements import services
from kraftsenter.agreements.models import (
    Agreement,
    AgreementGoal,
    AgreementParty,
    Commitment,
    FollowUpReport,
    Plan,
)
from kraftsenter.agreements.services import PartyInput
from kraftsenter.core import bounds
from kraftsenter.core.models import ChangeRecord
from kraftsenter.core.tests.extremes import crawl, long_text, store_extremes

from .conftest import END, START, bearer, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["earliest", "latest"])
def extremes(request, orgs):
    """One record of every kind, every field at its extreme: the earliest dates and smallest
    numbers, or the latest dates and largest numbers; the longest texts in both."""
    high = request.param == "latest"
    plan = services.plan_create(
        actor="t",
        title="Planstrategi for Hamar",
        kind="municipal_planning_strategy",
        owner=orgs["3403"],
        election_year=2023,
    )
    item = services.plan_item_add(actor="t", plan=plan, title="Revidere arealdelen")
    partnership = services.partnership_create(
        actor="t", name="Regionalt partnerskap", lead=orgs["34"], members=[orgs["3403"]]
    )
    meeting = services.meeting_add(actor="t", partnership=partnership, held_on=START, title="Møte")
    decision = services.decision_record(
        actor="t",
        partnership=partnership,
        decided_on=START,
        text="Vedtak",
        agreed_by=[orgs["34"]],
        meeting=meeting,
    )
    agreement = services.agreement_create(
        actor="t",
        title="Regionvekstavtale",
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs["34"],
        status="active",
        partnership=partnership,
        parties=[
            PartyInput(orgs["34"], "fylkestinget", dt.date(2023, 12, 12), "23/1"),
            PartyInput(orgs["3403"], "kommunestyret", dt.date(2023, 12, 14), "23/2"),
        ],
    )
    goal = services.goal_add(actor="t", agreement=agreement, text="Mål", sdgs=[8])
    anchor = services.anchor_add(actor="t", agreement=agreement, plan=plan, item=item)
    document = services.document_add(
        actor="t", agreement=agreement, title="Avtale", url="https://www.example.no/a.pdf"
    )
    commitment = services.commitment_create(
        actor="t",
        agreement=agreement,
        party=orgs["3403"],
        description="Tiltak",
        due_date=dt.date(2025, 6, 30),
        goal=goal,
    )
    report = services.report_create(actor="t", agreement=agreement)
    entry = services.report_entry_record(
        actor="t", report=report, commitment=commitment, status="in_progress", text="På vei"
    )
    records = [plan, item, partnership, meeting, decision, agreement, goal, anchor, document]
    records += [commitment, report, entry, *agreement.party_links.all()]
    for record in records:
        store_extremes(record, high=high)
    return {
        "plan": plan,
        "partnership": partnership,
        "agreement": agreement,
        "commitment": commitment,
        "report": report,
        "high": high,
    }


def _seeds(x) -> list[str]:
    agreement, plan, partnership = x["agreement"], x["plan"], x["partnership"]
    pages = [
        "/avtaler/",
        f"/avtaler/{agreement.pk}/",
        f"/avtaler/{agreement.pk}/rapporter/{x['report'].pk}/",
        "/planer/",
        f"/planer/{plan.pk}/",
        "/planer/fylker/34/",
        "/partnerskap/",
        f"/partnerskap/{partnership.pk}/",
        "/forpliktelser/",
        f"/forpliktelser/{x['commitment'].pk}/",
        "/dashbord/",
        "/dashbord/fylker/34/",
        f"/dashbord/organisasjoner/{agreement.lead_id}/",
    ]
    csv = [f"{p}?format=csv" for p in ("/avtaler/", "/forpliktelser/", "/planer/", "/partnerskap/")]
    api = [
        "/api/v1/agreements",
        f"/api/v1/agreements/{agreement.pk}",
        f"/api/v1/agreements/{agreement.pk}/history",
        f"/api/v1/agreements/{agreement.pk}/commitments",
        f"/api/v1/agreements/{agreement.pk}/reports",
        f"/api/v1/agreements/{agreement.pk}/reports/{x['report'].pk}",
        "/api/v1/commitments",
        f"/api/v1/commitments/{x['commitment'].pk}",
        "/api/v1/plans",
        f"/api/v1/plans/{plan.pk}",
        "/api/v1/partnerships",
        f"/api/v1/partnerships/{partnership.pk}",
        "/api/v1/changes",
    ]
    return pages + csv + api


def test_extreme_values_of_every_field_render_on_every_page_csv_and_api(client, extremes, orgs):
    agreement = Agreement.objects.get(pk=extremes["agreement"].pk)
    expected = bounds.LATEST_DATE if extremes["high"] else bounds.EARLIEST_DATE
    assert agreement.period_start == agreement.period_end == expected
    assert len(agreement.description) == bounds.TEXT_LENGTH
    budget = Commitment.objects.get(pk=extremes["commitment"].pk).budget
    assert budget == (Decimal("999999999999.99") if extremes["high"] else 0)

    anonymous = crawl(client, _seeds(extremes))
    assert anonymous[f"/avtaler/{agreement.pk}/"] == 200
    assert anonymous["/avtaler/?format=csv"] == 200

    client.force_login(make_user("nettstedsadmin", is_superuser=True))
    admin = crawl(client, _seeds(extremes))
    assert admin[f"/avtaler/{agreement.pk}/endre/"] == 200  # the form with every extreme value
    read = client.get(f"/api/v1/agreements/{agreement.pk}").json()
    assert read["period_start"] == expected.isoformat()


# --- out of bounds: refused, naming the field, nothing written --------------------------------


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
def test_api_agreement_create_with_a_date_out_of_range_is_422_and_writes_nothing(
    client, orgs, users, day
):
    headers = bearer(users["hamar"])
    before = (Agreement.objects.count(), ChangeRecord.objects.count())
    response = client.post(
        "/api/v1/agreements",
        {
            "title": "Avtale",
            "kind": "regional_growth",
            "period_start": day,
            "period_end": "2027-12-31",
            "parties": [orgs["34"].pk, orgs["3403"].pk],
        },
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["period_start"]
    assert (Agreement.objects.count(), ChangeRecord.objects.count()) == before
    assert client.get("/api/v1/agreements").status_code == 200


def test_api_agreement_patch_with_a_text_too_long_is_422_and_changes_nothing(
    client, agreement, users
):
    response = client.patch(
        f"/api/v1/agreements/{agreement.pk}",
        {"version": agreement.version, "description": "x" * (bounds.TEXT_LENGTH + 1)},
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["description"]
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert (fresh.version, fresh.description) == (agreement.version, agreement.description)


def test_api_second_goal_with_a_text_too_long_is_422_and_the_first_stays_alone(
    client, agreement, users
):
    url = f"/api/v1/agreements/{agreement.pk}/goals"
    first = client.post(url, {"text": "Mål 1"}, "application/json", headers=bearer(users["hamar"]))
    assert first.status_code == 201
    second = client.post(
        url,
        {"text": "x" * (bounds.TEXT_LENGTH + 1)},
        "application/json",
        headers=bearer(users["hamar"]),
    )
    assert second.status_code == 422
    assert [e["field"] for e in second.json()["errors"]] == ["text"]
    assert list(AgreementGoal.objects.values_list("text", flat=True)) == ["Mål 1"]


def test_api_party_decision_dated_out_of_range_is_422_naming_the_date(
    client, agreement, orgs, users
):
    response = client.post(
        f"/api/v1/agreements/{agreement.pk}/decisions",
        {
            "organisation": orgs["3412"].pk,
            "decision_date": "1899-12-31",
            "decision_body": "kommunestyret",
        },
        content_type="application/json",
        headers=bearer(users["county"]),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["decision_date"]
    assert not AgreementParty.objects.filter(decision_date__isnull=False).exists()


def test_api_commitment_budget_over_the_maximum_is_422(client, active_agreement, orgs, users):
    response = client.post(
        f"/api/v1/agreements/{active_agreement.pk}/commitments",
        {
            "party": orgs["3403"].pk,
            "description": "Tiltak",
            "due_date": "2025-06-30",
            "budget": "1000000000000",
        },
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["budget"]
    assert not Commitment.objects.exists()


def test_page_agreement_form_with_a_date_out_of_range_shows_the_error_and_writes_nothing(
    client, orgs, users
):
    client.force_login(users["hamar"])
    response = client.post(
        "/avtaler/ny/",
        {
            "title": "Avtale",
            "kind": "regional_growth",
            "status": "draft",
            "parties": "34\n3403",
            "period_start": "1899-12-31",
            "period_end": "2101-01-01",
        },
    )
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {"period_start", "period_end"}
    assert "1900" in errors["period_start"][0]
    assert not Agreement.objects.exists()


def test_page_second_party_decision_dated_out_of_range_is_refused_on_its_field(
    client, agreement, orgs, users
):
    client.force_login(users["county"])
    url = f"/avtaler/{agreement.pk}/vedtak/ny/"
    first = {"organisation": orgs["34"].pk, "decision_body": "fylkestinget"}
    assert client.post(url, {**first, "decision_date": "2024-02-01"}).status_code == 302
    second = {"organisation": orgs["3403"].pk, "decision_body": "kommunestyret"}
    response = client.post(url, {**second, "decision_date": "1800-01-01"})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["decision_date"]
    decided = AgreementParty.objects.filter(decision_date__isnull=False)
    assert [p.organisation_id for p in decided] == [orgs["34"].pk]


def test_page_plan_item_budget_and_title_out_of_bounds_are_refused(client, orgs, users):
    plan = services.plan_create(
        actor="t",
        title="Plan",
        kind="municipal_planning_strategy",
        owner=orgs["3403"],
        election_year=2023,
    )
    client.force_login(users["hamar"])
    response = client.post(
        f"/planer/{plan.pk}/tiltak/ny/",
        {"title": "x" * (bounds.LINE_LENGTH + 1), "budget": "-1"},
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"title", "budget"}
    assert not plan.items.exists()


def test_service_agreement_create_refuses_the_second_partys_decision_date_out_of_range(orgs):
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(
            actor="t",
            title="Avtale",
            kind="regional_growth",
            period_start=START,
            period_end=END,
            parties=[
                PartyInput(orgs["34"], "fylkestinget", dt.date(2023, 12, 12)),
                PartyInput(orgs["3403"], "kommunestyret", dt.date(1899, 12, 31)),
            ],
        )
    messages = refused.value.message_dict["parties"]
    assert len(messages) == 1 and orgs["3403"].name in messages[0]
    assert not Agreement.objects.exists() and not AgreementParty.objects.exists()


def test_service_agreement_update_refuses_a_party_reference_too_long(agreement, orgs):
    parties = [
        PartyInput(orgs["34"]),
        PartyInput(orgs["3403"], "kommunestyret", None, "x" * (bounds.REFERENCE_LENGTH + 1)),
    ]
    with pytest.raises(ValidationError) as refused:
        services.agreement_update(
            actor="t", agreement=agreement, expected_version=agreement.version, parties=parties
        )
    assert list(refused.value.message_dict) == ["parties"]
    assert Agreement.objects.get(pk=agreement.pk).version == agreement.version


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("period_start", dt.date(1, 1, 1)),
        ("period_end", dt.date(9999, 12, 31)),
        ("title", long_text(bounds.TITLE_LENGTH + 1)),
        ("description", long_text(bounds.TEXT_LENGTH + 1)),
    ],
)
def test_service_agreement_update_refuses_a_value_out_of_bounds(agreement, field, value):
    with pytest.raises(ValidationError) as refused:
        services.agreement_update(
            actor="t", agreement=agreement, expected_version=agreement.version, **{field: value}
        )
    assert field in refused.value.message_dict
    fresh = Agreement.objects.get(pk=agreement.pk)
    assert getattr(fresh, field) == getattr(agreement, field)


def test_service_second_report_entry_text_too_long_is_refused(active_agreement, orgs):
    commitments = [
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs[number],
            description=f"Tiltak {number}",
            due_date=dt.date(2025, 6, 30),
        )
        for number in ("34", "3403")
    ]
    report = services.report_create(actor="t", agreement=active_agreement)
    services.report_entry_record(
        actor="t", report=report, commitment=commitments[0], status="done", text="Ferdig"
    )
    with pytest.raises(ValidationError) as refused:
        services.report_entry_record(
            actor="t",
            report=report,
            commitment=commitments[1],
            status="in_progress",
            text="x" * (bounds.TEXT_LENGTH + 1),
        )
    assert list(refused.value.message_dict) == ["text"]
    assert report.entries.count() == 1


def test_service_plan_election_year_outside_the_years_is_refused(orgs):
    with pytest.raises(ValidationError) as refused:
        services.plan_create(
            actor="t",
            title="Plan",
            kind="municipal_planning_strategy",
            owner=orgs["3403"],
            election_year=2101,
        )
    assert "election_year" in refused.value.message_dict
    assert not Plan.objects.exists()


def test_service_report_summary_too_long_is_refused(active_agreement):
    with pytest.raises(ValidationError) as refused:
        services.report_create(
            actor="t", agreement=active_agreement, summary="x" * (bounds.LONG_TEXT_LENGTH + 1)
        )
    assert list(refused.value.message_dict) == ["summary"]
    assert not FollowUpReport.objects.exists()
