"""Each rule of sameloven chapter 4 and offentleglova § 19, refused with its legal source."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create
from kraftsenter.consultations import services
from kraftsenter.consultations.choices import Status
from kraftsenter.consultations.models import Consultation, Party
from kraftsenter.consultations.rules import screening_triggers, suggested_result
from kraftsenter.places.models import Municipality

from .conftest import assessments, codes, in_consultation, screen

pytestmark = pytest.mark.django_db


def test_authority_must_have_the_duty_to_consult(sami):
    """Sametinget or a reindeer-herding district is consulted; it has no duty to consult."""
    for key in ("sametinget", "district"):
        with pytest.raises(ValidationError) as info:
            services.consultation_create(actor="t", title="X", kind="measure", authority=sami[key])
        message = info.value.message_dict["authority"][0]
        assert "§ 4-3" in message and "§ 4-4" in message
        assert codes(info, "authority") == ["authority_kind"]
    assert Consultation.objects.count() == 0


def test_a_firm_consults_only_when_it_exercises_state_authority(sami):
    """Sameloven § 4-3 letter b: statsforetak and private bodies exercising state authority."""
    with pytest.raises(ValidationError) as info:
        services.consultation_create(actor="t", title="X", kind="measure", authority=sami["firm"])
    assert "§ 4-3" in info.value.message_dict["delegated_authority"][0]
    assert codes(info, "delegated_authority") == ["delegated_authority_missing"]
    assert Consultation.objects.count() == 0
    case = services.consultation_create(
        actor="t",
        title="Konsesjon for vindkraft",
        kind="decision",
        authority=sami["firm"],
        delegated_authority="  Tildeler nettkapasitet etter energiloven  ",
    )
    assert (case.level, case.delegated_authority) == (
        "state_delegated",
        "Tildeler nettkapasitet etter energiloven",
    )


def test_level_follows_the_authority(sami):
    state = services.consultation_create(
        actor="t", title="X", kind="decision", authority=sami["state"]
    )
    county = services.consultation_create(
        actor="t", title="Y", kind="plan", plan_kind="regional_plan", authority=sami["finnmark"]
    )
    municipality = services.consultation_create(
        actor="t", title="Z", kind="measure", authority=sami["karasjok"], delegated_authority="x"
    )
    assert (state.level, county.level, municipality.level) == ("state", "county", "municipality")
    assert municipality.delegated_authority == ""


def test_a_statsforetak_registered_as_a_state_agency_may_consult_as_one(sami):
    statsforetak = organisation_create(
        actor="t", name="Statnett SF", kind=OrganisationKind.STATE_AGENCY
    )
    case = services.consultation_create(
        actor="t",
        title="Ny kraftlinje",
        kind="measure",
        authority=statsforetak,
        level="state_delegated",
        delegated_authority="Konsesjonær som utøver myndighet etter energiloven",
    )
    assert case.level == "state_delegated"
    with pytest.raises(ValidationError) as info:
        services.consultation_create(
            actor="t", title="X", kind="measure", authority=sami["karasjok"], level="state"
        )
    assert "§ 4-4" in info.value.message_dict["level"][0]
    assert codes(info, "level") == ["authority_level"]
    # The Statsforvalter is a state body, never a statsforetak.
    with pytest.raises(ValidationError) as info:
        services.consultation_create(
            actor="t",
            title="X",
            kind="measure",
            authority=sami["state"],
            level="state_delegated",
            delegated_authority="x",
        )
    assert codes(info, "level") == ["authority_level"]


def test_party_must_be_a_sami_interest(case, sami):
    with pytest.raises(ValidationError) as info:
        services.party_add(actor="t", consultation=case, organisation=sami["firm"])
    assert "§ 4-2" in info.value.message_dict["organisation"][0]
    assert Party.objects.count() == 0


@pytest.mark.parametrize(
    "plan_kind,objection",
    [
        ("area_part", True),
        ("zoning", True),
        ("community_part", False),
        ("thematic_sub_plan", False),
        ("regional_plan", False),
    ],
)
def test_sametingets_objection_right_follows_the_plan_kind(sami, plan_kind, objection):
    """Sameloven § 4-1 fourth paragraph, pbl. § 5-4: derived, never asked."""
    case = services.consultation_create(
        actor="t", title="Plan", kind="plan", plan_kind=plan_kind, authority=sami["karasjok"]
    )
    assert case.land_use_plan_objection is objection
    if objection:
        with pytest.raises(ValidationError) as info:
            services.party_add(actor="t", consultation=case, organisation=sami["sametinget"])
        message = info.value.message_dict["organisation"][0]
        assert "§ 4-1" in message and "§ 5-4" in message
    else:
        assert services.party_add(actor="t", consultation=case, organisation=sami["sametinget"])
    # Other Sami interests are consulted either way.
    assert services.party_add(actor="t", consultation=case, organisation=sami["district"]).pk


def test_a_plan_needs_its_kind_and_only_a_plan_has_one(sami):
    with pytest.raises(ValidationError) as info:
        services.consultation_create(
            actor="t", title="Plan", kind="plan", authority=sami["karasjok"]
        )
    assert "§ 4-1" in info.value.message_dict["plan_kind"][0]
    assert codes(info, "plan_kind") == ["plan_kind_missing"]
    with pytest.raises(ValidationError) as info:
        services.consultation_create(
            actor="t", title="X", kind="measure", plan_kind="zoning", authority=sami["karasjok"]
        )
    assert codes(info, "plan_kind") == ["plan_kind_not_plan"]
    assert Consultation.objects.count() == 0


def test_changing_to_a_plan_sametinget_can_object_to_is_refused_while_it_is_a_party(case, sami):
    services.party_add(actor="t", consultation=case, organisation=sami["sametinget"])
    case.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.consultation_update(
            actor="t", consultation=case, expected_version=case.version, plan_kind="zoning"
        )
    assert "§ 5-4" in info.value.message_dict["plan_kind"][0]
    assert Consultation.objects.get(pk=case.pk).plan_kind == "community_part"
    case = services.consultation_update(
        actor="t", consultation=case, expected_version=case.version, kind="measure"
    )
    assert (case.plan_kind, case.land_use_plan_objection) == ("", False)


def test_screening_needs_reasoning(case):
    with pytest.raises(ValidationError) as info:
        services.screening_record(
            actor="t",
            consultation=case,
            expected_version=1,
            direct_effect=True,
            general_matter=False,
            natural_basis=False,
            traditional_area=None,
            reasoning=" ",
            result="required",
        )
    assert "screening_reasoning" in info.value.message_dict


@pytest.mark.parametrize(
    "answers,expected",
    [
        ((True, False, False, None), "required"),
        ((True, True, False, None), "not_required"),
        ((False, False, False, None), "not_required"),
        ((None, False, False, None), "uncertain"),
        ((True, False, True, False), "not_required"),
        ((True, False, True, None), "uncertain"),
    ],
)
def test_screening_suggestion(answers, expected):
    assert suggested_result(*answers) == expected


def test_screening_not_required_closes_the_case(case):
    case = screen(case, result="not_required", direct_effect=False)
    assert case.status == Status.NOT_REQUIRED


def test_triggers_suggest_screening_in_sami_and_reindeer_areas(small_places):
    reasons = screening_triggers(
        Municipality.objects.filter(number__in=["5610", "3403"]).select_related("county")
    )
    assert any("Karasjok" in r or "Kárášjohka" in r for r in reasons)
    assert any("Hamar" in r for r in reasons)  # Innlandet has reindeer-herding areas


def test_notice_needs_screening_and_parties(case, sami):
    with pytest.raises(ValidationError) as info:
        services.notice_send(
            actor="t",
            consultation=case,
            expected_version=1,
            sent_on=dt.date(2026, 3, 1),
            content="x",
            response_deadline=dt.date(2026, 2, 1),
        )
    assert {"screening_result", "parties", "response_deadline"} <= set(info.value.message_dict)


def test_answer_before_notice_is_refused(case, sami):
    case = in_consultation(case, sami)
    party = case.parties.first()
    with pytest.raises(ValidationError) as info:
        services.party_respond(
            actor="t", party=party, response="wants", responded_on=dt.date(2026, 2, 1)
        )
    assert "§ 4-5" in info.value.message_dict["responded_on"][0]


def test_answer_wanting_consultation_starts_it(case, sami):
    assert in_consultation(case, sami).status == Status.IN_CONSULTATION


def test_offentleglova_19_only_for_state_bodies(case, sami):
    with pytest.raises(ValidationError) as info:
        services.document_add(
            actor="t",
            consultation=case,
            title="Notat",
            url="https://example.no/n",
            access="exempt",
            exemption_basis="offl_19",
        )
    assert "§ 19" in info.value.message_dict["exemption_basis"][0]
    state_case = services.consultation_create(
        actor="t", title="Forskrift", kind="regulation", authority=sami["state"]
    )
    assert services.document_add(
        actor="t",
        consultation=state_case,
        title="Notat",
        url="https://example.no/n",
        access="exempt",
        exemption_basis="offl_19",
    ).pk


def test_protocol_must_state_agreement_and_contents(case, sami):
    case = in_consultation(case, sami)
    with pytest.raises(ValidationError) as info:
        services.meeting_with_protocol_add(
            actor="t",
            consultation=case,
            held_on=dt.date(2026, 4, 2),
            matter="",
            assessments="",
            conclusions="",
            agreement="",
        )
    assert {"matter", "assessments", "conclusions", "agreement"} <= set(info.value.message_dict)


def test_conclude_without_protocol_is_refused(case, sami):
    case = in_consultation(case, sami)
    with pytest.raises(ValidationError) as info:
        services.consultation_conclude(
            actor="t",
            consultation=case,
            expected_version=case.version,
            concluded_on=dt.date(2026, 5, 1),
            agreement_reached=True,
        )
    assert "§ 4-7" in info.value.message_dict["protocol"][0]


def test_conclude_while_party_sees_agreement_possible_needs_reason(case, sami):
    case = in_consultation(case, sami, still_possible=True)
    services.meeting_with_protocol_add(
        actor="t",
        consultation=case,
        held_on=dt.date(2026, 4, 2),
        matter="Planen",
        assessments="Distriktet: beite må sikres.",
        conclusions="Uenige",
        agreement="not_reached",
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.consultation_conclude(
            actor="t",
            consultation=case,
            expected_version=case.version,
            concluded_on=dt.date(2026, 5, 1),
            agreement_reached=False,
        )
    assert "§ 4-6" in info.value.message_dict["conclusion_reason"][0]
    case = services.consultation_conclude(
        actor="t",
        consultation=case,
        expected_version=case.version,
        concluded_on=dt.date(2026, 5, 1),
        agreement_reached=False,
        reason="Fristen for vedtak i kommunestyret.",
    )
    assert case.status == Status.CONCLUDED_NO_AGREEMENT


def test_decision_names_the_assessment_documents_and_early_decision_is_flagged(case, sami):
    case = in_consultation(case, sami)
    with pytest.raises(ValidationError) as info:
        services.decision_record(
            actor="t",
            consultation=case,
            expected_version=case.version,
            decided_on=dt.date(2026, 4, 10),
            summary="Vedtatt",
        )
    assert "§ 4-7" in info.value.message_dict["assessment_documents"][0]
    assert Consultation.objects.get(pk=case.pk).decision_on is None
    first = assessments(case)[0]
    second = services.document_add(
        actor="t", consultation=case, title="Sametingets vurdering", url="https://example.no/s"
    )
    case = services.decision_record(
        actor="t",
        consultation=case,
        expected_version=case.version,
        decided_on=dt.date(2026, 4, 10),
        summary="Vedtatt",
        assessment_documents=[first, second],
    )
    assert set(case.assessment_documents.all()) == {first, second}
    assert case.sami_assessments_attached is True
    assert case.decision_before_conclusion is True


def test_decision_refuses_a_document_of_another_case(case, sami):
    case = in_consultation(case, sami)
    other = services.consultation_create(
        actor="t", title="Annen sak", kind="measure", authority=sami["karasjok"]
    )
    foreign = assessments(other)[0]
    with pytest.raises(ValidationError) as info:
        services.decision_record(
            actor="t",
            consultation=case,
            expected_version=case.version,
            decided_on=dt.date(2026, 4, 10),
            summary="Vedtatt",
            assessment_documents=[foreign],
        )
    assert "Distriktets vurderinger" in info.value.message_dict["assessment_documents"][0]
