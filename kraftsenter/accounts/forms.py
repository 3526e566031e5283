"""Forms for the account pages."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.forms import StyledForm, StyledFormMixin

from .models import PreferredLanguage, Scope


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


class LanguageSelect(forms.Select):
    """A select whose options carry their language (``lang``), as the language switch does."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = str(value)
        return option


class LanguagePreferenceForm(StyledForm):
    language = forms.ChoiceField(
        label=_("Language of your e-mails and of the site"),
        choices=PreferredLanguage.choices,
        widget=LanguageSelect,
        help_text=_(
            "The digest e-mail is written in this language. Where a text is not translated "
            "into Northern Sami or nynorsk, it is in bokmål."
        ),
        error_messages={
            "invalid_choice": _(
                "There is no language “%(value)s” here. Choose bokmål, nynorsk, Northern Sami "
                "or English."
            )
        },
    )
