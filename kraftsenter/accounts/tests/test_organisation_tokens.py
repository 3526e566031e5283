"""Organisation tokens: a system acting for an organisation, within the scopes its
administrators gave it, recorded in history as that system on behalf of the organisation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kraftsenter.accounts.models import ApiToken
from kraftsenter.accounts.tokens import organisation_token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return organisation_create(actor="t", name="Hamar frivilligsentral", kind="voluntary")


def user_with(org, role, name):
    user = get_user_model().objects.create_user(name, password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=role)
    return user


def bearer(text):
    return {"Authorization": f"Bearer {text}"}


def test_admin_creates_a_token_on_the_page_and_sees_it_once(client, org):
    admin = user_with(org, Role.ADMIN, "admin1")
    client.force_login(admin)
    response = client.post(
        f"/konto/organisasjoner/{org.pk}/tokener/",
        {"name": "Sakarkivet", "days": "30", "scopes": ["read", "write:organisations"]},
    )
    html = response.content.decode()
    token = ApiToken.objects.get(organisation=org)
    assert response.status_code == 200 and 'id="new-token"' in html
    assert token.scopes == ["read", "write:organisations"] and token.user == admin
    assert token.key_hash not in html  # only the token itself, once; the hash never
    assert "ks_" in client.get(f"/konto/organisasjoner/{org.pk}/tokener/").content.decode()
    assert (
        'id="new-token"'
        not in client.get(f"/konto/organisasjoner/{org.pk}/tokener/").content.decode()
    )


def test_an_editor_may_not_manage_the_organisations_tokens(client, org):
    client.force_login(user_with(org, Role.EDITOR, "red"))
    assert client.get(f"/konto/organisasjoner/{org.pk}/tokener/").status_code == 403
    with pytest.raises(PermissionDenied):
        organisation_token_create(
            actor=get_user_model().objects.get(username="red"),
            organisation=org,
            name="X",
            days=30,
            scopes=["read"],
        )


def test_token_changes_the_organisation_and_history_names_the_system(client, org):
    admin = user_with(org, Role.ADMIN, "admin1")
    _token, text = organisation_token_create(
        actor=admin, organisation=org, name="Sakarkivet", days=30, scopes=["write:organisations"]
    )
    response = client.patch(
        f"/api/v1/organisations/{org.pk}",
        {"version": org.version, "website": "https://hamar.frivillig.no"},
        content_type="application/json",
        headers=bearer(text),
    )
    assert response.status_code == 200, response.json()
    change = history_for(org, include_parts=False).first()
    assert change.actor is None and change.actor_organisation == org
    assert "Sakarkivet" in change.actor_name and org.name in change.actor_name


def test_token_without_the_registers_scope_is_refused_and_writes_nothing(client, org):
    admin = user_with(org, Role.ADMIN, "admin1")
    _token, text = organisation_token_create(
        actor=admin, organisation=org, name="Lesesystem", days=30, scopes=["read"]
    )
    response = client.patch(
        f"/api/v1/organisations/{org.pk}",
        {"version": org.version, "website": "https://x.no"},
        content_type="application/json",
        headers=bearer(text),
    )
    assert response.status_code == 403 and response.json()["code"] == "scope_missing"
    org.refresh_from_db()
    assert org.website == "" and org.version == 1
    # Reading the members, a member's right, is what "read" gives.
    assert (
        client.get(f"/api/v1/organisations/{org.pk}/members", headers=bearer(text)).status_code
        == 200
    )


def test_token_acts_only_for_its_own_organisation(client, org):
    other = organisation_create(actor="t", name="Løten idrettslag", kind="voluntary")
    admin = user_with(org, Role.ADMIN, "admin1")
    _token, text = organisation_token_create(
        actor=admin, organisation=org, name="Sakarkivet", days=30, scopes=["write:organisations"]
    )
    response = client.patch(
        f"/api/v1/organisations/{other.pk}",
        {"version": other.version, "website": "https://x.no"},
        content_type="application/json",
        headers=bearer(text),
    )
    assert response.status_code == 403


@pytest.mark.parametrize("state", ["expired", "revoked"])
def test_expired_or_revoked_token_is_401(client, org, state):
    admin = user_with(org, Role.ADMIN, "admin1")
    token, text = organisation_token_create(
        actor=admin, organisation=org, name="Sakarkivet", days=30, scopes=["read"]
    )
    if state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    else:
        client.force_login(admin)
        client.post(f"/konto/organisasjoner/{org.pk}/tokener/{token.pk}/trekk-tilbake/")
        client.logout()
    response = client.get(f"/api/v1/organisations/{org.pk}", headers=bearer(text))
    assert response.status_code == 401


def test_token_needs_known_scopes_and_an_expiry(org):
    admin = user_with(org, Role.ADMIN, "admin1")
    with pytest.raises(ValidationError) as caught:
        organisation_token_create(
            actor=admin, organisation=org, name="X", days=400, scopes=["write:everything"]
        )
    assert set(caught.value.message_dict) == {"scopes", "days"}
    assert not ApiToken.objects.exists()
