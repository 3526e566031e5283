"""The hard rules refuse and write nothing; the warnings are saved with the record and shown,
each naming its legal source."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kraftsenter.core.history import history_for
from kraftsenter.ownership import rules, services
from kraftsenter.ownership.models import OwnershipInterest

pytestmark = pytest.mark.django_db


def codes(exc: ValidationError) -> dict[str, list[str]]:
    return {f: [e.code for e in errs] for f, errs in exc.error_dict.items()}


def test_a_municipal_enterprise_has_no_share(orgs):
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="municipal_enterprise",
            entity=orgs["kf"],
            share=Decimal("100"),
        )
    assert codes(caught.value) == {"share": ["interest_share_enterprise"]}
    assert "§ 9-1 second paragraph" in caught.value.error_dict["share"][0].message
    assert not OwnershipInterest.objects.exists()


def test_a_foundation_has_no_share_but_is_registered_without_one(orgs):
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="foundation",
            entity=orgs["foundation"],
            share=Decimal("50"),
        )
    assert codes(caught.value) == {"share": ["interest_share_foundation"]}
    interest = services.interest_create(
        actor="t", holder=orgs["3403"], kind="foundation", entity=orgs["foundation"]
    )
    assert interest.group == "other"


def test_a_company_with_other_owners_is_not_owned_100_percent(orgs):
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="as_partly_owned",
            entity=orgs["as2"],
            share=Decimal("100"),
        )
    assert codes(caught.value) == {"share": ["interest_share_partly_owned"]}
    kept = services.interest_create(
        actor="t",
        holder=orgs["3403"],
        kind="as_partly_owned",
        entity=orgs["as2"],
        share=Decimal("99.5"),
    )
    assert kept.share == Decimal("99.5")


def test_a_cooperation_is_linked_never_duplicated(orgs, iks):
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t",
            holder=orgs["3403"],
            kind="cooperation",
            cooperation=iks,
            entity=orgs["as"],
            share=Decimal("60"),
        )
    assert codes(caught.value) == {
        "entity": ["interest_cooperation_entity"],
        "share": ["interest_share_cooperation"],
    }
    with pytest.raises(ValidationError) as caught:
        services.interest_create(actor="t", holder=orgs["3403"], kind="cooperation")
    assert codes(caught.value) == {"cooperation": ["interest_cooperation_required"]}
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t", holder=orgs["3403"], kind="as_partly_owned", cooperation=iks
        )
    assert set(codes(caught.value)) == {"entity", "cooperation"}
    assert not OwnershipInterest.objects.exists()


def test_only_a_participant_holds_an_interest_in_a_cooperation(orgs, iks):
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t", holder=orgs["5610"], kind="cooperation", cooperation=iks
        )
    assert codes(caught.value) == {"cooperation": ["interest_not_participant"]}
    services.interest_create(actor="t", holder=orgs["3412"], kind="cooperation", cooperation=iks)


def test_one_interest_per_entity_until_it_is_archived(orgs):
    first = services.interest_create(
        actor="t", holder=orgs["3403"], kind="as_wholly_owned", entity=orgs["as"]
    )
    with pytest.raises(ValidationError) as caught:
        services.interest_create(
            actor="t", holder=orgs["3403"], kind="as_wholly_owned", entity=orgs["as"]
        )
    assert codes(caught.value) == {"entity": ["interest_once"]}
    # Another holder may hold an interest in the same company.
    services.interest_create(
        actor="t", holder=orgs["3412"], kind="as_wholly_owned", entity=orgs["as"]
    )
    services.interest_archive(actor="t", interest=first)
    services.interest_create(
        actor="t", holder=orgs["3403"], kind="as_wholly_owned", entity=orgs["as"]
    )


def test_a_refused_update_writes_nothing(orgs):
    interest = services.interest_create(
        actor="t",
        holder=orgs["3403"],
        kind="as_partly_owned",
        entity=orgs["as2"],
        share=Decimal("30"),
    )
    before = history_for(interest).count()
    with pytest.raises(ValidationError):
        services.interest_update(
            actor="t", interest=interest, expected_version=1, kind="municipal_enterprise"
        )
    interest.refresh_from_db()
    assert (interest.kind, interest.version) == ("as_partly_owned", 1)
    assert history_for(interest).count() == before


def test_warnings_are_saved_with_the_record_and_name_their_source(orgs):
    interest = services.interest_create(
        actor="t",
        holder=orgs["3403"],
        kind="municipal_enterprise",
        entity=orgs["kf"],
        decision_body="formannskapet",
        decided_on=dt.date(2019, 5, 2),
    )
    found = {w.rule: w for w in rules.interest_warnings(interest)}
    assert set(found) == {"interest_purpose_missing", "enterprise_by_council"}
    assert found["interest_purpose_missing"].source == "kommuneloven § 26-1 andre ledd bokstav c"
    assert found["enterprise_by_council"].source == "kommuneloven § 9-1 første ledd"
    services.interest_update(
        actor="t",
        interest=interest,
        expected_version=1,
        purpose="Drive kommunens bygg effektivt.",
        decision_body="kommunestyret",
    )
    interest.refresh_from_db()
    assert rules.interest_warnings(interest) == []


def test_a_holder_that_is_not_a_municipality_is_warned_of(orgs):
    interest = services.interest_create(
        actor="t",
        holder=orgs["association"],
        kind="as_partly_owned",
        entity=orgs["as"],
        purpose="Avkastning",
    )
    assert [w.rule for w in rules.interest_warnings(interest)] == ["holder_not_municipal"]


def test_a_document_not_adopting_body_the_council_is_saved_with_a_warning(orgs):
    statement = services.statement_create(
        actor="t",
        holder=orgs["3403"],
        kind="ownership_statement",
        adopted_on=dt.date(2024, 6, 20),
        adopting_body="other_body",
    )
    plan = services.statement_create(
        actor="t",
        holder=orgs["3403"],
        kind="control_plan",
        adopted_on=dt.date(2024, 6, 20),
        adopting_body="other_body",
    )
    assert [(w.rule, w.source) for w in rules.statement_warnings(statement)] == [
        ("statement_by_council", "kommuneloven § 26-1 første ledd")
    ]
    assert [(w.rule, w.source) for w in rules.statement_warnings(plan)] == [
        ("control_plan_by_council", "kommuneloven § 23-4 tredje ledd")
    ]
