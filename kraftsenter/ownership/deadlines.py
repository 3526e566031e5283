"""The ownership control deadlines of a municipality or county municipality, for its dashboard
and its ownership report. Pure functions of plain values, plus one loader with a fixed number
of queries.

* the ownership statement (eierskapsmelding) at least once per election period, adopted by the
  council itself (kommuneloven § 26-1 first paragraph);
* the plan for ownership control, prepared by the control committee at least once per election
  period and no later than the end of the year after the council was constituted, and adopted
  by the council itself (kommuneloven § 23-4 second and third paragraphs);
* the control committee told of the meetings of the general meeting, the representantskap and
  similar bodies of the entities the municipality has interests in (kommuneloven § 23-6 fourth
  paragraph). The registers hold no meeting dates, so these are standing tasks, one per entity.

Election periods come from ``kraftsenter.agreements.planning``: councils are elected every
fourth year and constituted no later than 31 October of the election year (kommuneloven § 7-1
first paragraph); a period here runs from that date to the same date four years later.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import router
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from kraftsenter.agreements import planning
from kraftsenter.core import prepared
from kraftsenter.core.links import url_maker
from kraftsenter.core.permissions import viewer

from .choices import MEETING_KINDS, InterestKind, StatementKind

SOURCE_STATEMENT = "kommuneloven § 26-1 første ledd"
SOURCE_CONTROL_PLAN = "kommuneloven § 23-4 andre og tredje ledd"
SOURCE_MEETINGS = "kommuneloven § 23-6 fjerde ledd"
#: Cooperation forms that have a representantskap by law (kommuneloven §§ 18-3, 19-3;
#: IKS-loven § 6), and those that have a general meeting or annual meeting.
REPRESENTANTSKAP_FORMS = {"ipr", "ko", "iks"}
GENERAL_MEETING_FORMS = {"as", "sa"}


@dataclass(frozen=True)
class OwnershipDeadline:
    """One deadline or standing task of ownership control, with its legal source."""

    code: str
    label: str
    due: dt.date | None
    done: dt.date | None
    status: str  # met, late, overdue, due, upcoming, standing
    source: str
    url: str = ""

    @property
    def needs_attention(self) -> bool:
        return self.status in ("overdue", "due")


def period_of(today: dt.date) -> tuple[int, dt.date, dt.date]:
    """(election year, first day, last day) of the election period ``today`` lies in."""
    year = planning.current_election_year(today)
    start, end = planning.period_bounds(year)
    return year, start, end


def _council_dates(statements: Iterable[Any], kind: str, start: dt.date, end: dt.date):
    return sorted(
        s.adopted_on
        for s in statements
        if s.kind == kind and s.by_council and s.archived_at is None and start < s.adopted_on <= end
    )


def statement_deadline(statements: Iterable[Any], today: dt.date) -> OwnershipDeadline:
    """The period's ownership statement: due by the end of the period; met by the first one
    the council itself adopted in the period."""
    _year, start, end = period_of(today)
    dates = _council_dates(statements, StatementKind.OWNERSHIP_STATEMENT, start, end)
    done = dates[0] if dates else None
    return OwnershipDeadline(
        "ownership_statement",
        _("Ownership statement adopted by the council itself, at least once per election period"),
        end,
        done,
        planning.deadline_status(end, done, today),
        SOURCE_STATEMENT,
    )


def control_plan_deadline(statements: Iterable[Any], today: dt.date) -> OwnershipDeadline:
    """The period's plan for ownership control: due by 31 December of the year after the
    election year (the council is constituted in the election year)."""
    year, start, end = period_of(today)
    due = dt.date(year + 1, 12, 31)
    dates = _council_dates(statements, StatementKind.CONTROL_PLAN, start, end)
    done = dates[0] if dates else None
    return OwnershipDeadline(
        "control_plan",
        _(
            "Plan for ownership control, adopted by the council itself, by the end of the year "
            "after the council was constituted"
        ),
        due,
        done,
        planning.deadline_status(due, done, today),
        SOURCE_CONTROL_PLAN,
    )


def next_statement_due(statements: Iterable[Any], today: dt.date) -> dt.date:
    """When the next ownership statement is due: the end of this period, or of the next one
    when the council has adopted one in this period."""
    year, _start, end = period_of(today)
    done = statement_deadline(statements, today).done
    return planning.latest_constitution(year + 8) if done else end


def _cooperation_label(legal_form: str, has_representantskap: bool) -> str:
    """The task's wording for a cooperation ("" when it has no such meetings)."""
    if legal_form in REPRESENTANTSKAP_FORMS or has_representantskap:
        return _("Tell the control committee of every meeting of the representantskap of %(name)s")
    if legal_form in GENERAL_MEETING_FORMS:
        return _("Tell the control committee of every general meeting of %(name)s")
    return ""


def _interest_label(kind: str) -> str:
    """The task's wording for an interest of a kind in ``MEETING_KINDS``."""
    if kind == InterestKind.ASSOCIATION:
        return _(
            "Tell the control committee of every annual meeting or similar body's meeting "
            "of %(name)s"
        )
    return _("Tell the control committee of every general meeting of %(name)s")


def _standing(label: str, url: str) -> OwnershipDeadline:
    return OwnershipDeadline(
        "control_committee_notice", label, None, None, "standing", SOURCE_MEETINGS, url
    )


def meeting_tasks(
    *,
    cooperations: Iterable[Any],
    interests: Iterable[Any],
    with_representantskap: Iterable[int] = (),
) -> list[OwnershipDeadline]:
    """One standing task per entity with a general meeting, representantskap or similar body:
    the control committee is told of its meetings and may attend them."""
    tasks = []
    registered = set(with_representantskap)
    for coop in cooperations:
        label = _cooperation_label(coop.legal_form, coop.pk in registered)
        if label:
            tasks.append(_standing(label % {"name": coop.name}, coop.get_absolute_url()))
    for interest in interests:
        if interest.kind not in MEETING_KINDS or interest.entity is None:
            continue
        label = _interest_label(interest.kind) % {"name": interest.entity.name}
        tasks.append(_standing(label, interest.get_absolute_url()))
    return sorted(tasks, key=lambda t: t.label)


@dataclass(frozen=True)
class DeadlinePage:
    """The dated deadlines, the first standing tasks and how many standing tasks there are."""

    dated: list[OwnershipDeadline]
    tasks: list[OwnershipDeadline]
    task_count: int

    @property
    def more(self) -> int:
        return self.task_count - len(self.tasks)


def _task_keys(*, user: Any, organisation: Any) -> list[tuple[str, str, int]]:
    """(label, "cooperation" or "interest", id) of every standing task, sorted as
    :func:`meeting_tasks` sorts them: the entities read as plain values (two queries), no
    model instance and no link built. The same entities as :func:`meeting_tasks` over
    ``report.load_parts``: the organisation's active participations in the visible
    cooperations in force, and its visible interests not archived."""
    from kraftsenter.cooperations.choices import BodyKind
    from kraftsenter.cooperations.models import Body, Cooperation, Participant
    from kraftsenter.cooperations.overviews import IN_FORCE_STATUSES
    from kraftsenter.cooperations.permissions import (
        sees_all_participations_of,
        visible_cooperations,
    )

    from .models import OwnershipInterest
    from .permissions import visible_interests

    def cooperations(who: Any, org: int) -> Any:
        # The cooperations read by the ids of the organisation's participations (one active
        # participation per cooperation): driven from the participations, PostgreSQL hashed
        # every cooperation of the register to join a few hundred (6.9 -> 3.6 ms for 477 of
        # 21 000). ``who`` is None for a user who sees every one of them (no check).
        participations = Participant.objects.filter(
            archived_at__isnull=True, organisation_id=org
        ).values("cooperation_id")
        representantskap = Body.objects.filter(
            cooperation_id=OuterRef("pk"),
            kind=BodyKind.REPRESENTANTSKAP,
            archived_at__isnull=True,
        )
        found: QuerySet[Cooperation] = Cooperation.objects.filter(
            archived_at__isnull=True, status__in=IN_FORCE_STATUSES, pk__in=participations
        )
        if who is not None:
            found = visible_cooperations(who, found)
        return (
            found.annotate(has_rep=Exists(representantskap))
            .order_by("name", "pk")
            .values_list("pk", "name", "legal_form", "has_rep")
        )

    def interests(who: Any, org: int) -> Any:
        return (
            visible_interests(
                who,
                OwnershipInterest.objects.filter(
                    holder_id=org,
                    archived_at__isnull=True,
                    kind__in=MEETING_KINDS,
                    entity__isnull=False,
                ),
            )
            .order_by("pk")
            .values_list("pk", "kind", "entity__name")
        )

    # Both statements built once per kind of user (core.prepared).
    alias = router.db_for_read(Cooperation)
    pk = organisation.pk
    if sees_all_participations_of(user, pk):
        rows = prepared.values(
            "task_cooperations_own", alias, lambda org: cooperations(None, org), pk
        )
    else:
        rows = prepared.values("task_cooperations", alias, cooperations, viewer(user), pk)
    keys: list[tuple[str, str, int]] = []
    labels: dict[tuple[str, bool], str] = {}
    for coop, name, form, has_rep in rows:
        label = labels.get((form, has_rep))
        if label is None:
            label = labels[(form, has_rep)] = _cooperation_label(form, has_rep)
        if label:
            keys.append((label % {"name": name}, "cooperation", coop))
    interest_labels: dict[str, str] = {str(k): _interest_label(k) for k in MEETING_KINDS}
    for interest, kind, name in prepared.values(
        "task_interests", router.db_for_read(OwnershipInterest), interests, viewer(user), pk
    ):
        keys.append((interest_labels[kind] % {"name": name}, "interest", interest))
    keys.sort(key=lambda k: k[0])
    return keys


def organisation_deadline_page(
    *, user: Any, organisation: Any, today: dt.date, limit: int | None
) -> DeadlinePage:
    """The ownership control deadlines of a municipality or county municipality (nothing for
    any other organisation) and its first ``limit`` standing tasks (all with ``None``), with
    their number. A fixed number of queries; a link is built only for a task shown."""
    dated = organisation_dated_deadlines(user=user, organisation=organisation, today=today)
    if not dated:
        return DeadlinePage([], [], 0)
    keys = _task_keys(user=user, organisation=organisation)
    shown = keys if limit is None else keys[:limit]
    # Each link reversed once per process, then a replacement per task (agreements/rows.py).
    urls = {
        "cooperation": url_maker("cooperations:cooperation-detail"),
        "interest": url_maker("ownership:interest-detail"),
    }
    tasks = [_standing(label, urls[source](pk)) for label, source, pk in shown]
    return DeadlinePage(dated, tasks, len(keys))


def organisation_dated_deadlines(
    *, user: Any, organisation: Any, today: dt.date
) -> list[OwnershipDeadline]:
    """The two council documents of the election period with their deadlines (the ownership
    statement and the plan for ownership control) for a municipality or county municipality,
    nothing for any other organisation: one query, without the standing tasks."""
    if organisation is None:
        return []
    return organisation_dated_deadlines_of(user=user, organisations=[organisation], today=today)[
        organisation.pk
    ]


def organisation_dated_deadlines_of(
    *, user: Any, organisations: Sequence[Any], today: dt.date
) -> dict[int, list[OwnershipDeadline]]:
    """:func:`organisation_dated_deadlines` of several organisations, by id, in one query."""
    from .models import OwnershipStatement
    from .permissions import visible_statements

    holders = [o for o in organisations if o.kind in ("municipality", "county_municipality")]
    found: dict[int, list[OwnershipDeadline]] = {o.pk: [] for o in organisations}
    if not holders:
        return found
    statements: dict[int, list[Any]] = {o.pk: [] for o in holders}

    def build(who: Any, ids: tuple[int, ...]) -> Any:
        return visible_statements(
            who, OwnershipStatement.objects.filter(holder_id__in=ids, archived_at__isnull=True)
        )

    # Built once per kind of user and number of holders (core.prepared): the start page and
    # the dashboards read it at every request.
    for statement in prepared.instances(
        "dated_deadlines",
        router.db_for_read(OwnershipStatement),
        OwnershipStatement,
        build,
        viewer(user),
        tuple(sorted({o.pk for o in holders})),
    ):
        statements[statement.holder_id].append(statement)
    for holder in holders:
        mine = statements[holder.pk]
        found[holder.pk] = [statement_deadline(mine, today), control_plan_deadline(mine, today)]
    return found


def organisation_deadlines(*, user: Any, organisation: Any, today: dt.date) -> list[Any]:
    """The ownership control deadlines and tasks of a municipality or county municipality (an
    empty list for any other organisation): the two council documents first, then one standing
    task per entity with meetings the control committee must be told of."""
    page = organisation_deadline_page(user=user, organisation=organisation, today=today, limit=None)
    return [*page.dated, *page.tasks]
