"""Pages of the cooperation register: the register kit's pages and the cooperation's parts."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.actors.forms import organisation_label as org_label
from kraftsenter.core.light import light
from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordActionView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)
from kraftsenter.core.widgets import Labelled

from . import rules, selectors, services
from .choices import REPRESENTANTSKAP_FORMS, SHARE_FORMS, Authority
from .filters import CooperationFilter
from .forms import (
    AgreementVersionForm,
    BodyForm,
    BodyMemberForm,
    CooperationForm,
    CouncilDecisionForm,
    DocumentForm,
    ParticipantFormSet,
    ParticipantsChangeForm,
)
from .models import BodyMember
from .permissions import COOPERATION_POLICY
from .rows import CooperationRows

FIELDS = (
    "name",
    "legal_form",
    "legal_basis",
    "legal_person",
    "organisation_number",
    "areas",
    "purpose",
    "authority",
    "authority_description",
    "daily_manager",
    "host",
    "start_date",
    "end_date",
    "status",
    "withdrawal_terms",
    "withdrawal_notice_months",
    "dissolution_terms",
    "archive_custodian",
    "reporting_duties",
    "statsforvalter_notified_on",
    "published",
)


class CooperationListView(FilteredListView):
    filterset_class = CooperationFilter
    policy = COOPERATION_POLICY
    template_name = "cooperations/cooperation_list.html"
    context_object_name = "cooperations"
    csv_filename = "samarbeid"
    csv_prefetched = True
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

    kept = True

    def get_base_queryset(self):
        if self.request.GET.get("format") == "csv":
            return selectors.cooperation_list(user=self.request.user)
        return self.base_queryset_for(self.request.user)

    def base_queryset_for(self, who):
        # The page's rows read these columns only (rows.CooperationRows): light rows.
        return light(selectors.cooperation_rows(user=who), *CooperationRows.columns)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooperation_rows"] = CooperationRows()(context["cooperations"])
        return context


class CooperationMixin(RecordMixin):
    policy = COOPERATION_POLICY
    get_record = staticmethod(selectors.cooperation_get)
    service_object_name = "cooperation"


class CooperationFormMixin(CooperationMixin):
    """An edit form's GET reads the cooperation without what only the detail page and the
    services use (:func:`~.selectors.cooperation_for_form`)."""

    def get_object(self):
        if (
            not hasattr(self, "_object")
            and "pk" in self.kwargs
            and self.request.method in ("GET", "HEAD")
        ):
            self._object = selectors.cooperation_for_form(
                user=self.request.user, pk=self.kwargs["pk"]
            )
        return super().get_object()


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
                "missing": services.missing_items(coop),
                "withdrawal_notice": rules.withdrawal_notice(form, coop.withdrawal_notice_months),
                "withdrawals": selectors.withdrawn_participants(coop),
                "has_representantskap": form in REPRESENTANTSKAP_FORMS,
                "authority_labels": [
                    str(Authority(code).label)
                    for code in coop.authority or []
                    if code in Authority.values
                ],
                "legal_source": rules.LEGAL_SOURCE.get(form, "kommuneloven § 17-1"),
            }
        )
        return context


def participant_inputs(formset) -> list[services.ParticipantInput]:
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


class CooperationFormView(CooperationFormMixin, RecordFormView):
    """Register a cooperation with its participants, or edit its fields and areas."""

    form_class = CooperationForm
    fields = FIELDS
    create_service = staticmethod(services.cooperation_create)
    update_service = staticmethod(services.cooperation_update)
    formset_legend = gettext_lazy(
        "Participants (at least two; for most forms municipalities or county municipalities)"
    )
    formset_row_label = gettext_lazy("Participant %(n)s")

    formset_class = ParticipantFormSet

    def get_formset(self):
        return None if self.is_update else super().get_formset()

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit %(name)s") % {"name": self.get_object().name}
        return _("Register a cooperation")

    def adjust_initial(self, initial: dict[str, Any]) -> dict[str, Any]:
        coop = self.get_object()
        initial["areas"] = coop.area_codes
        return initial

    def service_data(self, form) -> dict[str, Any]:
        data = super().service_data(form)
        if not self.is_update:
            data["participants"] = participant_inputs(self.get_formset())
        return data


class ParticipantsView(CooperationFormMixin, PartFormView):
    """Add participants, change shares or record a withdrawal, as one change."""

    action = "set_participants"
    form_class = ParticipantsChangeForm
    service = staticmethod(services.cooperation_set_participants)
    formset_class = ParticipantFormSet
    formset_first = True
    formset_legend = gettext_lazy("Participants")
    formset_row_label = gettext_lazy("Participant %(n)s")
    intro = gettext_lazy(
        "Change shares, add participants, or clear a row to record that a participant withdrew. "
        "The change is saved as one step in the history."
    )

    def get_title(self) -> str:
        return _("Participants in %(name)s") % {"name": self.get_object().name}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        coop = self.get_object()
        notice = rules.withdrawal_notice(coop.legal_form, coop.withdrawal_notice_months)
        if notice is not None:
            kwargs.setdefault(
                "intro", f"{self.intro} {_('Notice period for withdrawal:')} {notice.text}"
            )
        return super().get_context_data(**kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.get_object().version}

    def formset_initial(self) -> list[dict[str, Any]]:
        return [
            {
                # With its name, so the combobox shows it without a look-up per row.
                "organisation": Labelled(org_label(p.organisation), p.organisation.name),
                "ownership_share": p.ownership_share,
                "liability_share": p.liability_share,
                "joined_on": p.joined_on,
            }
            for p in self.get_object().active_participants
        ]

    def service_kwargs(self, form) -> dict[str, Any]:
        data = super().service_kwargs(form)
        data["participants"] = participant_inputs(self.get_formset())
        return data


class AgreementVersionAddView(CooperationMixin, PartFormView):
    action = "add_agreement_version"
    form_class = AgreementVersionForm
    service = staticmethod(services.agreement_version_add)
    title = gettext_lazy("New agreement version")

    def extra_form_kwargs(self) -> dict[str, Any]:
        form = self.get_object().legal_form
        return {
            "items": rules.mandatory_items(form),
            "representantskap": form in REPRESENTANTSKAP_FORMS,
        }


class CouncilDecisionAddView(CooperationMixin, PartFormView):
    action = "record_decision"
    form_class = CouncilDecisionForm
    service = staticmethod(services.council_decision_record)
    title = gettext_lazy("Record a council decision")
    pass_record = False

    def extra_form_kwargs(self) -> dict[str, Any]:
        coop = self.get_object()
        return {
            "versions": list(coop.agreement_versions.all()),
            "participants": coop.active_participants,
        }


class BodyAddView(CooperationMixin, PartFormView):
    action = "add_body"
    form_class = BodyForm
    service = staticmethod(services.body_add)
    title = gettext_lazy("Add a body")


class BodyMemberAddView(CooperationMixin, PartFormView):
    action = "add_body_member"
    form_class = BodyMemberForm
    service = staticmethod(services.body_member_add)
    title = gettext_lazy("Add a member to a body")
    pass_record = False

    def extra_form_kwargs(self) -> dict[str, Any]:
        return {"bodies": list(self.get_object().bodies.all())}


class BodyMemberEndView(CooperationMixin, RecordActionView):
    action = "end_body_member"

    def perform(self) -> None:
        member = get_object_or_404(
            BodyMember.objects.active(),
            pk=self.kwargs["member_pk"],
            body__cooperation_id=self.kwargs["pk"],
        )
        services.body_member_end(actor=self.request.user, member=member)


class DocumentAddView(CooperationMixin, PartFormView):
    action = "add_document"
    form_class = DocumentForm
    service = staticmethod(services.document_add)
    title = gettext_lazy("Add a document")
