"""Forms for the account pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.forms import StyledForm, StyledFormMixin

from .models import Scope


class LoginForm(StyledFormMixin, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class TokenCreateForm(StyledForm):
    name = forms.CharField(label=_("What is the token for?"), max_length=100)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)


class OrganisationTokenForm(StyledForm):
    name = forms.CharField(
        label=_("Which system is the token for?"),
        max_length=100,
        help_text=_("E.g. the case-management system, or the county's data warehouse."),
    )
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366, initial=90)
    scopes = forms.MultipleChoiceField(
        label=_("What may it do?"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Reading published records needs nothing; give only what the system needs."),
    )
