"""Pages of the ownership register: interests and council documents (list, detail, history,
create, edit, archive). The printable report per municipality is
``cooperations:municipality-ownership-report`` (``kraftsenter.cooperations.overview_views``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.actors.models import Organisation
from kraftsenter.core.views import FilteredListView, RecordDetailView, RecordFormView, RecordMixin

from . import rules, selectors, services
from .choices import InterestKind, StatementKind
from .filters import InterestFilter, StatementFilter
from .forms import InterestForm, StatementForm
from .permissions import INTEREST_POLICY, STATEMENT_POLICY

INTEREST_FIELDS = (
    "holder",
    "kind",
    "entity",
    "cooperation",
    "share",
    "purpose",
    "management_principles",
    "decision_body",
    "decided_on",
    "case_reference",
    "published",
)
STATEMENT_FIELDS = (
    "holder",
    "kind",
    "adopted_on",
    "adopting_body",
    "case_reference",
    "document_url",
    "principles",
    "published",
)


def _holder_initial(request: Any) -> dict[str, Any]:
    """``?holder=<id>`` (the report's links) as the form's initial holder."""
    value = request.GET.get("holder", "")
    if not (value.isascii() and value.isdigit()):
        return {}
    found = Organisation.objects.filter(pk=int(value), archived_at__isnull=True).first()
    return {"holder": found} if found else {}


class InterestListView(FilteredListView):
    filterset_class = InterestFilter
    policy = INTEREST_POLICY
    template_name = "ownership/interest_list.html"
    context_object_name = "interests"
    csv_filename = "eierinteresser"
    csv_columns = (
        ("id", lambda i: i.pk),
        ("eier", lambda i: i.holder.name),
        ("type", lambda i: i.kind),
        ("virksomhet", lambda i: i.entity_name),
        ("eierandel", lambda i: i.share),
        ("formal", lambda i: i.purpose),
        ("vedtatt_av", lambda i: i.decision_body),
        ("vedtatt", lambda i: i.decided_on),
        ("saksnummer", lambda i: i.case_reference),
    )

    def get_base_queryset(self):
        return selectors.interest_list(user=self.request.user)


class InterestMixin(RecordMixin):
    policy = INTEREST_POLICY
    get_record = staticmethod(selectors.interest_get)
    service_object_name = "interest"


class InterestDetailView(InterestMixin, RecordDetailView):
    template_name = "ownership/interest_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["warnings"] = rules.interest_warnings(self.get_object())
        return context


class InterestFormView(InterestMixin, RecordFormView):
    form_class = InterestForm
    fields = INTEREST_FIELDS
    create_service = staticmethod(services.interest_create)
    update_service = staticmethod(services.interest_update)
    intro = gettext_lazy(
        "An interest in a company, a municipal enterprise (KF), a foundation, an association or "
        "a similar entity, for the ownership statement (kommuneloven § 26-1). An inter-municipal "
        "cooperation is chosen from the cooperation register, which keeps its shares."
    )

    def get_title(self) -> str:
        return _("Edit the ownership interest") if self.is_update else _("Register an interest")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if not self.is_update:
            # From the report's links: the holder, and for a cooperation its kind and id.
            initial.update(_holder_initial(self.request))
            cooperation = self.request.GET.get("cooperation", "")
            if cooperation.isascii() and cooperation.isdigit():
                initial["cooperation"] = int(cooperation)
            if self.request.GET.get("kind") in InterestKind.values:
                initial["kind"] = self.request.GET["kind"]
        return initial


class StatementListView(FilteredListView):
    filterset_class = StatementFilter
    policy = STATEMENT_POLICY
    template_name = "ownership/statement_list.html"
    context_object_name = "statements"
    csv_filename = "eierskapsmeldinger"
    csv_columns = (
        ("id", lambda s: s.pk),
        ("kommune", lambda s: s.holder.name),
        ("dokument", lambda s: s.kind),
        ("vedtatt", lambda s: s.adopted_on),
        ("vedtatt_av", lambda s: s.adopting_body),
        ("saksnummer", lambda s: s.case_reference),
    )

    def get_base_queryset(self):
        return selectors.statement_list(user=self.request.user)


class StatementMixin(RecordMixin):
    policy = STATEMENT_POLICY
    get_record = staticmethod(selectors.statement_get)
    service_object_name = "statement"


class StatementDetailView(StatementMixin, RecordDetailView):
    template_name = "ownership/statement_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        statement = self.get_object()
        context["warnings"] = rules.statement_warnings(statement)
        context["is_statement"] = statement.kind == StatementKind.OWNERSHIP_STATEMENT
        return context


class StatementFormView(StatementMixin, RecordFormView):
    form_class = StatementForm
    fields = STATEMENT_FIELDS
    create_service = staticmethod(services.statement_create)
    update_service = staticmethod(services.statement_update)
    intro = gettext_lazy(
        "The council's ownership statement (at least once per election period, kommuneloven "
        "§ 26-1) or plan for ownership control (by the end of the year after the council was "
        "constituted, § 23-4), as adopted."
    )

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit the council document")
        return _("Register a council document")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if not self.is_update:
            initial.update(_holder_initial(self.request))
        return initial
