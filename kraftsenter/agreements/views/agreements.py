"""Agreement pages: list, detail, history, create, edit, archive, parties and their adopting
decisions, goals, anchors in plans, documents, commitments and renewal."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.permissions import ROLE_EDITOR, is_site_admin, organisations_with_role
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordHistoryView,
)

from .. import permissions, planning, sdg, selectors, services
from ..choices import CommitmentStatus
from ..filters import AgreementFilter
from ..forms import (
    AgreementCreateForm,
    AgreementForm,
    AnchorForm,
    CommitmentForm,
    DocumentForm,
    GoalForm,
    PartiesForm,
    PartyDecisionForm,
    RenewForm,
    org_label,
)
from ..models import AgreementGoal
from .base import ServiceFormView, editable, part_page

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
    template_name = "agreements/agreement_list.html"
    context_object_name = "agreements"
    csv_filename = "avtaler"
    csv_columns = (
        ("id", lambda a: a.pk),
        ("avtale", lambda a: a.title),
        ("type", lambda a: a.kind),
        ("status", lambda a: a.status),
        ("parter", lambda a: ", ".join(p.organisation.name for p in a.active_parties)),
        ("periode_fra", lambda a: a.period_start),
        ("periode_til", lambda a: a.period_end),
        ("bindende", lambda a: "ja" if a.binding else "nei"),
    )

    def get_base_queryset(self):
        return selectors.agreement_list(user=self.request.user)

    def csv_response(self, queryset):
        from .partnerships import _Listed

        return super().csv_response(_Listed(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create(self.request.user)
        return context


class AgreementMixin:
    policy = permissions.AGREEMENT_POLICY
    get_record = staticmethod(selectors.agreement_get)
    service_object_name = "agreement"
    tabs_template = "agreements/_tabs.html"


class AgreementDetailView(AgreementMixin, RecordDetailView):
    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement = self.get_object()
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
                "commitment_counts": [
                    (code, label, counts[code]) for code, label in CommitmentStatus.choices
                ],
                "warnings": services.agreement_warnings(agreement),
                "next_strategy": planning.strategy_deadline(
                    planning.current_election_year(agreement.period_start) + 4
                ),
                "renewal": renewal,
                "today": timezone.localdate(),
                "can_renew": context["can_edit"]
                and agreement.status == "active"
                and renewal is None
                and not agreement.is_archived,
            }
        )
        return context


class AgreementHistoryView(AgreementMixin, RecordHistoryView):
    pass


class AgreementArchiveView(AgreementMixin, RecordArchiveView):
    archive_service = staticmethod(services.agreement_archive)


class AgreementRestoreView(AgreementMixin, RecordArchiveView):
    archive_service = staticmethod(services.agreement_restore)
    restore = True


class AgreementCreateView(AgreementMixin, ServiceFormView):
    form_class = AgreementCreateForm
    fields = (*EDIT_FIELDS, "parties")
    create_service = staticmethod(services.agreement_create)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Register an agreement")


class AgreementEditView(AgreementMixin, ServiceFormView):
    form_class = AgreementForm
    fields = EDIT_FIELDS
    update_service = staticmethod(services.agreement_update)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Edit the agreement")


def editable_agreement(request: HttpRequest, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    return editable(
        request,
        agreement,
        permissions.can_edit_agreement(request.user, agreement),
        _("Only editors and administrators of the parties may change this agreement."),
    )


@login_required
def parties_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    links = agreement.active_parties
    initial = {"parties": "\n".join(org_label(p.organisation) for p in links)}
    initial["version"] = agreement.version
    form = PartiesForm(request.POST or None, initial=initial)
    ok = False
    if request.method == "POST" and form.is_valid():
        keep = {p.organisation_id: p for p in links}
        parties = [
            services.PartyInput(
                org,
                keep[org.pk].decision_body if org.pk in keep else "",
                keep[org.pk].decision_date if org.pk in keep else None,
                keep[org.pk].decision_reference if org.pk in keep else "",
            )
            for org in form.cleaned_data["parties"]
        ]
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                expected_version=form.cleaned_data["version"],
                parties=parties,
                reason=form.cleaned_data.get("reason") or "",
            )
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except ConflictError:
            form.add_error(
                None, _("The record changed while you were looking at it. Check it and try again.")
            )
    return part_page(request, agreement, form=form, title=_("Parties"), ok=ok)


@login_required
def party_decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    parties = [p.organisation for p in agreement.active_parties]
    form = PartyDecisionForm(request.POST or None, parties=parties)
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.party_decision_record(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(
        request, agreement, form=form, title=_("Record a party's adopting decision"), ok=ok
    )


@login_required
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    form = GoalForm(request.POST or None)
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(actor=request.user, agreement=agreement, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, agreement, form=form, title=_("Add a goal"), ok=ok)


@login_required
def anchor_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    form = AnchorForm(
        request.POST or None,
        plans=selectors.plans_for_choice(),
        items=selectors.plan_items_for_choice(),
    )
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.anchor_add(actor=request.user, agreement=agreement, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, agreement, form=form, title=_("Anchor in a plan"), ok=ok)


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    form = DocumentForm(request.POST or None)
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.document_add(actor=request.user, agreement=agreement, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, agreement, form=form, title=_("Add a signed document"), ok=ok)


def _parties_user_may_commit(user, agreement) -> list[int]:
    """Editors of the lead party add commitments for every party; others for their own."""
    party_ids = [p.organisation_id for p in agreement.active_parties]
    if is_site_admin(user):
        return party_ids
    own = organisations_with_role(user, ROLE_EDITOR)
    if agreement.lead_id in own:
        return party_ids
    return [pk for pk in party_ids if pk in own]


@login_required
def commitment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Editors of any party open the page; they add commitments for their own organisations,
    and the lead party's editors for every party."""
    agreement = editable_agreement(request, pk)
    form = CommitmentForm(
        request.POST or None,
        parties=Organisation.objects.filter(
            pk__in=_parties_user_may_commit(request.user, agreement)
        ),
        goals=AgreementGoal.objects.filter(agreement=agreement, archived_at__isnull=True),
        initial={"status": CommitmentStatus.NOT_STARTED},
    )
    form.fields.pop("version")
    form.fields.pop("reason")
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_create(actor=request.user, agreement=agreement, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, agreement, form=form, title=_("Add a commitment"), ok=ok)


@login_required
def agreement_renew(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    length = agreement.period_end - agreement.period_start
    start = agreement.period_end + dt.timedelta(days=1)
    form = RenewForm(
        request.POST or None,
        initial={"title": agreement.title, "period_start": start, "period_end": start + length},
    )
    if request.method == "POST" and form.is_valid():
        try:
            new = services.agreement_renew(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(new.get_absolute_url())
    return part_page(
        request,
        agreement,
        form=form,
        title=_("Renew the agreement"),
        ok=False,
        template="agreements/renew_form.html",
        extra={
            "open_count": sum(
                1
                for c in agreement.commitments.all()
                if c.status in ("not_started", "in_progress", "at_risk")
            )
        },
    )
