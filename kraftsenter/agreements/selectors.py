"""Reads for plans, partnerships, agreements, commitments and reports, filtered by what the
user may see, with the related rows prefetched so that lists take a constant number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, TypedDict, TypeVar, cast

from django.db import router
from django.db.models import (
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.http import Http404
from django.shortcuts import get_object_or_404

from kraftsenter.core import prepared
from kraftsenter.core.permissions import viewer
from kraftsenter.places.models import Municipality

from .models import (
    Agreement,
    AgreementAnchor,
    AgreementDocument,
    AgreementGoal,
    AgreementParty,
    Commitment,
    FollowUpReport,
    Partnership,
    PartnershipDecision,
    PartnershipMeeting,
    Plan,
    PlanAdoption,
    PlanItem,
    ReportEntry,
)
from .permissions import (
    AGREEMENT_POLICY,
    COMMITMENT_POLICY,
    PLAN_POLICY,
    current_visible,
    visible_agreements,
    visible_commitments,
    visible_partnerships,
    visible_plans,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    ActiveParties = Prefetch[
        Literal["party_links"], QuerySet[AgreementParty], Literal["active_parties"]
    ]


class WithParties(TypedDict):
    """What :func:`active_parties` prefetches on an agreement: its parties not archived."""

    active_parties: list[AgreementParty]


def active_parties(*, decisions_only: bool = False) -> ActiveParties:
    """The agreement's parties not archived, with their organisations, as
    ``agreement.active_parties``; ``decisions_only`` reads only what the API's party decisions
    show (the organisation's id, name and number and the adopting decision): the
    organisation's own texts on every party of a 50-agreement page were most of its time."""
    queryset = AgreementParty.objects.filter(archived_at__isnull=True).select_related(
        "organisation"
    )
    if decisions_only:
        queryset = queryset.only(
            "agreement_id",
            "organisation_id",
            "decision_body",
            "decision_date",
            "decision_reference",
            "organisation__name",
            "organisation__organisation_number",
        )
    return Prefetch("party_links", queryset=queryset, to_attr="active_parties")


def party_names(agreement_ids: Iterable[int]) -> dict[int, list[str]]:
    """{agreement id: its active parties' names}, in the order of :func:`active_parties`
    (by name), in one query of plain values: a model instance per party and organisation
    cost ten times the query on a 50-row list. Its statement is kept for each number of
    agreements (:mod:`kraftsenter.core.prepared`)."""
    names: dict[int, list[str]] = {}
    for agreement_id, name in prepared.values(
        "party_names",
        router.db_for_read(AgreementParty),
        _party_names,
        tuple(sorted(set(agreement_ids))),
    ):
        names.setdefault(agreement_id, []).append(name)
    return names


def _party_names(ids: tuple[int, ...]) -> QuerySet[Any]:
    return AgreementParty.objects.filter(
        agreement_id__in=ids, archived_at__isnull=True
    ).values_list("agreement_id", "organisation__name")


def _own_fields(model: type[Any]) -> list[str]:
    """The model's own columns, for ``only()`` next to a few of a related model's."""
    return [f.attname for f in model._meta.concrete_fields]


# --- plans -------------------------------------------------------------------------------------


def plan_list(
    *, user: Any = None, include_archived: bool = False, detail: bool = False
) -> QuerySet[Plan]:
    """Plans with their owner; ``detail`` also prefetches partners and items (the API)."""
    base = Plan.objects.select_related("owner", "owner__municipality", "owner__county", "parent")
    qs = visible_plans(user, base) if include_archived else current_visible(PLAN_POLICY, user, base)
    if detail:
        qs = qs.prefetch_related(
            "partners",
            Prefetch(
                "items",
                queryset=PlanItem.objects.filter(archived_at__isnull=True),
                to_attr="active_items",
            ),
            _plan_adoptions(),
        )
    return qs


def _plan_adoptions() -> Prefetch[str, QuerySet[Any], str]:
    """The participants' own adoptions of a plan, as ``plan.active_adoptions``."""
    return Prefetch(
        "adoptions",
        queryset=PlanAdoption.objects.filter(archived_at__isnull=True).select_related(
            "organisation"
        ),
        to_attr="active_adoptions",
    )


def plan_get(*, user: Any = None, pk: int) -> Plan:
    qs = visible_plans(
        user,
        Plan.objects.select_related(
            "owner", "owner__municipality", "owner__county", "parent", "based_on"
        ),
    ).prefetch_related(
        "partners",
        _plan_adoptions(),
        Prefetch(
            "items",
            queryset=PlanItem.objects.filter(archived_at__isnull=True).select_related(
                "responsible", "follows_up", "follows_up__plan"
            ),
            to_attr="active_items",
        ),
        Prefetch("children", queryset=Plan.objects.filter(archived_at__isnull=True)),
        Prefetch("followed_up_by", queryset=Plan.objects.filter(archived_at__isnull=True)),
        Prefetch(
            "anchored_agreements",
            queryset=AgreementAnchor.objects.filter(
                archived_at__isnull=True, agreement__archived_at__isnull=True
            ).select_related("agreement", "item"),
            to_attr="active_anchors",
        ),
    )
    return get_object_or_404(qs, pk=pk)


def plan_items_for_choice(*, plan_ids: list[int] | None = None) -> QuerySet[PlanItem]:
    qs = PlanItem.objects.filter(archived_at__isnull=True, plan__archived_at__isnull=True)
    if plan_ids is not None:
        qs = qs.filter(plan_id__in=plan_ids)
    return qs.select_related("plan").order_by("plan__title", "code", "title")


def plans_for_choice() -> QuerySet[Plan]:
    return Plan.objects.filter(archived_at__isnull=True).select_related("owner")


# --- partnerships ------------------------------------------------------------------------------


def _partnership_parts() -> list[Prefetch[str, QuerySet[Any], str]]:
    return [
        Prefetch("meetings", queryset=PartnershipMeeting.objects.filter(archived_at__isnull=True)),
        Prefetch(
            "decisions",
            queryset=PartnershipDecision.objects.filter(archived_at__isnull=True)
            .select_related("meeting")
            .prefetch_related("agreed_by"),
        ),
    ]


def partnership_list(
    *, user: Any = None, include_archived: bool = False, detail: bool = False
) -> QuerySet[Partnership]:
    """Partnerships with lead and members; ``detail`` adds meetings and decisions (the API)."""
    qs = visible_partnerships(user, Partnership.objects.select_related("lead", "county", "region"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    qs = qs.prefetch_related("members")
    return qs.prefetch_related(*_partnership_parts()) if detail else qs


_R = TypeVar("_R", bound=Model)


def _visible_one(visible: QuerySet[Any], queryset: QuerySet[_R], pk: int) -> _R:
    """``queryset``'s record ``pk`` if it is among ``visible`` (404 otherwise), the visibility
    as a subquery. Filtering the record's own query by it joined the parties (an archived
    record is visible to its parties' members): duplicate rows, and a ``DISTINCT`` over every
    column of the record and its related records that cost PostgreSQL 6 ms of planning for
    the agreement page (its query 10 -> 4 ms)."""
    # The subquery names the record too: SQLite would otherwise list every visible record.
    return get_object_or_404(queryset.filter(pk__in=visible.filter(pk=pk).values("pk")), pk=pk)


def partnership_get(*, user: Any = None, pk: int) -> Partnership:
    qs = Partnership.objects.select_related("lead", "county", "region").prefetch_related(
        "members",
        *_partnership_parts(),
        Prefetch("agreements", queryset=Agreement.objects.filter(archived_at__isnull=True)),
    )
    return _visible_one(visible_partnerships(user, Partnership.objects.all()), qs, pk)


# --- agreements --------------------------------------------------------------------------------


def agreement_rows(*, user: Any = None, include_archived: bool = False) -> QuerySet[Agreement]:
    """The agreements of :func:`agreement_list` alone, for list rows (agreements/rows.py),
    which read the parties' names with :func:`party_names`: no lead, region or party
    instances."""
    base = Agreement.objects.all()
    if include_archived:
        return visible_agreements(user, base)
    return current_visible(AGREEMENT_POLICY, user, base)


def agreement_list(
    *, user: Any = None, include_archived: bool = False, detail: bool = False
) -> QuerySet[WithAnnotations[Agreement, WithParties]]:
    """Agreements with lead, region and active parties prefetched (constant query count);
    ``detail`` adds goals, anchors, documents and scope (the API)."""
    # The API (``detail``) shows the lead by its id only.
    base = Agreement.objects.select_related("scope_region", *([] if detail else ["lead"]))
    if include_archived:
        qs = visible_agreements(user, base)
    else:
        qs = current_visible(AGREEMENT_POLICY, user, base)
    qs = qs.prefetch_related(active_parties(decisions_only=detail))
    if detail:
        # As lists (``to_attr``): Django gives each agreement a filtered queryset clone per
        # prefetch otherwise, 200 clones on a page of 50 (the API's schema reads either).
        qs = qs.select_related("renewal").prefetch_related(
            Prefetch("scope_municipalities", to_attr="scope_municipality_list"),
            Prefetch(
                "goals",
                queryset=AgreementGoal.objects.filter(archived_at__isnull=True),
                to_attr="active_goals",
            ),
            Prefetch(
                "anchors",
                queryset=AgreementAnchor.objects.filter(archived_at__isnull=True),
                to_attr="active_anchors",
            ),
            Prefetch(
                "documents",
                queryset=AgreementDocument.objects.filter(archived_at__isnull=True),
                to_attr="active_documents",
            ),
        )
    return qs


def agreement_get(*, user: Any = None, pk: int) -> WithAnnotations[Agreement, WithParties]:
    """The agreement with all its parts. The anchors with their chains (plan and items, ten
    relations) are read only when the agreement has some (``has_anchors``): compiling that
    join cost about 3 ms, on a page whose agreement usually has none.

    The parts are read by the agreement's key with statements built once
    (:mod:`kraftsenter.core.prepared`) and left as ``prefetch_related`` leaves them: the ORM
    built the six prefetches' queries anew at every request, 5.5 of the 7.4 ms this took on
    the bench's agreement (issue 14)."""
    alias = router.db_for_read(Agreement)

    def build(who: Any, key: int) -> QuerySet[Agreement]:
        visible = visible_agreements(who, Agreement.objects.all())
        qs = Agreement.objects.select_related(
            "lead", "scope_region", "partnership", "renewal_of", "renewal"
        )
        # The visibility as a subquery that names the record too (``_visible_one``).
        return qs.filter(pk__in=visible.filter(pk=key).values("pk"), pk=key)

    # Built once per kind of user (core.prepared): the ORM's build of the record's read was
    # a quarter of the page.
    found = prepared.instances("agreement_get", alias, Agreement, build, viewer(user), pk)
    if not found:
        raise Http404
    agreement = found[0]
    _read_parts(agreement)
    has_anchors = prepared.values(
        "agreement_has_anchors",
        alias,
        lambda key: _current_anchors().filter(agreement_id=key).values_list("pk")[:1],
        pk,
    )
    if has_anchors:
        prefetch_related_objects(
            [agreement],
            Prefetch(
                "anchors",
                queryset=_current_anchors().select_related(
                    "plan",
                    "plan__owner",
                    "plan__parent",
                    "plan__based_on",
                    "item",
                    "item__plan",  # the item's link is its plan's page with an anchor
                    "item__follows_up",
                    "item__follows_up__plan",
                    "item__follows_up__follows_up",
                    "item__follows_up__follows_up__plan",
                ),
            ),
        )
    else:
        # What prefetch_related leaves for no rows: agreement.anchors.all() reads nothing.
        prepared.fill_prefetched(agreement, "anchors", [])
    # _read_parts gave it its active parties (``WithParties``).
    return cast("WithAnnotations[Agreement, WithParties]", agreement)


def _read_active_parties(agreement: Agreement, alias: str) -> None:
    """The agreement's active parties with their organisations, left as
    :func:`active_parties` leaves them (``active_parties``), read by its key."""
    prepared.fill_prefetched(
        agreement,
        "party_links",
        prepared.instances(
            "agreement_parties",
            alias,
            AgreementParty,
            lambda pk: AgreementParty.objects.filter(
                agreement_id=pk, archived_at__isnull=True
            ).select_related("organisation"),
            agreement.pk,
        ),
        to_attr="active_parties",
    )


def _read_parts(agreement: Agreement) -> None:
    """What ``agreement_get`` shows of the agreement's parts, each read by its key: the
    active parties (with their organisations, as :func:`active_parties`), the municipalities
    covered, and the goals, documents, commitments (with their party) and follow-up reports
    (with their number of entries, as ``entry_count``) not archived."""
    alias = router.db_for_read(Agreement)
    key = agreement.pk
    _read_active_parties(agreement, alias)
    prepared.fill_prefetched(
        agreement,
        "scope_municipalities",
        prepared.instances(
            "agreement_scope",
            alias,
            Municipality,
            lambda pk: Agreement(pk=pk).scope_municipalities.all(),
            key,
        ),
    )
    for name, model, build in (
        (
            "goals",
            AgreementGoal,
            lambda pk: AgreementGoal.objects.filter(agreement_id=pk, archived_at__isnull=True),
        ),
        (
            "documents",
            AgreementDocument,
            lambda pk: AgreementDocument.objects.filter(agreement_id=pk, archived_at__isnull=True),
        ),
        (
            "commitments",
            Commitment,
            # The pages show the party's name and whether a commitment was carried over
            # (carried_from_id); the API reads the goal, plan item and origin by id.
            lambda pk: Commitment.objects.filter(
                agreement_id=pk, archived_at__isnull=True
            ).select_related("party"),
        ),
        (
            "reports",
            FollowUpReport,
            lambda pk: FollowUpReport.objects.filter(agreement_id=pk, archived_at__isnull=True),
        ),
    ):
        prepared.fill_prefetched(
            agreement, name, prepared.instances(f"agreement_{name}", alias, model, build, key)
        )
    entries = dict(
        prepared.values(
            "agreement_report_entries",
            alias,
            lambda pk: (
                ReportEntry.objects.filter(
                    report__agreement_id=pk,
                    report__archived_at__isnull=True,
                    archived_at__isnull=True,
                )
                .order_by()
                .values_list("report_id")
                .annotate(n=Count("id"))
            ),
            key,
        )
    )
    for report in agreement.reports.all():
        report.entry_count = entries.get(report.pk, 0)  # type: ignore[attr-defined]


def _current_anchors() -> QuerySet[AgreementAnchor]:
    return AgreementAnchor.objects.filter(archived_at__isnull=True)


def anchor_chain(anchor: AgreementAnchor) -> list[object]:
    """The traceable chain of one anchoring (DOMAIN.md §4.7): the item and the items it
    follows up, then the plan, the plan it is part of and the plan it follows up."""
    chain: list[object] = []
    item = anchor.item
    while item is not None and len(chain) < 6:
        chain.append(item)
        item = item.follows_up
    plan: Plan | None = anchor.plan
    seen: set[int] = set()
    while plan is not None and plan.pk not in seen and len(chain) < 10:
        seen.add(plan.pk)
        chain.append(plan)
        plan = plan.parent or plan.based_on
    return chain


# --- commitments and reports -------------------------------------------------------------------


def in_current_agreement() -> Q:
    """Commitments (or other parts with ``agreement_id``) whose agreement is not archived, as
    an anti-join against the archived agreements alone (their partial index,
    ``agreement_archived``): ``agreement__archived_at__isnull=True`` joined every agreement,
    and PostgreSQL hashed all 5 000 of the bench's to count an organisation's commitments by
    status (2.0 → 0.9 ms) or those due later (1.7 → 0.1 ms). The same rows: an agreement
    always exists for its parts."""
    archived = Agreement.objects.filter(pk=OuterRef("agreement_id"), archived_at__isnull=False)
    return ~Q(Exists(archived))


def commitment_list(
    *, user: Any = None, include_archived: bool = False, rows: bool = False, plain: bool = False
) -> QuerySet[Commitment]:
    """Commitments with agreement, party and goal; ``rows`` loads only what a list row
    shows (agreements/rows.py, the CSV, the dashboards): the agreement's title and the
    party's name besides the commitment itself; ``plain`` the commitments alone (the API,
    whose schema reads only their own columns)."""
    base = Commitment.objects.select_related("agreement", "party", "goal")
    if plain:
        base = Commitment.objects.all()
    elif rows:
        base = Commitment.objects.select_related("agreement", "party").only(
            *_own_fields(Commitment), "agreement__title", "party__name"
        )
    if include_archived:
        return visible_commitments(user, base)
    return current_visible(COMMITMENT_POLICY, user, base).filter(in_current_agreement())


def commitment_get(*, user: Any = None, pk: int) -> Commitment:
    qs = Commitment.objects.select_related(
        "agreement", "agreement__lead", "party", "goal", "plan_item", "carried_from"
    ).prefetch_related(
        "carried_to",
        Prefetch(
            "report_entries",
            queryset=ReportEntry.objects.filter(archived_at__isnull=True).select_related("report"),
        ),
    )
    return _visible_one(visible_commitments(user, Commitment.objects.all()), qs, pk)


def report_entries() -> Prefetch[Literal["entries"], QuerySet[ReportEntry], str]:
    return Prefetch(
        "entries",
        queryset=ReportEntry.objects.filter(archived_at__isnull=True).select_related(
            "commitment", "commitment__party"
        ),
    )


def report_list(*, user: Any = None, agreement: Agreement) -> QuerySet[FollowUpReport]:
    """The agreement's reports (the agreement was read through a selector already)."""
    return FollowUpReport.objects.filter(
        agreement=agreement, archived_at__isnull=True
    ).prefetch_related(report_entries())


def report_get(*, user: Any = None, agreement_pk: int, pk: int) -> FollowUpReport:
    agreement = agreement_get(user=user, pk=agreement_pk)
    report = get_object_or_404(
        FollowUpReport.objects.filter(
            agreement=agreement, archived_at__isnull=True
        ).prefetch_related(report_entries()),
        pk=pk,
    )
    report.agreement = agreement
    return report


def agreement_for_change(*, user: Any = None, pk: int) -> Agreement:
    """The agreement a change of one of its parts starts from (404 unless visible, as
    :func:`agreement_get`): its own fields and its active parties, which the permission
    reads, without the goals, documents, commitments, reports and places the page shows
    (five queries and their model instances a follow-up report does not need). Both reads
    keep their statements (:mod:`kraftsenter.core.prepared`), the user a
    ``permissions.viewer``: the ORM's build of them was a third of starting a report."""
    alias = router.db_for_read(Agreement)
    found = prepared.instances(
        "agreement_for_change",
        alias,
        Agreement,
        # The visibility as a subquery that names the record too (``_visible_one``).
        lambda who, key: Agreement.objects.filter(
            pk__in=visible_agreements(who, Agreement.objects.all()).filter(pk=key).values("pk"),
            pk=key,
        ),
        viewer(user),
        pk,
    )
    if not found:
        raise Http404
    agreement: Agreement = found[0]
    _read_active_parties(agreement, alias)
    return agreement


def agreement_keys(*, user: Any = None, pk: int) -> Agreement:
    """The agreement (404 unless visible, as :func:`agreement_get`) with only its keys
    loaded: for the API's reads of its parts, which need no more than that it may be seen."""
    found = prepared.instances(
        "agreement_keys",
        router.db_for_read(Agreement),
        Agreement,
        lambda who, key: visible_agreements(
            who, Agreement.objects.only("pk", "lead_id", "archived_at")
        ).filter(pk=key),
        viewer(user),
        pk,
    )
    if not found:
        raise Http404
    keys: Agreement = found[0]
    return keys


def report_for_api(
    *,
    user: Any = None,
    agreement_pk: int,
    pk: int,
    with_entries: bool = True,
    agreement: Agreement | None = None,
    report: FollowUpReport | None = None,
) -> FollowUpReport:
    """One report as the API answers it, in four queries whatever the agreement holds: the
    agreement (404 unless visible, as :func:`agreement_get`; only its keys are read), the
    report (404 unless the agreement's and not archived), its entries (each with its
    commitment, for the party) and the ids of the agreement's commitments, from which
    ``missing_ids`` is set (in the commitments' order, as the agreement page lists them).
    ``with_entries=False`` stops after the report (for a check before a service call);
    ``agreement``: the agreement as this request found it already (visible to the user), for
    the answer after a change of one of the report's entries; ``report``: the report as the
    change read it (its entries are read here)."""
    if agreement is None or agreement.pk != agreement_pk:
        agreement = agreement_keys(user=user, pk=agreement_pk)
    # Each read by key with a statement built once (core.prepared): a follow-up report's
    # entry through the API read the report twice, and the ORM built these at every request.
    alias = router.db_for_read(FollowUpReport)
    if report is None or (report.pk, report.agreement_id) != (pk, agreement.pk):
        found = prepared.instances(
            "report_for_api",
            alias,
            FollowUpReport,
            lambda of, key: FollowUpReport.objects.filter(
                agreement_id=of, archived_at__isnull=True, pk=key
            ),
            agreement.pk,
            pk,
        )
        if not found:
            raise Http404
        report = found[0]
    report.agreement = agreement
    if with_entries:
        entries = prepared.instances(
            "report_for_api:entries",
            alias,
            ReportEntry,
            lambda key: ReportEntry.objects.filter(
                report_id=key, archived_at__isnull=True
            ).select_related("commitment"),
            pk,
        )
        prepared.fill_prefetched(report, "entries", entries)
        reported = {e.commitment_id for e in entries}
        report.missing_ids = [  # type: ignore[union-attr]
            row[0]
            for row in prepared.values(
                "report_for_api:commitments",
                alias,
                lambda of: Commitment.objects.filter(
                    agreement_id=of, archived_at__isnull=True
                ).values_list("pk"),
                agreement.pk,
            )
            if row[0] not in reported
        ]
    return report
