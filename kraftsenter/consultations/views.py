"""Pages for consultations: the public register, a case and its steps, the printable protocol.

Every step is a page of the register kit (``PartFormView``) naming the policy action it takes;
who may take which step is decided in ``permissions.py`` only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)

from . import forms, rules, selectors, services
from .filters import ConsultationFilter
from .models import Party
from .permissions import CONSULTATION_POLICY


class ConsultationListView(FilteredListView):
    filterset_class = ConsultationFilter
    policy = CONSULTATION_POLICY
    template_name = "consultations/consultation_list.html"
    context_object_name = "consultations"
    csv_filename = "konsultasjoner"
    csv_prefetched = True
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


class ConsultationMixin(RecordMixin):
    policy = CONSULTATION_POLICY
    get_record = staticmethod(selectors.consultation_get)
    service_object_name = "consultation"


class ConsultationDetailView(ConsultationMixin, RecordDetailView):
    template_name = "consultations/consultation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case = self.get_object()
        municipalities = list(case.municipalities.select_related("county"))
        items = selectors.visible_items(user=self.request.user, consultation=case)
        context.update(items)
        visible_documents = {d.pk for d in items["documents"]}
        context.update(
            {
                "warnings": rules.case_warnings(case, case.active_parties),
                "assessment_documents": [
                    d for d in case.assessment_documents.all() if d.pk in visible_documents
                ],
                "municipalities": municipalities,
                "triggers": rules.screening_triggers(municipalities),
                "suggestion": rules.suggested_result(
                    case.direct_effect,
                    case.general_matter,
                    case.natural_basis,
                    case.traditional_area,
                ),
                "is_authority": CONSULTATION_POLICY.can(self.request.user, "screen", case),
            }
        )
        return context


class ConsultationFormView(ConsultationMixin, RecordFormView):
    """Register a case (for an authority the user is an editor of) or edit its description."""

    form_class = forms.ConsultationForm
    create_service = staticmethod(services.consultation_create)
    update_service = staticmethod(services.consultation_update)

    @property
    def fields(self) -> tuple[str, ...]:
        names = (
            "title",
            "kind",
            "plan_kind",
            "description",
            "concerns",
            "published",
            "municipalities",
            "delegated_authority",
        )
        return names if self.is_update else (*names, "authority", "level")

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit the case")
        return _("Register a case that may affect Sami interests")

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.is_update:
            form.fields["authority"].disabled = True
            form.fields["authority"].required = False
            del form.fields["level"]
            if self.get_object().level != "state_delegated":
                del form.fields["delegated_authority"]
        return form

    def adjust_initial(self, initial: dict[str, Any]) -> dict[str, Any]:
        case = self.get_object()
        initial["authority"] = case.authority.organisation_number or case.authority.name
        initial["municipalities"] = ", ".join(m.number for m in case.municipalities.all())
        return initial


class _Step(ConsultationMixin, PartFormView):
    """A step of the case: the case's current version guards against lost updates."""

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.get_object().version}


class ScreeningView(_Step):
    action = "screen"
    form_class = forms.ScreeningForm
    service = staticmethod(services.screening_record)
    title = gettext_lazy("Clarifying the duty to consult (sameloven § 4-1)")
    intro = gettext_lazy(
        "Answer the questions and record the reasoning. The municipality's place in Sami areas "
        "is a reason to screen, never a limit. Whether Sametinget can object to a plan instead "
        "(sameloven § 4-1 fourth paragraph) follows from the kind of plan on the case."
    )
    fields = ("direct_effect", "general_matter", "natural_basis", "traditional_area")

    def get_initial(self) -> dict[str, Any]:
        case = self.get_object()
        return {
            "direct_effect": case.direct_effect,
            "general_matter": case.general_matter,
            "natural_basis": case.natural_basis,
            "traditional_area": case.traditional_area,
            "reasoning": case.screening_reasoning,
            "result": case.screening_result,
            "version": case.version,
        }


class PartyAddView(ConsultationMixin, PartFormView):
    action = "add_party"
    form_class = forms.PartyForm
    service = staticmethod(services.party_add)
    title = gettext_lazy("Add a party (sameloven § 4-2)")


class NoticeView(_Step):
    action = "notify"
    form_class = forms.NoticeForm
    service = staticmethod(services.notice_send)
    title = gettext_lazy("Notice to the parties (sameloven § 4-5)")

    def get_context_data(self, **kwargs):
        """The missing notice to Sametinget is shown where the notice is sent."""
        context = super().get_context_data(**kwargs)
        case = self.get_object()
        missing = [
            w.message
            for w in rules.case_warnings(case, case.active_parties)
            if w.rule == "sametinget_not_notified"
        ]
        if missing:
            context["intro"] = " ".join(missing)
        return context


class PartyResponseView(ConsultationMixin, PartFormView):
    action = "answer"
    form_class = forms.ResponseForm
    service = staticmethod(services.party_respond)
    pass_record = False

    def party(self) -> Party:
        if not hasattr(self, "_party"):
            self._party = get_object_or_404(
                Party.objects.active().select_related("organisation"),
                pk=self.kwargs["party_pk"],
                consultation=self.get_object(),
            )
        return self._party

    def get_title(self) -> str:
        return _("Answer from %(party)s") % {"party": self.party().organisation}

    def get_initial(self) -> dict[str, Any]:
        party = self.party()
        return {
            "response": party.response,
            "responded_on": party.responded_on,
            "agreement_still_possible": party.agreement_still_possible,
            "note": party.note,
        }

    def service_kwargs(self, form) -> dict[str, Any]:
        return {**super().service_kwargs(form), "party": self.party()}


class _AccessView(ConsultationMixin, PartFormView):
    """Material that may be exempt: the form offers the exemptions the authority's level
    allows (offentleglova §§ 13–16 and 19)."""

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"level": self.get_object().level}


class _SharedItemView(_AccessView):
    """A log entry or document, shared with some of the parties (ticked on the form)."""

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {**super().extra_form_kwargs(), "parties": self.get_object().active_parties}


class InformationAddView(_SharedItemView):
    action = "add_information"
    form_class = forms.InformationForm
    service = staticmethod(services.information_add)
    title = gettext_lazy("Log information shared (sameloven § 4-6)")


class DocumentAddView(_SharedItemView):
    action = "add_document"
    form_class = forms.DocumentForm
    service = staticmethod(services.document_add)
    title = gettext_lazy("Add a document")


class ProtocolAddView(_AccessView):
    action = "add_protocol"
    form_class = forms.ProtocolForm
    service = staticmethod(services.meeting_with_protocol_add)
    title = gettext_lazy("Meeting and protocol (sameloven § 4-7)")


class ConcludeView(_Step):
    action = "conclude"
    form_class = forms.ConcludeForm
    service = staticmethod(services.consultation_conclude)
    title = gettext_lazy("Conclude the consultation (sameloven § 4-6)")


class MoveOnView(_Step):
    action = "move_on"
    form_class = forms.MoveOnForm
    service = staticmethod(services.consultation_move_on)
    title = gettext_lazy("Move on without consultation (sameloven § 4-5)")
    intro = gettext_lazy(
        "When every party has declined, or has not answered by the deadline for answers, the "
        "case moves on without consultation (sameloven § 4-5 second paragraph)."
    )


class DecisionView(_Step):
    action = "decide"
    form_class = forms.DecisionForm
    service = staticmethod(services.decision_record)
    title = gettext_lazy("The authority's final decision")

    def extra_form_kwargs(self) -> dict[str, Any]:
        case = self.get_object()
        return {
            "documents": selectors.visible_items(user=self.request.user, consultation=case)[
                "documents"
            ]
        }


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
