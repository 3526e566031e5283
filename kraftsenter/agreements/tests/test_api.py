"""The API: documented shapes, filters, the same rules as the pages (422 with field and rule),
404s, history for every record type."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Agreement, Commitment, FollowUpReport, Plan
from kraftsenter.core.testing import etag_version

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
            "deadline": "2023-09-01",
        },
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"deadline": "deadline_in_period"}
    assert "pbl. § 10-1 første ledd" in response.json()["errors"][0]["message"]
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
    assert plan["warnings"] == [] and plan["adoptions"] == []
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
    meeting = response.json()["id"]
    assert response["Location"].endswith(f"{url}/meetings/{meeting}")
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
    assert response.json()["agreed_by"] == sorted([orgs["34"].pk, orgs["3403"].pk])
    assert response.json()["meeting"] == meeting
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
        "/api/v1/agreements/{id}/commitments",
        "/api/v1/commitments",
        "/api/v1/agreements/{id}/reports",
        "/api/v1/agreements/{id}/reports/{report_id}",
        "/api/v1/agreements/{id}/goals/{goal_id}",
        "/api/v1/agreements/{id}/goals/{goal_id}/remove",
        "/api/v1/agreements/{id}/anchors/{anchor_id}/remove",
        "/api/v1/agreements/{id}/documents/{document_id}/remove",
        "/api/v1/agreements/{id}/parties",
    ):
        assert path in paths


# --- issue 11: strict input, codes, standard HTTP, one operation per named action -------------


def patch(client, url, body, user, if_match: str | None = None):
    headers = {**bearer(user), **({"If-Match": if_match} if if_match else {})}
    return client.patch(url, body, content_type="application/json", headers=headers)


def put(client, url, body, user):
    return client.put(url, body, content_type="application/json", headers=bearer(user))


def problem(response) -> dict:
    body = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert {"type", "title", "status", "detail", "instance", "code", "errors"} <= set(body)
    assert body["status"] == response.status_code
    return body


def snapshot_of(agreement) -> tuple:
    """What must not change when a request is refused."""
    from kraftsenter.core.history import history_for, snapshot

    fresh = Agreement.objects.get(pk=agreement.pk)
    parts = [
        (g.pk, g.text, g.sdgs, g.version, g.archived_at) for g in fresh.goals.order_by("pk")
    ] + [(d.pk, d.archived_at) for d in fresh.documents.order_by("pk")]
    links = list(
        fresh.party_links.order_by("pk").values_list(
            "organisation_id", "decision_date", "archived_at"
        )
    )
    return snapshot(fresh), parts, links, history_for(fresh).count()


def test_api_openapi_documents_codes_as_enums_and_every_operation(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    schemas = schema["components"]["schemas"]
    assert "regional_growth" in schemas["AgreementIn"]["properties"]["kind"]["enum"]
    assert set(schemas["AgreementOut"]["properties"]["status"]["enum"]) == {
        "draft",
        "active",
        "ended",
    }
    assert "dropped" in schemas["EntryIn"]["properties"]["status"]["enum"]
    assert "municipal_planning_strategy" in schemas["PlanIn"]["properties"]["kind"]["enum"]
    assert schemas["AgreementIn"]["additionalProperties"] is False
    ours = [
        op
        for path, item in schema["paths"].items()
        if path.startswith(
            ("/api/v1/agreements", "/api/v1/commitments", "/api/v1/plans", "/api/v1/partnerships")
        )
        for op in item.values()
    ]
    assert all(op.get("summary") and op.get("description") for op in ours)
    ids = [op["operationId"] for op in ours]
    assert len(ids) == len(set(ids)) and "update_agreement_goal" in ids


def test_api_unknown_field_is_422_naming_it_and_writes_nothing(client, agreement, users):
    before = snapshot_of(agreement)
    response = patch(
        client,
        f"/api/v1/agreements/{agreement.pk}",
        {"version": agreement.version, "titel": "Skrivefeil", "status": "active"},
        users["county"],
    )
    assert response.status_code == 422
    body = problem(response)
    assert {e["field"] for e in body["errors"]} == {"titel"}
    assert body["code"] == "unknown_field"
    assert snapshot_of(agreement) == before
    response = post(
        client,
        f"/api/v1/agreements/{agreement.pk}/goals",
        {"text": "Mål", "sdg": [11]},
        users["county"],
    )
    assert response.status_code == 422 and errors(response) == {"sdg": "extra_forbidden"}
    assert snapshot_of(agreement) == before


def test_api_unknown_code_is_422_with_the_field(client, users, orgs):
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "x",
            "kind": "growth",
            "period_start": "2025-01-01",
            "period_end": "2026-13-01",
            "parties": [orgs["3403"].pk, orgs["34"].pk],
        },
        users["hamar"],
    )
    assert response.status_code == 422
    assert set(errors(response)) == {"kind", "period_end"}
    assert Agreement.objects.count() == 0


def test_api_create_agreement_by_organisation_number_with_location_and_etag(client, users, orgs):
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "Partnerskapsavtale Hamar",
            "kind": "partnership",
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "parties": ["970540008", "920 717 152"],
            "lead": "920717152",
            "scope_region": None,
        },
        users["hamar"],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["parties"] == sorted([orgs["3403"].pk, orgs["34"].pk])
    assert body["lead"] == orgs["34"].pk
    assert response["Location"] == f"http://testserver/api/v1/agreements/{body['id']}"
    assert etag_version(response) == 1
    assert body["url"] == f"http://testserver/avtaler/{body['id']}/"
    numbers = {p["organisation_number"] for p in body["party_decisions"]}
    assert numbers == {"970540008", "920717152"}
    response = post(
        client,
        "/api/v1/agreements",
        {
            "title": "x",
            "kind": "partnership",
            "period_start": "2025-01-01",
            "period_end": "2028-12-31",
            "parties": ["970540008", "999999999"],
        },
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"parties": "invalid"}
    assert Agreement.objects.count() == 1


def test_api_patch_with_if_match_and_etag(client, agreement, users):
    url = f"/api/v1/agreements/{agreement.pk}"
    read = client.get(url)
    assert etag_version(read) == 1 and read.has_header("Last-Modified")
    assert client.get(url, headers={"If-None-Match": read["ETag"]}).status_code == 304
    response = patch(
        client, url, {"description": "Nytt formål"}, users["county"], if_match=read["ETag"]
    )
    assert response.status_code == 200 and etag_version(response) == 2
    before = snapshot_of(agreement)
    response = patch(client, url, {"description": "Gammelt"}, users["county"], if_match='"1"')
    assert response.status_code == 412 and problem(response)["current_version"] == 2
    response = patch(client, url, {"description": "Uten versjon"}, users["county"])
    assert response.status_code == 422 and "version" in errors(response)
    assert snapshot_of(agreement) == before


@pytest.mark.parametrize("field", ["parties", "scope_municipalities", "title", "status"])
def test_api_null_for_a_required_field_is_422_naming_it(client, agreement, users, field):
    """``null`` is never "unchanged" (and never a 500): a field that must have a value says so."""
    before = snapshot_of(agreement)
    response = patch(
        client, f"/api/v1/agreements/{agreement.pk}", {"version": 1, field: None}, users["county"]
    )
    assert response.status_code == 422, response.json()
    assert errors(response) == {field: "null"}
    assert snapshot_of(agreement) == before


def test_api_null_members_partners_and_party_are_422(client, users, orgs, commitment):
    partnership = services.partnership_create(
        actor="t", name="Partnerskap", lead=orgs["34"], members=[orgs["3403"]]
    )
    response = patch(
        client,
        f"/api/v1/partnerships/{partnership.pk}",
        {"version": 1, "members": None},
        users["county"],
    )
    assert response.status_code == 422 and errors(response) == {"members": "null"}
    plan = services.plan_create(actor="t", title="Plan", kind="other", owner=orgs["3403"])
    response = patch(
        client, f"/api/v1/plans/{plan.pk}", {"version": 1, "partners": None}, users["hamar"]
    )
    assert response.status_code == 422 and errors(response) == {"partners": "null"}
    response = patch(
        client,
        f"/api/v1/commitments/{commitment.pk}",
        {"version": 1, "party": None},
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"party": "null"}
    response = patch(
        client, f"/api/v1/commitments/{commitment.pk}", {"version": 1, "party": ""}, users["hamar"]
    )
    assert response.status_code == 422 and errors(response) == {"party": "invalid"}
    commitment.refresh_from_db()
    partnership.refresh_from_db()
    plan.refresh_from_db()
    assert (commitment.version, partnership.version, plan.version) == (1, 1, 1)


def test_api_set_parties_keeps_decisions_and_adds_a_third(client, active_agreement, users, orgs):
    url = f"/api/v1/agreements/{active_agreement.pk}/parties"
    body = {
        "parties": ["920717152", "970540008", orgs["3412"].pk, orgs["ipr"].pk],
        "version": active_agreement.version,
    }
    before = snapshot_of(active_agreement)
    response = put(client, url, body, users["outsider"])
    assert response.status_code == 403 and problem(response)["code"] == "permission_denied"
    response = put(client, url, {**body, "parties": [orgs["34"].pk, 987654]}, users["county"])
    assert response.status_code == 422 and errors(response) == {"parties": "invalid"}
    assert snapshot_of(active_agreement) == before
    response = put(client, url, body, users["county"])
    assert response.status_code == 200, response.json()
    decisions = {
        p["organisation"]: p["decision_reference"] for p in response.json()["party_decisions"]
    }
    assert decisions == {
        orgs["34"].pk: "23/100",
        orgs["3403"].pk: "23/7",
        orgs["3412"].pk: "23/9",
        orgs["ipr"].pk: "",
    }
    assert etag_version(response) == active_agreement.version + 1


def test_api_party_decisions_for_the_second_and_third_party(client, agreement, users, orgs):
    url = f"/api/v1/agreements/{agreement.pk}/decisions"
    before = snapshot_of(agreement)
    body = {
        "organisation": "970540008",
        "decision_body": "kommunestyret",
        "decision_date": "2024-01-10",
    }
    assert post(client, url, body, users["outsider"]).status_code == 403
    response = post(client, url, {**body, "organisation": orgs["5601"].pk}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"organisation": "decision_party"}
    response = post(client, url, {**body, "decision_date": "2099-01-01"}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"parties": "decision_date"}
    response = post(client, url, {**body, "decision_body": ""}, users["hamar"])
    assert response.status_code == 422 and "decision_body" in errors(response)
    assert snapshot_of(agreement) == before
    response = post(client, url, body, users["hamar"])
    assert response.status_code == 200
    response = post(
        client,
        url,
        {
            "organisation": orgs["3412"].pk,
            "decision_body": "kommunestyret",
            "decision_date": "2024-01-12",
            "decision_reference": "24/3",
        },
        users["loten"],
    )
    assert response.status_code == 200
    decided = {
        p["organisation"]: (p["decision_date"], p["decision_reference"])
        for p in response.json()["party_decisions"]
    }
    assert decided[orgs["3403"].pk] == ("2024-01-10", "")
    assert decided[orgs["3412"].pk] == ("2024-01-12", "24/3")
    assert decided[orgs["34"].pk] == (None, "")


def test_api_goals_add_edit_the_second_and_remove(client, agreement, users, orgs):
    url = f"/api/v1/agreements/{agreement.pk}/goals"
    first = post(client, url, {"text": "Flere arbeidsplasser", "sdgs": [8]}, users["county"])
    assert first.status_code == 201 and etag_version(first) == 1
    second = post(
        client,
        url,
        {"text": "Mer liv i sentrum", "sdgs": [11], "sdg_targets": ["11.3"]},
        users["hamar"],
    )
    assert second.status_code == 201
    goal = second.json()
    assert second["Location"] == f"http://testserver{url}/{goal['id']}"
    goal_url = f"{url}/{goal['id']}"

    before = snapshot_of(agreement)
    response = patch(client, goal_url, {"text": "x", "version": 1}, users["outsider"])
    assert response.status_code == 403
    response = patch(
        client, goal_url, {"sdgs": [18], "sdg_targets": ["11.3"], "version": 1}, users["hamar"]
    )
    assert response.status_code == 422 and set(errors(response)) == {"sdgs", "sdg_targets"}
    response = patch(client, goal_url, {"sdgs": None, "version": 1}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"sdgs": "null"}
    response = patch(client, goal_url, {"text": "x", "colour": "red", "version": 1}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"colour": "extra_forbidden"}
    assert snapshot_of(agreement) == before

    response = patch(
        client,
        goal_url,
        {"text": "Mer liv og handel i sentrum", "sdgs": [11, 8], "sdg_targets": ["8.3", "11.3"]},
        users["loten"],
        if_match='"1"',
    )
    assert response.status_code == 200, response.json()
    assert response.json()["sdgs"] == [8, 11] and etag_version(response) == 2
    response = patch(client, goal_url, {"text": "Gammel", "version": 1}, users["loten"])
    assert response.status_code == 409 and response.json()["current_version"] == 2
    goals = client.get(f"/api/v1/agreements/{agreement.pk}").json()["goals"]
    assert [g["text"] for g in goals] == ["Flere arbeidsplasser", "Mer liv og handel i sentrum"]

    response = post(client, f"{goal_url}/remove", {}, users["outsider"])
    assert response.status_code == 403
    response = post(client, f"{goal_url}/remove", {"reason": "Slått sammen"}, users["hamar"])
    assert response.status_code == 200 and response.json()["archived"] is True
    goals = client.get(f"/api/v1/agreements/{agreement.pk}").json()["goals"]
    assert [g["text"] for g in goals] == ["Flere arbeidsplasser"]
    assert post(client, f"{goal_url}/remove", {}, users["hamar"]).status_code == 404
    assert patch(client, goal_url, {"text": "x", "version": 3}, users["hamar"]).status_code == 404
    history = client.get(f"/api/v1/agreements/{agreement.pk}/history").json()["items"]
    assert [i["action"] for i in history[:2]] == ["agreementgoal.archived", "agreementgoal.updated"]
    assert history[0]["reason"] == "Slått sammen"


def test_api_goal_followed_by_a_commitment_stays(client, active_agreement, commitment, users):
    goal = services.goal_add(actor="t", agreement=active_agreement, text="Ladeinfrastruktur")
    services.commitment_update(
        actor="t", commitment=commitment, expected_version=commitment.version, goal=goal
    )
    before = snapshot_of(active_agreement)
    response = post(
        client,
        f"/api/v1/agreements/{active_agreement.pk}/goals/{goal.pk}/remove",
        {},
        users["hamar"],
    )
    assert response.status_code == 422 and errors(response) == {"goal": "goal_in_use"}
    assert "Bygge ut ladeinfrastruktur" in response.json()["errors"][0]["message"]
    assert snapshot_of(active_agreement) == before


def test_api_anchors_add_and_remove(client, agreement, users, orgs):
    plan = services.plan_create(
        actor="t", title="Regional plan", kind="regional_plan", owner=orgs["34"]
    )
    other_plan = services.plan_create(
        actor="t", title="Annen plan", kind="regional_plan", owner=orgs["34"]
    )
    item = services.plan_item_add(actor="t", plan=other_plan, title="Tiltak")
    url = f"/api/v1/agreements/{agreement.pk}/anchors"
    before = snapshot_of(agreement)
    response = post(client, url, {"plan": plan.pk, "item": item.pk}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"item": "anchor_item_in_plan"}
    assert post(client, url, {"plan": plan.pk}, users["outsider"]).status_code == 403
    assert snapshot_of(agreement) == before
    response = post(client, url, {"plan": plan.pk, "note": "Kap. 3"}, users["hamar"])
    assert response.status_code == 201
    anchor = response.json()
    response = post(client, url, {"plan": other_plan.pk, "item": item.pk}, users["hamar"])
    assert response.status_code == 201
    second = response.json()["id"]
    response = post(client, f"{url}/{second}/remove", {}, users["outsider"])
    assert response.status_code == 403
    response = post(client, f"{url}/{second}/remove", {}, users["loten"])
    assert response.status_code == 200 and response.json()["archived"] is True
    anchors = client.get(f"/api/v1/agreements/{agreement.pk}").json()["anchors"]
    assert [a["id"] for a in anchors] == [anchor["id"]]
    # An anchor of one agreement is not found under another.
    other = services.agreement_create(
        actor="t",
        title="Annen avtale",
        kind="partnership",
        period_start=D(2024, 1, 1),
        period_end=D(2025, 12, 31),
        parties=[orgs["34"], orgs["3403"]],
    )
    response = post(
        client, f"/api/v1/agreements/{other.pk}/anchors/{anchor['id']}/remove", {}, users["hamar"]
    )
    assert response.status_code == 404 and problem(response)["code"] == "not_found"


def test_api_documents_add_and_remove_the_second(client, agreement, users):
    url = f"/api/v1/agreements/{agreement.pk}/documents"
    before = snapshot_of(agreement)
    response = post(client, url, {"title": "Avtale", "url": "ikke en adresse"}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"url": "invalid"}
    assert snapshot_of(agreement) == before
    ids = []
    for title in ("Avtale", "Vedlegg"):
        response = post(
            client, url, {"title": title, "url": f"https://example.no/{title}.pdf"}, users["hamar"]
        )
        assert response.status_code == 201 and response["Location"].endswith(
            f"{url}/{response.json()['id']}"
        )
        ids.append(response.json()["id"])

    def remove(pk, user, if_match):
        return client.post(
            f"{url}/{pk}/remove",
            {},
            content_type="application/json",
            headers={**bearer(user), "If-Match": if_match},
        )

    assert remove(ids[1], users["outsider"], '"1"').status_code == 403
    response = remove(ids[0], users["county"], '"7"')
    assert response.status_code == 412 and problem(response)["current_version"] == 1
    response = remove(ids[1], users["county"], '"1"')
    assert response.status_code == 200 and response.json()["archived"] is True
    docs = client.get(f"/api/v1/agreements/{agreement.pk}").json()["documents"]
    assert [d["title"] for d in docs] == ["Avtale"]


def test_api_report_entries_for_the_third_commitment(client, active_agreement, users, orgs):
    made = [
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs[party],
            description=f"Tiltak {n}",
            due_date=D(2025, 6, n),
        )
        for n, party in ((1, "3403"), (2, "3412"), (3, "3412"))
    ]
    url = f"/api/v1/agreements/{active_agreement.pk}/reports"
    report = post(client, url, {}, users["county"])
    assert report.status_code == 201
    assert report["Location"] == f"http://testserver{url}/{report.json()['id']}"
    entries = f"{url}/{report.json()['id']}/entries"
    third = {"commitment": made[2].pk, "status": "dropped", "text": "Utsatt"}
    response = post(client, entries, third, users["hamar"])
    assert response.status_code == 403
    response = post(client, entries, third, users["loten"])
    assert response.status_code == 422 and errors(response) == {"reason": "dropped_reason"}
    response = post(client, entries, {**third, "status": "finished"}, users["loten"])
    assert response.status_code == 422 and set(errors(response)) == {"status"}
    response = post(client, entries, {**third, "reason": "Ikke finansiert"}, users["loten"])
    assert response.status_code == 200
    assert response.json()["missing"] == [made[0].pk, made[1].pk]
    made[2].refresh_from_db()
    assert made[2].status == "dropped" and made[2].status_reason == "Ikke finansiert"
    read = client.get(f"{url}/{report.json()['id']}")
    assert etag_version(read) == 1


def test_api_create_commitment_location_names_the_commitment(client, active_agreement, users):
    response = post(
        client,
        f"/api/v1/agreements/{active_agreement.pk}/commitments",
        {"party": "970540008", "description": "Felles plankontor", "due_date": "2025-06-01"},
        users["hamar"],
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert response["Location"] == f"http://testserver/api/v1/commitments/{pk}"
    assert (
        client.get(response["Location"]).json()["url"] == f"http://testserver/forpliktelser/{pk}/"
    )
    response = post(
        client,
        f"/api/v1/agreements/{active_agreement.pk}/commitments",
        {"party": "970540008", "description": "x", "due_date": "2025-06-01"},
        users["outsider"],
    )
    assert response.status_code == 403 and Commitment.objects.count() == 1


def test_api_renew_location_names_the_new_agreement(client, active_agreement, users):
    response = post(
        client,
        f"/api/v1/agreements/{active_agreement.pk}/renew",
        {"period_start": "2028-01-01", "period_end": "2031-12-31"},
        users["county"],
    )
    assert response.status_code == 201
    assert response["Location"] == f"http://testserver/api/v1/agreements/{response.json()['id']}"


def test_api_plan_items_by_organisation_number(client, users, orgs):
    plan = services.plan_create(
        actor="t", title="Handlingsprogram", kind="other", owner=orgs["3403"]
    )
    url = f"/api/v1/plans/{plan.pk}/items"
    body = {"title": "Gang- og sykkelvei", "responsible": "970540008", "budget": "150000"}
    assert post(client, url, body, users["outsider"]).status_code == 403
    response = post(client, url, {**body, "responsible": "123"}, users["hamar"])
    assert response.status_code == 422 and errors(response) == {"responsible": "invalid"}
    response = post(client, url, body, users["hamar"])
    assert response.status_code == 201 and response.json()["responsible"] == orgs["3403"].pk
    second = post(client, url, {"title": "Ladepunkter", "code": "2"}, users["hamar"])
    assert second.status_code == 201
    items = client.get(f"/api/v1/plans/{plan.pk}").json()["items"]
    assert {i["title"] for i in items} == {"Gang- og sykkelvei", "Ladepunkter"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/commitments?agreement=-1.0553161654467983e%2B91",
        "/api/v1/commitments?party=99999999999999999999999",
        "/api/v1/agreements?party=1.5",
        "/api/v1/plans?election_year=1e30",
        "/api/v1/partnerships?organisation=0",
    ],
)
def test_api_out_of_range_filter_is_422_not_a_server_error(client, db, url):
    """Found by fuzzing: an id the database cannot take was a 500."""
    response = client.get(url)
    assert response.status_code == 422 and response.json()["errors"], response.content
    page = url.replace("/api/v1/commitments", "/forpliktelser/").replace("/api/v1/", "/")
    page = page.replace("/agreements", "/avtaler/").replace("/plans", "/planer/")
    page = page.replace("/partnerships", "/partnerskap/")
    assert client.get(page).status_code == 200, page


def test_api_plan_list_reads_the_sami_area_once_however_many_plans(client, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    owners = [orgs[n] for n in ("3403", "3412", "5601", "5610")]

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/api/v1/plans?page_size=50").status_code == 200
        return sum("samilanguageareamembership" in q["sql"] for q in captured.captured_queries)

    services.plan_create(actor="t", title="Plan 1", kind="other", owner=owners[0])
    assert queries_for_list() == 1
    for index, owner in enumerate(owners * 2, start=2):
        services.plan_create(actor="t", title=f"Plan {index}", kind="other", owner=owner)
    assert queries_for_list() == 1


def test_api_each_listed_agreement_is_the_agreement_read_alone(client, active_agreement, orgs):
    """The list reads parties, goals, anchors, documents and scope its own way (narrow party
    rows, parts as lists): every item is what GET /agreements/{id} gives, the second and
    third goal and a removed one included."""
    from kraftsenter.agreements.services.renewal import agreement_renew
    from kraftsenter.places.models import Municipality

    services.agreement_update(
        actor="t",
        agreement=active_agreement,
        expected_version=None,
        scope_municipalities=list(Municipality.objects.filter(number__in=["3403", "3412"])),
    )
    goals = [
        services.goal_add(actor="t", agreement=active_agreement, text=f"Mål {n}", sdgs=[8])
        for n in range(3)
    ]
    services.goal_archive(actor="t", goal=goals[1])
    plan = services.plan_create(
        actor="t", title="Regional plan", kind="regional_plan", owner=orgs["34"]
    )
    services.anchor_add(actor="t", agreement=active_agreement, plan=plan, note="Kap. 3")
    for n in range(2):
        services.document_add(
            actor="t", agreement=active_agreement, title=f"Avtale {n}", url="https://example.no/"
        )
    renewal = agreement_renew(
        actor="t",
        agreement=active_agreement,
        period_start=dt.date(2028, 1, 1),
        period_end=dt.date(2031, 12, 31),
    )
    items = client.get("/api/v1/agreements?page_size=100").json()["items"]
    assert {item["id"] for item in items} == {active_agreement.pk, renewal.pk}
    for item in items:
        assert item == client.get(f"/api/v1/agreements/{item['id']}").json()
    listed = next(item for item in items if item["id"] == active_agreement.pk)
    assert [g["text"] for g in listed["goals"]] == ["Mål 0", "Mål 2"]
    assert len(listed["documents"]) == 2 and len(listed["anchors"]) == 1
    assert listed["scope_municipalities"] == ["3403", "3412"]
    assert listed["renewed_by"] == renewal.pk
    assert {p["name"] for p in listed["party_decisions"]} == {
        orgs[key].name for key in ("34", "3403", "3412")
    }
