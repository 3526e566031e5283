"""Who may change what: commitments by the owning party's and the lead party's editors; the
agreement by its parties' editors; archived records only for owners' members."""

from __future__ import annotations

import pytest

from kraftsenter.agreements import permissions, services

from .conftest import bearer

pytestmark = pytest.mark.django_db

EDITORS = {"hamar": True, "county": True, "loten": False, "member": False, "outsider": False}


@pytest.mark.parametrize("who,allowed", EDITORS.items())
def test_commitment_edit_page_and_api_for_owning_and_lead_party(
    client, commitment, users, who, allowed
):
    user = users[who]
    assert permissions.COMMITMENT_POLICY.can(user, "edit", commitment) is allowed
    client.force_login(user)
    assert client.get(f"/forpliktelser/{commitment.pk}/endre/").status_code == (
        200 if allowed else 403
    )
    response = client.patch(
        f"/api/v1/commitments/{commitment.pk}",
        {"version": commitment.version, "status": "in_progress"},
        content_type="application/json",
        headers=bearer(user),
    )
    assert response.status_code == (200 if allowed else 403)


def test_agreement_parts_are_changed_by_any_partys_editor(client, active_agreement, users):
    client.force_login(users["loten"])
    response = client.post(
        f"/avtaler/{active_agreement.pk}/mal/ny/", {"text": "Flere unge blir boende"}
    )
    assert response.status_code == 302 and active_agreement.goals.count() == 1
    client.force_login(users["outsider"])
    response = client.post(f"/avtaler/{active_agreement.pk}/mal/ny/", {"text": "x"})
    assert response.status_code == 403 and active_agreement.goals.count() == 1


def test_archived_agreement_is_hidden_from_the_public(client, agreement, users):
    services.agreement_archive(actor="t", agreement=agreement)
    assert client.get(agreement.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/agreements/{agreement.pk}").status_code == 404
    client.force_login(users["member"])
    assert client.get(agreement.get_absolute_url()).status_code == 200


def test_anonymous_writes_are_401_in_the_shared_shape(client, active_agreement):
    response = client.post(
        f"/api/v1/agreements/{active_agreement.pk}/reports", {}, content_type="application/json"
    )
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_commitment_form_offers_own_parties_or_all_to_the_lead(client, active_agreement, users):
    agreement = active_agreement
    loten = users["loten"].memberships.get().organisation_id
    assert permissions.parties_user_may_commit(users["loten"], agreement) == {loten}
    assert len(permissions.parties_user_may_commit(users["county"], agreement)) == 3
    client.force_login(users["loten"])
    html = client.get(f"/avtaler/{agreement.pk}/forpliktelser/ny/").content.decode()
    assert f'<option value="{loten}"' in html
    assert html.count("<option value=") - html.count('<option value=""') == 1 + 5  # + statuses


COMMITMENT_READERS = {
    "anonymous": False,
    "outsider": False,
    "loten": True,  # another party: sees the archived agreement, so its commitments too
    "member": True,  # the owning party's member
    "county": True,  # the lead party
    "site_admin": True,
}


@pytest.mark.parametrize("who,allowed", COMMITMENT_READERS.items())
def test_commitment_of_archived_agreement_is_read_as_the_agreement_is(
    client, commitment, users, admin_user, who, allowed
):
    """Archiving the agreement hides its commitments from everyone who no longer sees the
    agreement, on the page, in the API and in the policy's own check; nothing is lost."""
    agreement = commitment.agreement
    services.agreement_archive(actor="t", agreement=agreement)
    user = {**users, "site_admin": admin_user}.get(who)
    headers = {}
    if user is not None:
        client.force_login(user)
        headers = bearer(user)
    expected = 200 if allowed else 404
    assert client.get(agreement.get_absolute_url()).status_code == expected
    assert client.get(f"/forpliktelser/{commitment.pk}/").status_code == expected
    api = client.get(f"/api/v1/commitments/{commitment.pk}", headers=headers)
    assert api.status_code == expected
    commitment.refresh_from_db()
    assert permissions.COMMITMENT_POLICY.can_view(user, commitment) is allowed
    reader = permissions.visible_commitments(user).filter(pk=commitment.pk)
    assert reader.exists() is allowed


def test_commitment_of_current_agreement_stays_public(client, commitment):
    assert client.get(f"/forpliktelser/{commitment.pk}/").status_code == 200
    assert client.get(f"/api/v1/commitments/{commitment.pk}").status_code == 200
    assert permissions.COMMITMENT_POLICY.can_view(None, commitment)
