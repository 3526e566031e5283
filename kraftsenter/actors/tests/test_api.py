"""The organisations API: create, validation messages, filters, history, auth."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.services import membership_add, organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(small_places):
    org = organisation_create(
        actor="test", name="Hjemforeningen", kind=OrganisationKind.ASSOCIATION
    )
    user = get_user_model().objects.create_user("redaktor", password="x-long-password-1")
    membership_add(actor="test", organisation=org, user=user, role=Role.EDITOR)
    _token, text = token_create(actor="test", user=user, name="t", days=1)
    return {"user": user, "org": org, "auth": {"Authorization": f"Bearer {text}"}}


def post(client, body, auth):
    return client.post("/api/v1/organisations", body, content_type="application/json", headers=auth)


def test_api_create_organisation_returns_201_with_documented_fields(client, editor):
    response = post(
        client,
        {
            "name": "Løten frivilligsentral",
            "kind": "voluntary",
            "municipality": "3412",
            "organisation_number": "974760673",
        },
        editor["auth"],
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "name", "organisation_number", "kind", "municipality", "version"} <= set(body)
    assert body["municipality"] == "3412" and body["version"] == 1 and body["kind"] == "voluntary"


@pytest.mark.parametrize(
    "field,value",
    [
        ("organisation_number", "974760674"),
        ("municipality", "9999"),
        ("kind", "spaceship"),
        ("name", ""),
    ],
)
def test_api_create_bad_field_is_422_naming_the_field_and_writes_nothing(
    client, editor, field, value
):
    body = {"name": "Ny", "kind": "voluntary", field: value}
    response = post(client, body, editor["auth"])
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert client.get("/api/v1/organisations", {"q": "Ny"}).json()["count"] == 0


def test_api_create_without_auth_is_401(client, editor):
    assert post(client, {"name": "X", "kind": "voluntary"}, {}).status_code == 401


@pytest.mark.parametrize(
    "header,fragment", [("Bearer ks_unknown", "ikke kjent"), ("Basic abc", "Bearer")]
)
def test_api_wrong_token_is_401_with_reason(client, editor, header, fragment):
    response = client.get("/api/v1/organisations", headers={"Authorization": header})
    assert response.status_code == 401 and fragment in response.json()["detail"]


def test_api_session_write_without_csrf_token_is_refused(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor["user"])
    org = editor["org"]
    response = client.patch(
        f"/api/v1/organisations/{org.pk}",
        {"version": 1, "website": "https://x.no"},
        content_type="application/json",
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.version == 1


def test_api_list_filters_by_kind_and_county(client, editor):
    organisation_create(
        actor="test",
        name="Finnmark-laget",
        kind=OrganisationKind.ASSOCIATION,
        county=__import__("kraftsenter.places.models", fromlist=["County"]).County.objects.get(
            number="56"
        ),
    )
    body = client.get("/api/v1/organisations", {"kind": "association", "county": "56"}).json()
    assert [o["name"] for o in body["items"]] == ["Finnmark-laget"]


def test_api_list_unknown_kind_is_422(client, editor):
    response = client.get("/api/v1/organisations", {"kind": "spaceship"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "kind"


def test_api_history_lists_changes_newest_first(client, editor):
    org = editor["org"]
    client.patch(
        f"/api/v1/organisations/{org.pk}",
        {"version": 1, "website": "https://x.no"},
        content_type="application/json",
        headers=editor["auth"],
    )
    items = client.get(f"/api/v1/organisations/{org.pk}/history").json()["items"]
    assert [i["action"] for i in items] == ["organisation.updated", "organisation.created"]
    assert items[0]["actor"] == "redaktor" and items[0]["after"]["website"] == "https://x.no"


def test_api_archive_and_restore_keep_the_record(client, small_places, django_user_model):
    org = organisation_create(actor="test", name="Arkivlaget", kind=OrganisationKind.ASSOCIATION)
    admin = django_user_model.objects.create_user(
        "site", password="x-long-password-1", is_superuser=True
    )
    client.force_login(admin)
    archived = client.post(
        f"/api/v1/organisations/{org.pk}/archive",
        {"version": 1, "reason": "dublett"},
        content_type="application/json",
    ).json()
    assert archived["archived"] is True
    client.logout()
    assert client.get(f"/api/v1/organisations/{org.pk}").status_code == 404  # hidden from public
    client.force_login(admin)
    restored = client.post(
        f"/api/v1/organisations/{org.pk}/restore", {"version": 2}, content_type="application/json"
    ).json()
    assert restored["archived"] is False and restored["version"] == 3


def test_api_organisation_list_query_count_constant(client, editor):
    for i in range(30):
        organisation_create(actor="test", name=f"Lag {i:02d}", kind=OrganisationKind.ASSOCIATION)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/organisations", {"page_size": 2})
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/organisations", {"page_size": 200})
    assert len(many) <= len(few)  # more rows, no more queries (a full page also counts)


def test_api_list_unknown_municipality_number_is_422(client, editor):
    response = client.get("/api/v1/organisations", {"municipality": "9999"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "municipality"
    assert "9999" in response.json()["errors"][0]["message"]


def test_api_create_with_municipality_fills_its_county(client, editor):
    body = post(
        client, {"name": "Lag", "kind": "association", "municipality": "5610"}, editor["auth"]
    ).json()
    assert body["county"] == "56"
    listed = client.get("/api/v1/organisations", {"county": "56"}).json()["items"]
    assert [o["name"] for o in listed] == ["Lag"]


def test_api_creator_administers_the_new_organisation_members_and_contacts(client, editor):
    auth = editor["auth"]
    created = post(client, {"name": "Elverum idrettslag", "kind": "association"}, auth)
    assert created.status_code == 201 and created["Location"].endswith(
        f"/api/v1/organisations/{created.json()['id']}"
    )
    url = created["Location"].removeprefix("http://testserver")
    members = client.get(f"{url}/members", headers=auth).json()
    assert [(m["username"], m["role"]) for m in members] == [("redaktor", "admin")]
    # The creator can change it afterwards, and add a second and a third member.
    changed = client.patch(
        url,
        {"website": "https://eil.no"},
        content_type="application/json",
        headers={**auth, "If-Match": created["ETag"]},
    )
    assert changed.status_code == 200
    for name in ("andre", "tredje"):
        get_user_model().objects.create_user(name, password="x-long-password-1")
        added = client.post(
            f"{url}/members",
            {"username": name, "role": "editor"},
            content_type="application/json",
            headers=auth,
        )
        assert added.status_code == 201, added.json()
    roles = {m["username"]: m["role"] for m in client.get(f"{url}/members", headers=auth).json()}
    assert roles == {"redaktor": "admin", "andre": "editor", "tredje": "editor"}
    # Contact persons: the second one too; removing archives.
    for person in ("Kari Nordmann", "Ola Nordmann"):
        response = client.post(
            f"{url}/contacts", {"name": person}, content_type="application/json", headers=auth
        )
        assert response.status_code == 201
    second = response.json()["id"]
    removed = client.post(f"{url}/contacts/{second}/remove", headers=auth)
    assert removed.status_code == 200
    assert [c["name"] for c in client.get(f"{url}/contacts").json()] == ["Kari Nordmann"]


def test_api_members_are_not_shown_to_outsiders(client, editor):
    org = editor["org"]
    assert client.get(f"/api/v1/organisations/{org.pk}/members").status_code == 401
    outsider = get_user_model().objects.create_user("utenfor", password="x-long-password-1")
    _token, text = token_create(actor="test", user=outsider, name="t", days=1)
    response = client.get(
        f"/api/v1/organisations/{org.pk}/members", headers={"Authorization": f"Bearer {text}"}
    )
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
