"""The rules corrected against the statute texts (issue 13, items 4 and 9): the exemptions from
public access that can apply (offentleglova §§ 14–16 and 19), the notice to Sametinget
(sameloven § 4-5 first paragraph), moving on when no party asks for consultation (§ 4-5 second
paragraph), each with its field and legal source, for the second and third party too."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils.html import escape

from kraftsenter.consultations import rules, services
from kraftsenter.consultations.choices import Status
from kraftsenter.consultations.models import Consultation, Document, InformationEntry, Party
from kraftsenter.core.models import ChangeRecord

from .conftest import screen

pytestmark = pytest.mark.django_db


# --- offentleglova: which exemptions can apply -----------------------------------------------


@pytest.mark.parametrize(
    "level,origin,allowed",
    [
        ("municipality", "consultation", {"offl_13", "other"}),
        ("municipality", "internal", {"offl_13", "offl_14", "other"}),
        ("municipality", "obtained", {"offl_13", "offl_15", "other"}),
        ("county", "consultation", {"offl_13", "other"}),
        ("state", "consultation", {"offl_13", "offl_19", "other"}),
        ("state", "general_hearing", {"offl_13", "other"}),
        ("state", "internal", {"offl_13", "offl_14", "other"}),
        ("state_delegated", "consultation", {"offl_13", "other"}),
    ],
)
def test_only_the_exemptions_that_can_apply_are_offered(level, origin, allowed):
    assert set(rules.allowed_exemptions(level, origin)) == allowed


@pytest.mark.parametrize(
    "level,basis,origin,source",
    [
        ("municipality", "offl_14", "consultation", "offentleglova § 14 første ledd"),
        ("state", "offl_14", "obtained", "offentleglova § 14 første ledd"),
        ("municipality", "offl_15", "consultation", "offentleglova § 15 første og andre ledd"),
        ("state", "offl_15", "general_hearing", "offentleglova § 15 fjerde ledd"),
        ("municipality", "offl_19", "consultation", "offentleglova § 19 første punktum"),
        ("state_delegated", "offl_19", "consultation", "offentleglova § 19 første punktum"),
        ("state", "offl_19", "general_hearing", "offentleglova § 19 andre punktum"),
        ("state", "offl_19", "internal", "offentleglova § 19 første punktum"),
    ],
)
def test_an_exemption_that_cannot_apply_names_its_paragraph(level, basis, origin, source):
    violation = rules.exemption_violation(level, basis, origin)
    assert violation is not None
    assert (violation.field, violation.source) == ("exemption_basis", source)
    section = source.split(" ")[2]
    assert f"§ {section}" in violation.message


def test_a_municipality_cannot_exempt_a_document_shared_with_a_party_under_14(case, sami):
    """The issue's example: § 14 offered for a document sent to a Sami party."""
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    with pytest.raises(ValidationError) as info:
        services.document_add(
            actor="t",
            consultation=case,
            title="Planutkast",
            url="https://example.no/utkast",
            shared_with=[sami["district"]],
            access="exempt",
            exemption_basis="offl_14",
        )
    assert "§ 14" in info.value.message_dict["exemption_basis"][0]
    assert not Document.objects.exists()


def test_an_internal_document_may_use_14_and_is_shown_to_the_authority_alone(client, case, sami):
    from .test_views_api import user_in

    for key in ("sametinget", "district"):
        services.party_add(actor="t", consultation=case, organisation=sami[key])
    document = services.document_add(
        actor="t",
        consultation=case,
        title="Saksbehandlers notat",
        url="https://example.no/notat",
        origin="internal",
        access="exempt",
        exemption_basis="offl_14",
    )
    assert document.origin == "internal"
    url = f"/api/v1/consultations/{case.pk}/documents"
    for key in ("sametinget", "district"):  # both parties: not shared with either
        client.force_login(user_in(sami[key], name=key))
        assert client.get(url).json() == [], key
    client.force_login(user_in(sami["karasjok"], name="authority"))
    assert [d["title"] for d in client.get(url).json()] == ["Saksbehandlers notat"]


def test_an_internal_document_shared_with_a_party_is_refused(case, sami):
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    with pytest.raises(ValidationError) as info:
        services.document_add(
            actor="t",
            consultation=case,
            title="Notat",
            url="https://example.no/n",
            origin="internal",
            shared_with=[sami["district"]],
        )
    assert "§ 14" in info.value.message_dict["shared_with"][0]
    assert not Document.objects.exists()


def test_general_hearing_material_of_a_state_body_cannot_use_19(sami):
    state_case = services.consultation_create(
        actor="t", title="Forskrift", kind="regulation", authority=sami["state"]
    )
    for origin, ok in (("consultation", True), ("general_hearing", False)):
        call = dict(
            actor="t",
            consultation=state_case,
            shared_on=dt.date(2026, 3, 1),
            content=f"Høringsnotat ({origin})",
            origin=origin,
            access="exempt",
            exemption_basis="offl_19",
        )
        if ok:
            assert services.information_add(**call).origin == origin
        else:
            with pytest.raises(ValidationError) as info:
                services.information_add(**call)
            assert "§ 19" in info.value.message_dict["exemption_basis"][0]
    assert InformationEntry.objects.count() == 1


def test_a_log_entry_is_never_internal(case):
    with pytest.raises(ValidationError) as info:
        services.information_add(
            actor="t",
            consultation=case,
            shared_on=dt.date(2026, 3, 1),
            content="x",
            origin="internal",
        )
    assert "§ 4-6" in info.value.message_dict["origin"][0]


def test_the_page_offers_only_the_exemptions_that_can_apply(client, case, sami):
    from .test_views_api import user_in

    client.force_login(user_in(sami["karasjok"]))
    html = client.get(f"/konsultasjoner/{case.pk}/protokoller/ny/").content.decode()
    assert 'value="offl_13"' in html
    for basis in ("offl_14", "offl_15", "offl_19"):  # a protocol is exchanged; not a state body
        assert f'value="{basis}"' not in html, basis
    html = client.get(f"/konsultasjoner/{case.pk}/dokumenter/ny/").content.decode()
    assert 'value="offl_14"' in html and 'value="offl_15"' in html
    assert 'value="offl_19"' not in html
    assert "§ 16" in html  # the municipalities' limit is in the help text


# --- sameloven § 4-5 first paragraph: a state body notifies Sametinget -----------------------


def _warnings(case):
    case = Consultation.objects.get(pk=case.pk)
    return rules.case_warnings(case, list(case.parties.filter(archived_at__isnull=True)))


def test_a_state_case_without_sametinget_is_warned_before_and_after_notice(sami):
    case = services.consultation_create(
        actor="t", title="Forskrift om beite", kind="regulation", authority=sami["state"]
    )
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    [warning] = _warnings(case)
    assert (warning.rule, warning.field, warning.source) == (
        "sametinget_not_notified",
        "parties",
        "sameloven § 4-5 første ledd",
    )
    case.refresh_from_db()
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 4, 1),
    )
    assert "sametinget_not_notified" in [w.rule for w in _warnings(case)]
    services.party_add(actor="t", consultation=case, organisation=sami["sametinget"])
    assert "sametinget_not_notified" not in [w.rule for w in _warnings(case)]


def test_a_municipality_is_not_warned_about_sametinget(case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    assert _warnings(case) == []


def test_the_warning_is_on_the_page_and_in_the_api(client, sami):
    case = services.consultation_create(
        actor="t", title="Forskrift", kind="regulation", authority=sami["state"]
    )
    screen(case)
    [warning] = _warnings(case)
    assert escape(warning.message) in client.get(case.get_absolute_url()).content.decode()
    body = client.get(f"/api/v1/consultations/{case.pk}").json()
    assert [w["source"] for w in body["warnings"]] == ["sameloven § 4-5 første ledd"]


# --- sameloven § 4-5 second paragraph: moving on without consultation ------------------------


@pytest.fixture
def notified_three(case, sami):
    """Notified to Sametinget, the district and a siida, deadline 1 April 2026."""
    from kraftsenter.actors.choices import OrganisationKind
    from kraftsenter.actors.services import organisation_create

    siida = organisation_create(actor="t", name="Siida Ávži", kind=OrganisationKind.SIIDA)
    case = screen(case)
    for org in (sami["sametinget"], sami["district"], siida):
        services.party_add(actor="t", consultation=case, organisation=org)
    case.refresh_from_db()
    return services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 4, 1),
    )


def _answer(case, name, response, day=dt.date(2026, 3, 10)):
    party = case.parties.get(organisation__name=name)
    services.party_respond(actor="t", party=party, response=response, responded_on=day)


def _move_on(case, day):
    case = Consultation.objects.get(pk=case.pk)
    return services.consultation_move_on(
        actor="t", consultation=case, expected_version=case.version, moved_on=day
    )


def test_all_declined_moves_on_before_the_deadline(notified_three):
    for name in ("Sametinget", "Reinbeitedistrikt 13", "Siida Ávži"):
        _answer(notified_three, name, "declines")
    case = _move_on(notified_three, dt.date(2026, 3, 20))
    assert (case.status, case.concluded_on) == (Status.NO_CONSULTATION, dt.date(2026, 3, 20))
    assert set(case.parties.values_list("response", flat=True)) == {"declines"}


def test_unanswered_parties_are_recorded_when_the_deadline_has_passed(notified_three):
    _answer(notified_three, "Sametinget", "declines")
    with pytest.raises(ValidationError) as info:
        _move_on(notified_three, dt.date(2026, 4, 1))  # the deadline day itself
    message = info.value.message_dict["moved_on"][0]
    assert "Reinbeitedistrikt 13" in message and "Siida Ávži" in message and "§ 4-5" in message
    assert Consultation.objects.get(pk=notified_three.pk).status == Status.NOTIFIED
    case = _move_on(notified_three, dt.date(2026, 4, 2))
    answers = dict(case.parties.values_list("organisation__name", "response"))
    assert answers == {
        "Sametinget": "declines",
        "Reinbeitedistrikt 13": "no_answer",
        "Siida Ávži": "no_answer",
    }
    # One history entry on the case holds who declined and who did not answer.
    change = ChangeRecord.objects.get(action="consultation.moved_on")
    before = sorted(p["response"] for p in change.before["parties"])
    after = sorted(p["response"] for p in change.after["parties"])
    assert (before, after) == (
        ["declines", "pending", "pending"],
        ["declines", "no_answer", "no_answer"],
    )
    assert (change.before["status"], change.after["status"]) == ("notified", "no_consultation")


def test_a_party_that_wants_consultation_keeps_the_case_open(notified_three):
    _answer(notified_three, "Siida Ávži", "wants")  # the third party
    case = Consultation.objects.get(pk=notified_three.pk)
    assert case.status == Status.IN_CONSULTATION
    with pytest.raises(ValidationError) as info:
        _move_on(case, dt.date(2026, 5, 1))
    assert [e.code for e in info.value.error_dict["status"]] == ["move_on_status"]
    # The rule itself, for a case still notified: the party that wants it is named.
    violations = rules.move_on_violations(
        status=Status.NOTIFIED,
        notice_sent_on=dt.date(2026, 3, 1),
        deadline=dt.date(2026, 4, 1),
        moved_on=dt.date(2026, 5, 1),
        parties=list(case.parties.select_related("organisation")),
    )
    [wants] = [v for v in violations if v.rule == "move_on_party_wants"]
    assert "Siida Ávži" in wants.message and wants.source == "sameloven § 4-2"


def test_no_answer_cannot_be_recorded_by_hand(notified_three):
    party = notified_three.parties.get(organisation__name="Reinbeitedistrikt 13")
    with pytest.raises(ValidationError) as info:
        services.party_respond(
            actor="t", party=party, response="no_answer", responded_on=dt.date(2026, 4, 2)
        )
    assert "§ 4-5" in info.value.message_dict["response"][0]
    assert Party.objects.get(pk=party.pk).response == "pending"


def test_overdue_answers_are_warned(notified_three):
    case = Consultation.objects.get(pk=notified_three.pk)
    parties = list(case.parties.select_related("organisation"))
    assert rules.case_warnings(case, parties, today=dt.date(2026, 4, 1)) == []
    [warning] = rules.case_warnings(case, parties, today=dt.date(2026, 4, 2))
    assert (warning.rule, warning.source) == ("answers_overdue", "sameloven § 4-5 andre ledd")


def test_a_decision_after_moving_on_is_in_time(notified_three):
    for name in ("Sametinget", "Reinbeitedistrikt 13", "Siida Ávži"):
        _answer(notified_three, name, "declines")
    case = _move_on(notified_three, dt.date(2026, 3, 20))
    case = services.decision_record(
        actor="t",
        consultation=case,
        expected_version=case.version,
        decided_on=dt.date(2026, 3, 25),
        summary="Vedtatt uten konsultasjon",
    )
    assert case.decision_before_conclusion is False
    assert case.sami_assessments_attached is False


def test_move_on_through_the_page_and_the_api(client, notified_three, sami):
    from .test_views_api import user_in

    url = f"/api/v1/consultations/{notified_three.pk}/without-consultation"
    client.force_login(user_in(sami["district"], name="party"))
    assert (
        client.post(url, {"moved_on": "2026-04-02"}, content_type="application/json").status_code
        == 403
    )
    client.force_login(user_in(sami["karasjok"], name="authority"))
    response = client.post(url, {"moved_on": "2026-03-15"}, content_type="application/json")
    assert response.status_code == 422
    assert Consultation.objects.get(pk=notified_three.pk).status == Status.NOTIFIED
    page = f"/konsultasjoner/{notified_three.pk}/uten-konsultasjon/"
    response = client.post(page, {"moved_on": "2026-04-02", "version": notified_three.version})
    assert response.status_code == 302
    body = client.get(f"/api/v1/consultations/{notified_three.pk}").json()
    assert body["status"] == "no_consultation"
    assert {p["response"] for p in body["party_answers"]} == {"no_answer"}


def test_rules_accept_plain_objects():
    """The rules are pure functions of plain values."""
    case = SimpleNamespace(
        level="state",
        screening_result="required",
        notice_sent_on=None,
        land_use_plan_objection=True,
        status="screening",
        response_deadline=None,
    )
    assert rules.case_warnings(case, []) == []  # Sametinget objects through the plan instead


# --- pages: the plan kind, the delegated authority, the assessment documents -----------------


def test_register_page_takes_the_plan_kind_and_derives_the_objection(client, sami):
    from .test_views_api import user_in

    client.force_login(user_in(sami["karasjok"]))
    data = {
        "title": "Reguleringsplan for Áitejohka",
        "kind": "plan",
        "authority": sami["karasjok"].organisation_number or sami["karasjok"].name,
        "municipalities": "5610",
        "published": "on",
    }
    response = client.post("/konsultasjoner/ny/", data)
    assert response.status_code == 422  # a plan without its kind
    assert not Consultation.objects.exists()
    response = client.post("/konsultasjoner/ny/", {**data, "plan_kind": "zoning"})
    assert response.status_code == 302
    case = Consultation.objects.get()
    assert (case.plan_kind, case.land_use_plan_objection) == ("zoning", True)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "§ 5-4" in html and "§ 4-1" in html


def test_decision_page_ticks_the_second_and_third_document(client, case, sami):
    from .conftest import in_consultation
    from .test_views_api import user_in

    case = in_consultation(case, sami)
    titles = ("Planforslag", "Distriktets vurdering", "Sametingets vurdering")
    documents = [
        services.document_add(actor="t", consultation=case, title=t, url=f"https://example.no/{n}")
        for n, t in enumerate(titles)
    ]
    client.force_login(user_in(sami["karasjok"]))
    page = f"/konsultasjoner/{case.pk}/vedtak/"
    data = {"decided_on": "2026-05-01", "summary": "Vedtatt", "version": case.version}
    response = client.post(page, data)
    assert response.status_code == 422
    assert Consultation.objects.get(pk=case.pk).decision_on is None
    response = client.post(
        page, {**data, "assessment_documents": [documents[1].pk, documents[2].pk]}
    )
    assert response.status_code == 302
    case = Consultation.objects.get(pk=case.pk)
    assert set(case.assessment_documents.all()) == {documents[1], documents[2]}
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Distriktets vurdering" in html and "Sametingets vurdering" in html
    body = client.get(f"/api/v1/consultations/{case.pk}").json()
    assert sorted(body["assessment_documents"]) == sorted([documents[1].pk, documents[2].pk])


def test_an_exempt_assessment_document_is_not_listed_for_the_public(client, case, sami):
    from .conftest import in_consultation

    case = in_consultation(case, sami)
    secret = services.document_add(
        actor="t",
        consultation=case,
        title="Distriktets vurdering",
        url="https://example.no/v",
        access="exempt",
        exemption_basis="offl_13",
        shared_with=[sami["district"]],
    )
    services.decision_record(
        actor="t",
        consultation=case,
        expected_version=case.version,
        decided_on=dt.date(2026, 5, 1),
        summary="Vedtatt",
        assessment_documents=[secret],
    )
    body = client.get(f"/api/v1/consultations/{case.pk}").json()
    assert body["assessment_documents"] == [] and body["sami_assessments_attached"] is True


def test_the_notice_page_says_sametinget_is_missing(client, sami):
    from .test_views_api import user_in

    case = services.consultation_create(
        actor="t", title="Forskrift", kind="regulation", authority=sami["state"]
    )
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    client.force_login(user_in(sami["state"]))
    page = f"/konsultasjoner/{case.pk}/varsel/"
    [warning] = _warnings(case)
    assert escape(warning.message) in client.get(page).content.decode()
    services.party_add(actor="t", consultation=case, organisation=sami["sametinget"])
    assert escape(warning.message) not in client.get(page).content.decode()


def test_patch_sets_and_clears_the_plan_kind(client, case, sami):
    from .test_views_api import user_in

    client.force_login(user_in(sami["karasjok"]))
    url = f"/api/v1/consultations/{case.pk}"

    def patch(body):
        version = Consultation.objects.get(pk=case.pk).version
        return client.patch(url, {**body, "version": version}, content_type="application/json")

    response = patch({"plan_kind": None})
    assert response.status_code == 422  # a plan needs its kind
    response = patch({"plan_kind": "area_part"})
    assert response.status_code == 200, response.json()
    assert response.json()["land_use_plan_objection"] is True
    response = patch({"kind": "measure"})
    assert (response.json()["plan_kind"], response.json()["land_use_plan_objection"]) == (
        None,
        False,
    )
