"""Profile page with memberships and personal API tokens, the password pages that revoke the
personal tokens, and the site administrators' security log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kraftsenter.actors.selectors import user_membership_list
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import AuthenticatedHttpRequest, FilteredListView

from .filters import SecurityEventFilter
from .forms import LanguagePreferenceForm, OrganisationTokenForm, TokenCreateForm
from .models import ApiToken, SecurityEventKind
from .preferences import language_preference_set, preferred_language
from .security import password_change
from .selectors import security_event_list
from .tokens import organisation_token_create, token_create, token_revoke


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The profile: the account's facts, its language, its organisations and its personal
    tokens. A POST with ``language`` sets the language; any other POST creates a token."""
    choosing_language = request.method == "POST" and "language" in request.POST
    language_form = LanguagePreferenceForm(
        request.POST if choosing_language else None,
        initial={"language": preferred_language(request.user)},
    )
    if choosing_language:
        if language_form.is_valid():
            try:
                preference = language_preference_set(
                    actor=request.user,
                    user=request.user,
                    language=language_form.cleaned_data["language"],
                )
            except ValidationError as exc:
                apply_validation_error(language_form, exc)
            else:
                messages.success(request, _("Your language is saved."))
                response = redirect("accounts:profile")
                _remember_language(response, preference.language)
                return response
        return _profile_page(request, TokenCreateForm(), language_form, None)
    form = TokenCreateForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            form = TokenCreateForm()
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it is shown only once.")
                % {"name": token.name},
            )
    return _profile_page(request, form, language_form, new_token)


def _profile_page(
    request: AuthenticatedHttpRequest,
    form: TokenCreateForm,
    language_form: LanguagePreferenceForm,
    new_token: str | None,
) -> HttpResponse:
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": user_membership_list(user=request.user),
            "tokens": ApiToken.objects.filter(user=request.user, organisation__isnull=True),
            "form": form,
            "language_form": language_form,
            "new_token": new_token,
        },
        status=422 if form.errors or language_form.errors else 200,
    )


def _remember_language(response: HttpResponse, code: str) -> None:
    """The site follows the chosen language too: the switch's cookie (core.views)."""
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


@login_required
@require_POST
def token_revoke_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    try:
        token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token is revoked and no longer works."))
    return redirect("accounts:profile")


@login_required
def organisation_tokens(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An organisation's tokens for systems acting for it; its administrators manage them."""
    from kraftsenter.actors.permissions import ORGANISATION_POLICY
    from kraftsenter.actors.selectors import organisation_get

    organisation = organisation_get(user=request.user, pk=pk)
    ORGANISATION_POLICY.require(request.user, "manage_members", organisation)
    form = OrganisationTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, new_token = organisation_token_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            form = OrganisationTokenForm()
            messages.success(
                request,
                _("Token “%(name)s” created. Copy it now: it is shown only once.")
                % {"name": token.name},
            )
    return render(
        request,
        "accounts/organisation_tokens.html",
        {
            "object": organisation,
            "tokens": ApiToken.objects.filter(organisation=organisation).select_related("user"),
            "form": form,
            "new_token": new_token,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def organisation_token_revoke(
    request: AuthenticatedHttpRequest, pk: int, token_pk: int
) -> HttpResponse:
    from kraftsenter.actors.permissions import ORGANISATION_POLICY
    from kraftsenter.actors.selectors import organisation_get

    organisation = organisation_get(user=request.user, pk=pk)
    ORGANISATION_POLICY.require(request.user, "manage_members", organisation)
    token = get_object_or_404(ApiToken, pk=token_pk, organisation=organisation)
    try:
        token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The token is revoked and no longer works."))
    return redirect("accounts:organisation-tokens", pk=pk)


# --- password pages ----------------------------------------------------------------------------


def _revoked_message(count: int) -> str:
    return ngettext(
        "Your personal API token was revoked, as a token must not outlive the password it was "
        "made under. Create a new one on your profile page if you still need it.",
        "Your %(count)s personal API tokens were revoked, as a token must not outlive the "
        "password it was made under. Create new ones on your profile page if you still need them.",
        count,
    ) % {"count": count}


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's page; the change revokes the user's personal API tokens and says so."""

    def form_valid(self, form: Any) -> HttpResponse:
        kind = SecurityEventKind.PASSWORD_CHANGED
        with password_change(kind=kind, request=self.request) as change:
            response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        if change.revoked:
            messages.warning(self.request, _revoked_message(change.revoked))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's page for the link in the e-mail; as a change, the reset revokes the personal
    API tokens and says so."""

    def form_valid(self, form: Any) -> HttpResponse:
        kind = SecurityEventKind.PASSWORD_RESET
        with password_change(kind=kind, request=self.request) as change:
            response = super().form_valid(form)
        if change.revoked:
            messages.warning(self.request, _revoked_message(change.revoked))
        return response


# --- security log ------------------------------------------------------------------------------


class SecurityLogView(FilteredListView):
    """Failed logins, lock-outs, tokens, roles and passwords: read-only, for site admins."""

    template_name = "accounts/security_log.html"
    filterset_class = SecurityEventFilter
    context_object_name = "events"
    paginate_by = 50

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return security_event_list(user=self.request.user)
