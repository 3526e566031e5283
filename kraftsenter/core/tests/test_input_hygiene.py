"""Input no database can store is refused with a plain answer before any permission or
database work: NUL characters in addresses, forms and JSON, lone surrogates in JSON. Found by
the reliability probe (500 on PostgreSQL, and stored NULs on SQLite)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import membership_add, organisation_create

pytestmark = pytest.mark.django_db
BAD_TEXT = ["a\x00b", "a\ud800b", "\udfff"]


@pytest.fixture
def editor(db):
    org = organisation_create(actor="t", name="Løten frivilligsentral", kind="voluntary")
    user = get_user_model().objects.create_user("r", password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=Role.EDITOR)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"org": org, "user": user, "auth": {"Authorization": f"Bearer {text}"}}


@pytest.fixture
def outsider(db):
    user = get_user_model().objects.create_user("utenfor", password="x-long-password-1")
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"Authorization": f"Bearer {text}"}


def send(client, method, url, body, headers):
    # ensure_ascii keeps a lone surrogate as the JSON escape \ud800, as a client would send it.
    return getattr(client, method)(
        url, json.dumps(body, ensure_ascii=True), content_type="application/json", headers=headers
    )


@pytest.mark.parametrize("text", BAD_TEXT)
def test_api_refuses_unstorable_text_in_a_change_naming_the_field(client, editor, text):
    org = editor["org"]
    response = send(
        client,
        "patch",
        f"/api/v1/organisations/{org.pk}",
        {"version": 1, "description": text},
        editor["auth"],
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["description"]
    org.refresh_from_db()
    assert org.version == 1 and org.description == ""


@pytest.mark.parametrize("text", BAD_TEXT)
def test_api_refuses_unstorable_text_in_a_create_and_in_lists(client, editor, text):
    response = send(
        client,
        "post",
        "/api/v1/organisations",
        {"name": text, "kind": "voluntary"},
        editor["auth"],
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "name"
    # Inside a list of a second register: an agreement's parties.
    response = send(
        client,
        "post",
        "/api/v1/agreements",
        {"title": "Avtale", "kind": "other", "parties": [editor["org"].pk, text]},
        editor["auth"],
    )
    assert response.status_code == 422
    assert Organisation.objects.count() == 1


@pytest.mark.parametrize("text", BAD_TEXT)
def test_an_outsider_gets_the_input_error_not_a_server_error(client, editor, outsider, text):
    # Checked before any permission or database work.
    response = send(
        client,
        "patch",
        f"/api/v1/organisations/{editor['org'].pk}",
        {"version": 1, "website": text},
        outsider,
    )
    assert response.status_code == 422


@pytest.mark.parametrize(
    "url, field",
    [
        ("/api/v1/places/search?q=a%00b", "q"),
        ("/api/v1/organisations?q=a%00b", "q"),
        ("/api/v1/scenarios?region=%00", "region"),
        ("/api/v1/commitments?q=%00&page=2", "q"),
    ],
)
def test_api_refuses_a_nul_in_the_address_naming_the_parameter(client, db, url, field):
    response = client.get(url)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == field


@pytest.mark.parametrize("url", ["/sok/?q=a%00b", "/organisasjoner/?q=%00", "/avtaler/?q=%00"])
def test_pages_answer_a_nul_in_the_address_with_a_plain_400(client, db, url):
    response = client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "NUL" in html and "<h1" in html


def test_a_form_with_a_nul_is_refused_and_nothing_is_stored(client, editor):
    org = editor["org"]
    client.force_login(editor["user"])
    response = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {"name": "Nytt\x00navn", "kind": "voluntary", "version": 1},
    )
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.name == "Løten frivilligsentral" and org.version == 1


def _operations_with_a_body():
    from config.api import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    for path, item in schema["paths"].items():
        for method, op in item.items():
            content = op.get("requestBody", {}).get("content", {}).get("application/json")
            if not content:
                continue
            ref = content["schema"].get("$ref", "")
            body = components.get(ref.rsplit("/", 1)[-1], {})
            required = set(body.get("required", []))
            for prop, spec in body.get("properties", {}).items():
                nullable = spec.get("type") == "null" or any(
                    a.get("type") == "null" for a in spec.get("anyOf", [])
                )
                if not nullable:
                    yield method, path, prop, prop in required


@pytest.mark.parametrize(
    "method, path, prop, required",
    list(_operations_with_a_body()),
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_null_where_a_value_is_needed_is_422_for_every_operation(
    client, outsider, method, path, prop, required
):
    # The probe found null in list fields answered 500 (before the permission check).
    url = re.sub(r"\{[^}]+\}", "1", path)
    response = send(client, method, url, {prop: None}, outsider)
    assert response.status_code == 422, (response.status_code, response.content[:300])
    assert prop in {e["field"].split(".")[0] for e in response.json()["errors"]}
