"""The API: documented shapes, filters, the same rules as the pages (422 with field and rule),
404s, history for every record type."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Agreement, Commitment, FollowUpReport, Plan

from .conftest import bearer

pytestmark = pytest.mark.django_db
D = dt.date


def post(client, url, body, user):
    return client.post(url, body, content_type="application/json", headers=bearer(user))


def errors(response) -> dict[str, str]:
    return {e["field"]: e["code"] for e in response.json()["errors"]}


def test_api_agreement_has_the_documented_fields(client, active_agreement, orgs):
    body = client.get(f"/api/v1/agreements/{active_agreement.pk}").json()
    assert {"id", "title", "kind", "parties", "period_start", "period_end", "version"} <= set(body)
    assert body["parties"] == sorted([orgs["34"].pk, orgs["3403"].pk, orgs["3412"].pk])
    assert body["period_start"] == "2024-01-01" and body["status"] == "active"
    assert {p["decision_reference"] for p in body["party_decisions"]} == {"23/100", "23/7", "23/9"}


def test_api_commitment_has_the_documented_fields(client, commitment, orgs):
    body = client.get(f"/api/v1/commitments/{commitment.pk}").json()
    assert {"id", "agreement", "party", "description", "due_date", "status", "version"} <= set(body)
    assert body["party"] == orgs["3403"].pk and body["agreement"] == commitment.agreement_id


def test_api_commitments_filters(client, active_agreement, agreement, orgs):
    for party, due, status in (
        ("3403", D(2024, 3, 1), "done"),
        ("3412", D(2025, 3, 1), "at_risk"),
        ("3403", D(2026, 3, 1), "not_started"),
    ):
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs[party],
            description=party,
            due_date=due,
            status=status,
        )
    services.commitment_create(
        actor="t",
        agreement=agreement,
        party=orgs["3403"],
        description="annen",
        due_date=D(2025, 1, 1),
    )

    def ids(**params):
        return [c["due_date"] for c in client.get("/api/v1/commitments", params).json()["items"]]

    assert ids(party=orgs["3403"].pk, agreement=active_agreement.pk) == ["2024-03-01", "2026-03-01"]
    assert ids(status="at_risk") == ["2025-03-01"]
    assert ids(due_after="2025-01-01", due_before="2025-12-31") == ["2025-01-01", "2025-03-01"]
    assert ids(county="34") == ["2024-03-01", "2025-01-01", "2025-03-01", "2026-03-01"]
    response = client.get("/api/v1/commitments", {"status": "forgotten"})
    assert response.status_code == 422 and errors(response)["status"]
    response = client.get("/api/v1/commitments", {"due_before": "tomorrow"})
    assert response.status_code == 422 and "due_before" in errors(response)
    body = client.get(
        f"/api/v1/agreements/{active_agreement.pk}/commitments", {"status": "done"}
    ).json()
    assert [c["status"] for c in body["items"]] == ["done"]


def test_api_create_agreement_and_commitment_with_the_same_rules(client, users, orgs):
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "Plangjennomføringsavtale",
            "kind": "plan_implementation",
            "period_start": "2025-01-01",
            "period_end": "2024-01-01",
            "parties": [orgs["3403"].pk, orgs["ipr"].pk],
        },
        users["hamar"],
    )
    assert response.status_code == 422
    assert errors(response) == {
        "period_end": "period_order",
        "parties": "plan_implementation_parties",
    }
    assert Agreement.objects.count() == 0
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "Plangjennomføringsavtale",
            "kind": "plan_implementation",
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "parties": [orgs["3403"].pk, orgs["3412"].pk],
            "lead": orgs["3403"].pk,
            "scope_municipalities": ["3403", "3412"],
        },
        users["hamar"],
    )
    assert response.status_code == 201, response.json()
    agreement = response.json()
    assert agreement["scope_municipalities"] == ["3403", "3412"]
    response = post(
        client,
        f"/api/v1/agreements/{agreement['id']}/commitments",
        {"party": orgs["5601"].pk, "description": "x", "due_date": "2025-06-01"},
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"party": "commitment_party"}
    response = post(
        client,
        f"/api/v1/agreements/{agreement['id']}/commitments",
        {"party": orgs["3403"].pk, "description": "Felles plankontor", "due_date": "2025-06-01"},
        users["hamar"],
    )
    assert response.status_code == 201 and response.json()["status"] == "not_started"


def test_api_unknown_ids_are_422_with_the_field(client, users, orgs):
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "x",
            "kind": "partnership",
            "period_start": "2025-01-01",
            "period_end": "2026-01-01",
            "parties": [orgs["3403"].pk, 999999],
        },
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"parties": "invalid"}


def test_api_commitment_patch_dropped_without_reason(client, commitment, users):
    response = client.patch(
        f"/api/v1/commitments/{commitment.pk}",
        {"version": 1, "status": "dropped"},
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 422 and errors(response) == {"status_reason": "dropped_reason"}
    response = client.patch(
        f"/api/v1/commitments/{commitment.pk}",
        {"version": 1, "status": "dropped", "status_reason": "Ikke finansiert"},
        content_type="application/json",
        headers=bearer(users["county"]),
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    response = client.patch(
        f"/api/v1/commitments/{commitment.pk}",
        {"version": 2, "status": "done"},
        content_type="application/json",
        headers=bearer(users["loten"]),
    )
    assert response.status_code == 403


def test_api_reports_flow(client, active_agreement, commitment, users):
    url = f"/api/v1/agreements/{active_agreement.pk}/reports"
    response = post(client, url, {"period_start": "2023-01-01"}, users["county"])
    assert response.status_code == 422 and errors(response) == {"period_start": "report_in_period"}
    response = post(client, url, {}, users["county"])
    assert response.status_code == 201
    report = response.json()
    assert report["missing"] == [commitment.pk] and report["complete"] is False
    response = post(client, f"{url}/{report['id']}/complete", {"version": 1}, users["county"])
    assert response.status_code == 422 and errors(response) == {"entries": "report_complete"}
    response = post(
        client,
        f"{url}/{report['id']}/entries",
        {"commitment": commitment.pk, "status": "in_progress", "text": "Anbud ute"},
        users["hamar"],
    )
    assert response.status_code == 200 and response.json()["missing"] == []
    response = post(client, f"{url}/{report['id']}/complete", {"version": 1}, users["county"])
    assert response.status_code == 200 and response.json()["complete"] is True
    listed = client.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["entries"][0]["status"] == "in_progress"
    history = client.get(f"{url}/{report['id']}/history").json()
    assert [i["action"] for i in history["items"]] == [
        "followupreport.completed",
        "followupreport.created",
    ]
    assert FollowUpReport.objects.get().completed_on is not None


def test_api_renew(client, active_agreement, commitment, agreement, users):
    url = f"/api/v1/agreements/{agreement.pk}/renew"
    body = {"period_start": "2028-01-01", "period_end": "2031-12-31"}
    response = post(client, url, body, users["county"])
    assert response.status_code == 422 and errors(response) == {"status": "renew_active_only"}
    response = post(
        client, f"/api/v1/agreements/{active_agreement.pk}/renew", body, users["county"]
    )
    assert response.status_code == 201
    new = response.json()
    assert new["renewal_of"] == active_agreement.pk and new["status"] == "draft"
    old = client.get(f"/api/v1/agreements/{active_agreement.pk}").json()
    assert old["renewed_by"] == new["id"] and old["version"] == active_agreement.version
    carried = client.get(f"/api/v1/agreements/{new['id']}/commitments").json()["items"]
    assert [c["carried_from"] for c in carried] == [commitment.pk]


def test_api_plans_with_deadlines_and_rule_errors(client, users, orgs):
    response = post(
        client,
        "/api/v1/plans",
        {
            "title": "Planstrategi Hamar",
            "kind": "municipal_planning_strategy",
            "owner": orgs["3403"].pk,
            "election_year": 2023,
            "deadline": "2025-02-01",
        },
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"deadline": "deadline_in_period"}
    assert "pbl. § 10-1" in response.json()["errors"][0]["message"]
    response = post(
        client,
        "/api/v1/plans",
        {
            "title": "Planstrategi Hamar",
            "kind": "municipal_planning_strategy",
            "owner": orgs["3403"].pk,
            "election_year": 2023,
            "deadline": "2024-06-20",
        },
        users["hamar"],
    )
    assert response.status_code == 201
    plan = response.json()
    deadlines = {d["code"]: d for d in plan["deadlines"]}
    assert deadlines["adoption"]["due"] == "2024-10-31"
    assert deadlines["proposal_public"]["due"] == "2024-05-21"
    listed = client.get("/api/v1/plans", {"county": "34", "kind": "municipal_planning_strategy"})
    assert [p["id"] for p in listed.json()["items"]] == [plan["id"]]
    response = post(
        client, f"/api/v1/plans/{plan['id']}/items", {"title": "Revidere arealdel"}, users["hamar"]
    )
    assert response.status_code == 201
    assert client.get(f"/api/v1/plans/{plan['id']}").json()["items"][0]["title"] == (
        "Revidere arealdel"
    )
    assert Plan.objects.count() == 1


def test_api_partnerships_meetings_decisions(client, users, orgs):
    response = post(
        client,
        "/api/v1/partnerships",
        {
            "name": "Partnerskap Innlandet",
            "lead": orgs["34"].pk,
            "members": [orgs["3403"].pk],
            "priorities": ["Grønn omstilling", " "],
        },
        users["county"],
    )
    assert response.status_code == 201
    partnership = response.json()
    assert partnership["priorities"] == ["Grønn omstilling"]
    url = f"/api/v1/partnerships/{partnership['id']}"
    response = post(
        client, f"{url}/meetings", {"held_on": "2024-02-01", "title": "Møte"}, users["hamar"]
    )
    assert response.status_code == 201
    meeting = response.json()["meetings"][0]["id"]
    response = post(
        client,
        f"{url}/decisions",
        {"decided_on": "2024-02-01", "text": "Avtale", "agreed_by": [orgs["5601"].pk]},
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"agreed_by": "decision_members"}
    response = post(
        client,
        f"{url}/decisions",
        {
            "decided_on": "2024-02-01",
            "text": "Avtale",
            "agreed_by": [orgs["34"].pk, orgs["3403"].pk],
            "meeting": meeting,
        },
        users["hamar"],
    )
    assert response.status_code == 201
    assert response.json()["decisions"][0]["agreed_by"] == sorted([orgs["34"].pk, orgs["3403"].pk])
    actions = [i["action"] for i in client.get(f"{url}/history").json()["items"]]
    # The partnership's timeline holds its parts too: the meeting and the decision.
    assert actions[-1] == "partnership.created"
    assert {"partnershipmeeting.created", "partnershipdecision.created"} <= set(actions)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agreements/999999",
        "/api/v1/agreements/999999/commitments",
        "/api/v1/agreements/999999/reports",
        "/api/v1/commitments/999999",
        "/api/v1/commitments/999999/history",
        "/api/v1/plans/999999/history",
        "/api/v1/partnerships/999999",
    ],
)
def test_api_unknown_records_are_404_in_the_shared_shape(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert set(response.json()) >= {
        "type",
        "title",
        "status",
        "detail",
        "instance",
        "code",
        "errors",
    }


def test_api_history_of_agreement_and_commitment(client, commitment, users):
    client.patch(
        f"/api/v1/commitments/{commitment.pk}",
        {"version": 1, "status": "at_risk"},
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    history = client.get(f"/api/v1/commitments/{commitment.pk}/history").json()
    assert [i["action"] for i in history["items"]] == ["commitment.updated", "commitment.created"]
    assert history["items"][0]["actor"] == "hamar-red"
    history = client.get(f"/api/v1/agreements/{commitment.agreement_id}/history").json()
    assert history["items"][-1]["action"] == "agreement.created"
    assert Commitment.objects.get().status == "at_risk"


def test_api_openapi_lists_the_new_endpoints(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/plans",
        "/api/v1/partnerships",
        "/api/v1/agreements",
        "/api/v1/agreements/{agreement_id}/commitments",
        "/api/v1/commitments",
        "/api/v1/agreements/{agreement_id}/reports",
    ):
        assert path in paths
