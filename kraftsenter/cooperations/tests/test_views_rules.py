"""The rules by the letter of the law as users meet them: the cooperation page's "what is
missing", the notice period with the withdrawal terms and each withdrawal, the agreement-version
form of a host-municipality cooperation, the new fields through the page and the API, and their
history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import translation

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations import services
from kraftsenter.cooperations.choices import Authority, Status
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import ParticipantInput

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-red", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


def bearer(user) -> dict:
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"Authorization": f"Bearer {text}"}


@pytest.fixture
def host_coop(orgs):
    """An active administrative host cooperation of Hamar, Løten and Alta, notice not recorded."""
    coop = services.cooperation_create(
        actor="t",
        name="Barnevern Hamar",
        legal_form="host_administrative",
        areas=["child_welfare"],
        host=orgs["3403"],
        start_date=dt.date(2021, 1, 1),
        participants=[ParticipantInput(orgs[n]) for n in ("3403", "3412", "5601")],
    )
    version = services.agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes(coop.legal_form))
    )
    for n in ("3403", "3412", "5601"):
        services.council_decision_record(
            actor="t",
            agreement_version=version,
            organisation=orgs[n],
            decided_on=dt.date(2020, 12, 1),
        )
    coop.refresh_from_db()
    return services.cooperation_update(
        actor="t", cooperation=coop, expected_version=coop.version, status=Status.ACTIVE
    )


def test_detail_page_shows_the_statsforvalter_follow_up_and_notice_period(client, host_coop):
    html = client.get(f"/samarbeid/{host_coop.pk}/").content.decode()
    assert "§ 20-4" in html and "§ 20-8" in html  # the follow-up and the notice period


def test_detail_page_lists_each_withdrawal_with_the_notice_period(client, host_coop, orgs):
    for remaining in (("3403", "3412"), ("3403", "3412", "5601"), ("3403", "5601")):
        host_coop.refresh_from_db()
        services.cooperation_set_participants(
            actor="t",
            cooperation=host_coop,
            expected_version=host_coop.version,
            participants=[ParticipantInput(orgs[n]) for n in remaining],
        )
    html = client.get(f"/samarbeid/{host_coop.pk}/").content.decode()
    start = html.index("<table", html.index("</table>"))  # after the participants' table
    table = html[start : html.index("</table>", start)]
    assert "Løten kommune" in table and "Alta kommune" in table  # Alta withdrew, then rejoined
    assert table.count("kommuneloven § 20-8 andre ledd") == 2


def test_api_read_has_missing_notice_and_withdrawals(client, host_coop, orgs, editor):
    services.cooperation_set_participants(
        actor="t",
        cooperation=host_coop,
        expected_version=host_coop.version,
        participants=[ParticipantInput(orgs["3403"]), ParticipantInput(orgs["3412"])],
    )
    body = client.get(f"/api/v1/cooperations/{host_coop.pk}", headers=bearer(editor)).json()
    assert body["activation_problems"] == []
    assert {m["rule"]: m["source"] for m in body["missing"]}["statsforvalter"] == (
        "kommuneloven § 20-4 femte ledd"
    )
    assert body["withdrawal_notice"]["months"] == 12
    assert body["withdrawal_notice"]["source"] == "kommuneloven § 20-8 andre ledd"
    assert [w["name"] for w in body["withdrawals"]] == ["Alta kommune"]


def test_participants_page_shows_the_notice_period(client, host_coop, editor):
    client.force_login(editor)
    html = client.get(f"/samarbeid/{host_coop.pk}/deltakere/").content.decode()
    assert "kommuneloven § 20-8 andre ledd" in html


def test_agreement_version_form_of_a_host_cooperation_has_no_representantskap(
    client, host_coop, ipr_data, editor
):
    client.force_login(editor)
    html = client.get(f"/samarbeid/{host_coop.pk}/avtale/ny/").content.decode()
    assert 'name="adopted_by_representantskap_on"' not in html
    ipr = services.cooperation_create(actor="t", **ipr_data)
    html = client.get(f"/samarbeid/{ipr.pk}/avtale/ny/").content.decode()
    assert 'name="adopted_by_representantskap_on"' in html


def test_api_refuses_a_representantskap_date_for_a_host_cooperation(client, host_coop, editor):
    response = client.post(
        f"/api/v1/cooperations/{host_coop.pk}/agreement-versions",
        {"summary": "Endret møteplan", "adopted_by_representantskap_on": "2022-01-01"},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 422
    assert host_coop.agreement_versions.count() == 1


def test_edit_page_saves_authority_and_daily_manager_and_history_shows_labels(
    client, ipr_data, editor
):
    coop = services.cooperation_create(actor="t", **ipr_data)
    client.force_login(editor)
    data = {
        "name": coop.name,
        "legal_form": "ipr",
        "areas": ["regional_policy"],
        "status": "planned",
        "published": "on",
        "version": coop.version,
        "authority": ["internal", "grants"],
        "authority_description": "Tilskudd til regionale næringsprosjekter",
        "daily_manager": "Dag Leder",
        "start_date": "2020-01-01",
    }
    response = client.post(f"/samarbeid/{coop.pk}/endre/", data)
    assert response.status_code == 302, response.content.decode()[:800]
    coop.refresh_from_db()
    assert (coop.authority, coop.daily_manager) == (["internal", "grants"], "Dag Leder")
    history = client.get(f"/samarbeid/{coop.pk}/historikk/").content.decode()
    with translation.override("nb"):
        label = str(Authority.GRANTS.label)
    assert "Dag Leder" in history and label in history  # labels, not codes
    detail = client.get(f"/samarbeid/{coop.pk}/").content.decode()
    assert "Tilskudd til regionale næringsprosjekter" in detail


def test_edit_page_refuses_individual_decisions_for_an_ipr(client, ipr_data, editor):
    coop = services.cooperation_create(actor="t", **ipr_data)
    client.force_login(editor)
    data = {
        "name": coop.name,
        "legal_form": "ipr",
        "areas": ["regional_policy"],
        "status": "planned",
        "published": "on",
        "version": coop.version,
        "authority": ["individual"],
        "start_date": "2020-01-01",
    }
    response = client.post(f"/samarbeid/{coop.pk}/endre/", data)
    assert response.status_code == 422 and "§ 18-1" in response.content.decode()
    assert Cooperation.objects.get(pk=coop.pk).authority == []


def test_api_patch_sets_authority_and_notice(client, orgs, editor):
    coop = services.cooperation_create(
        actor="t",
        name="Revisjon Innlandet IKS",
        legal_form="iks",
        areas=["audit"],
        participants=[
            ParticipantInput(orgs["3403"], Decimal("70")),
            ParticipantInput(orgs["iks"], Decimal("30")),
        ],
    )
    response = client.patch(
        f"/api/v1/cooperations/{coop.pk}",
        {"version": coop.version, "authority": ["tasks"], "withdrawal_notice_months": 6},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["authority"] == ["tasks"] and body["withdrawal_notice"]["months"] == 6
    response = client.patch(
        f"/api/v1/cooperations/{coop.pk}",
        {"version": body["version"], "authority": ["nonsense"]},
        content_type="application/json",
        headers=bearer(editor),
    )
    assert response.status_code == 422
