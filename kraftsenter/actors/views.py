"""Pages for organisations: the register kit's pages plus members and contact persons."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kraftsenter.core.views import (
    FilteredListView,
    PartFormView,
    RecordActionView,
    RecordDetailView,
    RecordFormView,
    RecordMixin,
)

from . import selectors, services
from .choices import Role
from .filters import OrganisationFilter
from .forms import ContactPersonForm, MemberAddForm, MemberRoleForm, OrganisationForm
from .models import ContactPerson, Membership
from .permissions import ORGANISATION_POLICY

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "organisation_number",
    "municipality",
    "county",
    "website",
    "description",
)


class OrganisationListView(FilteredListView):
    filterset_class = OrganisationFilter
    policy = ORGANISATION_POLICY
    template_name = "actors/organisation_list.html"
    context_object_name = "organisations"
    csv_filename = "organisasjoner"
    csv_columns = (
        ("id", lambda o: o.pk),
        ("navn", lambda o: o.name),
        ("organisasjonsnummer", lambda o: o.organisation_number),
        ("type", lambda o: o.kind),
        ("type_navn", lambda o: o.get_kind_display()),
        ("kommunenummer", lambda o: o.municipality.number if o.municipality else ""),
        ("fylkesnummer", lambda o: o.county.number if o.county else ""),
        ("nettsted", lambda o: o.website),
    )

    def get_base_queryset(self):
        return selectors.organisation_list(user=self.request.user)


class OrganisationMixin(RecordMixin):
    policy = ORGANISATION_POLICY
    get_record = staticmethod(selectors.organisation_get)
    service_object_name = "organisation"

    def extra_tabs(self, obj: Any) -> list[tuple[str, str, str]]:
        if not self.policy.can(self.request.user, "manage_members", obj):
            return []
        return [
            ("members", _("Members"), reverse("actors:organisation-members", args=[obj.pk])),
            ("tokens", _("API tokens"), reverse("accounts:organisation-tokens", args=[obj.pk])),
        ]


class OrganisationDetailView(OrganisationMixin, RecordDetailView):
    template_name = "actors/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.get_object()
        user = self.request.user
        context.update(
            {
                "members": selectors.organisation_members(user=user, organisation=org),
                "contacts": selectors.organisation_contacts(organisation=org),
            }
        )
        return context


class OrganisationFormView(OrganisationMixin, RecordFormView):
    form_class = OrganisationForm
    fields = ORGANISATION_FIELDS
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit %(name)s") % {"name": self.get_object().name}
        return _("Register an organisation")


class OrganisationMembersView(OrganisationMixin, PartFormView):
    """The members and their roles; administrators add members, change roles, end them."""

    action = "manage_members"
    template_name = "actors/organisation_members.html"
    form_class = MemberAddForm
    service = staticmethod(services.membership_add)

    def service_kwargs(self, form) -> dict[str, Any]:
        return {
            "organisation": self.get_object(),
            "user": form.cleaned_data["user"],
            "role": form.cleaned_data["role"],
        }

    def success_url(self, result: Any) -> str:
        return self.request.path

    def success_message(self) -> str:
        return _("Member added.")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["members"] = selectors.organisation_members(
            user=self.request.user, organisation=self.get_object()
        )
        context["roles"] = Role.choices
        return context


class _MembershipStep(OrganisationMixin, RecordActionView):
    action = "manage_members"

    def membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.active(),
            pk=self.kwargs["membership_pk"],
            organisation_id=self.kwargs["pk"],
        )

    def redirect_url(self) -> str:
        return reverse("actors:organisation-members", args=[self.kwargs["pk"]])


class MembershipRoleView(_MembershipStep):
    def perform(self) -> None:
        form = MemberRoleForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a valid role."))
        services.membership_change_role(
            actor=self.request.user, membership=self.membership(), role=form.cleaned_data["role"]
        )

    def success_message(self) -> str:
        return _("Role changed.")


class MembershipEndView(_MembershipStep):
    def perform(self) -> None:
        services.membership_end(actor=self.request.user, membership=self.membership())

    def success_message(self) -> str:
        return _("Membership ended.")


class ContactAddView(OrganisationMixin, PartFormView):
    action = "add_contact"
    form_class = ContactPersonForm
    service = staticmethod(services.contact_person_add)
    title = gettext_lazy("Add a contact person")
    intro = gettext_lazy(
        "Register only what is needed to reach the person in their work: name, role and work "
        "e-mail."
    )


class ContactRemoveView(OrganisationMixin, RecordActionView):
    action = "remove_contact"

    def perform(self) -> None:
        person = get_object_or_404(
            ContactPerson.objects.active(),
            pk=self.kwargs["contact_pk"],
            organisation_id=self.kwargs["pk"],
        )
        services.contact_person_archive(actor=self.request.user, person=person)

    def success_message(self) -> str:
        return _("Contact person removed.")
