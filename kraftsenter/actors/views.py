"""Pages for organisations: list, detail, history, create, edit, archive, members, contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import (
    FilteredListView,
    RecordArchiveView,
    RecordDetailView,
    RecordFormView,
    RecordHistoryView,
)

from . import permissions, selectors, services
from .filters import OrganisationFilter
from .forms import ContactPersonForm, MemberAddForm, MemberRoleForm, OrganisationForm
from .models import ContactPerson, Membership

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = permissions.can_create_organisation(self.request.user)
        return context


class OrganisationMixin:
    policy = permissions.ORGANISATION_POLICY
    get_record = staticmethod(selectors.organisation_get)
    service_object_name = "organisation"
    tabs_template = "actors/_tabs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "pk" in self.kwargs:
            context["can_manage_members"] = permissions.can_manage_members(
                self.request.user, self.get_object()
            )
        return context


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


class OrganisationHistoryView(OrganisationMixin, RecordHistoryView):
    pass


class OrganisationFormView(OrganisationMixin, RecordFormView):
    template_name = "actors/organisation_form.html"
    form_class = OrganisationForm
    fields = ORGANISATION_FIELDS
    create_service = staticmethod(services.organisation_create)
    update_service = staticmethod(services.organisation_update)


class OrganisationArchiveView(OrganisationMixin, RecordArchiveView):
    archive_service = staticmethod(services.organisation_archive)


class OrganisationRestoreView(OrganisationMixin, RecordArchiveView):
    archive_service = staticmethod(services.organisation_restore)
    restore = True


@login_required
def organisation_members(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_get(user=request.user, pk=pk)
    if not permissions.can_manage_members(request.user, org):
        raise PermissionDenied(
            _("Only administrators of %(name)s may manage its members.") % {"name": org.name}
        )
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_add(
                actor=request.user,
                organisation=org,
                user=form.cleaned_data["user"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Member added."))
            return redirect("actors:organisation-members", pk=org.pk)
    return render(
        request,
        "actors/organisation_members.html",
        {
            "organisation": org,
            "form": form,
            "members": selectors.organisation_members(user=request.user, organisation=org),
            "role_form": MemberRoleForm(),
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def membership_change(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.active(), pk=membership_pk, organisation_id=pk
    )
    try:
        if request.POST.get("action") == "end":
            services.membership_end(actor=request.user, membership=membership)
            messages.success(request, _("Membership ended."))
        else:
            form = MemberRoleForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose a valid role."))
            services.membership_change_role(
                actor=request.user, membership=membership, role=form.cleaned_data["role"]
            )
            messages.success(request, _("Role changed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("actors:organisation-members", pk=pk)


@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    org = selectors.organisation_get(user=request.user, pk=pk)
    if not permissions.can_edit_organisation(request.user, org):
        raise PermissionDenied(
            _("Only editors and administrators of %(name)s may change it.") % {"name": org.name}
        )
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_person_add(actor=request.user, organisation=org, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Contact person added."))
            return redirect(org.get_absolute_url())
    return render(
        request,
        "actors/contact_form.html",
        {"organisation": org, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def contact_archive(request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
    person = get_object_or_404(ContactPerson.objects.active(), pk=contact_pk, organisation_id=pk)
    services.contact_person_archive(actor=request.user, person=person)
    messages.success(request, _("Contact person removed."))
    return redirect("actors:organisation-detail", pk=pk)
