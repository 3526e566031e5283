"""Commitment pages (list with filters and CSV, detail, history, edit, archive) and the
follow-up report pages (new report, report with its entries, completing a report)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kraftsenter.actors.models import Organisation
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.light import light
from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)

from .. import selectors, services
from ..choices import OPEN_STATUSES
from ..filters import CommitmentFilter
from ..forms import CommitmentForm, ReportCompleteForm, ReportEntryForm, ReportForm
from ..models import AgreementGoal
from ..permissions import AGREEMENT_POLICY, COMMITMENT_POLICY, agreement_party_ids
from ..rows import CommitmentRows
from .agreements import AgreementMixin


class CommitmentListView(FilteredListView):
    filterset_class = CommitmentFilter
    policy = COMMITMENT_POLICY
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

    kept = True

    def get_base_queryset(self):
        if self.request.GET.get("format") == "csv":
            return selectors.commitment_list(user=self.request.user, rows=True)
        return self.base_queryset_for(self.request.user)

    def base_queryset_for(self, who):
        # The page's rows read these columns only (rows.CommitmentRows): light rows.
        return light(selectors.commitment_list(user=who, rows=True), *CommitmentRows.columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["open_statuses"] = OPEN_STATUSES
        context["commitment_rows"] = CommitmentRows(today=context["today"])(context["commitments"])
        return context


class CommitmentMixin(RecordMixin):
    policy = COMMITMENT_POLICY
    get_record = staticmethod(selectors.commitment_get)
    service_object_name = "commitment"


class CommitmentDetailView(CommitmentMixin, RecordDetailView):
    template_name = "agreements/commitment_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        context["is_open"] = self.get_object().status in OPEN_STATUSES
        return context


class CommitmentFormView(CommitmentMixin, RecordFormView):
    form_class = CommitmentForm
    fields = ("party", "description", "due_date", "budget", "status", "status_reason", "goal")
    update_service = staticmethod(services.commitment_update)
    title = gettext_lazy("Edit the commitment")

    def extra_form_kwargs(self):
        agreement = self.get_object().agreement
        return {
            "parties": Organisation.objects.filter(pk__in=agreement_party_ids(agreement)),
            "goals": AgreementGoal.objects.filter(agreement=agreement, archived_at__isnull=True),
        }


# --- follow-up reports -------------------------------------------------------------------------


class ReportAddView(AgreementMixin, PartFormView):
    action = "add_report"
    form_class = ReportForm
    service = staticmethod(services.report_create)
    title = gettext_lazy("New follow-up report")

    def get_initial(self) -> dict[str, Any]:
        start, end = services.next_report_period(self.get_object())
        return {"period_start": start, "period_end": end}

    def success_url(self, result: Any) -> str:
        return result.get_absolute_url()


def report_detail(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    """The report: each commitment with its reported status; parties report here."""
    report = selectors.report_get(user=request.user, agreement_pk=pk, pk=report_pk)
    agreement = report.agreement
    entries = {e.commitment_id: e for e in report.entries.all()}
    commitments = list(agreement.commitments.all())
    rows = [(c, entries.get(c.pk)) for c in commitments]
    user = request.user
    reportable = [
        c for c in commitments if user.is_authenticated and COMMITMENT_POLICY.can(user, "report", c)
    ]
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not reportable:
            raise PermissionDenied(COMMITMENT_POLICY.denied_message("report"))
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
    complete_form = None
    if AGREEMENT_POLICY.can(user, "complete_report", agreement) and not report.is_complete:
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


@require_POST
def report_complete(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    report = selectors.report_get(user=request.user, agreement_pk=pk, pk=report_pk)
    if not AGREEMENT_POLICY.can(request.user, "complete_report", report.agreement):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied(AGREEMENT_POLICY.denied_message("edit"))
    form = ReportCompleteForm(request.POST)
    if form.is_valid():
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
    else:
        messages.error(request, _("The report changed while you were looking at it. Try again."))
    return redirect(report.get_absolute_url())
