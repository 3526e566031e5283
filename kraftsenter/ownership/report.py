"""The full ownership report of a municipality or county municipality (kommuneloven § 26-1).

What the ownership statement must hold, as far as the registers know it:

* letter a, the principles for ownership management: those of the council's last ownership
  statement;
* letter b, the overview, grouped as the letter groups it — companies (selskaper), municipal
  and county municipal enterprises (foretak), other entities (andre virksomheter): the
  interests of this register, and the cooperations in force of the cooperation register that
  are separate entities (IKS, AS, SA; IPR and KO that are separate legal persons), each once;
* letter c, the municipality's purpose with each interest: the interest's own purpose (for a
  cooperation, that of the interest linked to it; the cooperation's purpose says what the
  cooperation does, not why the municipality takes part).

With them: the date of the council's last ownership statement and when the next is due, the
plan for ownership control (§ 23-4), and the control committee's standing tasks (§ 23-6).
A fixed number of queries, whatever the number of interests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.cooperations import overviews
from kraftsenter.cooperations.choices import BodyKind
from kraftsenter.cooperations.models import Body, Cooperation, Participant
from kraftsenter.core.rules import Violation

from . import deadlines, rules
from .choices import InterestKind, ReportGroup, StatementKind
from .models import OwnershipInterest, OwnershipStatement
from .permissions import visible_interests, visible_statements

#: Cooperation forms listed as companies (selskaper); the others as other entities.
COMPANY_FORMS = {"iks", "as", "sa"}


def cooperation_group(cooperation: Cooperation) -> str:
    return str(
        ReportGroup.COMPANIES if cooperation.legal_form in COMPANY_FORMS else ReportGroup.OTHER
    )


@dataclass
class ReportRow:
    """One entity in the report: from this register, or a cooperation with the interest that
    gives the municipality's purpose for it."""

    name: str
    url: str
    kind_label: str
    organisation_number: str
    share: Decimal | None
    interest: OwnershipInterest | None = None
    cooperation: Cooperation | None = None
    status_label: str = ""
    add_url: str = ""
    warnings: list[Violation] = field(default_factory=list)

    @property
    def share_display(self) -> str:
        return overviews.format_share(self.share)

    @property
    def purpose(self) -> str:
        return self.interest.purpose if self.interest else ""

    @property
    def management_principles(self) -> str:
        return self.interest.management_principles if self.interest else ""

    @property
    def decision(self) -> str:
        """The council's decision the interest rests on: body, date, case reference."""
        i = self.interest
        if i is None:
            return ""
        parts = [i.decision_body]
        if i.decided_on:
            parts.append(i.decided_on.strftime("%d.%m.%Y"))
        if i.case_reference:
            parts.append(_("case %(ref)s") % {"ref": i.case_reference})
        return ", ".join(p for p in parts if p) if i.decided_on or i.case_reference else ""

    @property
    def missing(self) -> list[str]:
        """What the report still lacks for this entity."""
        out = []
        if not self.purpose.strip():
            out.append(_("the municipality's purpose"))
        if not self.decision:
            out.append(_("the council's decision"))
        return out


@dataclass
class Group:
    code: str
    label: str
    rows: list[ReportRow]


@dataclass
class Parts:
    """What the report and the deadlines read, loaded once."""

    interests: list[OwnershipInterest]
    participations: list[overviews.Participation]
    statements: list[OwnershipStatement]
    with_representantskap: set[int]


@dataclass
class OwnershipReport:
    organisation: Organisation
    generated_on: dt.date
    groups: list[Group]
    last_statement: OwnershipStatement | None
    next_statement_due: dt.date
    statement_deadline: deadlines.OwnershipDeadline
    control_plan_deadline: deadlines.OwnershipDeadline
    last_control_plan: OwnershipStatement | None
    meeting_tasks: list[deadlines.OwnershipDeadline]
    not_by_council: list[OwnershipStatement]

    @property
    def entries(self) -> list[ReportRow]:
        return [row for group in self.groups for row in group.rows]

    @property
    def incomplete(self) -> list[ReportRow]:
        return [row for row in self.entries if row.missing]

    @property
    def principles(self) -> str:
        return self.last_statement.principles if self.last_statement else ""


def load_parts(*, user: Any, organisation: Organisation) -> Parts:
    interests = list(
        visible_interests(
            user,
            OwnershipInterest.objects.filter(holder=organisation, archived_at__isnull=True),
        )
        .select_related("entity", "cooperation", "holder")
        .prefetch_related(
            Prefetch(
                "cooperation__participants",
                queryset=Participant.objects.filter(archived_at__isnull=True),
            )
        )
    )
    participations = overviews.cooperations_in_force(user=user, organisation=organisation)
    statements = list(
        visible_statements(
            user, OwnershipStatement.objects.filter(holder=organisation, archived_at__isnull=True)
        ).select_related("holder")
    )
    ids = [p.cooperation.pk for p in participations]
    with_rep = set(
        Body.objects.filter(
            cooperation_id__in=ids, kind=BodyKind.REPRESENTANTSKAP, archived_at__isnull=True
        ).values_list("cooperation_id", flat=True)
    )
    return Parts(interests, participations, statements, with_rep)


def _add_url(organisation: Organisation, cooperation: Cooperation) -> str:
    query = urlencode(
        {"holder": organisation.pk, "kind": InterestKind.COOPERATION, "cooperation": cooperation.pk}
    )
    return f"{reverse('ownership:interest-create')}?{query}"


def _latest(statements: list[OwnershipStatement], kind: str) -> OwnershipStatement | None:
    adopted = [s for s in statements if s.kind == kind and s.by_council]
    return max(adopted, key=lambda s: (s.adopted_on, s.pk), default=None)


def ownership_report(*, user: Any, organisation: Organisation, today: dt.date) -> OwnershipReport:
    """Every interest of ``organisation`` the ownership statement must cover, grouped as
    kommuneloven § 26-1 second paragraph letter b groups them, with its deadlines."""
    parts = load_parts(user=user, organisation=organisation)
    groups = {code: Group(code, str(label), []) for code, label in ReportGroup.choices}
    by_cooperation = {i.cooperation_id: i for i in parts.interests if i.cooperation_id}
    for interest in parts.interests:
        if interest.kind == InterestKind.COOPERATION or interest.entity is None:
            continue
        groups[interest.group].rows.append(
            ReportRow(
                name=interest.entity.name,
                url=interest.get_absolute_url(),
                kind_label=str(interest.get_kind_display()),
                organisation_number=interest.entity.organisation_number,
                share=interest.share,
                interest=interest,
                warnings=rules.interest_warnings(interest),
            )
        )
    for p in parts.participations:
        coop = p.cooperation
        linked = by_cooperation.get(coop.pk)
        if not overviews.in_ownership_report(coop) and linked is None:
            continue
        groups[cooperation_group(coop)].rows.append(
            ReportRow(
                name=coop.name,
                url=coop.get_absolute_url(),
                kind_label=p.legal_form_label,
                organisation_number=coop.organisation_number,
                share=p.ownership_share,
                interest=linked,
                cooperation=coop,
                status_label=p.status_label,
                add_url="" if linked else _add_url(organisation, coop),
                warnings=rules.interest_warnings(linked) if linked else [],
            )
        )
    for group in groups.values():
        group.rows.sort(key=lambda r: (r.name.casefold(), r.url))
    return OwnershipReport(
        organisation=organisation,
        generated_on=today,
        groups=list(groups.values()),
        last_statement=_latest(parts.statements, StatementKind.OWNERSHIP_STATEMENT),
        next_statement_due=deadlines.next_statement_due(parts.statements, today),
        statement_deadline=deadlines.statement_deadline(parts.statements, today),
        control_plan_deadline=deadlines.control_plan_deadline(parts.statements, today),
        last_control_plan=_latest(parts.statements, StatementKind.CONTROL_PLAN),
        meeting_tasks=deadlines.meeting_tasks(
            cooperations=[p.cooperation for p in parts.participations],
            interests=parts.interests,
            with_representantskap=parts.with_representantskap,
        ),
        not_by_council=[s for s in parts.statements if not s.by_council],
    )
