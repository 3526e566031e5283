"""Partnership pages: list, detail, history, create, edit, archive, meetings and decisions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordHistoryView,
)

from .. import permissions, selectors, services
from ..filters import PartnershipFilter
from ..forms import DecisionForm, MeetingForm, PartnershipForm
from .base import ServiceFormView, editable, part_page


class PartnershipListView(FilteredListView):
    filterset_class = PartnershipFilter
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

    def csv_response(self, queryset):
        return super().csv_response(_Listed(queryset))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create(self.request.user)
        return context


class _Listed:
    """iterator() would drop the prefetches; the export is bounded by the filters."""

    def __init__(self, queryset):
        self.queryset = queryset

    def iterator(self, chunk_size: int = 1000):
        return iter(self.queryset)


class PartnershipMixin:
    policy = permissions.PARTNERSHIP_POLICY
    get_record = staticmethod(selectors.partnership_get)
    service_object_name = "partnership"
    tabs_template = "agreements/_tabs.html"


class PartnershipDetailView(PartnershipMixin, RecordDetailView):
    template_name = "agreements/partnership_detail.html"


class PartnershipHistoryView(PartnershipMixin, RecordHistoryView):
    pass


class PartnershipArchiveView(PartnershipMixin, RecordArchiveView):
    archive_service = staticmethod(services.partnership_archive)


class PartnershipRestoreView(PartnershipMixin, RecordArchiveView):
    archive_service = staticmethod(services.partnership_restore)
    restore = True


class PartnershipFormView(PartnershipMixin, ServiceFormView):
    form_class = PartnershipForm
    fields = ("name", "lead", "members", "purpose", "priorities")
    m2m_fields = ("members",)
    create_service = staticmethod(services.partnership_create)
    update_service = staticmethod(services.partnership_update)

    @property
    def title(self) -> str:  # type: ignore[override]
        return _("Edit the partnership") if self.is_update else _("Register a partnership")


def _editable(request: HttpRequest, pk: int):
    partnership = selectors.partnership_get(user=request.user, pk=pk)
    return editable(
        request,
        partnership,
        permissions.can_edit_partnership(request.user, partnership),
        _("Only editors of the lead organisation or a member may change this partnership."),
    )


@login_required
def meeting_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _editable(request, pk)
    form = MeetingForm(request.POST or None)
    ok = False
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_add(actor=request.user, partnership=partnership, **form.cleaned_data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, partnership, form=form, title=_("Add a meeting"), ok=ok)


@login_required
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _editable(request, pk)
    member_ids = {partnership.lead_id, *(m.pk for m in partnership.members.all())}
    form = DecisionForm(
        request.POST or None,
        members=Organisation.objects.filter(pk__in=member_ids),
        meetings=partnership.meetings.all(),
    )
    ok = False
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["agreed_by"] = list(data["agreed_by"])
        try:
            services.decision_record(actor=request.user, partnership=partnership, **data)
            ok = True
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return part_page(request, partnership, form=form, title=_("Record a decision"), ok=ok)
