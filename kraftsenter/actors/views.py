"""Pages for organisations: the register kit's pages plus members and contact persons."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
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
from kraftsenter.places.models import Municipality

from . import brreg, selectors, services
from .choices import EmployeeAccess, OrganisationKind, Role
from .filters import OrganisationFilter
from .forms import (
    ContactPersonForm,
    MemberAddForm,
    MemberRoleForm,
    OrganisationForm,
    read_register_stamp,
    register_stamp,
)
from .models import ContactPerson, Membership, MembershipRequest
from .permissions import ORGANISATION_POLICY
from .rows import organisation_table_rows

ORGANISATION_FIELDS = (
    "name",
    "name_se",
    "name_smj",
    "name_sma",
    "name_fkv",
    "kind",
    "organisation_number",
    "municipality",
    "county",
    "website",
    "description",
    "address",
    "industry_code",
    "organisation_form",
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

    kept = True

    def get_base_queryset(self):
        if self.request.GET.get("format") == "csv":
            return selectors.organisation_list(user=self.request.user)
        return self.base_queryset_for(self.request.user)

    def base_queryset_for(self, who):
        return selectors.organisation_table(user=who)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The page's rows with their address (one reverse for the page, not one per row).
        context["organisations"] = selectors.with_urls(context["organisations"])
        context["organisation_rows"] = organisation_table_rows(context["organisations"])
        return context


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
                "register_warnings": org.register_warnings(),
            }
        )
        return context


def filled_from_register(entry: brreg.RegisterEntry, current_name: str = "") -> dict[str, str]:
    """The organisation form's fields as Enhetsregisteret gives them (only what it has)."""
    values = {
        "organisation_number": entry.organisation_number,
        "name": services.name_from_register(entry.name, current_name),
        "address": entry.address,
        "industry_code": entry.industry_code,
        "organisation_form": entry.organisation_form,
    }
    if entry.kind:
        values["kind"] = entry.kind
    municipality = (
        Municipality.objects.filter(number=entry.municipality_number)
        .select_related("county")
        .first()
        if entry.municipality_number
        else None
    )
    if municipality is not None:
        if entry.kind != OrganisationKind.COUNTY_MUNICIPALITY:
            values["municipality"] = municipality.number
        values["county"] = municipality.county.number
    return {k: v for k, v in values.items() if v}


class OrganisationFormView(OrganisationMixin, RecordFormView):
    """Register or edit an organisation; "Look up in Enhetsregisteret" (a submit button named
    ``lookup``, sent by htmx or as a plain submit) fills the form from the register and saves
    nothing."""

    form_class = OrganisationForm
    fields = ORGANISATION_FIELDS
    template_name = "actors/organisation_form.html"
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)

    def get_title(self) -> str:
        if self.is_update:
            return _("Edit %(name)s") % {"name": self.get_object().name}
        return _("Register an organisation")

    def service_data(self, form) -> dict[str, Any]:
        data = super().service_data(form)
        data["register_entry"] = form.cleaned_data.get("register_stamp")
        return data

    def post(self, request, *args, **kwargs):
        if "lookup" in request.POST:
            return self.lookup()
        return super().post(request, *args, **kwargs)

    def lookup(self):
        """Look the number (or the name) up and show the form filled in; nothing is saved."""
        post = self.request.POST
        form_class = self.get_form_class()
        values = {
            name: post.get(name, "") for name in form_class().fields if name != "register_stamp"
        }
        chosen = post.get("lookup", "").replace(" ", "")
        number = chosen if chosen.isdigit() else values.get("organisation_number", "")
        number = (number or "").replace(" ", "").strip()
        context: dict[str, Any] = {"lookup": True}
        error = ""
        entry = None
        try:
            if number:
                entry = brreg.lookup_organisation(number)
            elif values.get("name", "").strip():
                context["candidates"] = brreg.search_organisations(values["name"])
                if not context["candidates"]:
                    context["lookup_message"] = _(
                        "Enhetsregisteret has no unit with a name like “%(name)s”."
                    ) % {"name": values["name"].strip()}
            else:
                error = _("Type the organisation number (or the name) to look it up.")
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except brreg.RegisterNotFound:
            error = brreg.not_found_message(number)
        except brreg.RegisterUnavailable:
            context["lookup_message"] = brreg.unavailable_message()
        stamp = ""
        if entry is not None:
            values.update(filled_from_register(entry, values.get("name", "")))
            stamp = register_stamp(entry)
            context["register_entry"] = entry
            context["register_warnings"] = entry.warnings()
        else:
            previous = read_register_stamp(post.get("register_stamp", ""))
            if previous is not None and previous.organisation_number == number:
                stamp = post.get("register_stamp", "")
        form = form_class(initial={**values, "register_stamp": stamp})
        if error:
            form.cleaned_data = {}
            form._errors = ErrorDict()
            form.add_error("organisation_number", error)
        return self.render_to_response(self.get_context_data(form=form, **context))


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
        context["employee_access_choices"] = EmployeeAccess.choices
        context["membership_requests"] = selectors.pending_membership_requests(
            user=self.request.user, organisation=self.get_object()
        )
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


# --- employees from Ansattporten: the default role and the requests (docs/login.md) -----------


class EmployeeAccessView(_MembershipStep):
    """What an employee logging in with Ansattporten for the organisation gets."""

    def perform(self) -> None:
        access = self.request.POST.get("employee_access", "")
        if access not in EmployeeAccess.values:
            raise ValidationError(_("Choose one of the offered choices."))
        services.organisation_set_employee_access(
            actor=self.request.user, organisation=self.get_object(), access=access
        )

    def success_message(self) -> str:
        return _("Saved what employees get when they log in with Ansattporten.")


class _RequestStep(_MembershipStep):
    def membership_request(self) -> MembershipRequest:
        return get_object_or_404(
            MembershipRequest.objects.active(),
            pk=self.kwargs["request_pk"],
            organisation_id=self.kwargs["pk"],
        )


class MembershipRequestApproveView(_RequestStep):
    def perform(self) -> None:
        form = MemberRoleForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("Choose a valid role."))
        services.membership_request_approve(
            actor=self.request.user,
            request_obj=self.membership_request(),
            role=form.cleaned_data["role"],
        )

    def success_message(self) -> str:
        return _("Request approved: the employee is a member.")


class MembershipRequestRefuseView(_RequestStep):
    def perform(self) -> None:
        services.membership_request_refuse(
            actor=self.request.user, request_obj=self.membership_request()
        )

    def success_message(self) -> str:
        return _("Request refused.")
