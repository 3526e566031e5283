"""Writes for organisations, memberships and contact persons.

Every write validates, checks permission (unless a system actor such as an import acts), runs
in one transaction and keeps history through the shared ``core.services`` steps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.accounts.models import SecurityEventKind
from kraftsenter.accounts.security import security_event_record
from kraftsenter.core import bounds
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.markdown import markdown_for_storage
from kraftsenter.core.permissions import forget_roles, is_site_admin, is_system_actor
from kraftsenter.core.services import (
    archive_services,
    record_archive,
    record_create,
    record_update,
)
from kraftsenter.places.models import County, Municipality

from .brreg import RegisterEntry
from .choices import EmployeeAccess, OrganisationKind, RequestStatus, Role
from .models import ContactPerson, Membership, MembershipRequest, Organisation
from .permissions import ORGANISATION_POLICY
from .reference import COUNTY_MUNICIPALITY, NATIONAL_ACTOR, read_reference_organisations
from .validators import organisation_number_is_valid

if TYPE_CHECKING:
    from django.contrib.auth.models import User

OTHER_NAME_FIELDS = Organisation.OTHER_NAME_FIELDS

ORGANISATION_FIELDS = (
    "name",
    "name_se",
    "name_smj",
    "name_sma",
    "name_fkv",
    "kind",
    "organisation_number",
    "municipality",
    "county",
    "website",
    "description",
    "address",
    "industry_code",
    "organisation_form",
)

#: What a lookup in Enhetsregisteret keeps on the organisation besides the form's fields.
REGISTER_FIELDS = (
    "register_source",
    "register_checked_on",
    "register_deleted_on",
    "register_bankrupt",
    "register_winding_up",
)


def _register_values(entry: RegisterEntry | None) -> dict[str, Any]:
    """The register fields a lookup sets (all cleared when there is none)."""
    if entry is None:
        return {
            "register_source": "",
            "register_checked_on": None,
            "register_deleted_on": None,
            "register_bankrupt": False,
            "register_winding_up": False,
        }
    return {
        "register_source": entry.source,
        "register_checked_on": entry.checked_on,
        "register_deleted_on": entry.deleted_on,
        "register_bankrupt": entry.bankrupt,
        "register_winding_up": entry.winding_up,
    }


def _entry_for(number: str, entry: RegisterEntry | None) -> RegisterEntry | None:
    """A lookup counts only for the number it was made for."""
    return entry if entry is not None and entry.organisation_number == number else None


def _check_organisation_number(number: str, *, exclude_pk: int | None = None) -> None:
    if not number:
        return
    others = (
        Organisation.objects.all()
        if exclude_pk is None
        else Organisation.objects.exclude(pk=exclude_pk)
    )
    clash = others.filter(organisation_number=number).first()
    if clash is not None:
        raise ValidationError(
            {
                "organisation_number": _(
                    "Organisation number %(number)s is already registered for %(name)s."
                )
                % {"number": number, "name": clash.name}
            }
        )


def _description_html(description: str | None) -> str:
    """The description as stored HTML (rendered here, once, never per view)."""
    return markdown_for_storage(description or "", max_length=bounds.TEXT_LENGTH)


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
    address: str = "",
    industry_code: str = "",
    organisation_form: str = "",
    name_se: str = "",
    name_smj: str = "",
    name_sma: str = "",
    name_fkv: str = "",
    register_entry: RegisterEntry | None = None,
) -> Organisation:
    """Register an organisation. ``register_entry`` is a lookup in Enhetsregisteret made for
    this number (``actors.brreg``): its source, date and status are kept with the record."""
    ORGANISATION_POLICY.require(actor, "create")
    number = (organisation_number or "").replace(" ", "").strip()
    _check_organisation_number(number)
    if municipality is not None and county is None:
        county = municipality.county

    organisation = Organisation(
        name=(name or "").strip(),
        name_se=(name_se or "").strip(),
        name_smj=(name_smj or "").strip(),
        name_sma=(name_sma or "").strip(),
        name_fkv=(name_fkv or "").strip(),
        kind=kind,
        organisation_number=number,
        municipality=municipality,
        county=county,
        website=website or "",
        description=description or "",
        description_html=_description_html(description),
        address=(address or "").strip(),
        industry_code=(industry_code or "").strip(),
        organisation_form=(organisation_form or "").strip(),
        **_register_values(_entry_for(number, register_entry)),
    )
    record_create(organisation, actor=actor)
    if not is_system_actor(actor) and not is_site_admin(actor) and actor.pk is not None:
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
    register_entry: RegisterEntry | None = None,
    **changes: Any,
) -> Organisation:
    """Change an organisation. A ``register_entry`` (a lookup in Enhetsregisteret for the
    organisation's number) renews the register's source, date and status; a new number without
    one clears them, since they were about another unit."""
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
    number = changes.get("organisation_number", locked.organisation_number)
    entry = _entry_for(number, register_entry)
    if entry is not None or number != locked.organisation_number:
        changes.update(_register_values(entry))
    for text_field in ("address", "industry_code", "organisation_form", *OTHER_NAME_FIELDS):
        if text_field in changes:
            changes[text_field] = (changes[text_field] or "").strip()
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    if "description" in changes:
        changes["description_html"] = _description_html(changes["description"])
    municipality = changes.get("municipality", locked.municipality)
    if municipality is not None and (
        changes.get("county", locked.county) is None
        # A new home municipality brings its county along (county filters read only the
        # county column); a county municipality's county is its identity and never follows.
        or (
            "municipality" in changes
            and "county" not in changes
            and locked.kind != OrganisationKind.COUNTY_MUNICIPALITY
        )
    ):
        changes["county"] = municipality.county
    return record_update(
        locked, actor=actor, changes=changes, expected_version=expected_version, reason=reason
    )


organisation_archive, organisation_restore = archive_services(
    Organisation, policy=ORGANISATION_POLICY, object_name="organisation"
)


@transaction.atomic
def membership_add(
    *, actor: Any, organisation: Organisation, user: User, role: str = Role.MEMBER
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
    _log_role(SecurityEventKind.ROLE_GIVEN, actor=actor, membership=membership)
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
    previous = locked.role
    result = record_update(
        locked,
        actor=actor,
        changes={"role": role},
        expected_version=expected_version,
        parent=locked.organisation,
    )
    forget_roles(locked.user)
    if result.role != previous:
        _log_role(SecurityEventKind.ROLE_CHANGED, actor=actor, membership=result, previous=previous)
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
    _log_role(SecurityEventKind.ROLE_ENDED, actor=actor, membership=result)
    return result


# --- employees who log in with Ansattporten (docs/login.md) ------------------------------------

#: The system actor named in history when a login with Ansattporten gave a role or a request.
ANSATTPORTEN_ACTOR = "ansattporten"


@transaction.atomic
def organisation_set_employee_access(
    *, actor: Any, organisation: Organisation, access: str, expected_version: int | None = None
) -> Organisation:
    """What an employee logging in with Ansattporten for the organisation gets: nothing, a
    role, or a request an administrator decides."""
    ORGANISATION_POLICY.require(actor, "manage_members", organisation)
    if access not in EmployeeAccess.values:
        raise ValidationError({"employee_access": _("Choose one of the offered choices.")})
    locked: Organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    return record_update(
        locked, actor=actor, changes={"employee_access": access}, expected_version=expected_version
    )


@transaction.atomic
def employee_logged_in(*, user: User, organisation: Organisation) -> str:
    """An employee logged in with Ansattporten acting for ``organisation``: give the role the
    organisation's administrators chose, or open a request for them to decide. Returns what
    happened: ``member``/``editor`` (a membership), ``requested``, ``pending`` (a request was
    already open), ``already`` (already a member) or ``none`` (nothing is given)."""
    if Membership.objects.active().filter(organisation=organisation, user=user).exists():
        return "already"
    access = organisation.employee_access
    if access in (EmployeeAccess.MEMBER, EmployeeAccess.EDITOR):
        membership_add(actor=ANSATTPORTEN_ACTOR, organisation=organisation, user=user, role=access)
        return str(access)
    if access == EmployeeAccess.APPROVAL:
        open_request = MembershipRequest.objects.active().filter(
            organisation=organisation, user=user, status=RequestStatus.PENDING
        )
        if open_request.exists():
            return "pending"
        record_create(
            MembershipRequest(organisation=organisation, user=user),
            actor=ANSATTPORTEN_ACTOR,
            parent=organisation,
        )
        security_event_record(
            kind=SecurityEventKind.MEMBERSHIP_REQUESTED,
            user=user,
            actor=ANSATTPORTEN_ACTOR,
            organisation=organisation.name,
            organisation_id=organisation.pk,
        )
        return "requested"
    return "none"


def _pending(request_obj: MembershipRequest) -> MembershipRequest:
    locked = (
        MembershipRequest.objects.select_for_update()
        .select_related("organisation", "user")
        .get(pk=request_obj.pk)
    )
    if locked.status != RequestStatus.PENDING or locked.archived_at is not None:
        raise ValidationError(_("The request has already been decided."))
    return locked


@transaction.atomic
def membership_request_approve(
    *, actor: Any, request_obj: MembershipRequest, role: str = Role.MEMBER
) -> Membership:
    """An administrator approves an employee's request: a membership with ``role``."""
    locked = _pending(request_obj)
    ORGANISATION_POLICY.require(actor, "manage_members", locked.organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    record_update(
        locked,
        actor=actor,
        changes={"status": RequestStatus.APPROVED, "decided_at": timezone.now()},
        expected_version=None,
        parent=locked.organisation,
    )
    return membership_add(
        actor=actor, organisation=locked.organisation, user=locked.user, role=role
    )


@transaction.atomic
def membership_request_refuse(*, actor: Any, request_obj: MembershipRequest) -> MembershipRequest:
    """An administrator refuses an employee's request: no membership."""
    locked = _pending(request_obj)
    ORGANISATION_POLICY.require(actor, "manage_members", locked.organisation)
    return record_update(
        locked,
        actor=actor,
        changes={"status": RequestStatus.REFUSED, "decided_at": timezone.now()},
        expected_version=None,
        parent=locked.organisation,
    )


def _log_role(
    kind: SecurityEventKind, *, actor: Any, membership: Membership, previous: str = ""
) -> None:
    """The security log's entry for a role given, changed or ended."""
    security_event_record(
        kind=kind,
        user=membership.user,
        actor=actor,
        organisation=membership.organisation.name,
        organisation_id=membership.organisation_id,
        role=membership.role,
        previous_role=previous,
    )


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


@dataclass
class _Wanted:
    """An organisation the reference data says should exist, and how to recognise it."""

    name: str
    kind: str
    number: str  # a valid number from the reference data, or ""
    municipality: Municipality | None = None
    county: County | None = None
    place: tuple[str, int] | None = None  # the municipality or county it is the organisation of


def _place_of(org: Organisation) -> tuple[str, int] | None:
    """The place whose own organisation this is (a municipality's or county municipality's)."""
    if org.kind == OrganisationKind.MUNICIPALITY and org.municipality_id:
        return ("municipality", org.municipality_id)
    if org.kind == OrganisationKind.COUNTY_MUNICIPALITY and org.county_id:
        return ("county", org.county_id)
    return None


class _Register:
    """The organisations in memory, indexed the ways the sync looks them up."""

    def __init__(self) -> None:
        self.by_place: dict[tuple[str, int], list[Organisation]] = defaultdict(list)
        self.by_number: dict[str, Organisation] = {}
        self.by_name: dict[str, list[Organisation]] = defaultdict(list)
        self.claimed: set[int] = set()
        for org in Organisation.objects.order_by("pk"):
            self.add(org)

    def add(self, org: Organisation) -> None:
        if (place := _place_of(org)) is not None:
            self.by_place[place].append(org)
        if org.organisation_number:
            self.by_number[org.organisation_number] = org
        self.by_name[org.name].append(org)

    def replace(self, old: Organisation, new: Organisation) -> None:
        for index in (self.by_place.values(), self.by_name.values()):
            for orgs in index:
                orgs[:] = [o for o in orgs if o.pk != old.pk]
        if self.by_number.get(old.organisation_number) is old:
            del self.by_number[old.organisation_number]
        self.add(new)

    def match(self, wanted: _Wanted) -> Organisation | None:
        """The place's own organisation; else the holder of the number unless it is another
        place's; else (national actors only) one with exactly this name and no other number."""

        def free(org: Organisation) -> bool:
            return org.pk not in self.claimed

        def first(orgs: list[Organisation]) -> Organisation | None:
            candidates = sorted(filter(free, orgs), key=lambda o: (o.is_archived, o.pk))
            return candidates[0] if candidates else None

        if wanted.place is not None and (found := first(self.by_place.get(wanted.place, []))):
            return found
        holder = self.by_number.get(wanted.number) if wanted.number else None
        if holder is not None and free(holder) and _place_of(holder) in (None, wanted.place):
            return holder
        if wanted.place is None:
            return first(
                [
                    o
                    for o in self.by_name.get(wanted.name, [])
                    if _place_of(o) is None
                    and (not wanted.number or o.organisation_number in ("", wanted.number))
                ]
            )
        return None


@transaction.atomic
def organisations_sync_from_places(*, actor: Any = "import") -> dict[str, Any]:
    """Create or update the organisations the reference data names; return counts and notes.

    * every current municipality gets "<name> kommune" and every current county except Oslo
      (both municipality and county, with no county municipality: kommuneloven § 3-1 first
      paragraph) gets "<name> fylkeskommune", linked to its place, with the organisation number
      the reference data gives (the municipality file's, or ``reference_organisations.csv``
      for counties);
    * the national actors of ``reference_organisations.csv`` exist once, matched by
      organisation number first and then by exact name, so an organisation registered by hand
      (or by the demo) is completed instead of duplicated.

    Only what differs is written, through ``organisation_create``/``organisation_update``, so
    history names ``actor``; a second run changes nothing. Nothing is ever archived or
    deleted. What is left alone is reported in ``notes``: an organisation number that fails
    its check digit or is already registered for another organisation (it is never taken
    from it), an archived organisation, a municipality or county that has ended.
    """
    reference = read_reference_organisations()
    county_numbers = {
        r.county: r.organisation_number for r in reference if r.entry == COUNTY_MUNICIPALITY
    }
    counties = {c.number: c for c in County.objects.all()}
    register = _Register()
    counts: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "notes": []}
    notes: list[str] = counts["notes"]

    def number_or_nothing(name: str, number: str) -> str:
        number = (number or "").replace(" ", "")
        if number and not organisation_number_is_valid(number):
            notes.append(
                _(
                    "%(name)s: the organisation number %(number)s in the reference data fails "
                    "the check digit and was not used."
                )
                % {"name": name, "number": number}
            )
            return ""
        return number

    wanted: list[_Wanted] = []
    for muni in Municipality.objects.filter(valid_to__isnull=True).select_related("county"):
        name = f"{muni.name_nb} kommune"
        wanted.append(
            _Wanted(
                name=name,
                kind=OrganisationKind.MUNICIPALITY,
                number=number_or_nothing(name, muni.organisation_number),
                municipality=muni,
                county=muni.county,
                place=("municipality", muni.pk),
            )
        )
    for county in counties.values():
        if county.valid_to is not None or county.number == "03":
            continue
        wanted.append(
            _Wanted(
                name=f"{county.name_nb} fylkeskommune",
                kind=OrganisationKind.COUNTY_MUNICIPALITY,
                number=county_numbers.get(county.number, ""),
                county=county,
                place=("county", county.pk),
            )
        )
    for row in reference:
        if row.entry == NATIONAL_ACTOR:
            wanted.append(
                _Wanted(
                    name=row.name,
                    kind=row.kind,
                    number=row.organisation_number,
                    county=counties.get(row.county) if row.county else None,
                )
            )

    for item in wanted:
        _sync_one(item, register=register, actor=actor, counts=counts)
    _counties_in_step(actor=actor, counts=counts)
    notes.extend(_ended_places(register))
    return counts


def _counties_in_step(*, actor: Any, counts: dict[str, Any]) -> None:
    """Give every organisation with a home municipality that municipality's county.

    The services keep the two in step, and the county filters of every register read only
    the organisation's county; a reference import that moves a municipality to another county
    (or data from before the services did this) would otherwise leave its organisations in the
    old one. Each change goes through ``organisation_update``, so its history names ``actor``.
    """
    from django.db.models import F

    stale = (
        Organisation.objects.filter(municipality__isnull=False)
        .exclude(county_id=F("municipality__county_id"))
        .select_related("municipality__county")
        .order_by("pk")
    )
    for org in stale:
        home = org.municipality
        if home is None:  # not in the query; for the type checker
            continue
        if org.kind == OrganisationKind.COUNTY_MUNICIPALITY or org.is_archived:
            counts["notes"].append(
                _(
                    "%(name)s: its home municipality is in another county, but it is archived "
                    "or a county municipality and was left as it is."
                )
                % {"name": org.name}
            )
            continue
        organisation_update(
            actor=actor,
            organisation=org,
            expected_version=None,
            reason=_("The home municipality is in another county (reference data)."),
            county=home.county,
        )
        counts["updated"] += 1


def _sync_one(item: _Wanted, *, register: _Register, actor: Any, counts: dict[str, Any]) -> None:
    notes: list[str] = counts["notes"]
    org = register.match(item)
    if org is not None:
        register.claimed.add(org.pk)
        if org.is_archived:
            notes.append(_("%(name)s is archived and was left as it is.") % {"name": org.name})
            counts["unchanged"] += 1
            return
    number = item.number
    holder = register.by_number.get(number) if number else None
    if holder is not None and holder is not org:
        notes.append(
            _(
                "%(name)s: organisation number %(number)s is already registered for %(other)s "
                "and was not moved."
            )
            % {"name": item.name, "number": number, "other": holder.name}
        )
        number = ""
    try:
        if org is None:
            created = organisation_create(
                actor=actor,
                name=item.name,
                kind=item.kind,
                organisation_number=number,
                municipality=item.municipality,
                county=item.county,
            )
            register.add(created)
            register.claimed.add(created.pk)
            counts["created"] += 1
            return
        changes = _changes(org, item, number)
        if not changes:
            counts["unchanged"] += 1
            return
        updated = organisation_update(
            actor=actor, organisation=org, expected_version=org.version, **changes
        )
        register.replace(org, updated)
        counts["updated"] += 1
    except (ValidationError, ConflictError) as exc:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
        notes.append(
            _("%(name)s was not written: %(error)s")
            % {"name": item.name, "error": " ".join(messages)}
        )


def _changes(org: Organisation, item: _Wanted, number: str) -> dict[str, Any]:
    """The fields the reference data decides that differ; it never empties a field."""
    changes: dict[str, Any] = {}
    if org.name != item.name:
        changes["name"] = item.name
    if org.kind != item.kind:
        changes["kind"] = item.kind
    if number and org.organisation_number != number:
        changes["organisation_number"] = number
    if item.municipality is not None and org.municipality_id != item.municipality.pk:
        changes["municipality"] = item.municipality
    if item.county is not None and org.county_id != item.county.pk:
        changes["county"] = item.county
    return changes


def _ended_places(register: _Register) -> list[str]:
    """The organisations of municipalities and counties that have ended: kept, and said so."""
    notes = []
    ended_munis = {m.pk: m for m in Municipality.objects.filter(valid_to__isnull=False)}
    ended_counties = {c.pk: c for c in County.objects.filter(valid_to__isnull=False)}
    for (kind, pk), orgs in sorted(register.by_place.items()):
        place = ended_munis.get(pk) if kind == "municipality" else ended_counties.get(pk)
        if place is None:
            continue
        for org in orgs:
            if org.is_archived:
                continue
            message = (
                _(
                    "%(name)s: municipality %(number)s ended on %(date)s; the organisation was "
                    "kept as it is."
                )
                if kind == "municipality"
                else _(
                    "%(name)s: county %(number)s ended on %(date)s; the organisation was kept "
                    "as it is."
                )
            )
            notes.append(
                message % {"name": org.name, "number": place.number, "date": str(place.valid_to)}
            )
    return notes


# --- Enhetsregisteret: refresh the registered numbers ---------------------------------------

#: The actor history names for changes `kraftsenter sync_organisations` makes.
REGISTER_ACTOR = "enhetsregisteret"

#: Words that stay lower case when a name the register writes in capitals is written out.
_LOWER_WORDS = {"kommune", "fylkeskommune", "og", "i", "for", "av", "på", "til", "med"}
#: Organisation-form designations that stay in capitals (foretaksnavneloven § 2-2).
_FORM_WORDS = {"AS", "ASA", "IKS", "SA", "ANS", "DA", "KS", "NUF", "SF", "KF", "BA"}


def name_from_register(register_name: str, current: str = "") -> str:
    """The register's name as the platform writes names. Enhetsregisteret writes names in
    capitals ("HAMAR KOMMUNE"): a word the current name has keeps its spelling there, a form
    designation stays in capitals, a few common words are lower case, others are capitalised."""
    if not register_name.isupper():
        return register_name
    known = {w.casefold(): w for w in current.split()}
    words = []
    for index, word in enumerate(register_name.split()):
        if word.casefold() in known:
            words.append(known[word.casefold()])
        elif word in _FORM_WORDS:
            words.append(word)
        elif index > 0 and word.casefold() in _LOWER_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


@dataclass
class RegisterSyncReport:
    """What `sync_organisations` found: one line per organisation that needs a reader's eye."""

    checked: int = 0
    updated: int = 0
    unchanged: int = 0
    renamed: int = 0
    deleted: int = 0
    bankrupt: int = 0
    not_found: int = 0
    errors: int = 0
    lines: list[str] | None = None

    def __post_init__(self) -> None:
        self.lines = self.lines or []

    def say(self, line: str) -> None:
        assert self.lines is not None
        self.lines.append(line)

    def summary(self, *, dry_run: bool) -> str:
        values = {
            "checked": self.checked,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "renamed": self.renamed,
            "deleted": self.deleted,
            "bankrupt": self.bankrupt,
            "not_found": self.not_found,
            "errors": self.errors,
        }
        text = (
            _(
                "organisations: %(checked)s checked, %(updated)s changed, %(unchanged)s unchanged, "
                "%(renamed)s renamed, %(deleted)s deleted in Enhetsregisteret, %(bankrupt)s "
                "bankrupt, %(not_found)s not found, %(errors)s errors"
            )
            % values
        )
        return text + (" " + _("(dry run: nothing was written)") if dry_run else "")


def _name_key(name: str) -> str:
    """A name as compared with the register's: case, dashes and spacing do not count."""
    return " ".join(name.replace("\u2013", "-").replace("\u2014", "-").casefold().split())


def _register_changes(org: Organisation, entry: RegisterEntry) -> dict[str, Any]:
    """What the register says differently from the organisation (it never empties a field)."""
    changes: dict[str, Any] = {}
    name = name_from_register(entry.name, org.name)
    if name and _name_key(name) != _name_key(org.name):
        changes["name"] = name
    for field, value in (
        ("address", entry.address),
        ("industry_code", entry.industry_code),
        ("organisation_form", entry.organisation_form),
    ):
        if value and getattr(org, field) != value:
            changes[field] = value
    return changes


def _status_differs(org: Organisation, entry: RegisterEntry) -> bool:
    return (
        org.register_checked_on is None
        or org.register_source != entry.source
        or org.register_deleted_on != entry.deleted_on
        or org.register_bankrupt != entry.bankrupt
        or org.register_winding_up != entry.winding_up
    )


def organisations_sync_from_register(
    *,
    actor: Any = REGISTER_ACTOR,
    dry_run: bool = False,
    lookup: Any = None,
) -> RegisterSyncReport:
    """Look every active organisation with a number up in Enhetsregisteret and bring its name,
    address, industry code, organisation form and the register's status up to date.

    Changes go through :func:`organisation_update` (history names ``actor``); an organisation
    is written only when something besides the date of the lookup differs. Nothing is ever
    archived or deleted: a unit the register has deleted, or records as bankrupt or being
    wound up, is reported and kept, with the warning shown on its page. An error for one
    organisation (not found, register unreachable, a refused change) is reported and the rest
    goes on. ``dry_run`` reports the same and writes nothing.
    """
    from . import brreg

    find = lookup or brreg.lookup_organisation
    report = RegisterSyncReport()
    organisations = Organisation.objects.filter(archived_at__isnull=True).exclude(
        organisation_number=""
    )
    for org in organisations.order_by("name", "pk"):
        report.checked += 1
        label = f"{org.name} ({org.organisation_number})"
        try:
            entry = find(org.organisation_number)
        except brreg.RegisterNotFound:
            report.not_found += 1
            report.say(_("%(org)s: not found in Enhetsregisteret.") % {"org": label})
            continue
        except brreg.RegisterUnavailable as exc:
            report.errors += 1
            report.say(
                _("%(org)s: Enhetsregisteret could not be reached (%(error)s).")
                % {"org": label, "error": exc}
            )
            continue
        except ValidationError as exc:
            report.errors += 1
            report.say(_("%(org)s: %(error)s") % {"org": label, "error": " ".join(exc.messages)})
            continue
        changes = _register_changes(org, entry)
        if "name" in changes:
            report.renamed += 1
            report.say(
                _("%(org)s: renamed “%(old)s” → “%(new)s”.")
                % {"org": label, "old": org.name, "new": changes["name"]}
            )
        if entry.deleted_on is not None:
            report.deleted += 1
            report.say(
                _(
                    "%(org)s: deleted in Enhetsregisteret on %(date)s; kept here (nothing is "
                    "deleted), with a warning on its page."
                )
                % {"org": label, "date": entry.deleted_on.isoformat()}
            )
        if entry.bankrupt:
            report.bankrupt += 1
            report.say(_("%(org)s: bankrupt in Enhetsregisteret.") % {"org": label})
        if entry.winding_up:
            report.say(_("%(org)s: being wound up in Enhetsregisteret.") % {"org": label})
        if not changes and not _status_differs(org, entry):
            report.unchanged += 1
            continue
        if dry_run:
            report.updated += 1
            continue
        try:
            organisation_update(
                actor=actor,
                organisation=org,
                expected_version=org.version,
                register_entry=entry,
                reason=_("Enhetsregisteret, %(date)s") % {"date": entry.checked_on.isoformat()},
                **changes,
            )
            report.updated += 1
        except (ValidationError, ConflictError) as exc:
            report.errors += 1
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.say(
                _("%(org)s was not written: %(error)s")
                % {"org": label, "error": " ".join(messages)}
            )
    return report
