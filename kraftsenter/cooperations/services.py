"""Writes for the cooperation register. Every rule names its legal source; all or nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, router, transaction
from django.db.models import (
    Case,
    DecimalField,
    F,
    Field,
    Model,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.core import bounds, prepared
from kraftsenter.core.history import plain, record_change, ref, snapshot
from kraftsenter.core.rules import (
    Violation,
    errors_of,
    full_clean,
    full_clean_errors,
    merge_errors,
    raise_violations,
)
from kraftsenter.core.services import (
    archive_services,
    check_not_archived,
    check_version,
    commit_change,
    record_archive,
    record_create,
)

from . import counties, rules, selectors
from .choices import HOST_FORMS, REPRESENTANTSKAP_FORMS, Area, Authority, LegalForm, Status
from .models import (
    AgreementVersion,
    Body,
    BodyMember,
    Cooperation,
    CooperationArea,
    CouncilDecision,
    Document,
    Participant,
)
from .permissions import COOPERATION_POLICY


@dataclass
class ParticipantInput:
    organisation: Organisation
    ownership_share: Decimal | None = None
    liability_share: Decimal | None = None
    joined_on: dt.date | None = None


COOPERATION_FIELDS = (
    "name",
    "legal_form",
    "legal_basis",
    "legal_person",
    "organisation_number",
    "purpose",
    "authority",
    "authority_description",
    "daily_manager",
    "host",
    "start_date",
    "end_date",
    "status",
    "withdrawal_terms",
    "withdrawal_notice_months",
    "dissolution_terms",
    "archive_custodian",
    "reporting_duties",
    "statsforvalter_notified_on",
    "published",
)

ALLOWED_TRANSITIONS: dict[str, set[Status]] = {
    Status.PLANNED: {Status.ACTIVE, Status.DISSOLVED},
    Status.ACTIVE: {Status.DISSOLVING, Status.DISSOLVED},
    Status.DISSOLVING: {Status.ACTIVE, Status.DISSOLVED},
    Status.DISSOLVED: set(),
}


# --- checks ------------------------------------------------------------------------------------


def form_violations(coop: Cooperation, participants: list[ParticipantInput]) -> list[Violation]:
    """Rules of the form that can be checked on the cooperation and its participant set."""
    form = coop.legal_form
    orgs = [p.organisation for p in participants]
    name_order = rules.name_order_violation(form, coop.name, coop.start_date)
    out: list[Violation | None] = [
        rules.name_violation(form, coop.name),
        name_order if _name_order_refused(coop) else None,
        rules.authority_violation(form, coop.authority or []),
        rules.participant_kind_violation(form, [o.kind for o in orgs]),
        *rules.share_violations(
            form,
            [p.ownership_share for p in participants],
            [p.liability_share for p in participants],
        ),
    ]
    if len({o.pk for o in orgs}) != len(orgs):
        out.append(
            Violation(
                "participant_once", "participants", _("An organisation can take part only once.")
            )
        )
    if coop.host_id and coop.host_id not in {o.pk for o in orgs}:
        out.append(
            Violation(
                "host_participates",
                "host",
                _("The host or office municipality must be one of the participants."),
            )
        )
    if form == LegalForm.IKS and not coop.legal_person:
        out.append(
            Violation(
                "iks_legal_person",
                "legal_person",
                _("An IKS is always a separate legal person (IKS-loven § 2)."),
                "IKS-loven § 2",
            )
        )
    if form in HOST_FORMS and coop.legal_person:
        out.append(
            Violation(
                "host_not_legal_person",
                "legal_person",
                _(
                    "A host-municipality cooperation is not a separate legal person "
                    "(kommuneloven chapter 20)."
                ),
                "kommuneloven kapittel 20",
            )
        )
    if form in (LegalForm.AS, LegalForm.SA) and not coop.legal_person:
        out.append(
            Violation(
                "company_legal_person",
                "legal_person",
                _("An AS or SA is always a separate legal person."),
            )
        )
    if form == LegalForm.OTHER and not coop.legal_basis.strip():
        out.append(
            Violation(
                "other_legal_basis",
                "legal_basis",
                _("Give the legal basis for a cooperation in another form (kommuneloven § 17-1)."),
                "kommuneloven § 17-1 andre ledd",
            )
        )
    return [v for v in out if v is not None]


def _ordered_authority(fields: dict[str, Any]) -> None:
    """The delegated authority once each, in the code list's order (unknown codes kept last,
    for the rule to name)."""
    if isinstance(fields.get("authority"), list | tuple | set):
        given = set(fields["authority"])
        fields["authority"] = [c for c in Authority.values if c in given] + sorted(
            given - set(Authority.values)
        )


def _name_order_refused(coop: Cooperation) -> bool:
    """A company name with the form designation first is refused from 1 July 2024, when the
    rule took effect; an older name is shown with a warning (the transitional rule)."""
    return coop.start_date is not None and coop.start_date >= rules.DESIGNATION_LAST_FROM


def _daily_manager_violations(coop: Cooperation) -> list[Violation]:
    """The daily manager set on a KO or IKS that has them in its representantskap or board."""
    if not coop.pk or not coop.daily_manager.strip():
        return []
    out: dict[str, Violation] = {}
    for m in _member_facts(coop):
        for v in rules.member_violations(coop.legal_form, m, daily_manager=coop.daily_manager):
            if v.rule in ("daily_manager_representantskap", "iks_board_member"):
                out[v.rule] = Violation(v.rule, "daily_manager", v.message, v.source)
    return list(out.values())


def _member_facts(coop: Cooperation) -> list[rules.MemberFacts]:
    """The current members of the cooperation's current bodies."""
    today = timezone.localdate()
    bodies: list[Body] | None = _prefetched(coop, "bodies")
    if bodies is not None:  # current bodies with their current members
        members = sorted(
            ((b.kind, m) for b in bodies for m in b.members.all()),
            key=lambda pair: (pair[1].role, pair[1].person_name),  # BodyMember's ordering
        )
    else:
        members = [
            (m.body.kind, m)
            for m in BodyMember.objects.filter(
                body__cooperation=coop, body__archived_at__isnull=True, archived_at__isnull=True
            ).select_related("body")
        ]
    return [
        rules.MemberFacts(
            body_kind=kind,
            person_name=m.person_name,
            role=m.role,
            organisation_id=m.organisation_id,
            term_start=m.term_start,
            term_end=m.term_end,
        )
        for kind, m in members
        if m.term_end is None or m.term_end >= today
    ]


def _participant_violations(participants: list[ParticipantInput]) -> list[Violation]:
    """Each participant's shares and date within their bounds, under ``participants``.

    The check reads nothing but the three values (a participant has no ``clean`` and no
    constraint over them; its organisation is checked once for the set,
    ``_check_organisations``): values that passed for one participant pass for the next
    with the same (fifteen participants with two sets of shares, 0.5 -> 0.1 ms in the write
    lock, issue 14). Values that fail are checked for each participant, whose name the
    message holds."""
    passed: set[tuple[Any, ...]] = set()
    out: list[Violation] = []
    for p in participants:
        values = (p.ownership_share, p.liability_share, p.joined_on)
        key = tuple((type(v), v) for v in values)
        if key in passed:
            continue
        found = bounds.part_violations(
            Participant(
                organisation=p.organisation,
                ownership_share=p.ownership_share,
                liability_share=p.liability_share,
                joined_on=p.joined_on,
            ),
            ("ownership_share", "liability_share", "joined_on"),
            field="participants",
            name=p.organisation.name,
            exclude=("cooperation", "organisation"),
        )
        if found:
            out.extend(found)
        else:
            passed.add(key)
    return out


def _organisations_by_name(ids: tuple[int, ...]) -> Any:
    return Organisation.objects.filter(pk__in=ids).order_by("name").values_list("pk")


def _check_organisations(participants: list[ParticipantInput]) -> list[int]:
    """Every participant's organisation exists: one query for the set, and the same error as
    the model's own check of each row. Returns their ids in the order of their names as the
    database sorts them: the order the participants are read in (``Participant.Meta``), for
    the answer built without reading them again."""
    wanted = tuple(sorted({p.organisation.pk for p in participants}))
    # Its statement kept per number of organisations (core.prepared): the ORM's build of it
    # was a tenth of the time a registration holds SQLite's one write lock (issue 14).
    found = [
        row[0]
        for row in prepared.values(
            "participant_organisations",
            router.db_for_read(Organisation),
            _organisations_by_name,
            wanted,
        )
    ]
    known = set(found)
    field = Participant._meta.get_field("organisation")
    for p in participants:
        if p.organisation.pk not in known:
            part = Participant(organisation=p.organisation)
            field.validate(p.organisation.pk, part)  # raises the model's error
    return found


#: What a participant holds besides its organisation: what the participant set changes.
PARTICIPANT_VALUES = ("ownership_share", "liability_share", "joined_on")


def _participant_field(name: str) -> Field[Any, Any]:
    field = Participant._meta.get_field(name)
    assert isinstance(field, Field)
    return field


def _stored(name: str, value: Any) -> Any:
    """A participant's checked value as the database gives it back: a share with the field's
    decimal places (``16`` is read as ``16.000``), a date as a date. The rows written keep
    these, so the answer after the change shows what reading them again would show."""
    field = _participant_field(name)
    value = field.to_python(value)
    if isinstance(field, DecimalField) and value is not None:
        value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def _in_name_order(rows: list[Participant], order: list[int]) -> list[Participant]:
    by_organisation = {p.organisation_id: p for p in rows}
    return [by_organisation[pk] for pk in order]


def _prefetched(record: Model, name: str) -> list[Any] | None:
    """What ``selectors.cooperation_get`` prefetched on ``record`` (current rows only), or
    ``None`` when it was read without (a service's locked row, a new one). The page and the
    API answer read the checks from the prefetch instead of querying each part again."""
    cache = getattr(record, "_prefetched_objects_cache", None)
    return list(cache[name]) if cache and name in cache else None


#: A cooperation's current participants with their organisations (their names and kinds for
#: the rules, their identifiers for the history and the answer).
CURRENT_PARTICIPANTS = Participant.objects.filter(archived_at__isnull=True).select_related(
    "organisation"
)


def _current_participants(coop: Cooperation) -> list[Participant]:
    prefetched: list[Participant] | None = getattr(coop, "active_participants", None)
    if prefetched is not None:
        return list(prefetched)
    return list(CURRENT_PARTICIPANTS.filter(cooperation=coop))


def _as_inputs(participants: list[Participant]) -> list[ParticipantInput]:
    return [
        ParticipantInput(p.organisation, p.ownership_share, p.liability_share, p.joined_on)
        for p in participants
    ]


def governing_versions(
    coop: Cooperation,
) -> tuple[AgreementVersion | None, AgreementVersion | None]:
    """(latest version, latest version that needed council decisions from all participants)."""
    versions: list[AgreementVersion] | None = _prefetched(coop, "agreement_versions")
    if versions is None:
        versions = list(
            coop.agreement_versions.filter(archived_at__isnull=True).order_by("-number")
        )
    if not versions:
        return None, None
    mandatory = rules.mandatory_codes(coop.legal_form)
    needing = next(
        (
            v
            for v in versions
            if v.number == min(x.number for x in versions) or set(v.items_changed) & mandatory
        ),
        versions[-1],
    )
    return versions[0], needing


def activation_problems(
    coop: Cooperation, participants: list[ParticipantInput] | None = None
) -> list[Violation]:
    """Everything that stops the cooperation from being active, each with its legal source.

    ``participants`` checks a participant set that is not saved yet (a change being made)."""
    problems: list[Violation] = []
    inputs = participants if participants is not None else _as_inputs(_current_participants(coop))
    problems += form_violations(coop, inputs)
    if coop.start_date is None:
        problems.append(Violation("start_date", "start_date", _("Give the start date.")))
    form = coop.legal_form
    source = rules.LEGAL_SOURCE.get(form, "kommuneloven § 17-1")
    items_source = rules.ITEMS_SOURCE.get(form, source)
    adoption_source = rules.ADOPTION_SOURCE.get(form, source)
    latest, needing = governing_versions(coop)
    if latest is None or needing is None:
        problems.append(
            Violation(
                "agreement",
                "agreement",
                _("Register the cooperation's written agreement (%(source)s).")
                % {"source": source},
                source if form in rules.LEGAL_SOURCE else "",
            )
        )
    else:
        missing = [i for i in rules.mandatory_items(form) if i.code not in latest.items_covered]
        if missing:
            problems.append(
                Violation(
                    "agreement_items",
                    "items_covered",
                    _("The agreement lacks mandatory items (%(source)s): %(items)s.")
                    % {"source": items_source, "items": "; ".join(str(i.label) for i in missing)},
                    items_source,
                )
            )
        prefetched_decisions: list[CouncilDecision] | None = _prefetched(needing, "decisions")
        decided = (
            {d.organisation_id for d in prefetched_decisions}
            if prefetched_decisions is not None
            else set(
                needing.decisions.filter(archived_at__isnull=True).values_list(
                    "organisation_id", flat=True
                )
            )
        )
        undecided = [p.organisation.name for p in inputs if p.organisation.pk not in decided]
        if undecided:
            problems.append(
                Violation(
                    "council_decisions",
                    "decisions",
                    _(
                        "Decisions adopting agreement version %(number)s are missing for: "
                        "%(names)s (%(source)s: each council adopts the agreement itself; a "
                        "participant that is an IKS, through its representantskap)."
                    )
                    % {
                        "number": needing.number,
                        "names": ", ".join(undecided),
                        "source": adoption_source,
                    },
                    adoption_source if form in rules.ADOPTION_SOURCE else "",
                )
            )
        # Only a form with a representantskap may let it adopt changes to the other items; a
        # host-municipality cooperation has none (kommuneloven § 20-4 second paragraph asks the
        # councils only for the items of its third and fourth paragraphs).
        rep_source = rules.REPRESENTANTSKAP_CHANGE_SOURCE.get(form)
        if rep_source and latest.pk != needing.pk and latest.adopted_by_representantskap_on is None:
            decided_latest = set(
                latest.decisions.filter(archived_at__isnull=True).values_list(
                    "organisation_id", flat=True
                )
            )
            if any(p.organisation.pk not in decided_latest for p in inputs):
                problems.append(
                    Violation(
                        "representantskap",
                        "adopted_by_representantskap_on",
                        _(
                            "Agreement version %(number)s changes only other items: record the "
                            "representantskap's decision (at least 2/3 of the votes cast unless "
                            "the agreement says otherwise) or every council's decision "
                            "(%(source)s)."
                        )
                        % {"number": latest.number, "source": rep_source},
                        rep_source,
                    )
                )
    if form in HOST_FORMS and coop.host_id is None:
        problems.append(
            Violation(
                "host",
                "host",
                _("Name the host municipality (kommuneloven § 20-4 third paragraph letter b)."),
                "kommuneloven § 20-4 tredje ledd bokstav b",
            )
        )
    return problems


def missing_items(coop: Cooperation) -> list[Violation]:
    """What is missing or should be checked, shown on the cooperation's page and in the API
    but not refused: follow-up duties after the cooperation is set up, its bodies, its
    registration, and rules the agreement may deviate from. Each has its legal source."""
    form = coop.legal_form
    out: list[Violation | None] = []
    started = coop.status in (Status.ACTIVE, Status.DISSOLVING)
    if form in HOST_FORMS and started and coop.statsforvalter_notified_on is None:
        kinds = {p.organisation.kind for p in _current_participants(coop)}
        message = (
            _(
                "Follow-up: the host tells the ministry that the cooperation was set up; "
                "record the date (kommuneloven § 20-4 fifth paragraph)."
            )
            if kinds == {OrganisationKind.COUNTY_MUNICIPALITY}
            else _(
                "Follow-up: the host tells the statsforvalter that the cooperation was set up; "
                "record the date (kommuneloven § 20-4 fifth paragraph)."
            )
        )
        out.append(
            Violation(
                "statsforvalter",
                "statsforvalter_notified_on",
                message,
                "kommuneloven § 20-4 femte ledd",
            )
        )
    if not _name_order_refused(coop):
        out.append(rules.name_order_violation(form, coop.name, coop.start_date))
    out.append(rules.registration_problem(form, coop.status, coop.organisation_number))
    out.append(rules.withdrawal_notice_problem(form, coop.withdrawal_notice_months))
    if coop.pk:
        participants = [
            (p.organisation_id, p.organisation.name) for p in _current_participants(coop)
        ]
        current_bodies: list[Body] | None = _prefetched(coop, "bodies")
        bodies = (
            [b.kind for b in current_bodies]
            if current_bodies is not None
            else list(coop.bodies.filter(archived_at__isnull=True).values_list("kind", flat=True))
        )
        out += rules.body_problems(
            form, participants, bodies, _member_facts(coop), daily_manager=coop.daily_manager
        )
    return [v for v in out if v is not None]


def _check_status(
    coop: Cooperation, old_status: str | None, participants: list[ParticipantInput]
) -> None:
    new = coop.status
    if old_status is not None and new != old_status and new not in ALLOWED_TRANSITIONS[old_status]:
        raise ValidationError(
            {
                "status": _("A cooperation cannot go from %(old)s to %(new)s.")
                % {"old": Status(old_status).label, "new": Status(new).label}
            }
        )
    if new in (Status.ACTIVE, Status.DISSOLVING) and (old_status != new):
        problems = activation_problems(coop, participants)
        if problems and new == Status.ACTIVE:
            errors: dict[str, list[str]] = {}
            for p in problems:
                errors.setdefault("status", []).append(p.message)
            raise ValidationError(errors)
    if new == Status.DISSOLVED and coop.end_date is None:
        raise ValidationError({"end_date": _("Give the date the cooperation was dissolved.")})
    if new != Status.DISSOLVED and coop.end_date is not None:
        raise ValidationError({"end_date": _("Only a dissolved cooperation has an end date.")})


def _require_result(actor: Any, coop: Cooperation, participants: list[ParticipantInput]) -> None:
    """After the change, one of the actor's organisations must still take part (or host)."""
    owners = {p.organisation.pk for p in participants}
    if coop.host_id:
        owners.add(coop.host_id)
    COOPERATION_POLICY.require_result(
        actor,
        owners,
        _(
            "After this change none of your organisations would take part in the cooperation. "
            "Keep one of them as a participant, or ask a site administrator."
        ),
    )


def _clean_areas(areas: list[str]) -> list[str]:
    unknown = [a for a in areas if a not in Area.values]
    if unknown:
        raise ValidationError(
            {"areas": _("Unknown area code(s): %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    if not areas:
        raise ValidationError({"areas": _("Choose at least one area.")})
    return sorted(set(areas))


def _set_areas(coop: Cooperation, areas: list[str]) -> None:
    """Write the area set (``coop``'s areas as the service read them); when it changed, read
    them again, once, for the history entry and the answer."""
    current = {a.area: a for a in coop.area_links.all()}
    gone = [a.pk for code, a in current.items() if code not in areas]
    new = [CooperationArea(cooperation=coop, area=a) for a in areas if a not in current]
    if not gone and not new:
        return
    if gone:
        CooperationArea.objects.filter(pk__in=gone).delete()
    CooperationArea.objects.bulk_create(new)
    _read_areas(coop)


def _areas_in_order(pk: int) -> Any:
    return CooperationArea.objects.filter(cooperation_id=pk).order_by("area")


def _read_areas(coop: Cooperation) -> None:
    """The cooperation's areas read again after they were written, in the order its page
    and answer show them (``selectors.AREAS``), left as ``prefetch_related`` leaves them; the
    statement kept (core.prepared): the prefetch's build was a tenth of the time a
    registration holds SQLite's one write lock (issue 14)."""
    coop.__dict__.setdefault("_prefetched_objects_cache", {}).pop("area_links", None)
    prepared.fill_prefetched(
        coop,
        "area_links",
        prepared.instances(
            "areas_written",
            router.db_for_read(CooperationArea, instance=coop),
            CooperationArea,
            _areas_in_order,
            coop.pk,
        ),
    )


def _cooperation_snapshot(coop: Cooperation) -> dict[str, Any]:
    """The cooperation's history snapshot: its fields, areas and current participants, from
    what the service holds (the locked read's areas and participants, or what it wrote)."""
    data = snapshot(coop)
    data["areas"] = sorted(a.area for a in coop.area_links.all())
    data["participants"] = [
        {
            "organisation": ref(p.organisation),
            "ownership_share": plain(p.ownership_share),
            "liability_share": plain(p.liability_share),
            "joined_on": plain(p.joined_on),
        }
        for p in sorted(_current_participants(coop), key=lambda p: p.organisation_id)
    ]
    return data


def _locked(cooperation: Cooperation) -> Cooperation:
    """The cooperation's row locked for a change, with what the change checks, records and
    answers with, read once: its host and archive custodian (the history names them), its
    areas and its current participants (the permission, the rules, the history and the
    answer read them from here; the participant set is written from them)."""
    locked = selectors.read_with_parts(
        "cooperation_locked",
        router.db_for_write(Cooperation),
        lambda key: (
            Cooperation.objects.select_for_update(of=("self",))
            .select_related("host", "archive_custodian")
            .filter(pk=key)
        ),
        CURRENT_PARTICIPANTS,
        cooperation.pk,
    )
    if locked is None:
        raise Cooperation.DoesNotExist
    return locked


# --- cooperations ------------------------------------------------------------------------------


@transaction.atomic
def cooperation_create(
    *,
    actor: Any,
    name: str,
    legal_form: str,
    participants: list[ParticipantInput],
    areas: list[str],
    status: str = Status.PLANNED,
    **fields: Any,
) -> Cooperation:
    COOPERATION_POLICY.require(actor, "create")
    unknown = set(fields) - set(COOPERATION_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in sorted(unknown)})
    if legal_form == LegalForm.IKS:
        fields.setdefault("legal_person", True)
    _ordered_authority(fields)
    coop = Cooperation(
        name=(name or "").strip(), legal_form=legal_form, status=Status.PLANNED, **fields
    )
    _require_result(actor, coop, participants)
    full_clean(coop)
    areas = _clean_areas(list(areas))
    raise_violations([*form_violations(coop, participants), *_participant_violations(participants)])
    order = _check_organisations(participants)
    coop.save()
    CooperationArea.objects.bulk_create([CooperationArea(cooperation=coop, area=a) for a in areas])
    _read_areas(coop)  # in the database's order, for the history entry and the answer
    # Each row's values were checked above (``_participant_violations``), its organisation
    # once for the set, and "once per cooperation" by ``form_violations``: no row-by-row
    # ``full_clean`` repeating those queries. The rows written are the participants the
    # history entry, the permission and the answer read.
    rows = Participant.objects.bulk_create(
        [
            Participant(
                cooperation=coop,
                organisation=p.organisation,
                **{name: _stored(name, getattr(p, name)) for name in PARTICIPANT_VALUES},
            )
            for p in participants
        ]
    )
    counties.participants_written(coop.pk, [], [p.organisation for p in participants])
    coop.active_participants = _in_name_order(rows, order)  # type: ignore[attr-defined]
    record_change(
        actor=actor,
        action="cooperation.created",
        target=coop,
        before=None,
        after=_cooperation_snapshot(coop),
    )
    if status != Status.PLANNED:
        coop = cooperation_update(
            actor=actor, cooperation=coop, expected_version=coop.version, status=status
        )
    return coop


def _sync_participants(
    coop: Cooperation, participants: list[ParticipantInput], order: list[int]
) -> list[Participant]:
    """Write the participant set (add, change shares, withdraw) as parts of the cooperation's
    change: the cooperation's history entry holds them, so they get none of their own.

    The set was checked before (values, organisations, once per cooperation; the cooperation
    row is locked), so the rows are written in bulk: one statement each for the withdrawn, the
    changed and the new, however many participants there are. Returns the current
    participants after the change, in ``order`` (their organisations' ids by name), with the
    values as the database gives them back."""
    current = {p.organisation_id: p for p in _current_participants(coop)}
    wanted = {p.organisation.pk: p for p in participants}
    now = timezone.now()
    withdrawn = [part.pk for org_id, part in current.items() if org_id not in wanted]
    if withdrawn:
        Participant.objects.filter(pk__in=withdrawn).update(
            archived_at=now, version=F("version") + 1, updated_at=now
        )
    added: list[Participant] = []
    changed: list[Participant] = []
    rows: list[Participant] = []
    for org_id, p in wanted.items():
        values = {name: _stored(name, getattr(p, name)) for name in PARTICIPANT_VALUES}
        part = current.get(org_id)
        if part is None:
            part = Participant(cooperation=coop, organisation=p.organisation, **values)
            added.append(part)
        elif any(plain(getattr(part, name)) != plain(v) for name, v in values.items()):
            for name, value in values.items():
                setattr(part, name, value)
            part.version += 1
            part.updated_at = now
            changed.append(part)
        rows.append(part)
    if changed:
        _update_rows(changed, now)
    if added:
        Participant.objects.bulk_create(added)
    if added or withdrawn:
        counties.participants_written(
            coop.pk,
            [part.organisation for part in current.values()],
            [p.organisation for p in participants],
        )
    return _in_name_order(rows, order)


def _update_rows(changed: list[Participant], now: dt.datetime) -> None:
    """Write the changed participants' values in one statement: each value given once for the
    rows that take it (``CASE`` over the groups of rows, or the value itself where all take
    the same). ``bulk_update``'s ``CASE`` with a branch per row and field cost 1.5 ms for two
    rows and 8 ms for fifteen; this, 0.7 and 2.5 ms (SQLite)."""
    values: dict[str, Any] = {}
    for name in PARTICIPANT_VALUES:
        field = _participant_field(name)
        groups: dict[Any, list[int]] = {}
        for part in changed:
            groups.setdefault(getattr(part, name), []).append(part.pk)
        if len(groups) == 1:
            values[name] = next(iter(groups))
            continue
        case = Case(
            *(
                When(pk__in=pks, then=Value(value, output_field=field))
                for value, pks in groups.items()
            ),
            output_field=field,
        )
        casted = connection.features.requires_casted_case_in_updates
        values[name] = Cast(case, output_field=field) if casted else case
    Participant.objects.filter(pk__in=[part.pk for part in changed]).update(
        **values, version=F("version") + 1, updated_at=now
    )


@transaction.atomic
def cooperation_update(
    *,
    actor: Any,
    cooperation: Cooperation,
    expected_version: int | None,
    areas: list[str] | None = None,
    participants: list[ParticipantInput] | None = None,
    reason: str = "",
    **changes: Any,
) -> Cooperation:
    """Change a cooperation's fields, areas and participants as one change: everything is
    checked before anything is written, and one history entry holds it all."""
    coop = _locked(cooperation)
    COOPERATION_POLICY.require(actor, "edit", coop)
    check_version(coop, expected_version)
    check_not_archived(coop)
    unknown = set(changes) - set(COOPERATION_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in sorted(unknown)})
    _ordered_authority(changes)
    before = _cooperation_snapshot(coop)
    old_status = coop.status
    inputs = participants if participants is not None else _as_inputs(_current_participants(coop))
    for field, value in changes.items():
        setattr(coop, field, value)
    if "name" in changes:
        coop.name = (coop.name or "").strip()
    _require_result(actor, coop, inputs)
    errors = merge_errors(
        full_clean_errors(coop, changed=set(changes)),
        errors_of(
            [
                *form_violations(coop, inputs),
                *_participant_violations(inputs),
                *(_daily_manager_violations(coop) if "daily_manager" in changes else []),
            ]
        ),
    )
    clean_areas: list[str] | None = None
    if areas is not None:
        try:
            clean_areas = _clean_areas(list(areas))
        except ValidationError as exc:
            errors = merge_errors(errors, {"areas": exc.error_dict["areas"]})
    if errors:
        raise ValidationError(errors)
    _check_status(coop, old_status, inputs)
    if participants is not None:
        order = _check_organisations(inputs)
        coop.active_participants = _sync_participants(  # type: ignore[attr-defined]
            coop, inputs, order
        )
    if clean_areas is not None:
        _set_areas(coop, clean_areas)
    action = "cooperation.updated"
    if coop.status != old_status:
        action = (
            "cooperation.activated"
            if coop.status == Status.ACTIVE
            else f"cooperation.{coop.status}"
        )
    elif participants is not None and not changes and areas is None:
        action = "cooperation.participants_changed"
    commit_change(
        coop, actor=actor, before=before, after=_cooperation_snapshot, action=action, reason=reason
    )
    return coop


def cooperation_set_participants(
    *,
    actor: Any,
    cooperation: Cooperation,
    expected_version: int | None,
    participants: list[ParticipantInput],
    reason: str = "",
) -> Cooperation:
    """Replace the participant set (add, change shares, withdraw) as one checked change."""
    return cooperation_update(
        actor=actor,
        cooperation=cooperation,
        expected_version=expected_version,
        participants=participants,
        reason=reason,
    )


cooperation_archive, cooperation_restore = archive_services(
    Cooperation, policy=COOPERATION_POLICY, object_name="cooperation"
)


# --- agreement versions and council decisions --------------------------------------------------


@transaction.atomic
def agreement_version_add(
    *,
    actor: Any,
    cooperation: Cooperation,
    summary: str = "",
    items_covered: list[str] | None = None,
    items_changed: list[str] | None = None,
    document_url: str = "",
    adopted_by_representantskap_on: dt.date | None = None,
) -> AgreementVersion:
    coop = Cooperation.objects.select_for_update().get(pk=cooperation.pk)
    COOPERATION_POLICY.require(actor, "add_agreement_version", coop)
    codes = rules.mandatory_codes(coop.legal_form)
    covered, changed = sorted(set(items_covered or [])), sorted(set(items_changed or []))
    errors = {}
    for field, values in (("items_covered", covered), ("items_changed", changed)):
        unknown = [c for c in values if c not in codes]
        if unknown:
            errors[field] = _("Not a mandatory item of this form: %(codes)s.") % {
                "codes": ", ".join(unknown)
            }
    last = coop.agreement_versions.order_by("-number").first()
    if last is not None and not changed and not summary.strip():
        errors["summary"] = _("Say what changed from version %(number)s.") % {"number": last.number}
    if adopted_by_representantskap_on and coop.legal_form not in REPRESENTANTSKAP_FORMS:
        errors["adopted_by_representantskap_on"] = (
            _(
                "A host-municipality cooperation has no representantskap: each council adopts "
                "the agreement and every change to the items of kommuneloven § 20-4 third and "
                "fourth paragraphs itself (§ 20-4 second paragraph)."
            )
            if coop.legal_form in HOST_FORMS
            else _("This form has no representantskap that adopts changes to the agreement.")
        )
    elif adopted_by_representantskap_on and adopted_by_representantskap_on > timezone.localdate():
        errors["adopted_by_representantskap_on"] = _("The date is in the future.")
    if errors:
        raise ValidationError(errors)
    version = AgreementVersion(
        cooperation=coop,
        number=(last.number + 1) if last else 1,
        summary=summary.strip(),
        items_covered=covered,
        items_changed=changed,
        document_url=document_url,
        adopted_by_representantskap_on=adopted_by_representantskap_on,
    )
    record_create(version, actor=actor, parent=coop)
    return version


@transaction.atomic
def council_decision_record(
    *,
    actor: Any,
    agreement_version: AgreementVersion,
    organisation: Organisation,
    decided_on: dt.date,
    body: str = "",
    case_reference: str = "",
) -> CouncilDecision:
    """A participant's decision adopting an agreement version. ``body`` defaults to who adopts
    it for the participant: kommunestyret, fylkestinget, or an IKS participant's
    representantskap (IKS-loven § 4 first paragraph)."""
    version = AgreementVersion.objects.select_related("cooperation").get(pk=agreement_version.pk)
    coop = version.cooperation
    COOPERATION_POLICY.require(actor, "record_decision", coop)
    errors = {}
    if not coop.participants.filter(organisation=organisation, archived_at__isnull=True).exists():
        errors["organisation"] = _("%(name)s is not a participant.") % {"name": organisation.name}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("A council decision cannot be dated in the future.")
    if version.decisions.filter(organisation=organisation, archived_at__isnull=True).exists():
        errors["organisation"] = _(
            "%(name)s's decision on version %(number)s is already recorded."
        ) % {"name": organisation.name, "number": version.number}
    body = body.strip() or rules.decision_body_for(organisation.kind)
    wrong_body = rules.decision_body_violation(coop.legal_form, organisation.kind, body)
    if wrong_body is not None:
        errors["body"] = wrong_body.message
    if errors:
        raise ValidationError(errors)
    decision = CouncilDecision(
        agreement_version=version,
        organisation=organisation,
        decided_on=decided_on,
        body=body,
        case_reference=case_reference.strip(),
    )
    return record_create(decision, actor=actor, parent=coop)


# --- bodies and documents ----------------------------------------------------------------------


@transaction.atomic
def body_add(*, actor: Any, cooperation: Cooperation, kind: str, name: str = "") -> Body:
    COOPERATION_POLICY.require(actor, "add_body", cooperation)
    return record_create(
        Body(cooperation=cooperation, kind=kind, name=name.strip()), actor=actor, parent=cooperation
    )


@transaction.atomic
def body_member_add(
    *,
    actor: Any,
    body: Body,
    person_name: str,
    role: str,
    organisation: Organisation | None = None,
    term_start: dt.date | None = None,
    term_end: dt.date | None = None,
) -> BodyMember:
    COOPERATION_POLICY.require(actor, "add_body_member", body.cooperation)
    coop = body.cooperation
    current = _member_facts(coop)
    raise_violations(
        rules.member_violations(
            coop.legal_form,
            rules.MemberFacts(
                body_kind=body.kind,
                person_name=person_name,
                role=role,
                organisation_id=organisation.pk if organisation else None,
                term_start=term_start,
                term_end=term_end,
            ),
            daily_manager=coop.daily_manager,
            others=current,
        )
    )
    member = BodyMember(
        body=body,
        person_name=person_name.strip(),
        role=role,
        organisation=organisation,
        term_start=term_start,
        term_end=term_end,
    )
    return record_create(member, actor=actor, parent=body.cooperation)


@transaction.atomic
def body_member_end(*, actor: Any, member: BodyMember, reason: str = "") -> BodyMember:
    locked = (
        BodyMember.objects.select_for_update().select_related("body__cooperation").get(pk=member.pk)
    )
    COOPERATION_POLICY.require(actor, "end_body_member", locked.body.cooperation)
    return record_archive(locked, actor=actor, reason=reason, parent=locked.body.cooperation)


@transaction.atomic
def document_add(*, actor: Any, cooperation: Cooperation, title: str, url: str) -> Document:
    COOPERATION_POLICY.require(actor, "add_document", cooperation)
    return record_create(
        Document(cooperation=cooperation, title=title.strip(), url=url),
        actor=actor,
        parent=cooperation,
    )
