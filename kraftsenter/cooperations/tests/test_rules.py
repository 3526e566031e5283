"""Each rule of each legal form: refused with a message naming the rule and its legal source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kraftsenter.cooperations.choices import Status
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import (
    ParticipantInput,
    activation_problems,
    agreement_version_add,
    cooperation_create,
    cooperation_update,
    council_decision_record,
)

pytestmark = pytest.mark.django_db


def refused(**data) -> dict[str, list[str]]:
    before = Cooperation.objects.count()
    with pytest.raises(ValidationError) as info:
        cooperation_create(actor="t", **data)
    assert Cooperation.objects.count() == before  # nothing written
    return info.value.message_dict


def test_rule_at_least_two_municipal_participants(ipr_data, orgs):
    ipr_data["participants"] = [ParticipantInput(orgs["3403"], Decimal("100"))]
    assert "§ 17-1" in " ".join(refused(**ipr_data)["participants"])


def test_rule_ipr_only_municipalities_and_counties(ipr_data, orgs):
    ipr_data["participants"].append(ParticipantInput(orgs["firm"], Decimal("0")))
    assert "§ 18-1" in " ".join(refused(**ipr_data)["participants"])


def test_rule_iks_allows_other_iks_but_not_businesses(orgs):
    base = {
        "name": "Innlandet revisjon IKS",
        "legal_form": "iks",
        "areas": ["audit"],
        "participants": [
            ParticipantInput(orgs["3403"], Decimal("50")),
            ParticipantInput(orgs["3412"], Decimal("25")),
            ParticipantInput(orgs["iks"], Decimal("25")),
        ],
    }
    assert cooperation_create(actor="t", **base).legal_person is True
    base["name"] = "Annen IKS"
    base["participants"][2] = ParticipantInput(orgs["firm"], Decimal("25"))
    assert "IKS-loven § 1" in " ".join(refused(**base)["participants"])


def test_rule_host_cooperation_same_level_only(orgs):
    data = {
        "name": "Barnevern Hamar",
        "legal_form": "host_administrative",
        "areas": ["child_welfare"],
        "host": orgs["3403"],
        "participants": [
            ParticipantInput(orgs["3403"]),
            ParticipantInput(orgs["3412"]),
            ParticipantInput(orgs["34"]),
        ],
    }
    assert "§ 20-1" in " ".join(refused(**data)["participants"])


@pytest.mark.parametrize(
    "form,name,source",
    [
        ("ipr", "Hamarregionen utvikling", "§ 18-1"),
        ("ko", "Innlandet IKT-samarbeid", "§ 19-1"),
        ("iks", "Innlandet revisjon", "foretaksnavneloven § 2-2"),
    ],
)
def test_rule_name_must_show_the_form(ipr_data, form, name, source):
    ipr_data.update(legal_form=form, name=name)
    if form == "iks":
        ipr_data["legal_person"] = True
    assert source in " ".join(refused(**ipr_data)["name"])


@pytest.mark.parametrize(
    "name",
    [
        "Midt-Troms IPR",
        "Vestre KO",
        "Revisjon Øst IKS",
        "Hamarregionen interkommunalt politisk råd",
    ],
)
def test_rule_name_accepts_abbreviations(ipr_data, name):
    form = {"IPR": "ipr", "KO": "ko", "IKS": "iks"}.get(name.split()[-1], "ipr")
    ipr_data.update(legal_form=form, name=name)
    assert cooperation_create(actor="t", **ipr_data).pk


def test_rule_shares_must_add_up_to_100(ipr_data, orgs):
    ipr_data["participants"][1] = ParticipantInput(orgs["3412"], Decimal("30"))
    assert "90" in " ".join(refused(**ipr_data)["ownership_share"])


@pytest.mark.parametrize(
    "form,name,source",
    [
        ("ipr", "Hamarregionen IPR", "kommuneloven § 18-4 fjerde ledd bokstav f"),
        ("ko", "Hamarregionen KO", "kommuneloven § 19-4 fjerde ledd bokstav f"),
        ("iks", "Hamarregionen IKS", "IKS-loven § 4 tredje ledd nr. 7"),
    ],
)
def test_rule_shares_required_in_share_forms(ipr_data, orgs, form, name, source):
    # The agreement fixes each participant's ownership share (not § 18-2/19-2, which is liability).
    ipr_data.update(legal_form=form, name=name)
    ipr_data["participants"][1] = ParticipantInput(orgs["3412"], None)
    assert source in " ".join(refused(**ipr_data)["ownership_share"])


def test_rule_liability_shares_if_given_must_cover_all(ipr_data, orgs):
    ipr_data["participants"][0].liability_share = Decimal("50")
    assert "kommuneloven § 18-2 første ledd" in " ".join(refused(**ipr_data)["liability_share"])


def test_rule_shares_not_needed_for_association(orgs):
    coop = cooperation_create(
        actor="t",
        name="Vennskapsforening",
        legal_form="association",
        areas=["culture"],
        participants=[ParticipantInput(orgs["3403"]), ParticipantInput(orgs["3412"])],
    )
    assert coop.pk


def test_rule_other_form_needs_legal_basis(orgs):
    data = {
        "name": "Regional motor",
        "legal_form": "other",
        "areas": ["ict"],
        "participants": [ParticipantInput(orgs["5601"]), ParticipantInput(orgs["5610"])],
    }
    assert "legal_basis" in refused(**data)


def test_rule_dissolved_before_started_is_refused(ipr_data):
    ipr_data["end_date"] = dt.date(2019, 1, 1)
    assert "end_date" in refused(**ipr_data)


def test_rule_unknown_area_is_refused(ipr_data):
    ipr_data["areas"] = ["spaceflight"]
    assert "areas" in refused(**ipr_data)


def _activate(coop):
    return cooperation_update(
        actor="t", cooperation=coop, expected_version=coop.version, status=Status.ACTIVE
    )


def test_activation_needs_agreement_with_every_mandatory_item(ipr_data):
    coop = cooperation_create(actor="t", **ipr_data)
    with pytest.raises(ValidationError) as info:
        _activate(coop)
    assert "§ 18-4" in " ".join(info.value.message_dict["status"])
    agreement_version_add(actor="t", cooperation=coop, items_covered=["name", "shares"])
    messages = [p.message for p in activation_problems(coop)]
    assert any("g) " in m and "a) " not in m for m in messages)  # name (a) is covered, g is not


def test_activation_needs_every_council_decision_then_succeeds(ipr_data, orgs):
    coop = cooperation_create(actor="t", **ipr_data)
    version = agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes("ipr"))
    )
    council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["3403"],
        decided_on=dt.date(2019, 12, 10),
        case_reference="19/123",
    )
    problems = activation_problems(coop)
    assert [p.rule for p in problems] == ["council_decisions"] and "Løten" in problems[0].message
    council_decision_record(
        actor="t",
        agreement_version=version,
        organisation=orgs["3412"],
        decided_on=dt.date(2019, 12, 12),
    )
    assert _activate(coop).status == Status.ACTIVE


def test_change_to_mandatory_item_asks_all_councils_again(ipr_data, orgs):
    coop = cooperation_create(actor="t", **ipr_data)
    v1 = agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes("ipr"))
    )
    for org in (orgs["3403"], orgs["3412"]):
        council_decision_record(
            actor="t", agreement_version=v1, organisation=org, decided_on=dt.date(2019, 12, 10)
        )
    coop = _activate(coop)
    agreement_version_add(
        actor="t",
        cooperation=coop,
        items_covered=sorted(mandatory_codes("ipr")),
        items_changed=["shares"],
        summary="Nye eierandeler",
    )
    problems = activation_problems(coop)
    assert [p.rule for p in problems] == ["council_decisions"]
    assert "versjon 2" in problems[0].message or "version 2" in problems[0].message


def test_change_to_other_items_needs_representantskap_or_councils(ipr_data, orgs):
    coop = cooperation_create(actor="t", **ipr_data)
    v1 = agreement_version_add(
        actor="t", cooperation=coop, items_covered=sorted(mandatory_codes("ipr"))
    )
    for org in (orgs["3403"], orgs["3412"]):
        council_decision_record(
            actor="t", agreement_version=v1, organisation=org, decided_on=dt.date(2019, 12, 10)
        )
    agreement_version_add(
        actor="t",
        cooperation=coop,
        items_covered=sorted(mandatory_codes("ipr")),
        summary="Nytt møtemønster",
    )
    assert [p.rule for p in activation_problems(coop)] == ["representantskap"]


def test_host_must_be_a_participant(orgs):
    data = {
        "name": "Barnevern",
        "legal_form": "host_administrative",
        "areas": ["child_welfare"],
        "host": orgs["5601"],
        "participants": [ParticipantInput(orgs["3403"]), ParticipantInput(orgs["3412"])],
    }
    assert "host" in refused(**data)


def test_council_decision_by_non_participant_or_in_future_is_refused(ipr_data, orgs):
    coop = cooperation_create(actor="t", **ipr_data)
    version = agreement_version_add(actor="t", cooperation=coop, items_covered=["name"])
    with pytest.raises(ValidationError) as info:
        council_decision_record(
            actor="t",
            agreement_version=version,
            organisation=orgs["5601"],
            decided_on=dt.date(2099, 1, 1),
        )
    assert {"organisation", "decided_on"} <= set(info.value.message_dict)


def test_dissolved_needs_end_date(ipr_data):
    coop = cooperation_create(actor="t", **ipr_data)
    with pytest.raises(ValidationError) as info:
        cooperation_update(actor="t", cooperation=coop, expected_version=1, status=Status.DISSOLVED)
    assert "end_date" in info.value.message_dict
    coop = cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=1,
        status=Status.DISSOLVED,
        end_date=dt.date(2024, 1, 1),
    )
    assert coop.status == Status.DISSOLVED
