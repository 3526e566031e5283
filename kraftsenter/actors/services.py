"""Writes for organisations, memberships and contact persons.

Every write validates, checks permission (unless a system actor such as an import acts), runs
in one transaction and keeps history through the shared ``core.services`` steps.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.core.permissions import forget_roles, is_site_admin, is_system_actor
from kraftsenter.core.services import (
    archive_services,
    record_archive,
    record_create,
    record_update,
)
from kraftsenter.places.models import County, Municipality

from .choices import OrganisationKind, Role
from .models import ContactPerson, Membership, Organisation
from .permissions import ORGANISATION_POLICY

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "organisation_number",
    "municipality",
    "county",
    "website",
    "description",
)


def _check_organisation_number(number: str, *, exclude_pk: int | None = None) -> None:
    if not number:
        return
    clash = Organisation.objects.filter(organisation_number=number).exclude(pk=exclude_pk).first()
    if clash is not None:
        raise ValidationError(
            {
                "organisation_number": _(
                    "Organisation number %(number)s is already registered for %(name)s."
                )
                % {"number": number, "name": clash.name}
            }
        )


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    organisation_number: str = "",
    municipality: Municipality | None = None,
    county: County | None = None,
    website: str = "",
    description: str = "",
) -> Organisation:
    ORGANISATION_POLICY.require(actor, "create")
    number = (organisation_number or "").replace(" ", "").strip()
    _check_organisation_number(number)
    if municipality is not None and county is None:
        county = municipality.county

    organisation = Organisation(
        name=(name or "").strip(),
        kind=kind,
        organisation_number=number,
        municipality=municipality,
        county=county,
        website=website or "",
        description=description or "",
    )
    record_create(organisation, actor=actor)
    if not is_system_actor(actor) and not is_site_admin(actor):
        # Whoever registers an organisation administers it until they hand that on.
        record_create(
            Membership(organisation=organisation, user=actor, role=Role.ADMIN),
            actor=actor,
            parent=organisation,
        )
        forget_roles(actor)
    return organisation


@transaction.atomic
def organisation_update(
    *,
    actor: Any,
    organisation: Organisation,
    expected_version: int | None,
    reason: str = "",
    **changes: Any,
) -> Organisation:
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    ORGANISATION_POLICY.require(actor, "edit", locked)
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in sorted(unknown)})
    if "organisation_number" in changes:
        changes["organisation_number"] = (
            (changes["organisation_number"] or "").replace(" ", "").strip()
        )
        _check_organisation_number(changes["organisation_number"], exclude_pk=locked.pk)
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    municipality = changes.get("municipality", locked.municipality)
    if municipality is not None and changes.get("county", locked.county) is None:
        changes["county"] = municipality.county
    return record_update(
        locked, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


organisation_archive, organisation_restore = archive_services(
    Organisation, policy=ORGANISATION_POLICY, object_name="organisation"
)


@transaction.atomic
def membership_add(
    *, actor: Any, organisation: Organisation, user, role: str = Role.MEMBER
) -> Membership:
    ORGANISATION_POLICY.require(actor, "manage_members", organisation)
    if Membership.objects.active().filter(organisation=organisation, user=user).exists():
        raise ValidationError(
            {
                "user": _("%(user)s is already a member of %(name)s.")
                % {"user": user.get_username(), "name": organisation.name}
            }
        )
    membership = record_create(
        Membership(organisation=organisation, user=user, role=role),
        actor=actor,
        parent=organisation,
    )
    forget_roles(user)
    return membership


@transaction.atomic
def membership_change_role(
    *, actor: Any, membership: Membership, role: str, expected_version: int | None = None
) -> Membership:
    locked = (
        Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    )
    ORGANISATION_POLICY.require(actor, "manage_members", locked.organisation)
    _keep_one_admin(locked, new_role=role)
    result = record_update(
        locked,
        actor=actor,
        changes={"role": role},
        expected_version=expected_version,
        parent=locked.organisation,
    )
    forget_roles(locked.user)
    return result


@transaction.atomic
def membership_end(*, actor: Any, membership: Membership, reason: str = "") -> Membership:
    locked = (
        Membership.objects.select_for_update().select_related("organisation").get(pk=membership.pk)
    )
    ORGANISATION_POLICY.require(actor, "manage_members", locked.organisation)
    _keep_one_admin(locked, new_role=None)
    result = record_archive(locked, actor=actor, reason=reason, parent=locked.organisation)
    forget_roles(locked.user)
    return result


def _keep_one_admin(membership: Membership, *, new_role: str | None) -> None:
    """An organisation with administrators keeps at least one."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return
    others = (
        Membership.objects.active()
        .filter(organisation=membership.organisation, role=Role.ADMIN)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise ValidationError(
            {
                "role": _("%(name)s must keep at least one administrator.")
                % {"name": membership.organisation.name}
            }
        )


@transaction.atomic
def contact_person_add(
    *, actor: Any, organisation: Organisation, name: str, title: str = "", work_email: str = ""
) -> ContactPerson:
    ORGANISATION_POLICY.require(actor, "add_contact", organisation)
    person = ContactPerson(
        organisation=organisation,
        name=(name or "").strip(),
        title=(title or "").strip(),
        work_email=(work_email or "").strip(),
    )
    return record_create(person, actor=actor, parent=organisation)


@transaction.atomic
def contact_person_archive(*, actor: Any, person: ContactPerson, reason: str = "") -> ContactPerson:
    locked = (
        ContactPerson.objects.select_for_update().select_related("organisation").get(pk=person.pk)
    )
    ORGANISATION_POLICY.require(actor, "remove_contact", locked.organisation)
    return record_archive(locked, actor=actor, reason=reason, parent=locked.organisation)


@transaction.atomic
def organisations_sync_from_places(*, actor: Any = "import") -> dict[str, int]:
    """Make sure every municipality and county municipality has its organisation.

    Oslo is both municipality and county and has no separate county municipality
    (kommuneloven § 3-1), so county 03 gets none.
    """
    counts = {"created": 0, "unchanged": 0}
    existing_munis = set(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
            "municipality_id", flat=True
        )
    )
    taken_numbers = set(
        Organisation.objects.exclude(organisation_number="").values_list(
            "organisation_number", flat=True
        )
    )
    from .validators import organisation_number_is_valid

    for muni in Municipality.objects.filter(valid_to__isnull=True).select_related("county"):
        if muni.pk in existing_munis:
            counts["unchanged"] += 1
            continue
        number = muni.organisation_number
        if not number or number in taken_numbers or not organisation_number_is_valid(number):
            number = ""
        organisation_create(
            actor=actor,
            name=f"{muni.name_nb} kommune",
            kind=OrganisationKind.MUNICIPALITY,
            organisation_number=number,
            municipality=muni,
            county=muni.county,
        )
        taken_numbers.add(number)
        counts["created"] += 1
    existing_counties = set(
        Organisation.objects.filter(kind=OrganisationKind.COUNTY_MUNICIPALITY).values_list(
            "county_id", flat=True
        )
    )
    for county in County.objects.filter(valid_to__isnull=True).exclude(number="03"):
        if county.pk in existing_counties:
            counts["unchanged"] += 1
            continue
        organisation_create(
            actor=actor,
            name=f"{county.name_nb} fylkeskommune",
            kind=OrganisationKind.COUNTY_MUNICIPALITY,
            county=county,
        )
        counts["created"] += 1
    return counts
