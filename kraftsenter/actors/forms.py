"""Forms for organisations, members and contact persons. They parse input; services decide."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.forms import StyledForm, VersionedForm
from kraftsenter.places.models import County, Municipality

from .choices import OrganisationKind, Role


class OrganisationForm(VersionedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    organisation_number = forms.CharField(
        label=_("Organisation number"),
        required=False,
        max_length=11,
        help_text=_("Nine digits from Enhetsregisteret, if the organisation has one."),
    )
    municipality = forms.ModelChoiceField(
        label=_("Home municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        to_field_name="number",
    )
    county = forms.ModelChoiceField(
        label=_("County"), queryset=County.objects.all(), required=False, to_field_name="number"
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: *italic*, **bold**, lists and links. HTML is removed."),
    )
    reason = forms.CharField(
        label=_("Reason for the change (optional)"), required=False, max_length=500
    )


class MemberAddForm(StyledForm):
    username = forms.CharField(label=_("User name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.MEMBER)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No active account has the user name “%(name)s”."), params={"name": username}
            )
        self.cleaned_data["user"] = user
        return username


class MemberRoleForm(StyledForm):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class ContactPersonForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    title = forms.CharField(label=_("Role or title"), max_length=200, required=False)
    work_email = forms.EmailField(label=_("Work e-mail"), required=False)
