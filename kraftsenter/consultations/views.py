"""Pages for consultations: the public register, a case and its steps, the printable protocol."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.permissions import ROLE_EDITOR, has_role, is_site_admin
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordHistoryView,
)

from . import forms, rules, selectors, services
from .filters import ConsultationFilter
from .models import Party
from .permissions import CONSULTATION_POLICY


class ConsultationListView(FilteredListView):
    filterset_class = ConsultationFilter
    template_name = "consultations/consultation_list.html"
    context_object_name = "consultations"
    csv_filename = "konsultasjoner"
    csv_columns = (
        ("id", lambda c: c.pk),
        ("sak", lambda c: c.title),
        ("myndighet", lambda c: c.authority.name),
        ("niva", lambda c: c.get_level_display()),
        ("status", lambda c: c.get_status_display()),
        ("kommuner", lambda c: ", ".join(m.number for m in c.municipalities.all())),
    )

    def get_base_queryset(self):
        return selectors.consultation_list(user=self.request.user)

    def csv_response(self, queryset):
        from kraftsenter.cooperations.views import _ListWithIterator

        return super().csv_response(_ListWithIterator(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = CONSULTATION_POLICY.can_create(self.request.user)
        return context


class ConsultationMixin:
    policy = CONSULTATION_POLICY
    get_record = staticmethod(selectors.consultation_get)
    service_object_name = "consultation"
    tabs_template = "consultations/_tabs.html"


def _is_authority(user, case) -> bool:
    return is_site_admin(user) or has_role(user, {case.authority_id}, ROLE_EDITOR)


class ConsultationDetailView(ConsultationMixin, RecordDetailView):
    template_name = "consultations/consultation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.get_object()
        municipalities = list(case.municipalities.select_related("county"))
        context.update(selectors.visible_items(user=self.request.user, consultation=case))
        context.update(
            {
                "municipalities": municipalities,
                "triggers": rules.screening_triggers(municipalities),
                "suggestion": rules.suggested_result(
                    case.direct_effect,
                    case.general_matter,
                    case.natural_basis,
                    case.traditional_area,
                ),
                "is_authority": _is_authority(self.request.user, case),
            }
        )
        return context


class ConsultationHistoryView(ConsultationMixin, RecordHistoryView):
    pass


class ConsultationArchiveView(ConsultationMixin, RecordArchiveView):
    archive_service = staticmethod(services.consultation_archive)


class ConsultationRestoreView(ConsultationMixin, RecordArchiveView):
    archive_service = staticmethod(services.consultation_restore)
    restore = True


def _case_for_edit(request: HttpRequest, pk: int, *, authority_only: bool):
    case = selectors.consultation_get(user=request.user, pk=pk)
    allowed = (
        _is_authority(request.user, case)
        if authority_only
        else CONSULTATION_POLICY.can_edit(request.user, case)
    )
    if not allowed:
        raise PermissionDenied(
            _(
                "Only editors of the consulting authority (or, for answers and "
                "information, of a party) may take this step."
            )
        )
    return case


def _step(
    request: HttpRequest, case, form, title: str, save: Callable[[dict], object], intro: str = ""
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                save(dict(form.cleaned_data))
            except ValidationError as exc:
                apply_validation_error(form, exc)
            except ConflictError as exc:
                form.add_error(
                    None,
                    _(
                        "Someone else saved this record while you were editing (now version "
                        "%(version)s). Your input is kept; open the record in a new tab to "
                        "compare, then save again."
                    )
                    % {"version": exc.current_version},
                )
                data = form.data.copy()
                data["version"] = str(exc.current_version)
                form.data = data
                return render(
                    request,
                    "consultations/step_form.html",
                    {"object": case, "form": form, "title": title, "intro": intro},
                    status=409,
                )
            else:
                messages.success(request, _("Saved."))
                return redirect(case.get_absolute_url())
        status = 422
    return render(
        request,
        "consultations/step_form.html",
        {"object": case, "form": form, "title": title, "intro": intro},
        status=status,
    )


@login_required
def consultation_create(request: HttpRequest) -> HttpResponse:
    if not CONSULTATION_POLICY.can_create(request.user):
        raise PermissionDenied(_("You do not have permission to do this."))
    form = forms.ConsultationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            data.pop("version", None)
            try:
                case = services.consultation_create(actor=request.user, **data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect(case.get_absolute_url())
        status = 422
    return render(
        request,
        "consultations/step_form.html",
        {"form": form, "title": _("Register a case that may affect Sami interests")},
        status=status,
    )


@login_required
def consultation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=False)
    initial = {
        "title": case.title,
        "kind": case.kind,
        "description": case.description,
        "concerns": case.concerns,
        "published": case.published,
        "version": case.version,
        "authority": case.authority.organisation_number or case.authority.name,
        "municipalities": ", ".join(m.number for m in case.municipalities.all()),
    }
    form = forms.ConsultationForm(request.POST or None, initial=initial)
    form.fields["authority"].disabled = True

    def save(data):
        data.pop("authority", None)
        services.consultation_update(
            actor=request.user, consultation=case, expected_version=data.pop("version"), **data
        )

    return _step(request, case, form, _("Edit the case"), save)


@login_required
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=True)
    initial = {
        "direct_effect": case.direct_effect,
        "general_matter": case.general_matter,
        "natural_basis": case.natural_basis,
        "traditional_area": case.traditional_area,
        "land_use_plan_objection": case.land_use_plan_objection,
        "reasoning": case.screening_reasoning,
        "result": case.screening_result,
        "version": case.version,
    }
    form = forms.ScreeningForm(request.POST or None, initial=initial)

    def save(data):
        services.screening_record(
            actor=request.user, consultation=case, expected_version=data.pop("version"), **data
        )

    return _step(
        request,
        case,
        form,
        _("Screening (sameloven § 4-1)"),
        save,
        _(
            "Answer the questions and record the reasoning. The municipality's place in "
            "Sami areas is a reason to screen, never a limit."
        ),
    )


@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=True)
    form = forms.PartyForm(request.POST or None)
    return _step(
        request,
        case,
        form,
        _("Add a party (sameloven § 4-2)"),
        lambda data: services.party_add(
            actor=request.user, consultation=case, organisation=data["organisation"]
        ),
    )


@login_required
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=True)
    form = forms.NoticeForm(request.POST or None, initial={"version": case.version})

    def save(data):
        services.notice_send(
            actor=request.user, consultation=case, expected_version=data.pop("version"), **data
        )

    return _step(request, case, form, _("Notice to the parties (sameloven § 4-5)"), save)


@login_required
def party_response(request: HttpRequest, pk: int, party_pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=False)
    party = get_object_or_404(Party.objects.active(), pk=party_pk, consultation=case)
    form = forms.ResponseForm(
        request.POST or None,
        initial={
            "response": party.response,
            "responded_on": party.responded_on,
            "agreement_still_possible": party.agreement_still_possible,
            "note": party.note,
        },
    )
    return _step(
        request,
        case,
        form,
        _("Answer from %(party)s") % {"party": party.organisation},
        lambda data: services.party_respond(actor=request.user, party=party, **data),
    )


def _shared_item_step(request: HttpRequest, pk: int, form_class, add, title: str):
    """A log entry or document, shared with some of the parties (ticked on the form)."""
    case = _case_for_edit(request, pk, authority_only=False)
    form = form_class(request.POST or None, parties=case.active_parties)

    def save(data):
        ticked = data.pop("shared_with")
        shared = [p.organisation for p in case.active_parties if str(p.organisation_id) in ticked]
        add(actor=request.user, consultation=case, shared_with=shared, **data)

    return _step(request, case, form, title, save)


@login_required
def information_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _shared_item_step(
        request,
        pk,
        forms.InformationForm,
        services.information_add,
        _("Log information shared (sameloven § 4-6)"),
    )


@login_required
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _shared_item_step(
        request, pk, forms.DocumentForm, services.document_add, _("Add a document")
    )


@login_required
def protocol_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=False)
    form = forms.ProtocolForm(request.POST or None)
    return _step(
        request,
        case,
        form,
        _("Meeting and protocol (sameloven § 4-7)"),
        lambda data: services.meeting_with_protocol_add(
            actor=request.user, consultation=case, **data
        ),
    )


@login_required
def conclude(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=True)
    form = forms.ConcludeForm(request.POST or None, initial={"version": case.version})

    def save(data):
        services.consultation_conclude(
            actor=request.user, consultation=case, expected_version=data.pop("version"), **data
        )

    return _step(request, case, form, _("Conclude the consultation (sameloven § 4-6)"), save)


@login_required
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_for_edit(request, pk, authority_only=True)
    form = forms.DecisionForm(request.POST or None, initial={"version": case.version})

    def save(data):
        services.decision_record(
            actor=request.user, consultation=case, expected_version=data.pop("version"), **data
        )

    return _step(request, case, form, _("The authority's final decision"), save)


def protocol_print(request: HttpRequest, pk: int, protocol_pk: int) -> HttpResponse:
    """The protocol as a printable page for both parties to sign (exempt ones only for them)."""
    case = selectors.consultation_get(user=request.user, pk=pk)
    visible = {
        p.pk: p for p in selectors.visible_items(user=request.user, consultation=case)["protocols"]
    }
    protocol = visible.get(protocol_pk)
    if protocol is None:
        raise Http404
    return render(
        request, "consultations/protocol_print.html", {"object": case, "protocol": protocol}
    )
