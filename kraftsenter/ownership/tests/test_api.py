"""The API: create, read and change through the same services and rules as the pages; hard
rules are 422 naming the rule and the field, warnings come back with their legal source."""

from __future__ import annotations

import pytest

from kraftsenter.accounts.tokens import token_create
from kraftsenter.ownership.models import OwnershipInterest, OwnershipStatement

pytestmark = pytest.mark.django_db


def bearer(user) -> dict:
    _token, text = token_create(actor="t", user=user, name="test", days=1)
    return {"Authorization": f"Bearer {text}"}


def test_an_editor_links_an_interest_to_a_cooperation(client, orgs, iks, editor):
    headers = bearer(editor)
    body = {"holder": orgs["3403"].pk, "kind": "cooperation", "cooperation": iks.pk}
    response = client.post(
        "/api/v1/ownership-interests", body, content_type="application/json", headers=headers
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["cooperation"], data["entity"], data["share"]) == (iks.pk, None, None)
    assert data["entity_name"] == "Innlandet Revisjon IKS" and data["group"] == "companies"
    assert [(w["rule"], w["source"]) for w in data["warnings"]] == [
        ("interest_purpose_missing", "kommuneloven § 26-1 andre ledd bokstav c")
    ]
    response = client.patch(
        f"/api/v1/ownership-interests/{data['id']}",
        {"version": data["version"], "purpose": "Uavhengig revisjon."},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 200 and response.json()["warnings"] == []


def test_a_hard_rule_is_422_naming_rule_and_field_and_writes_nothing(client, orgs, editor):
    body = {
        "holder": orgs["3403"].pk,
        "kind": "municipal_enterprise",
        "entity": orgs["kf"].pk,
        "share": 100,
    }
    response = client.post(
        "/api/v1/ownership-interests",
        body,
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 422
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("share", "interest_share_enterprise")
    ]
    assert not OwnershipInterest.objects.exists()


def test_an_editor_registers_interests_only_for_their_own_municipality(client, orgs, editor):
    body = {"holder": orgs["3412"].pk, "kind": "as_wholly_owned", "entity": orgs["as"].pk}
    response = client.post(
        "/api/v1/ownership-interests",
        body,
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 403
    assert not OwnershipInterest.objects.exists()


def test_a_statement_by_another_body_is_saved_with_its_warning(client, orgs, editor):
    body = {
        "holder": orgs["3403"].pk,
        "kind": "ownership_statement",
        "adopted_on": "2024-06-20",
        "adopting_body": "other_body",
    }
    response = client.post(
        "/api/v1/ownership-statements",
        body,
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 201
    assert [w["rule"] for w in response.json()["warnings"]] == ["statement_by_council"]
    assert OwnershipStatement.objects.get().adopting_body == "other_body"
    listed = client.get("/api/v1/ownership-statements?municipality=3403").json()
    assert listed["count"] == 1
    assert client.get("/api/v1/ownership-statements?municipality=3412").json()["count"] == 0
