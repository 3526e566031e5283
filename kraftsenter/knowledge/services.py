"""Writes for scenarios: validated, permission-checked, one transaction, history kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.core.permissions import is_system_actor
from kraftsenter.core.services import (
    archive_services,
    check_version,
    record_create,
    record_update,
)

from .models import Scenario
from .permissions import SCENARIO_POLICY
from .scenarios import emission_years, place_municipalities

FIELDS = (
    "name",
    "region",
    "municipality",
    "owner",
    "base_year",
    "target_year",
    "target_cut_percent",
    "measures",
    "description",
)


def _check(scenario: Scenario) -> None:
    scenario.full_clean()
    years = emission_years(place_municipalities(scenario))
    if scenario.base_year not in years:
        raise ValidationError(
            {
                "base_year": _(
                    "There are no emission figures for %(year)s for this place. Years with data: "
                    "%(years)s."
                )
                % {"year": scenario.base_year, "years": ", ".join(map(str, years)) or _("none")}
            }
        )


OWNER_MESSAGE = _("Choose one of your own organisations as the owner.")


@transaction.atomic
def scenario_create(*, actor: Any, **fields: Any) -> Scenario:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in sorted(unknown)})
    SCENARIO_POLICY.require(actor, "create")
    owner = fields.get("owner")
    _require_owner(actor, owner)
    scenario = Scenario(**fields)
    _check(scenario)
    return record_create(scenario, actor=actor)


def _require_owner(actor: Any, owner: Any) -> None:
    """The owner after the change must be an organisation the actor edits for: a missing owner
    is an input error, another organisation's a refusal (403, as in every register)."""
    if owner is None and not is_system_actor(actor):
        raise ValidationError({"owner": OWNER_MESSAGE})
    SCENARIO_POLICY.require_result(actor, {owner.pk} if owner else set(), str(OWNER_MESSAGE))


@transaction.atomic
def scenario_update(
    *,
    actor: Any,
    scenario: Scenario,
    expected_version: int | None,
    reason: str = "",
    **changes: Any,
) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    SCENARIO_POLICY.require(actor, "edit", locked)
    check_version(locked, expected_version)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in sorted(unknown)})
    if "owner" in changes:
        _require_owner(actor, changes["owner"])
    candidate = Scenario.objects.get(pk=locked.pk)
    for name, value in changes.items():
        setattr(candidate, name, value)
    _check(candidate)
    return record_update(
        locked, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


scenario_archive, scenario_restore = archive_services(
    Scenario, policy=SCENARIO_POLICY, object_name="scenario"
)
