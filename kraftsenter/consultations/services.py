"""Writes for consultations. Each rule names its legal source; all or nothing; history kept."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.history import plain, record_change, ref, snapshot
from kraftsenter.core.rules import raise_violations
from kraftsenter.core.services import (
    archive_services,
    check_not_archived,
    check_version,
    commit_change,
    record_create,
    record_update,
)
from kraftsenter.places.models import Municipality

from . import rules
from .choices import CONCLUDED, Access, Agreement, Response, ScreeningResult, Status
from .models import Consultation, Document, InformationEntry, Meeting, Party, Protocol
from .permissions import CONSULTATION_POLICY

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CASE_FIELDS = ("title", "description", "kind", "concerns", "cooperation", "published")


def case_snapshot(case: Consultation) -> dict[str, Any]:
    """The case's fields with its parties and their answers: adding a party or recording an
    answer is a change to the case, kept in the case's history entry."""
    data = snapshot(case)
    data["parties"] = [
        {
            "organisation": ref(p.organisation),
            "response": p.response,
            "responded_on": plain(p.responded_on),
            "agreement_still_possible": p.agreement_still_possible,
        }
        for p in case.parties.filter(archived_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation_id")
    ]
    return data


def _locked(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().get(pk=consultation.pk)


def _access(
    case: Consultation,
    access: str,
    basis: str,
    note: str,
    errors: Mapping[str, StrOrPromise] | None = None,
) -> None:
    """Public, or exempt with a legal basis the authority's level allows; raises with these
    errors and the ``errors`` found before, all at once."""
    errors = dict(errors or {})
    if access == Access.EXEMPT and not basis:
        errors["exemption_basis"] = _("Give the legal basis for the exemption.")
    if access == Access.PUBLIC and basis:
        errors["exemption_basis"] = _("A public document has no exemption basis.")
    violation = rules.exemption_violation(case.level, basis)
    if violation is not None:
        errors[violation.field] = violation.message
    if basis == "other" and not note.strip():
        errors["exemption_note"] = _("State the other legal basis.")
    if errors:
        raise ValidationError(errors)


def _shared_with_errors(
    case: Consultation, shared_with: Iterable[Organisation]
) -> dict[str, StrOrPromise]:
    """Material is shared with the case's parties only (the page offers only them)."""
    parties = set(
        case.parties.filter(archived_at__isnull=True).values_list("organisation_id", flat=True)
    )
    strangers = [o.name for o in shared_with if o.pk not in parties]
    if not strangers:
        return {}
    return {
        "shared_with": _("Not a party to this case: %(names)s. Share only with its parties.")
        % {"names": ", ".join(strangers)}
    }


@transaction.atomic
def consultation_create(
    *,
    actor: Any,
    title: str,
    kind: str,
    authority: Organisation,
    municipalities: Iterable[Municipality] = (),
    **fields: Any,
) -> Consultation:
    CONSULTATION_POLICY.require(actor, "create")
    CONSULTATION_POLICY.require_result(
        actor,
        {authority.pk},
        _("You can register consultations only for an authority you are an editor in."),
    )
    raise_violations([rules.authority_violation(authority.kind)])
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in sorted(unknown)})
    case = Consultation(
        title=(title or "").strip(),
        kind=kind,
        authority=authority,
        level=rules.LEVEL_BY_KIND[authority.kind],
        **fields,
    )
    return record_create(case, actor=actor, m2m={"municipalities": list(municipalities)})


@transaction.atomic
def consultation_update(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    municipalities: Iterable[Municipality] | None = None,
    reason: str = "",
    **changes: Any,
) -> Consultation:
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "edit", case)
    unknown = set(changes) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in sorted(unknown)})
    m2m = {"municipalities": list(municipalities)} if municipalities is not None else None
    return record_update(
        case,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        m2m=m2m,
        reason=reason,
    )


@transaction.atomic
def screening_record(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    direct_effect: bool | None,
    general_matter: bool | None,
    natural_basis: bool | None,
    traditional_area: bool | None,
    land_use_plan_objection: bool | None,
    reasoning: str,
    result: str,
) -> Consultation:
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "screen", case)
    check_version(case, expected_version)
    errors = {}
    if result not in ScreeningResult.values:
        errors["screening_result"] = _("Choose the result of the screening.")
    if not reasoning.strip():
        errors["screening_reasoning"] = _(
            "Record the reasoning: which answers led to the result (sameloven § 4-1)."
        )
    if case.status not in (Status.SCREENING, Status.NOT_REQUIRED):
        errors["screening_result"] = _("The case is past screening.")
    if errors:
        raise ValidationError(errors)
    if (
        land_use_plan_objection
        and case.parties.filter(archived_at__isnull=True, organisation__kind="sametinget").exists()
    ):
        raise ValidationError({"land_use_plan_objection": str(rules.SAMETINGET_IN_PLAN)})
    changes = {
        "direct_effect": direct_effect,
        "general_matter": general_matter,
        "natural_basis": natural_basis,
        "traditional_area": traditional_area,
        "land_use_plan_objection": land_use_plan_objection,
        "screening_reasoning": reasoning.strip(),
        "screening_result": result,
        "status": Status.NOT_REQUIRED
        if result == ScreeningResult.NOT_REQUIRED
        else Status.SCREENING,
    }
    return record_update(
        case,
        actor=actor,
        changes=changes,
        expected_version=expected_version,
        action="consultation.screened",
    )


@transaction.atomic
def party_add(*, actor: Any, consultation: Consultation, organisation: Organisation) -> Party:
    """Add a Sami party; the case's history entry holds the parties before and after."""
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "add_party", case)
    check_not_archived(case)
    raise_violations([rules.party_violation(organisation.kind)])
    if organisation.kind == "sametinget" and case.land_use_plan_objection:
        raise ValidationError({"organisation": str(rules.SAMETINGET_IN_PLAN)})
    if case.parties.filter(organisation=organisation, archived_at__isnull=True).exists():
        raise ValidationError(
            {"organisation": _("%(name)s is already a party.") % {"name": organisation.name}}
        )
    before = case_snapshot(case)
    party = record_create(
        Party(consultation=case, organisation=organisation), actor=actor, history=False
    )
    commit_change(
        case, actor=actor, before=before, after=case_snapshot, action="consultation.party_added"
    )
    return party


@transaction.atomic
def notice_send(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    sent_on: dt.date,
    content: str,
    response_deadline: dt.date,
) -> Consultation:
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "notify", case)
    check_version(case, expected_version)
    errors = {}
    if case.screening_result not in (ScreeningResult.REQUIRED, ScreeningResult.UNCERTAIN):
        errors["screening_result"] = _(
            "Screen the case first: notice is sent when consultation "
            "is required or uncertain (sameloven § 4-5)."
        )
    if not case.parties.filter(archived_at__isnull=True).exists():
        errors["parties"] = _("Add the Sami parties to notify (sameloven § 4-5).")
    if not content.strip():
        errors["notice_content"] = _("Say what the notice contained.")
    if response_deadline < sent_on:
        errors["response_deadline"] = _(
            "The response deadline cannot be before the notice was sent."
        )
    if errors:
        raise ValidationError(errors)
    return record_update(
        case,
        actor=actor,
        expected_version=None,
        action="consultation.notified",
        changes={
            "notice_sent_on": sent_on,
            "notice_content": content.strip(),
            "response_deadline": response_deadline,
            "status": Status.NOTIFIED,
        },
    )


@transaction.atomic
def party_respond(
    *,
    actor: Any,
    party: Party,
    response: str,
    responded_on: dt.date | None,
    agreement_still_possible: bool = False,
    note: str = "",
) -> Party:
    """A party's answer to the notice. When a party wants consultation, the case moves into
    consultation in the same change (one history entry on the case)."""
    locked = Party.objects.select_for_update().select_related("consultation").get(pk=party.pk)
    case = _locked(locked.consultation)
    CONSULTATION_POLICY.require(actor, "answer", case)
    check_not_archived(case)
    errors = {}
    if response not in Response.values:
        errors["response"] = _("Choose the party's answer.")
    if response != Response.PENDING and responded_on is None:
        errors["responded_on"] = _("Give the date of the answer.")
    if responded_on and case.notice_sent_on and responded_on < case.notice_sent_on:
        errors["responded_on"] = _(
            "The answer (%(answer)s) cannot be dated before the notice was sent (%(notice)s) "
            "(sameloven § 4-5)."
        ) % {"answer": responded_on, "notice": case.notice_sent_on}
    if responded_on and not case.notice_sent_on:
        errors["responded_on"] = _("Record the notice before the answers (sameloven § 4-5).")
    if errors:
        raise ValidationError(errors)
    before = case_snapshot(case)
    result = record_update(
        locked,
        actor=actor,
        expected_version=None,
        history=False,
        changes={
            "response": response,
            "responded_on": responded_on,
            "agreement_still_possible": agreement_still_possible,
            "note": note.strip(),
        },
    )
    action = "consultation.answer_recorded"
    if response == Response.WANTS and case.status == Status.NOTIFIED:
        case.status = Status.IN_CONSULTATION
        action = "consultation.started"
    commit_change(case, actor=actor, before=before, after=case_snapshot, action=action)
    return result


@transaction.atomic
def information_add(
    *,
    actor: Any,
    consultation: Consultation,
    shared_on: dt.date,
    content: str,
    shared_with: Iterable[Organisation] = (),
    access: str = Access.PUBLIC,
    exemption_basis: str = "",
    exemption_note: str = "",
) -> InformationEntry:
    CONSULTATION_POLICY.require(actor, "add_information", consultation)
    check_not_archived(consultation)
    shared_with = list(shared_with)
    _access(
        consultation,
        access,
        exemption_basis,
        exemption_note,
        _shared_with_errors(consultation, shared_with),
    )
    entry = InformationEntry(
        consultation=consultation,
        shared_on=shared_on,
        content=content.strip(),
        access=access,
        exemption_basis=exemption_basis,
        exemption_note=exemption_note,
    )
    return record_create(
        entry, actor=actor, parent=consultation, m2m={"shared_with": list(shared_with)}
    )


@transaction.atomic
def meeting_with_protocol_add(
    *,
    actor: Any,
    consultation: Consultation,
    held_on: dt.date,
    place: str = "",
    participants: str = "",
    matter: str,
    assessments: str,
    conclusions: str,
    agreement: str,
    access: str = Access.PUBLIC,
    exemption_basis: str = "",
    exemption_note: str = "",
    sami_language: str = "",
    matter_sami: str = "",
    assessments_sami: str = "",
    conclusions_sami: str = "",
) -> Protocol:
    CONSULTATION_POLICY.require(actor, "add_protocol", consultation)
    check_not_archived(consultation)
    errors: dict[str, StrOrPromise] = {}
    for field, value in (
        ("matter", matter),
        ("assessments", assessments),
        ("conclusions", conclusions),
    ):
        if not value.strip():
            errors[field] = _("The protocol must state this (sameloven § 4-7).")
    if agreement not in Agreement.values:
        errors["agreement"] = _(
            "The protocol must state clearly whether agreement was reached (sameloven § 4-7)."
        )
    if (matter_sami or assessments_sami or conclusions_sami) and not sami_language:
        errors["sami_language"] = _("Say which Sami language the parallel text is in.")
    _access(consultation, access, exemption_basis, exemption_note, errors)
    meeting = record_create(
        Meeting(consultation=consultation, held_on=held_on, place=place, participants=participants),
        actor=actor,
        history=False,
    )
    protocol = Protocol(
        meeting=meeting,
        matter=matter.strip(),
        assessments=assessments.strip(),
        conclusions=conclusions.strip(),
        agreement=agreement,
        access=access,
        exemption_basis=exemption_basis,
        exemption_note=exemption_note,
        sami_language=sami_language,
        matter_sami=matter_sami,
        assessments_sami=assessments_sami,
        conclusions_sami=conclusions_sami,
    )
    record_create(protocol, actor=actor, history=False)
    # One change, one entry: the meeting's own fields travel with its protocol.
    after = snapshot(protocol)
    after["meeting"] = {**snapshot(meeting), "label": str(meeting)}
    record_change(
        actor=actor,
        action="protocol.created",
        target=protocol,
        before=None,
        after=after,
        parent=consultation,
    )
    return protocol


@transaction.atomic
def document_add(
    *,
    actor: Any,
    consultation: Consultation,
    title: str,
    url: str,
    access: str = Access.PUBLIC,
    exemption_basis: str = "",
    exemption_note: str = "",
    shared_with: Iterable[Organisation] = (),
) -> Document:
    CONSULTATION_POLICY.require(actor, "add_document", consultation)
    check_not_archived(consultation)
    shared_with = list(shared_with)
    _access(
        consultation,
        access,
        exemption_basis,
        exemption_note,
        _shared_with_errors(consultation, shared_with),
    )
    document = Document(
        consultation=consultation,
        title=title.strip(),
        url=url,
        access=access,
        exemption_basis=exemption_basis,
        exemption_note=exemption_note,
    )
    return record_create(
        document, actor=actor, parent=consultation, m2m={"shared_with": list(shared_with)}
    )


@transaction.atomic
def consultation_conclude(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    concluded_on: dt.date,
    agreement_reached: bool,
    reason: str = "",
) -> Consultation:
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "conclude", case)
    check_version(case, expected_version)
    errors = {}
    protocols = list(
        Protocol.objects.filter(meeting__consultation=case, archived_at__isnull=True).order_by(
            "meeting__held_on", "pk"
        )
    )
    if case.status != Status.IN_CONSULTATION:
        errors["status"] = _("Only a case in consultation can be concluded.")
    if not protocols:
        errors["protocol"] = _(
            "A consultation cannot be concluded without a protocol that "
            "states whether agreement was reached (sameloven § 4-7)."
        )
    elif agreement_reached and protocols[-1].agreement != Agreement.REACHED:
        errors["protocol"] = _("The last protocol does not record agreement (sameloven § 4-7).")
    elif not agreement_reached and protocols[-1].agreement == Agreement.REACHED:
        errors["protocol"] = _("The last protocol records agreement; conclude with agreement.")
    hopeful = list(
        case.parties.filter(archived_at__isnull=True, agreement_still_possible=True).select_related(
            "organisation"
        )
    )
    if hopeful and not reason.strip():
        errors["conclusion_reason"] = _(
            "%(names)s considers agreement still possible. The consultation must not end then "
            "unless the reason is recorded (sameloven § 4-6)."
        ) % {"names": ", ".join(p.organisation.name for p in hopeful)}
    if errors:
        raise ValidationError(errors)
    status = Status.CONCLUDED_AGREEMENT if agreement_reached else Status.CONCLUDED_NO_AGREEMENT
    return record_update(
        case,
        actor=actor,
        expected_version=None,
        action="consultation.concluded",
        changes={
            "status": status,
            "concluded_on": concluded_on,
            "conclusion_reason": reason.strip(),
        },
    )


@transaction.atomic
def decision_record(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    decided_on: dt.date,
    summary: str,
    sami_assessments_attached: bool,
) -> Consultation:
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "decide", case)
    check_version(case, expected_version)
    errors = {}
    consulted = case.parties.filter(archived_at__isnull=True, response=Response.WANTS).exists()
    if consulted and not sami_assessments_attached:
        errors["sami_assessments_attached"] = _(
            "The Sami parties' assessments must follow the case to the final decision "
            "(sameloven § 4-7)."
        )
    if not summary.strip():
        errors["decision_summary"] = _("Summarise the decision.")
    if case.notice_sent_on and decided_on < case.notice_sent_on:
        errors["decision_on"] = _("The decision cannot be dated before the notice.")
    if errors:
        raise ValidationError(errors)
    return record_update(
        case,
        actor=actor,
        expected_version=expected_version,
        action="consultation.decided",
        changes={
            "decision_on": decided_on,
            "decision_summary": summary.strip(),
            "sami_assessments_attached": sami_assessments_attached,
        },
    )


def is_concluded(case: Consultation) -> bool:
    return case.status in CONCLUDED


consultation_archive, consultation_restore = archive_services(
    Consultation, policy=CONSULTATION_POLICY, object_name="consultation", denied=""
)
