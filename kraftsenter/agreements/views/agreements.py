"""Agreement pages: list, detail, history, create, edit, archive, parties and their adopting
decisions, goals, anchors in plans, documents, commitments and renewal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.actors.models import Organisation
from kraftsenter.core.light import light
from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordActionView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)

from .. import planning, sdg, selectors, services
from ..choices import OPEN_STATUSES, CommitmentStatus
from ..filters import AgreementFilter
from ..forms import (
    AgreementCreateForm,
    AgreementForm,
    AnchorForm,
    CommitmentForm,
    DocumentForm,
    GoalEditForm,
    GoalForm,
    PartiesForm,
    PartyDecisionForm,
    RenewForm,
)
from ..models import AgreementAnchor, AgreementDocument, AgreementGoal
from ..permissions import AGREEMENT_POLICY, parties_user_may_commit
from ..rows import AgreementCommitmentRows, AgreementRows

EDIT_FIELDS = (
    "title",
    "kind",
    "status",
    "description",
    "lead",
    "period_start",
    "period_end",
    "binding",
    "renewal_milestone",
    "scope_region",
)


class AgreementListView(FilteredListView):
    filterset_class = AgreementFilter
    policy = AGREEMENT_POLICY
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    csv_filename = "avtaler"
    csv_columns = (
        ("id", lambda a: a.pk),
        ("avtale", lambda a: a.title),
        ("type", lambda a: a.kind),
        ("status", lambda a: a.status),
        ("parter", lambda a: ", ".join(a.party_names)),
        ("periode_fra", lambda a: a.period_start),
        ("periode_til", lambda a: a.period_end),
        ("bindende", lambda a: "ja" if a.binding else "nei"),
    )

    kept = True

    def get_base_queryset(self):
        if self.request.GET.get("format") == "csv":
            return selectors.agreement_rows(user=self.request.user)
        return self.base_queryset_for(self.request.user)

    def base_queryset_for(self, who):
        # The page's rows read these columns only (rows.AgreementRows): light rows.
        return light(selectors.agreement_rows(user=who), *AgreementRows.columns)

    def csv_rows(self, queryset):
        """The agreements in chunks, each chunk's parties' names in one query."""
        chunk: list[Any] = []
        for agreement in queryset.iterator(chunk_size=1000):
            chunk.append(agreement)
            if len(chunk) == 1000:
                yield from self._with_names(chunk)
                chunk = []
        yield from self._with_names(chunk)

    @staticmethod
    def _with_names(agreements: list[Any]) -> list[Any]:
        names = selectors.party_names(a.pk for a in agreements)
        for a in agreements:
            a.party_names = names.get(a.pk, [])
        return agreements

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["agreement_rows"] = AgreementRows()(context["agreements"])
        return context


class AgreementMixin(RecordMixin):
    policy = AGREEMENT_POLICY
    get_record = staticmethod(selectors.agreement_get)
    service_object_name = "agreement"


class AgreementDetailView(AgreementMixin, RecordDetailView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.get_object()
        today = timezone.localdate()
        commitments = list(agreement.commitments.all())
        counts = {code: 0 for code in CommitmentStatus.values}
        for c in commitments:
            counts[c.status] += 1
        total = len(commitments)
        for report in agreement.reports.all():
            report.missing_count = max(0, total - getattr(report, "entry_count", 0))
        goals = list(agreement.goals.all())
        for goal in goals:
            goal.sdg_labels = [f"{n}. {sdg.GOALS[n]}" for n in goal.sdgs if n in sdg.GOALS]
        try:
            renewal = agreement.renewal
        except agreement._meta.model.renewal.RelatedObjectDoesNotExist:
            renewal = None
        context.update(
            {
                "parties": agreement.active_parties,
                "undecided": [p for p in agreement.active_parties if not p.has_decision],
                "goals": goals,
                "anchors": [(a, selectors.anchor_chain(a)) for a in agreement.anchors.all()],
                "commitments": commitments,
                "commitment_rows": AgreementCommitmentRows(today=today)(commitments),
                "commitment_counts": [
                    (code, label, counts[code]) for code, label in CommitmentStatus.choices
                ],
                "warnings": services.agreement_warnings(agreement),
                "next_strategy": planning.strategy_deadline(
                    planning.current_election_year(agreement.period_start) + 4
                ),
                "renewal": renewal,
                "today": today,
                "can_renew": context["can"].renew
                and agreement.status == "active"
                and renewal is None
                and not agreement.is_archived,
            }
        )
        return context


class AgreementFormView(AgreementMixin, RecordFormView):
    create_service = staticmethod(services.agreement_create)
    update_service = staticmethod(services.agreement_update)

    @property
    def form_class(self) -> type[AgreementForm | AgreementCreateForm]:
        return AgreementForm if self.is_update else AgreementCreateForm

    @property
    def fields(self) -> tuple[str, ...]:
        return EDIT_FIELDS if self.is_update else (*EDIT_FIELDS, "parties")

    def get_title(self) -> str:
        return _("Edit the agreement") if self.is_update else _("Register an agreement")


class PartiesView(AgreementMixin, PartFormView):
    """Who the parties are; a party that stays keeps its adopting decision."""

    action = "set_parties"
    form_class = PartiesForm
    service = staticmethod(services.agreement_update)
    title = gettext_lazy("Parties")
    fields = ("parties",)

    def get_initial(self) -> dict[str, Any]:
        agreement = self.get_object()
        return {
            "parties": [p.organisation for p in agreement.active_parties],
            "version": agreement.version,
        }


class PartyDecisionAddView(AgreementMixin, PartFormView):
    action = "record_decision"
    form_class = PartyDecisionForm
    service = staticmethod(services.party_decision_record)
    title = gettext_lazy("Record a party's adopting decision")

    def extra_form_kwargs(self):
        return {"parties": [p.organisation for p in self.get_object().active_parties]}


class GoalAddView(AgreementMixin, PartFormView):
    action = "add_goal"
    form_class = GoalForm
    service = staticmethod(services.goal_add)
    title = gettext_lazy("Add a goal")


class GoalEditView(AgreementMixin, PartFormView):
    """Change one goal of the agreement (its text, SDGs, targets)."""

    action = "edit_goal"
    form_class = GoalEditForm
    service = staticmethod(services.goal_update)
    title = gettext_lazy("Edit the goal")
    fields = ("text", "sdgs", "sdg_targets", "local_target")
    pass_record = False

    def get_goal(self) -> AgreementGoal:
        if not hasattr(self, "_goal"):
            self._goal = get_object_or_404(
                AgreementGoal.objects.active(),
                pk=self.kwargs["goal_pk"],
                agreement=self.get_object(),
            )
        return self._goal

    def get_initial(self) -> dict[str, Any]:
        goal = self.get_goal()
        return {
            "text": goal.text,
            "sdgs": goal.sdgs,
            "sdg_targets": ", ".join(goal.sdg_targets),
            "local_target": goal.local_target,
            "version": goal.version,
        }

    def service_kwargs(self, form) -> dict[str, Any]:
        data = super().service_kwargs(form)
        data["goal"] = self.get_goal()
        return data

    def current_record(self) -> Any:
        return AgreementGoal.objects.get(pk=self.get_goal().pk)


class _PartRemoveView(AgreementMixin, RecordActionView):
    """Remove one part of the agreement by POST: it is archived, and kept in the history."""

    model: Any = None
    part_kwarg = ""
    part_name = ""
    service: Any = None

    def perform(self) -> None:
        part = get_object_or_404(
            self.model.objects.active(),
            pk=self.kwargs[self.part_kwarg],
            agreement=self.get_object(),
        )
        type(self).service(actor=self.request.user, **{self.part_name: part})

    def success_message(self) -> str:
        return _("Removed. The history keeps it.")


class GoalRemoveView(_PartRemoveView):
    action = "remove_goal"
    model = AgreementGoal
    part_kwarg, part_name = "goal_pk", "goal"
    service = staticmethod(services.goal_archive)


class AnchorRemoveView(_PartRemoveView):
    action = "remove_anchor"
    model = AgreementAnchor
    part_kwarg, part_name = "anchor_pk", "anchor"
    service = staticmethod(services.anchor_archive)


class DocumentRemoveView(_PartRemoveView):
    action = "remove_document"
    model = AgreementDocument
    part_kwarg, part_name = "document_pk", "document"
    service = staticmethod(services.document_archive)


class AnchorAddView(AgreementMixin, PartFormView):
    action = "add_anchor"
    form_class = AnchorForm
    service = staticmethod(services.anchor_add)
    title = gettext_lazy("Anchor in a plan")

    def extra_form_kwargs(self):
        return {"plans": selectors.plans_for_choice(), "items": selectors.plan_items_for_choice()}


class DocumentAddView(AgreementMixin, PartFormView):
    action = "add_document"
    form_class = DocumentForm
    service = staticmethod(services.document_add)
    title = gettext_lazy("Add a signed document")


class CommitmentAddView(AgreementMixin, PartFormView):
    """Editors of a party add commitments for their own organisations; the lead party's
    editors for every party."""

    action = "add_commitment"
    form_class = CommitmentForm
    service = staticmethod(services.commitment_create)
    title = gettext_lazy("Add a commitment")

    def extra_form_kwargs(self):
        agreement = self.get_object()
        return {
            "parties": Organisation.objects.filter(
                pk__in=parties_user_may_commit(self.request.user, agreement)
            ),
            "goals": AgreementGoal.objects.filter(agreement=agreement, archived_at__isnull=True),
            "new": True,
        }

    def get_initial(self):
        return {"status": CommitmentStatus.NOT_STARTED}


class RenewView(AgreementMixin, PartFormView):
    action = "renew"
    form_class = RenewForm
    service = staticmethod(services.agreement_renew)
    title = gettext_lazy("Renew the agreement")
    template_name = "agreements/renew_form.html"

    def get_initial(self):
        agreement = self.get_object()
        length = agreement.period_end - agreement.period_start
        start = agreement.period_end + dt.timedelta(days=1)
        return {"title": agreement.title, "period_start": start, "period_end": start + length}

    def success_url(self, result: Any) -> str:
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["open_count"] = sum(
            1 for c in self.get_object().commitments.all() if c.status in OPEN_STATUSES
        )
        return context
