"""Every register: one history record per change with the right actor; permissions as a matrix
(anonymous, outsider, member, editor, organisation admin, site admin) on pages and API."""

from __future__ import annotations

import importlib

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.core.history import history_for
from kraftsenter.core.testing import CONTRACT_MODULES, ROLES

CONTRACTS = [importlib.import_module(m).CONTRACT for m in CONTRACT_MODULES]
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    """Two organisations and one user per role (outsider = editor of the other one)."""
    owner = organisation_create(
        actor="test", name="Eierforeningen", kind=OrganisationKind.ASSOCIATION
    )
    other = organisation_create(
        actor="test", name="Andreforeningen", kind=OrganisationKind.ASSOCIATION
    )
    User = get_user_model()
    users = {"anonymous": None}
    for role, org, org_role in (
        ("outsider", other, Role.EDITOR),
        ("member", owner, Role.MEMBER),
        ("editor", owner, Role.EDITOR),
        ("org_admin", owner, Role.ADMIN),
    ):
        user = User.objects.create_user(role, password="x-long-password-1")
        membership_add(actor="test", organisation=org, user=user, role=org_role)
        users[role] = user
    users["site_admin"] = User.objects.create_user(
        "site", password="x-long-password-1", is_superuser=True
    )
    return {"owner": owner, "other": other, "users": users}


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


def bearer(user) -> dict:
    if user is None:
        return {}
    _token, text = token_create(actor="test", user=user, name="test", days=1)
    return {"Authorization": f"Bearer {text}"}


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_register_update_and_archive_each_write_exactly_one_record_with_actor(contract, world):
    record = contract.make(world["owner"])
    editor, admin = world["users"]["editor"], world["users"][contract.archiver]

    before = history_for(record).count()
    record = contract.update(editor, record)
    assert history_for(record).count() == before + 1
    latest = history_for(record).first()
    assert latest.actor == editor and latest.action.endswith(".updated")
    contract.archive(admin, record)
    latest = history_for(record).first()
    assert history_for(record).count() == before + 2
    assert latest.actor == admin and latest.action.endswith(".archived")


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_register_page_detail_readable_by_everyone(contract, role, world, client):
    record = contract.make(world["owner"])
    response = client_as(client, world["users"][role]).get(contract.detail_url(record))
    assert response.status_code == 200


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_register_page_edit_only_for_edit_roles(contract, role, world, client):
    record = contract.make(world["owner"])
    client = client_as(client, world["users"][role])
    data = contract.page_edit_data(record)
    response = client.post(contract.edit_url(record), data)
    record.refresh_from_db()
    if role == "anonymous":
        assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
        assert record.version == data["version"]
    elif role in contract.edit_roles:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert record.version == data["version"] + 1
    else:
        assert response.status_code == 403
        assert "ikke tilgang" in response.content.decode()
        assert record.version == data["version"]


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_register_page_archive_only_for_archive_roles(contract, role, world, client):
    record = contract.make(world["owner"])
    client = client_as(client, world["users"][role])
    response = client.post(contract.archive_url(record), {"version": record.version, "reason": "r"})
    record.refresh_from_db()
    if role in contract.archive_roles:
        assert response.status_code == 302 and record.archived_at is not None
    elif role == "anonymous":
        assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
        assert record.archived_at is None
    else:
        assert response.status_code == 403 and record.archived_at is None


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
@pytest.mark.parametrize("role", ROLES)
def test_register_api_patch_matrix(contract, role, world, client):
    record = contract.make(world["owner"])
    user = world["users"][role]
    patch = contract.api_patch(record)
    response = client.patch(
        contract.api_url(record), patch, content_type="application/json", headers=bearer(user)
    )
    body = response.json()
    expected = 200 if role in contract.edit_roles else (401 if user is None else 403)
    assert response.status_code == expected, body
    if expected != 200:
        assert set(body) >= {"status", "code", "message", "errors"}
    record.refresh_from_db()
    assert record.version == patch["version"] + (1 if expected == 200 else 0)


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_register_api_stale_version_is_409_with_current_version(contract, world, client):
    record = contract.make(world["owner"])
    stale = contract.api_patch(record)
    contract.update(world["users"]["editor"], record)
    response = client.patch(
        contract.api_url(record),
        stale,
        content_type="application/json",
        headers=bearer(world["users"]["editor"]),
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == stale["version"] + 1


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda c: c.name)
def test_register_page_stale_version_shows_changes_and_keeps_input(contract, world, client):
    record = contract.make(world["owner"])
    data = contract.page_edit_data(record)
    contract.update(world["users"]["editor"], record)
    client.force_login(world["users"]["editor"])
    response = client.post(contract.edit_url(record), data)
    html = response.content.decode()
    assert response.status_code == 409
    assert data[contract.text_field] in html  # the user's input is kept

    assert f'name="version" value="{data["version"] + 1}"' in html
