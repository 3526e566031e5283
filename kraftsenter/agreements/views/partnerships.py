"""Partnership pages: list, detail, history, create, edit, archive, meetings and decisions."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.actors.models import Organisation
from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)

from .. import selectors, services
from ..filters import PartnershipFilter
from ..forms import DecisionForm, MeetingForm, PartnershipForm
from ..permissions import PARTNERSHIP_POLICY


class PartnershipListView(FilteredListView):
    filterset_class = PartnershipFilter
    policy = PARTNERSHIP_POLICY
    csv_prefetched = True
    template_name = "agreements/partnership_list.html"
    context_object_name = "partnerships"
    csv_filename = "partnerskap"
    csv_columns = (
        ("id", lambda p: p.pk),
        ("partnerskap", lambda p: p.name),
        ("leder", lambda p: p.lead.name),
        ("medlemmer", lambda p: ", ".join(m.name for m in p.members.all())),
    )

    def get_base_queryset(self):
        return selectors.partnership_list(user=self.request.user)


class PartnershipMixin(RecordMixin):
    policy = PARTNERSHIP_POLICY
    get_record = staticmethod(selectors.partnership_get)
    service_object_name = "partnership"


class PartnershipDetailView(PartnershipMixin, RecordDetailView):
    template_name = "agreements/partnership_detail.html"


class PartnershipFormView(PartnershipMixin, RecordFormView):
    form_class = PartnershipForm
    fields = ("name", "lead", "members", "purpose", "priorities")
    create_service = staticmethod(services.partnership_create)
    update_service = staticmethod(services.partnership_update)

    def get_title(self) -> str:
        return _("Edit the partnership") if self.is_update else _("Register a partnership")


class MeetingAddView(PartnershipMixin, PartFormView):
    action = "add_meeting"
    form_class = MeetingForm
    service = staticmethod(services.meeting_add)
    title = gettext_lazy("Add a meeting")


class DecisionAddView(PartnershipMixin, PartFormView):
    action = "record_decision"
    form_class = DecisionForm
    service = staticmethod(services.decision_record)
    title = gettext_lazy("Record a decision")

    def extra_form_kwargs(self):
        partnership = self.get_object()
        member_ids = {partnership.lead_id, *(m.pk for m in partnership.members.all())}
        return {
            "members": Organisation.objects.filter(pk__in=member_ids),
            "meetings": partnership.meetings.all(),
        }

    def service_kwargs(self, form):
        data = super().service_kwargs(form)
        data["agreed_by"] = list(data["agreed_by"])
        return data
