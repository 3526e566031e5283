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
from kraftsenter.core.rules import Violation, raise_violations
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
from .choices import (
    CONCLUDED,
    INTERNAL_ORIGINS,
    Access,
    Agreement,
    Origin,
    Response,
    ScreeningResult,
    Status,
)
from .models import Consultation, Document, InformationEntry, Meeting, Party, Protocol
from .permissions import CONSULTATION_POLICY

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CASE_FIELDS = (
    "title",
    "description",
    "kind",
    "plan_kind",
    "concerns",
    "cooperation",
    "published",
    "delegated_authority",
)


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
    origin: str = Origin.CONSULTATION,
) -> None:
    """Public, or exempt with a legal basis that can apply to material of this origin held by
    an authority of the case's level (offentleglova §§ 13–16 and 19); raises with these errors
    and the ``errors`` found before, all at once."""
    errors = dict(errors or {})
    if access == Access.EXEMPT and not basis:
        errors["exemption_basis"] = _("Give the legal basis for the exemption.")
    if access == Access.PUBLIC and basis:
        errors["exemption_basis"] = _("A public document has no exemption basis.")
    violation = rules.exemption_violation(case.level, basis, origin)
    if violation is not None and access == Access.EXEMPT:
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
    level: str = "",
    **fields: Any,
) -> Consultation:
    """Register a case. The level follows the authority (sameloven §§ 4-3 and 4-4); a
    statsforetak or private body states the state authority it exercises (§ 4-3 letter b).
    For a plan, the plan kind decides the § 4-1 fourth-paragraph question."""
    CONSULTATION_POLICY.require(actor, "create")
    CONSULTATION_POLICY.require_result(
        actor,
        {authority.pk},
        _("You can register consultations only for an authority you are an editor in."),
    )
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be set.") for f in sorted(unknown)})
    level, violations = rules.authority_level(
        authority.kind, level or "", fields.get("delegated_authority", "") or ""
    )
    violations.append(rules.plan_kind_violation(kind, fields.get("plan_kind", "") or ""))
    raise_violations(violations)
    case = Consultation(
        title=(title or "").strip(),
        kind=kind,
        authority=authority,
        level=level,
        **fields,
    )
    _derive(case)
    return record_create(case, actor=actor, m2m={"municipalities": list(municipalities)})


def _derive(case: Consultation) -> None:
    """The fields that follow from others: the sameloven § 4-1 fourth-paragraph question from
    the plan kind; the delegated authority only for a body exercising state authority."""
    case.land_use_plan_objection = rules.sametinget_can_object(case.kind, case.plan_kind)
    case.delegated_authority = (case.delegated_authority or "").strip()
    if case.level != "state_delegated":
        case.delegated_authority = ""


def _sametinget_is_party(case: Consultation) -> bool:
    return case.parties.filter(archived_at__isnull=True, organisation__kind="sametinget").exists()


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
    if "plan_kind" in changes:
        changes["plan_kind"] = changes["plan_kind"] or ""
    kind = changes.get("kind", case.kind)
    plan_kind = changes.get("plan_kind", case.plan_kind) or ""
    if kind != "plan" and "plan_kind" not in changes:
        plan_kind = changes["plan_kind"] = ""
    violations = [rules.plan_kind_violation(kind, plan_kind)]
    if "delegated_authority" in changes:
        changes["delegated_authority"] = (changes["delegated_authority"] or "").strip()
        if case.level != "state_delegated":
            changes["delegated_authority"] = ""
        violations += rules.authority_level(
            case.authority.kind, case.level, changes["delegated_authority"]
        )[1]
    raise_violations(violations)
    objection = rules.sametinget_can_object(kind, plan_kind)
    if objection and _sametinget_is_party(case):
        raise ValidationError({"plan_kind": str(rules.SAMETINGET_IN_PLAN)})
    changes["land_use_plan_objection"] = objection
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
    reasoning: str,
    result: str,
) -> Consultation:
    """The screening (Avklaring av konsultasjonsplikt, sameloven § 4-1). Whether Sametinget
    can object instead (§ 4-1 fourth paragraph) follows from the plan kind, not asked here."""
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
    changes = {
        "direct_effect": direct_effect,
        "general_matter": general_matter,
        "natural_basis": natural_basis,
        "traditional_area": traditional_area,
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
    elif response == Response.NO_ANSWER:
        errors["response"] = _(
            "“No answer by the deadline” is recorded when the case moves on without "
            "consultation (sameloven § 4-5 second paragraph)."
        )
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
    origin: str = Origin.CONSULTATION,
) -> InformationEntry:
    CONSULTATION_POLICY.require(actor, "add_information", consultation)
    check_not_archived(consultation)
    shared_with = list(shared_with)
    errors = _shared_with_errors(consultation, shared_with)
    errors.update(_messages(rules.origin_violations(origin, True, document=False)))
    _access(consultation, access, exemption_basis, exemption_note, errors, origin)
    entry = InformationEntry(
        consultation=consultation,
        shared_on=shared_on,
        content=content.strip(),
        origin=origin,
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
    # The meeting was created just above: asking whether it exists and has no protocol yet
    # would be two queries that cannot fail.
    protocol.full_clean(exclude=["meeting"])
    protocol.save()
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
    origin: str = Origin.CONSULTATION,
) -> Document:
    """A document of the case: exchanged with the parties (all, or those named), in a general
    hearing, or kept by the authority for its internal preparation (then shared with none)."""
    CONSULTATION_POLICY.require(actor, "add_document", consultation)
    check_not_archived(consultation)
    shared_with = list(shared_with)
    errors = _shared_with_errors(consultation, shared_with)
    errors.update(_messages(rules.origin_violations(origin, bool(shared_with))))
    _access(consultation, access, exemption_basis, exemption_note, errors, origin)
    document = Document(
        consultation=consultation,
        title=title.strip(),
        url=url,
        origin=origin,
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
    assessment_documents: Iterable[Document] = (),
) -> Consultation:
    """The authority's final decision, naming the documents with the Sami parties'
    assessments that follow the case to it (sameloven § 4-7 second paragraph)."""
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "decide", case)
    check_version(case, expected_version)
    documents = list(dict.fromkeys(assessment_documents))
    errors: dict[str, StrOrPromise] = {}
    strangers = [d.title for d in documents if d.consultation_id != case.pk or d.is_archived]
    if strangers:
        errors["assessment_documents"] = _(
            "Not a document of this case: %(titles)s. Add it to the case first."
        ) % {"titles": ", ".join(strangers)}
    consulted = case.parties.filter(archived_at__isnull=True, response=Response.WANTS).exists()
    errors.update(_messages([rules.assessments_violation(consulted, documents)]))
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
            "sami_assessments_attached": bool(documents),
        },
        m2m={"assessment_documents": documents},
    )


@transaction.atomic
def consultation_move_on(
    *,
    actor: Any,
    consultation: Consultation,
    expected_version: int | None,
    moved_on: dt.date,
) -> Consultation:
    """Every party declined, or did not answer within the deadline: the case moves on without
    consultation (sameloven § 4-5 second paragraph). The parties that did not answer are
    recorded as such in the same change, one history entry on the case."""
    case = _locked(consultation)
    CONSULTATION_POLICY.require(actor, "move_on", case)
    check_version(case, expected_version)
    check_not_archived(case)
    parties = list(case.parties.filter(archived_at__isnull=True).select_related("organisation"))
    raise_violations(
        rules.move_on_violations(
            status=case.status,
            notice_sent_on=case.notice_sent_on,
            deadline=case.response_deadline,
            moved_on=moved_on,
            parties=parties,
        )
    )
    before = case_snapshot(case)
    for party in parties:
        if party.response == Response.PENDING:
            record_update(
                party,
                actor=actor,
                expected_version=None,
                history=False,
                changes={"response": Response.NO_ANSWER},
            )
    case.status = Status.NO_CONSULTATION
    case.concluded_on = moved_on
    commit_change(
        case, actor=actor, before=before, after=case_snapshot, action="consultation.moved_on"
    )
    return case


def _messages(violations: Iterable[Violation | None]) -> dict[str, StrOrPromise]:
    """Violations as the field-keyed messages the services collect before raising."""
    return {v.field: v.message for v in violations if v is not None}


def document_is_internal(document: Document) -> bool:
    return document.origin in INTERNAL_ORIGINS


def is_concluded(case: Consultation) -> bool:
    return case.status in CONCLUDED


consultation_archive, consultation_restore = archive_services(
    Consultation, policy=CONSULTATION_POLICY, object_name="consultation", denied=""
)
