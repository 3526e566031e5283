"""Pages of the cooperation register: list, detail, history, create, edit and the parts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordHistoryView,
)

from . import permissions, rules, selectors, services
from .choices import SHARE_FORMS
from .filters import CooperationFilter
from .forms import (
    AgreementVersionForm,
    BodyForm,
    BodyMemberForm,
    CooperationForm,
    CouncilDecisionForm,
    DocumentForm,
    ParticipantFormSet,
)
from .models import BodyMember

FIELDS = (
    "name",
    "legal_form",
    "legal_basis",
    "legal_person",
    "organisation_number",
    "purpose",
    "host",
    "start_date",
    "end_date",
    "status",
    "withdrawal_terms",
    "dissolution_terms",
    "archive_custodian",
    "reporting_duties",
    "statsforvalter_notified_on",
    "published",
)


class CooperationListView(FilteredListView):
    filterset_class = CooperationFilter
    template_name = "cooperations/cooperation_list.html"
    context_object_name = "cooperations"
    csv_filename = "samarbeid"
    csv_columns = (
        ("id", lambda c: c.pk),
        ("samarbeid", lambda c: c.name),
        ("form", lambda c: c.legal_form),
        ("form_navn", lambda c: c.get_legal_form_display()),
        ("status", lambda c: c.get_status_display()),
        ("omrader", lambda c: ", ".join(a.get_area_display() for a in c.area_links.all())),
        ("deltakere", lambda c: ", ".join(p.organisation.name for p in c.active_participants)),
        ("organisasjonsnummer", lambda c: c.organisation_number),
        ("startdato", lambda c: c.start_date),
    )

    def get_base_queryset(self):
        return selectors.cooperation_list(user=self.request.user)

    def csv_response(self, queryset):
        # iterator() would drop the prefetches; the export is bounded by the filters.
        return super().csv_response(_ListWithIterator(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_cooperation(self.request.user)
        return context


class _ListWithIterator:
    def __init__(self, queryset):
        self.queryset = queryset

    def iterator(self, chunk_size: int = 1000):
        return iter(self.queryset)


class CooperationMixin:
    policy = permissions.COOPERATION_POLICY
    get_record = staticmethod(selectors.cooperation_get)
    service_object_name = "cooperation"
    tabs_template = "cooperations/_tabs.html"


class CooperationDetailView(CooperationMixin, RecordDetailView):
    template_name = "cooperations/cooperation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        coop = self.get_object()
        form = coop.legal_form
        versions = list(coop.agreement_versions.all())
        participants = coop.active_participants
        for version in versions:
            decided = {d.organisation_id for d in version.decisions.all()}
            version.checklist = [
                (item, item.code in version.items_covered) for item in rules.mandatory_items(form)
            ]
            version.changed_labels = [rules.item_label(form, c) for c in version.items_changed]
            version.undecided = [
                p.organisation for p in participants if p.organisation_id not in decided
            ]
        context.update(
            {
                "versions": versions,
                "participants": participants,
                "has_shares": form in SHARE_FORMS,
                "problems": services.activation_problems(coop),
                "legal_source": rules.LEGAL_SOURCE.get(form, "kommuneloven § 17-1"),
            }
        )
        return context


class CooperationHistoryView(CooperationMixin, RecordHistoryView):
    pass


class CooperationArchiveView(CooperationMixin, RecordArchiveView):
    archive_service = staticmethod(services.cooperation_archive)


class CooperationRestoreView(CooperationMixin, RecordArchiveView):
    archive_service = staticmethod(services.cooperation_restore)
    restore = True


def _inputs(formset) -> list[services.ParticipantInput]:
    return [
        services.ParticipantInput(
            f.cleaned_data["organisation"],
            f.cleaned_data.get("ownership_share"),
            f.cleaned_data.get("liability_share"),
            f.cleaned_data.get("joined_on"),
        )
        for f in formset.forms
        if f.cleaned_data.get("organisation")
    ]


TEXT_FIELDS = (
    "legal_basis",
    "organisation_number",
    "purpose",
    "withdrawal_terms",
    "dissolution_terms",
    "reporting_duties",
)


def _form_data(form) -> dict:
    data = {k: form.cleaned_data.get(k) for k in FIELDS}
    for name in TEXT_FIELDS:
        data[name] = data[name] or ""
    return data


def _org_label(org) -> str:

    if org is None:
        return ""
    if org.kind == "municipality" and org.municipality_id:
        return org.municipality.number
    if org.kind == "county_municipality" and org.county_id:
        return org.county.number
    return org.organisation_number or org.name


@login_required
def cooperation_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can_create_cooperation(request.user):
        raise PermissionDenied(
            _("Only editors and administrators of an organisation may register cooperations.")
        )
    form = CooperationForm(request.POST or None)
    formset = ParticipantFormSet(request.POST or None, prefix="p")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = _form_data(form)
        status = data.pop("status")
        try:
            coop = services.cooperation_create(
                actor=request.user,
                participants=_inputs(formset),
                areas=form.cleaned_data["areas"],
                status=status,
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(coop.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "cooperations/cooperation_form.html",
        {"form": form, "formset": formset},
        status=status,
    )


@login_required
def cooperation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = selectors.cooperation_get(user=request.user, pk=pk)
    if not permissions.can_edit_cooperation(request.user, coop):
        raise PermissionDenied(
            _("Only editors and administrators of the participants may change this cooperation.")
        )
    initial = {k: getattr(coop, k) for k in FIELDS}
    initial.update(
        host=_org_label(coop.host),
        archive_custodian=_org_label(coop.archive_custodian),
        areas=coop.area_codes,
        version=coop.version,
    )
    form = CooperationForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = _form_data(form)
        try:
            services.cooperation_update(
                actor=request.user,
                cooperation=coop,
                expected_version=form.cleaned_data.get("version"),
                areas=form.cleaned_data["areas"],
                reason=form.cleaned_data.get("reason") or "",
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        except ConflictError as exc:
            conflict = exc.current_version
            form.add_error(
                None,
                _(
                    "Someone else saved this record while you were editing (now version "
                    "%(version)s). Your input is kept; open the record in a new tab to compare, "
                    "then save again."
                )
                % {"version": exc.current_version},
            )
            data_copy = form.data.copy()
            data_copy["version"] = str(exc.current_version)
            form.data = data_copy
        else:
            messages.success(request, _("Saved."))
            return redirect(coop.get_absolute_url())
    status = 409 if conflict else (422 if request.method == "POST" else 200)
    return render(
        request, "cooperations/cooperation_form.html", {"form": form, "object": coop}, status=status
    )


def _editable(request: HttpRequest, pk: int):
    coop = selectors.cooperation_get(user=request.user, pk=pk)
    if not permissions.can_edit_cooperation(request.user, coop):
        raise PermissionDenied(
            _("Only editors and administrators of the participants may change this cooperation.")
        )
    return coop


def _part_page(request, coop, template: str, context: dict, ok: bool) -> HttpResponse:
    if ok:
        messages.success(request, _("Saved."))
        return redirect(coop.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    return render(request, template, {"object": coop, **context}, status=status)


@login_required
def participants_edit(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    initial = [
        {
            "organisation": _org_label(p.organisation),
            "ownership_share": p.ownership_share,
            "liability_share": p.liability_share,
            "joined_on": p.joined_on,
        }
        for p in coop.active_participants
    ]
    formset = ParticipantFormSet(request.POST or None, prefix="p", initial=initial)
    version_field = request.POST.get("version") if request.method == "POST" else coop.version
    ok = False
    error = ""
    if request.method == "POST" and formset.is_valid():
        try:
            services.cooperation_set_participants(
                actor=request.user,
                cooperation=coop,
                participants=_inputs(formset),
                expected_version=int(version_field),
                reason=request.POST.get("reason", ""),
            )
            ok = True
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except (ConflictError, ValueError):
            error = _("The cooperation changed while you were editing. Check it and try again.")
    return _part_page(
        request,
        coop,
        "cooperations/participants_form.html",
        {"formset": formset, "error": error, "version": version_field},
        ok,
    )


@login_required
def agreement_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    form = AgreementVersionForm(request.POST or None, items=rules.mandatory_items(coop.legal_form))
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_version_add(
                actor=request.user, cooperation=coop, **form.cleaned_data
            )
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return _part_page(
        request,
        coop,
        "cooperations/part_form.html",
        {"form": form, "title": _("New agreement version")},
        ok,
    )


@login_required
def council_decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    versions = list(coop.agreement_versions.all())
    form = CouncilDecisionForm(
        request.POST or None, versions=versions, participants=coop.active_participants
    )
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.council_decision_record(actor=request.user, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return _part_page(
        request,
        coop,
        "cooperations/part_form.html",
        {"form": form, "title": _("Record a council decision")},
        ok,
    )


@login_required
def body_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    form = BodyForm(request.POST or None)
    ok = False
    if request.method == "POST" and form.is_valid():
        services.body_add(actor=request.user, cooperation=coop, **form.cleaned_data)
        ok = True
    return _part_page(
        request, coop, "cooperations/part_form.html", {"form": form, "title": _("Add a body")}, ok
    )


@login_required
def body_member_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    bodies = list(coop.bodies.all())
    form = BodyMemberForm(request.POST or None, bodies=bodies)
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.body_member_add(actor=request.user, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return _part_page(
        request,
        coop,
        "cooperations/part_form.html",
        {"form": form, "title": _("Add a member to a body")},
        ok,
    )


@login_required
@require_POST
def body_member_end(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    member = get_object_or_404(BodyMember.objects.active(), pk=member_pk, body__cooperation=coop)
    services.body_member_end(actor=request.user, member=member)
    messages.success(request, _("Saved."))
    return redirect(coop.get_absolute_url())


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    coop = _editable(request, pk)
    form = DocumentForm(request.POST or None)
    ok = False
    if request.method == "POST" and form.is_valid():
        services.document_add(actor=request.user, cooperation=coop, **form.cleaned_data)
        ok = True
    return _part_page(
        request,
        coop,
        "cooperations/part_form.html",
        {"form": form, "title": _("Add a document")},
        ok,
    )
