"""Writes for scenarios: validated, permission-checked, one transaction, history kept."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.core.permissions import (
    ROLE_EDITOR,
    is_site_admin,
    is_system_actor,
    organisations_with_role,
    require,
)
from kraftsenter.core.services import record_archive, record_create, record_restore, record_update

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


@transaction.atomic
def scenario_create(*, actor: Any, **fields: Any) -> Scenario:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in sorted(unknown)})
    if not is_system_actor(actor):
        require(
            SCENARIO_POLICY.can_create(actor),
            _("Only editors and administrators of an organisation may save scenarios."),
        )
        owner = fields.get("owner")
        if not is_site_admin(actor) and (
            owner is None or owner.pk not in organisations_with_role(actor, ROLE_EDITOR)
        ):
            raise ValidationError(
                {"owner": _("Choose one of your own organisations as the owner.")}
            )
    scenario = Scenario(**fields)
    _check(scenario)
    return record_create(scenario, actor=actor)


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
    if not is_system_actor(actor):
        require(SCENARIO_POLICY.can_edit(actor, locked))
    unknown = set(changes) - set(FIELDS) - {"region", "municipality"}
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in sorted(unknown)})
    for name, value in changes.items():
        setattr(locked, name, value)
    _check(locked)
    # record_update re-applies the changes, validates again and writes history.
    fresh = Scenario.objects.get(pk=locked.pk)
    return record_update(
        fresh, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


@transaction.atomic
def scenario_archive(
    *, actor: Any, scenario: Scenario, expected_version: int | None = None, reason: str = ""
) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if not is_system_actor(actor):
        require(SCENARIO_POLICY.can_archive(actor, locked))
    return record_archive(locked, actor=actor, expected_version=expected_version, reason=reason)


@transaction.atomic
def scenario_restore(
    *, actor: Any, scenario: Scenario, expected_version: int | None = None, reason: str = ""
) -> Scenario:
    locked = Scenario.objects.select_for_update().get(pk=scenario.pk)
    if not is_system_actor(actor):
        require(SCENARIO_POLICY.can_archive(actor, locked))
    return record_restore(locked, actor=actor, expected_version=expected_version, reason=reason)
