"""The rules checked against the statute texts (issue 13): each rule with its message and its
legal source (statute, section, paragraph), for the second participant too; hard rules write
nothing, the rest are shown as what is missing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.cooperations import rules, services
from kraftsenter.cooperations.choices import Status
from kraftsenter.cooperations.models import AgreementVersion, BodyMember, Cooperation
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import ParticipantInput

pytestmark = pytest.mark.django_db


def refused(**data) -> dict[str, list[str]]:
    before = Cooperation.objects.count()
    with pytest.raises(ValidationError) as info:
        services.cooperation_create(actor="t", **data)
    assert Cooperation.objects.count() == before  # nothing written
    return info.value.message_dict


def joined(messages: list[str]) -> str:
    return " ".join(messages)


def missing(coop: Cooperation) -> dict[str, rules.Violation]:
    coop.refresh_from_db()
    return {v.rule: v for v in services.missing_items(coop)}


def adopt_and_activate(coop: Cooperation, *, body: str = "") -> Cooperation:
    version = services.agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes(coop.legal_form))
    )
    for part in coop.participants.filter(archived_at__isnull=True):
        services.council_decision_record(
            actor="t",
            agreement_version=version,
            organisation=part.organisation,
            decided_on=dt.date(2020, 12, 1),
            body=body,
        )
    coop.refresh_from_db()
    return services.cooperation_update(
        actor="t", cooperation=coop, expected_version=coop.version, status=Status.ACTIVE
    )


def host(orgs, form: str = "host_administrative", *numbers: str, **extra) -> Cooperation:
    numbers = numbers or ("3403", "3412")
    return services.cooperation_create(
        actor="t",
        name="Barnevern Hamar og Løten",
        legal_form=form,
        areas=["child_welfare"],
        host=orgs[numbers[0]],
        start_date=dt.date(2021, 1, 1),
        participants=[ParticipantInput(orgs[n]) for n in numbers],
        **extra,
    )


def iks(orgs, name: str = "Revisjon Innlandet IKS", **extra) -> Cooperation:
    return services.cooperation_create(
        actor="t",
        name=name,
        legal_form="iks",
        areas=["audit"],
        start_date=extra.pop("start_date", dt.date(2025, 1, 1)),
        participants=extra.pop(
            "participants",
            [
                ParticipantInput(orgs["3403"], Decimal("60")),
                ParticipantInput(orgs["3412"], Decimal("40")),
            ],
        ),
        **extra,
    )


# --- item 5: a host-municipality cooperation has no representantskap ----------------------------


def test_host_cooperation_change_of_other_items_asks_for_no_representantskap(orgs):
    coop = adopt_and_activate(host(orgs, statsforvalter_notified_on=dt.date(2021, 2, 1)))
    services.agreement_version_add(
        actor="t",
        cooperation=coop,
        items_covered=sorted(mandatory_codes(coop.legal_form)),
        summary="Nytt møtemønster",
    )
    assert services.activation_problems(coop) == []


def test_host_cooperation_refuses_a_representantskap_decision(orgs):
    coop = host(orgs)
    with pytest.raises(ValidationError) as info:
        services.agreement_version_add(
            actor="t",
            cooperation=coop,
            summary="Avtale",
            adopted_by_representantskap_on=dt.date(2021, 1, 1),
        )
    assert "§ 20-4" in joined(info.value.message_dict["adopted_by_representantskap_on"])
    assert not AgreementVersion.objects.filter(cooperation=coop).exists()


def test_host_cooperation_council_decisions_cite_the_second_paragraph(orgs):
    coop = host(orgs, "host_administrative", "3403", "3412")
    services.agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes(coop.legal_form))
    )
    problem = {p.rule: p for p in services.activation_problems(coop)}["council_decisions"]
    assert problem.source == "kommuneloven § 20-4 andre ledd"
    assert "Hamar" in problem.message and "Løten" in problem.message


def test_ipr_change_of_other_items_still_offers_the_representantskap(ipr_data, orgs):
    coop = adopt_and_activate(services.cooperation_create(actor="t", **ipr_data))
    services.agreement_version_add(
        actor="t",
        cooperation=coop,
        items_covered=sorted(mandatory_codes("ipr")),
        summary="Nytt møtemønster",
    )
    problem = services.activation_problems(coop)[0]
    assert problem.rule == "representantskap"
    assert problem.source == "kommuneloven § 18-4 tredje ledd"


# --- item 6: who may take part in an IKS --------------------------------------------------------


def test_iks_with_one_municipality_and_one_iks_is_lawful(orgs):
    coop = iks(
        orgs,
        participants=[
            ParticipantInput(orgs["3403"], Decimal("70")),
            ParticipantInput(orgs["iks"], Decimal("30")),
        ],
    )
    assert [p.organisation for p in coop.participants.order_by("organisation__name")] == [
        orgs["3403"],
        orgs["iks"],
    ]


def test_iks_needs_two_participants(orgs):
    errors = refused(
        name="Revisjon Hamar IKS",
        legal_form="iks",
        areas=["audit"],
        participants=[ParticipantInput(orgs["3403"], Decimal("100"))],
    )
    assert "IKS-loven § 32" in joined(errors["participants"])


def test_iks_refuses_a_business_as_second_participant(orgs):
    errors = refused(
        name="Revisjon Hamar IKS",
        legal_form="iks",
        areas=["audit"],
        participants=[
            ParticipantInput(orgs["3403"], Decimal("50")),
            ParticipantInput(orgs["firm"], Decimal("50")),
        ],
    )
    assert "IKS-loven § 1" in joined(errors["participants"])


def test_iks_participant_adopts_through_its_representantskap(orgs):
    coop = iks(
        orgs,
        participants=[
            ParticipantInput(orgs["3403"], Decimal("70")),
            ParticipantInput(orgs["iks"], Decimal("30")),
        ],
    )
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    by_council = services.council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["3403"],
        decided_on=dt.date(2025, 1, 1),
    )
    by_company = services.council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["iks"],
        decided_on=dt.date(2025, 1, 2),
    )
    assert (by_council.body, by_company.body) == ("kommunestyret", "representantskapet")


def test_iks_participant_decision_by_a_council_is_refused(orgs):
    coop = iks(
        orgs,
        participants=[
            ParticipantInput(orgs["3403"], Decimal("70")),
            ParticipantInput(orgs["iks"], Decimal("30")),
        ],
    )
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    with pytest.raises(ValidationError) as info:
        services.council_decision_record(
            actor="t",
            agreement_version=version,
            organisation=orgs["iks"],
            decided_on=dt.date(2025, 1, 2),
            body="kommunestyret",
        )
    assert "IKS-loven § 4" in joined(info.value.message_dict["body"])
    assert not version.decisions.exists()


def test_municipal_participant_decision_by_a_representantskap_is_refused(ipr_data, orgs):
    coop = services.cooperation_create(actor="t", **ipr_data)
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    with pytest.raises(ValidationError) as info:
        services.council_decision_record(
            actor="t",
            agreement_version=version,
            organisation=orgs["3412"],
            decided_on=dt.date(2020, 1, 2),
            body="representantskapet",
        )
    assert "kommuneloven § 18-4 andre ledd" in joined(info.value.message_dict["body"])


def test_county_participant_decision_defaults_to_fylkestinget(orgs):
    coop = host(orgs, "host_administrative", "34", "56")
    version = services.agreement_version_add(actor="t", cooperation=coop, summary="Avtale")
    decision = services.council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["56"],
        decided_on=dt.date(2021, 1, 1),
    )
    assert decision.body == "fylkestinget"


# --- item 7: names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form,name",
    [("iks", "IKS Revisjon Nord"), ("as", "AS Vannverket"), ("sa", "SA Fiskemottak")],
)
def test_new_company_name_with_designation_first_is_refused(orgs, form, name):
    errors = refused(
        name=name,
        legal_form=form,
        legal_person=True,
        areas=["utilities"],
        start_date=dt.date(2024, 7, 1),
        participants=[
            ParticipantInput(orgs["3403"], Decimal("50")),
            ParticipantInput(orgs["3412"], Decimal("50")),
        ],
    )
    assert "foretaksnavneloven § 2-2 sixteenth paragraph" in joined(errors["name"]) or (
        "sekstende" in joined(errors["name"])
    )


def test_older_company_name_with_designation_first_is_a_warning(orgs):
    coop = iks(orgs, name="IKS Revisjon Nord", start_date=dt.date(2010, 1, 1))
    warning = missing(coop)["name_designation_last"]
    assert warning.source == rules.DESIGNATION_LAST_SOURCE and warning.field == "name"
    second = iks(orgs, name="Revisjon Nord IKS", start_date=dt.date(2010, 1, 1))
    assert "name_designation_last" not in missing(second)


@pytest.mark.parametrize(
    "form,name,source",
    [
        ("as", "Vannverket Hamar", "foretaksnavneloven § 2-2 fjerde ledd"),
        ("sa", "Fiskemottak Hamar", "foretaksnavneloven § 2-2 åttende ledd"),
    ],
)
def test_as_and_sa_names_must_show_the_form(orgs, form, name, source):
    assert rules.name_violation(form, name).source == source
    assert rules.name_violation(form, name + (" AS" if form == "as" else " SA")) is None
    errors = refused(
        name=name,
        legal_form=form,
        legal_person=True,
        areas=["utilities"],
        participants=[ParticipantInput(orgs["3403"]), ParticipantInput(orgs["3412"])],
    )
    assert "§ 2-2" in joined(errors["name"])


# --- item 10: the notice to the statsforvalter is a follow-up -----------------------------------


def test_host_cooperation_activates_without_the_notice_and_shows_it_as_a_follow_up(orgs):
    coop = host(orgs)
    assert "statsforvalter" not in {p.rule for p in services.activation_problems(coop)}
    assert "statsforvalter" not in missing(coop)  # not set up yet
    coop = adopt_and_activate(coop)
    assert coop.status == Status.ACTIVE
    follow_up = missing(coop)["statsforvalter"]
    assert follow_up.source == "kommuneloven § 20-4 femte ledd"
    assert follow_up.field == "statsforvalter_notified_on"
    coop = services.cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=coop.version,
        statsforvalter_notified_on=dt.date(2021, 2, 1),
    )
    assert "statsforvalter" not in missing(coop)


def test_host_cooperation_of_counties_tells_the_ministry(orgs):
    counties = adopt_and_activate(host(orgs, "host_administrative", "34", "56"))
    municipalities = adopt_and_activate(host(orgs, "host_administrative", "3403", "3412"))
    assert missing(counties)["statsforvalter"].message != (
        missing(municipalities)["statsforvalter"].message
    )


# --- authority ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form,name,source",
    [
        ("ipr", "Hamarregionen IPR", "kommuneloven § 18-1 andre ledd"),
        ("ko", "Hamarregionen KO", "kommuneloven § 19-1 andre ledd"),
    ],
)
def test_ipr_and_ko_make_no_individual_decisions(ipr_data, form, name, source):
    ipr_data.update(legal_form=form, name=name, authority=["internal", "individual"])
    assert source.removeprefix("kommuneloven ")[:6] in joined(refused(**ipr_data)["authority"])
    assert rules.authority_violation(form, ["grants", "individual"]).source == source
    ipr_data["authority"] = ["internal", "grants", "tasks", "grants"]
    created = services.cooperation_create(actor="t", **ipr_data)
    assert created.authority == ["tasks", "internal", "grants"]  # once each, in list order


def test_administrative_host_decides_no_principal_matters(orgs):
    with pytest.raises(ValidationError) as info:
        host(orgs, authority=["individual", "principal"])
    assert "§ 20-2" in joined(info.value.message_dict["authority"])
    violation = rules.authority_violation("host_administrative", ["principal"])
    assert violation.source == "kommuneloven § 20-2 første ledd"
    committee = host(orgs, "host_committee", authority=["individual", "principal"])
    assert committee.authority == ["individual", "principal"]


def test_authority_refused_on_change_writes_nothing(ipr_data):
    coop = services.cooperation_create(actor="t", **ipr_data)
    with pytest.raises(ValidationError):
        services.cooperation_update(
            actor="t", cooperation=coop, expected_version=coop.version, authority=["individual"]
        )
    coop.refresh_from_db()
    assert coop.authority == []


# --- bodies -------------------------------------------------------------------------------------


def _members(coop, kind: str, *rows: tuple[str, str, str | None]):
    body = coop.bodies.filter(kind=kind).first() or services.body_add(
        actor="t", cooperation=coop, kind=kind
    )
    for person, role, number in rows:
        services.body_member_add(
            actor="t",
            body=body,
            person_name=person,
            role=role,
            organisation=None if number is None else ORGS[number],
        )
    return body


ORGS: dict = {}


@pytest.fixture
def known(orgs):
    ORGS.clear()
    ORGS.update(orgs)
    return orgs


def test_representantskap_missing_then_each_participant_needs_a_member(ipr_data, known):
    coop = services.cooperation_create(actor="t", **ipr_data)
    assert missing(coop)["representantskap_body"].source == "kommuneloven § 18-3 første ledd"
    _members(coop, "representantskap", ("Kari Hamar", "member", "3403"))
    problem = missing(coop)["representantskap_members"]
    assert "Løten" in problem.message and "Hamar kommune" not in problem.message
    _members(coop, "representantskap", ("Ola Løten", "chair", "3412"))
    assert "representantskap_members" not in missing(coop)


def test_ipr_deputies_at_least_as_many_as_members(ipr_data, known):
    coop = services.cooperation_create(actor="t", **ipr_data)
    _members(
        coop,
        "representantskap",
        ("Kari Hamar", "member", "3403"),
        ("Per Hamar", "deputy", "3403"),
        ("Ola Løten", "member", "3412"),
    )
    problem = missing(coop)["representantskap_deputies"]
    assert "Løten" in problem.message and "Hamar" not in problem.message.split(":")[-1]
    _members(coop, "representantskap", ("Eva Løten", "deputy", "3412"))
    assert "representantskap_deputies" not in missing(coop)


def test_iks_two_deputies_for_each_member(known):
    coop = iks(known)
    _members(
        coop,
        "representantskap",
        ("Kari Hamar", "member", "3403"),
        ("Per Hamar", "deputy", "3403"),
        ("Pål Hamar", "deputy", "3403"),
        ("Ola Løten", "member", "3412"),
        ("Eva Løten", "deputy", "3412"),
    )
    problem = missing(coop)["representantskap_deputies"]
    assert problem.source == "IKS-loven § 6 første ledd" and "Løten" in problem.message


def test_representantskap_term_longer_than_four_years_is_shown(ipr_data, known):
    coop = services.cooperation_create(actor="t", **ipr_data)
    body = _members(coop, "representantskap")
    services.body_member_add(
        actor="t",
        body=body,
        person_name="Kari Hamar",
        role="member",
        organisation=known["3403"],
        term_start=dt.date(2023, 10, 15),
        term_end=dt.date(2027, 10, 14),
    )
    assert "representantskap_term" not in missing(coop)
    services.body_member_add(
        actor="t",
        body=body,
        person_name="Ola Løten",
        role="member",
        organisation=known["3412"],
        term_start=dt.date(2023, 10, 15),
        term_end=dt.date(2029, 10, 14),
    )
    problem = missing(coop)["representantskap_term"]
    assert problem.source == "kommuneloven § 18-3 tredje ledd"
    assert "Ola Løten" in problem.message and "Kari Hamar" not in problem.message


@pytest.mark.parametrize(
    "form,name,source",
    [
        ("ko", "Hamarregionen KO", "kommuneloven § 19-3 tredje ledd"),
        ("iks", "Hamarregionen IKS", "IKS-loven § 6 tredje ledd"),
    ],
)
def test_daily_manager_not_in_the_representantskap(ipr_data, known, form, name, source):
    ipr_data.update(legal_form=form, name=name, daily_manager="Dag Leder")
    coop = services.cooperation_create(actor="t", **ipr_data)
    body = _members(coop, "representantskap", ("Kari Hamar", "member", "3403"))
    with pytest.raises(ValidationError) as info:
        services.body_member_add(
            actor="t",
            body=body,
            person_name="dag  leder",
            role="member",
            organisation=known["3412"],
        )
    assert source in joined(info.value.message_dict["person_name"])
    assert not BodyMember.objects.filter(person_name__iexact="dag  leder").exists()
    # Making a member of the representantskap the daily manager is refused too.
    coop.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        services.cooperation_update(
            actor="t", cooperation=coop, expected_version=coop.version, daily_manager="Kari Hamar"
        )
    assert source in joined(info.value.message_dict["daily_manager"])


def test_ipr_daily_manager_rule_does_not_apply(ipr_data, known):
    ipr_data["daily_manager"] = "Dag Leder"
    coop = services.cooperation_create(actor="t", **ipr_data)
    _members(coop, "representantskap", ("Dag Leder", "member", "3403"))
    assert "daily_manager_representantskap" not in missing(coop)


def test_iks_board_of_three_without_representantskap_members(known):
    coop = iks(known, daily_manager="Dag Leder")
    _members(coop, "representantskap", ("Kari Hamar", "member", "3403"))
    assert missing(coop)["iks_board_size"].source == "IKS-loven § 10 første ledd"
    board = _members(coop, "board", ("Styre En", "chair", None), ("Styre To", "member", None))
    assert "2" in missing(coop)["iks_board_size"].message
    for person in ("Kari Hamar", "Dag Leder"):
        with pytest.raises(ValidationError) as info:
            services.body_member_add(actor="t", body=board, person_name=person, role="member")
        assert "IKS-loven § 10" in joined(info.value.message_dict["person_name"])
    _members(coop, "board", ("Styre Tre", "member", None))
    assert "iks_board_size" not in missing(coop)


def test_iks_board_term_at_most_four_years(known):
    coop = iks(known)
    board = _members(coop, "board")
    with pytest.raises(ValidationError) as info:
        services.body_member_add(
            actor="t",
            body=board,
            person_name="Styre En",
            role="member",
            term_start=dt.date(2025, 6, 1),
            term_end=dt.date(2030, 6, 1),
        )
    assert "IKS-loven § 10" in joined(info.value.message_dict["term_end"])


def test_host_committee_two_members_per_participant(known):
    coop = host(known, "host_committee")
    assert missing(coop)["committee_body"].source == "kommuneloven § 20-3 tredje ledd"
    _members(
        coop,
        "committee",
        ("Kari Hamar", "chair", "3403"),
        ("Per Hamar", "member", "3403"),
        ("Ola Løten", "member", "3412"),
    )
    problem = missing(coop)["committee_members"]
    assert "Løten" in problem.message and "Hamar kommune" not in problem.message
    _members(coop, "committee", ("Eva Løten", "member", "3412"))
    assert "committee_members" not in missing(coop)


# --- registration -------------------------------------------------------------------------------


def test_active_iks_without_organisation_number_is_shown(known):
    coop = iks(known)
    assert "registration" not in missing(coop)  # planned: not registered yet
    coop = adopt_and_activate(coop)
    problem = missing(coop)["registration"]
    assert problem.source == "foretaksregisterloven § 2-1 første ledd"
    assert problem.field == "organisation_number"


def test_registration_warning_for_as_and_not_for_ipr():
    assert rules.registration_problem("as", "active", "").source.startswith("foretaksregisterloven")
    assert rules.registration_problem("sa", "dissolving", "") is not None
    assert rules.registration_problem("as", "active", "923609016") is None
    assert rules.registration_problem("ipr", "active", "") is None


# --- notice periods -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "form,agreed,months,source",
    [
        ("host_administrative", None, 12, "kommuneloven § 20-8 andre ledd"),
        ("host_committee", 6, 6, "kommuneloven § 20-8 andre ledd"),
        ("iks", None, 12, "IKS-loven § 30 første ledd"),
        ("iks", 24, 24, "IKS-loven § 30 første ledd"),
        ("plan", None, 3, "pbl. § 9-5 andre ledd"),
        ("plan", 12, 3, "pbl. § 9-5 andre ledd"),
        ("ipr", None, None, "kommuneloven § 18-4 fjerde ledd bokstav g"),
        ("ko", 6, 6, "kommuneloven § 19-4 fjerde ledd bokstav i"),
    ],
)
def test_withdrawal_notice_by_form(form, agreed, months, source):
    notice = rules.withdrawal_notice(form, agreed)
    assert (notice.months, notice.source) == (months, source)
    assert source in notice.text


def test_withdrawal_notice_none_for_association():
    assert rules.withdrawal_notice("association", None) is None


def test_plan_cooperation_with_other_notice_is_shown(known):
    coop = services.cooperation_create(
        actor="t",
        name="Interkommunal kystsoneplan",
        legal_form="plan",
        areas=["planning"],
        withdrawal_notice_months=12,
        participants=[ParticipantInput(known["3403"]), ParticipantInput(known["3412"])],
    )
    assert missing(coop)["withdrawal_notice_plan"].source == "pbl. § 9-5 andre ledd"
    with pytest.raises(ValidationError) as info:
        services.cooperation_create(
            actor="t",
            name="Plan med bedrift",
            legal_form="plan",
            areas=["planning"],
            participants=[
                ParticipantInput(known["3403"]),
                ParticipantInput(known["3412"]),
                ParticipantInput(known["firm"]),
            ],
        )
    assert "pbl." in joined(info.value.message_dict["participants"])
