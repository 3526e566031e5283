"""Consultation pages and API: the public register, publicity of exempt material, the steps."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.consultations import services

from .conftest import assessments, in_consultation, screen

pytestmark = pytest.mark.django_db


def user_in(org, role=Role.EDITOR, name=None):
    user = get_user_model().objects.create_user(
        name or f"u{org.pk}{role}", password="x-long-password-1"
    )
    membership_add(actor="t", organisation=org, user=user, role=role)
    return user


@pytest.fixture
def running(case, sami):
    case = in_consultation(case, sami)
    services.meeting_with_protocol_add(
        actor="t",
        consultation=case,
        held_on=dt.date(2026, 4, 2),
        place="Karasjok",
        matter="Planen for Karasjok",
        assessments="Distriktet: beiteland må sikres.",
        conclusions="Enighet om trasé",
        agreement="reached",
        sami_language="se",
        matter_sami="Kárášjoga plána",
        assessments_sami="Orohat: guohtuneatnamat.",
        conclusions_sami="Ovttamielalašvuohta",
    )
    services.document_add(
        actor="t",
        consultation=case,
        title="Intern vurdering",
        url="https://example.no/intern",
        access="exempt",
        exemption_basis="offl_13",
        shared_with=[sami["district"]],
    )
    services.document_add(
        actor="t", consultation=case, title="Planforslag", url="https://example.no/plan"
    )
    case.refresh_from_db()
    return case


def test_register_lists_case_for_everyone(client, running):
    html = client.get("/konsultasjoner/").content.decode()
    assert running.title in html and "Sametinget" in html


def test_exempt_document_only_for_authority_and_named_party(client, running, sami):
    url = running.get_absolute_url()
    assert "Intern vurdering" not in client.get(url).content.decode()
    assert "Planforslag" in client.get(url).content.decode()
    client.force_login(user_in(sami["sametinget"], name="sametinget"))
    assert "Intern vurdering" not in client.get(url).content.decode()  # not shared with them
    client.force_login(user_in(sami["district"], name="district"))
    assert "Intern vurdering" in client.get(url).content.decode()
    client.force_login(user_in(sami["karasjok"], name="authority"))
    assert "Intern vurdering" in client.get(url).content.decode()


def test_unpublished_case_hidden_from_public_shown_to_party(client, case, sami):
    services.consultation_update(actor="t", consultation=case, expected_version=1, published=False)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get("/api/v1/consultations").json()["count"] == 0
    client.force_login(user_in(sami["district"]))
    assert client.get(case.get_absolute_url()).status_code == 200


def test_protocol_print_shows_norwegian_and_sami_side_by_side(client, running):
    protocol_id = client.get(f"/api/v1/consultations/{running.pk}/protocols").json()[0]["id"]
    html = client.get(f"/konsultasjoner/{running.pk}/protokoller/{protocol_id}/").content.decode()
    assert 'lang="nb"' in html and 'lang="se"' in html
    assert "Kárášjoga plána" in html and "ks-signature-line" in html


def test_exempt_protocol_hidden_from_public_api(client, case, sami):
    case = in_consultation(case, sami)
    services.meeting_with_protocol_add(
        actor="t",
        consultation=case,
        held_on=dt.date(2026, 4, 2),
        matter="m",
        assessments="a",
        conclusions="c",
        agreement="partly",
        access="exempt",
        exemption_basis="offl_13",
    )
    assert client.get(f"/api/v1/consultations/{case.pk}/protocols").json() == []
    client.force_login(user_in(sami["district"]))
    assert len(client.get(f"/api/v1/consultations/{case.pk}/protocols").json()) == 1


def test_api_case_has_documented_fields_and_filters(client, running, sami):
    body = client.get(f"/api/v1/consultations/{running.pk}").json()
    assert {"id", "title", "authority", "status", "parties", "version"} <= set(body)
    assert set(body["parties"]) == {sami["sametinget"].pk, sami["district"].pk}
    for params, count in (
        ({"level": "municipality"}, 1),
        ({"level": "state"}, 0),
        ({"municipality": "5610"}, 1),
        ({"status": "in_consultation"}, 1),
        ({"party": sami["district"].pk}, 1),
        ({"party": sami["firm"].pk}, 0),
    ):
        assert client.get("/api/v1/consultations", params).json()["count"] == count, params


def test_api_unknown_municipality_filter_is_422(client, running):
    assert client.get("/api/v1/consultations", {"municipality": "9999"}).status_code == 422


def test_screening_page_for_authority_only(client, case, sami):
    client.force_login(user_in(sami["district"]))
    assert client.get(f"/konsultasjoner/{case.pk}/vurdering/").status_code == 403
    client.force_login(user_in(sami["karasjok"], name="auth"))
    response = client.post(
        f"/konsultasjoner/{case.pk}/vurdering/",
        {
            "direct_effect": "true",
            "general_matter": "false",
            "natural_basis": "true",
            "traditional_area": "true",
            "reasoning": "Berører reinbeite.",
            "result": "required",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.screening_result == "required"


def test_notice_page_bad_deadline_is_422_and_nothing_changes(client, case, sami):
    screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    client.force_login(user_in(sami["karasjok"]))
    response = client.post(
        f"/konsultasjoner/{case.pk}/varsel/",
        {
            "sent_on": "2026-03-01",
            "content": "Varsel",
            "response_deadline": "2026-02-01",
            "version": case.version,
        },
    )
    case.refresh_from_db()
    assert response.status_code == 422 and case.notice_sent_on is None


def test_party_records_its_own_answer(client, case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    case = services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="x",
        response_deadline=dt.date(2026, 4, 1),
    )
    party = case.parties.get()
    client.force_login(user_in(sami["district"]))
    response = client.post(
        f"/konsultasjoner/{case.pk}/parter/{party.pk}/svar/",
        {"response": "wants", "responded_on": "2026-03-10"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "in_consultation"


def test_decision_before_conclusion_is_flagged_on_the_page(client, running):
    services.decision_record(
        actor="t",
        consultation=running,
        expected_version=running.version,
        decided_on=dt.date(2026, 4, 20),
        summary="Vedtatt",
        assessment_documents=assessments(running),
    )
    assert "§ 4-9" in client.get(running.get_absolute_url()).content.decode()
