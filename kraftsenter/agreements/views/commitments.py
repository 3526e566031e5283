"""Commitment pages (list with filters and CSV, detail, history, edit, archive) and the
follow-up report pages (new report, report with its entries, completing a report)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordHistoryView,
)

from .. import permissions, selectors, services
from ..choices import OPEN_STATUSES
from ..filters import CommitmentFilter
from ..forms import CommitmentForm, ReportCompleteForm, ReportEntryForm, ReportForm
from ..models import AgreementGoal
from .agreements import editable_agreement
from .base import ServiceFormView, part_page


class CommitmentListView(FilteredListView):
    filterset_class = CommitmentFilter
    template_name = "agreements/commitment_list.html"
    context_object_name = "commitments"
    csv_filename = "forpliktelser"
    csv_columns = (
        ("id", lambda c: c.pk),
        ("avtale_id", lambda c: c.agreement_id),
        ("avtale", lambda c: c.agreement.title),
        ("part_id", lambda c: c.party_id),
        ("part", lambda c: c.party.name),
        ("forpliktelse", lambda c: c.description),
        ("frist", lambda c: c.due_date),
        ("budsjett", lambda c: c.budget),
        ("status", lambda c: c.status),
        ("begrunnelse", lambda c: c.status_reason),
        ("eksempel", lambda c: "ja" if c.is_example else "nei"),
    )

    def get_base_queryset(self):
        return selectors.commitment_list(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["open_statuses"] = OPEN_STATUSES
        return context


class CommitmentMixin:
    policy = permissions.COMMITMENT_POLICY
    get_record = staticmethod(selectors.commitment_get)
    service_object_name = "commitment"
    tabs_template = "agreements/_tabs.html"


class CommitmentDetailView(CommitmentMixin, RecordDetailView):
    template_name = "agreements/commitment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["is_open"] = self.get_object().status in OPEN_STATUSES
        return context


class CommitmentHistoryView(CommitmentMixin, RecordHistoryView):
    pass


class CommitmentArchiveView(CommitmentMixin, RecordArchiveView):
    archive_service = staticmethod(services.commitment_archive)


class CommitmentRestoreView(CommitmentMixin, RecordArchiveView):
    archive_service = staticmethod(services.commitment_restore)
    restore = True


class CommitmentFormView(CommitmentMixin, ServiceFormView):
    form_class = CommitmentForm
    fields = ("party", "description", "due_date", "budget", "status", "status_reason", "goal")
    update_service = staticmethod(services.commitment_update)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Edit the commitment")

    def form_kwargs(self):
        agreement = self.get_object().agreement
        party_ids = permissions.agreement_party_ids(agreement)
        return {
            "parties": Organisation.objects.filter(pk__in=party_ids),
            "goals": AgreementGoal.objects.filter(agreement=agreement, archived_at__isnull=True),
        }


# --- follow-up reports -------------------------------------------------------------------------


@login_required
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = editable_agreement(request, pk)
    start, end = services.next_report_period(agreement)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        initial={"period_start": start, "period_end": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_create(
                actor=request.user, agreement=agreement, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(report.get_absolute_url())
    return part_page(request, agreement, form=form, title=_("New follow-up report"), ok=False)


def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The report: each commitment with its reported status; parties report here."""
    report = selectors.report_get(user=request.user, agreement_pk=pk, pk=report_pk)
    agreement = report.agreement
    entries = {e.commitment_id: e for e in report.entries.all()}
    commitments = list(agreement.commitments.all())
    rows = [(c, entries.get(c.pk)) for c in commitments]
    user = request.user
    reportable = [
        c for c in commitments if user.is_authenticated and permissions.can_edit_commitment(user, c)
    ]
    entry_form = None
    status = 200
    if reportable and not report.is_complete:
        entry_form = ReportEntryForm(
            request.POST if request.method == "POST" else None, commitments=reportable
        )
        if request.method == "POST" and entry_form.is_valid():
            try:
                services.report_entry_record(actor=user, report=report, **entry_form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(entry_form, exc)
                status = 422
            else:
                messages.success(request, _("Saved."))
                return redirect(report.get_absolute_url())
        elif request.method == "POST":
            status = 422
    can_edit = user.is_authenticated and permissions.can_edit_agreement(user, agreement)
    complete_form = None
    if can_edit and not report.is_complete:
        complete_form = ReportCompleteForm(initial={"version": report.version})
    return render(
        request,
        "agreements/report_detail.html",
        {
            "object": report,
            "agreement": agreement,
            "rows": rows,
            "missing": [c for c, e in rows if e is None],
            "form": entry_form,
            "complete_form": complete_form,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
def report_complete(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, agreement_pk=pk, pk=report_pk)
    editable_agreement(request, pk)
    form = ReportCompleteForm(request.POST or None, initial={"version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_complete(
                actor=request.user,
                report=report,
                expected_version=form.cleaned_data["version"],
                summary=form.cleaned_data.get("summary") or "",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except ConflictError:
            messages.error(
                request, _("The report changed while you were looking at it. Try again.")
            )
        else:
            messages.success(request, _("The report is complete."))
    return redirect(report.get_absolute_url())
