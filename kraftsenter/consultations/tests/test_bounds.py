"""Bounds of consultations (docs/bounds.md): the extreme valid value of every field never
breaks a page, a CSV download or the API; a value out of bounds is refused on the page, in the
API and by the service, naming the field, with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.accounts.tokens import token_create
from kraftsenter.consultations import services
from kraftsenter.consultations.models import Consultation, InformationEntry, Meeting, Party
from kraftsenter.core import bounds
from kraftsenter.core.tests.extremes import crawl, store_extremes

from .conftest import assessments, in_consultation, screen
from .test_views_api import user_in

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["earliest", "latest"])
def extremes(request, case, sami):
    """A case in consultation with parties, information, a document and a meeting with its
    protocol (one public, one exempt), every field at its extreme."""
    high = request.param == "latest"
    case = in_consultation(case, sami)
    information = services.information_add(
        actor="t", consultation=case, shared_on=dt.date(2026, 3, 5), content="Kart"
    )
    document = services.document_add(
        actor="t",
        consultation=case,
        title="Planforslag",
        url="https://www.example.no/plan.pdf",
        access="exempt",
        exemption_basis="other",
        exemption_note="Annet",
    )
    services.meeting_with_protocol_add(
        actor="t",
        consultation=case,
        held_on=dt.date(2026, 4, 2),
        matter="Saken",
        assessments="Vurderinger",
        conclusions="Konklusjon",
        agreement="reached",
        sami_language="se",
        matter_sami="Ášši",
    )
    case.refresh_from_db()
    for record in [
        case,
        information,
        document,
        *case.parties.all(),
        *case.meetings.all(),
        *[m.protocol for m in case.meetings.all()],
    ]:
        store_extremes(record, high=high)
    return Consultation.objects.get(pk=case.pk)


def test_extreme_values_of_every_field_render_on_every_page_csv_and_api(client, extremes, sami):
    case = extremes
    assert len(case.notice_content) == bounds.LONG_TEXT_LENGTH
    protocol = case.meetings.get().protocol
    seeds = [
        "/konsultasjoner/",
        "/konsultasjoner/?format=csv",
        f"/konsultasjoner/{case.pk}/",
        f"/konsultasjoner/{case.pk}/protokoller/{protocol.pk}/",
        "/api/v1/consultations",
        f"/api/v1/consultations/{case.pk}",
        f"/api/v1/consultations/{case.pk}/history",
        f"/api/v1/consultations/{case.pk}/parties",
        f"/api/v1/consultations/{case.pk}/parties/{case.parties.first().pk}",
        f"/api/v1/consultations/{case.pk}/information",
        f"/api/v1/consultations/{case.pk}/information/{case.information.get().pk}",
        f"/api/v1/consultations/{case.pk}/documents",
        f"/api/v1/consultations/{case.pk}/documents/{case.documents.get().pk}",
        f"/api/v1/consultations/{case.pk}/protocols",
        f"/api/v1/consultations/{case.pk}/meetings/{case.meetings.get().pk}/protocol",
        "/api/v1/changes",
    ]
    assert crawl(client, seeds)[f"/konsultasjoner/{case.pk}/"] == 200
    client.force_login(user_in(sami["karasjok"]))  # the authority sees the exempt document
    seen = crawl(client, seeds)
    assert seen[f"/konsultasjoner/{case.pk}/endre/"] == 200
    assert seen[f"/konsultasjoner/{case.pk}/protokoller/{protocol.pk}/"] == 200


# --- out of bounds: refused, naming the field, nothing written --------------------------------


@pytest.fixture
def authority(sami):
    user = user_in(sami["karasjok"])
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    user.auth = {"Authorization": f"Bearer {text}"}
    return user


def test_api_notice_dated_out_of_range_is_422_and_changes_nothing(client, case, authority):
    case = screen(case)
    response = client.post(
        f"/api/v1/consultations/{case.pk}/notice",
        {
            "version": case.version,
            "notice_sent_on": "0001-01-01",
            "notice_content": "Varsel",
            "response_deadline": "9999-12-31",
        },
        content_type="application/json",
        headers=authority.auth,
    )
    assert response.status_code == 422
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["notice_sent_on", "response_deadline"]
    fresh = Consultation.objects.get(pk=case.pk)
    assert (fresh.version, fresh.notice_sent_on) == (case.version, None)


def test_api_meeting_with_a_protocol_too_long_is_422_and_writes_no_meeting(
    client, case, sami, authority
):
    case = in_consultation(case, sami)
    response = client.post(
        f"/api/v1/consultations/{case.pk}/meetings",
        {
            "held_on": "2026-04-02",
            "matter": "Saken",
            "assessments": "x" * (bounds.LONG_TEXT_LENGTH + 1),
            "conclusions": "Konklusjon",
            "agreement": "reached",
        },
        content_type="application/json",
        headers=authority.auth,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["assessments"]
    assert not Meeting.objects.exists()


def test_page_second_partys_answer_dated_out_of_range_is_refused_on_its_field(client, case, sami):
    case = screen(case)
    for key in ("sametinget", "district"):
        services.party_add(actor="t", consultation=case, organisation=sami[key])
    case.refresh_from_db()
    case = services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 4, 1),
    )
    first, second = case.parties.order_by("pk")
    client.force_login(user_in(sami["karasjok"]))
    url = f"/konsultasjoner/{case.pk}/parter/{{}}/svar/"
    answer = {"response": "wants", "responded_on": "2026-03-10"}
    assert client.post(url.format(first.pk), answer).status_code == 302
    response = client.post(url.format(second.pk), {**answer, "responded_on": "2101-01-01"})
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["responded_on"]
    assert Party.objects.get(pk=second.pk).responded_on is None


def test_page_information_too_long_is_refused_and_writes_nothing(client, case, sami):
    case = in_consultation(case, sami)
    client.force_login(user_in(sami["karasjok"]))
    response = client.post(
        f"/konsultasjoner/{case.pk}/informasjon/ny/",
        {
            "shared_on": "1899-12-31",
            "content": "x" * (bounds.LONG_TEXT_LENGTH + 1),
            "access": "public",
        },
    )
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"shared_on", "content"}
    assert not InformationEntry.objects.exists()


def test_service_refuses_the_second_information_entry_dated_out_of_range(case, sami):
    case = in_consultation(case, sami)
    services.information_add(
        actor="t", consultation=case, shared_on=dt.date(2026, 3, 5), content="Kart"
    )
    with pytest.raises(ValidationError) as refused:
        services.information_add(
            actor="t", consultation=case, shared_on=dt.date(2101, 1, 1), content="Mer"
        )
    assert list(refused.value.message_dict) == ["shared_on"]
    assert InformationEntry.objects.count() == 1


def test_service_refuses_a_decision_summary_too_long(case, sami):
    case = in_consultation(case, sami)
    with pytest.raises(ValidationError) as refused:
        services.decision_record(
            actor="t",
            consultation=case,
            expected_version=case.version,
            decided_on=dt.date(2026, 6, 1),
            summary="x" * (bounds.LONG_TEXT_LENGTH + 1),
            assessment_documents=assessments(case),
        )
    assert "decision_summary" in refused.value.message_dict
    assert Consultation.objects.get(pk=case.pk).decision_summary == ""
