"""The login pages for ID-porten and Ansattporten, the logout at the provider, the provider's
front-channel logout and the display-name page (docs/login.md)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from django import forms
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.backends.base import SessionBase
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import View
from mozilla_django_oidc.views import (  # type: ignore[import-untyped]
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from kraftsenter.core.forms import StyledForm
from kraftsenter.core.views import AuthenticatedHttpRequest

from .models import OidcSession, SecurityEventKind
from .oidc import (
    BACKEND_PATH,
    PROVIDERS,
    RAR_SERVICE,
    LoginRefused,
    OidcBackend,
    ProviderSettings,
    configured_providers,
    discovery,
    log_refusal,
    password_login_enabled,
    provider_config,
    set_display_name,
)
from .security import security_event_record

#: Session keys: which provider each open login attempt (state) went to, and the provider
#: session of the logged-in user ({"provider", "sid", "id_token"}).
PENDING_KEY = "ks_oidc_pending"
SESSION_KEY = "ks_oidc"


def _provider_or_404(provider: str) -> str:
    if provider_config(provider) is None:
        raise Http404
    return provider


def _refuse(request: HttpRequest, provider: str, refusal: LoginRefused) -> HttpResponse:
    log_refusal(request, provider, refusal)
    messages.error(request, refusal.message)
    return redirect("accounts:login")


class OidcLoginView(ProviderSettings, OIDCAuthenticationRequestView):
    """Sends the browser to the provider: code flow with PKCE, state, nonce, acr_values and
    ui_locales (and, for Ansattporten, the authorization details that ask for an organisation)."""

    provider = ""
    refusal: LoginRefused | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads the endpoint here; the provider's discovery may be unreachable.
        self.provider = kwargs.get("provider", "")
        self.refusal = None
        if provider_config(self.provider) is None:
            View.__init__(self, *args, **kwargs)  # get() answers 404
            return
        try:
            super().__init__(*args, **kwargs)
        except LoginRefused as exc:
            self.refusal = exc

    def get(self, request: HttpRequest) -> HttpResponse:
        _provider_or_404(self.provider)
        if self.refusal is not None:
            return _refuse(request, self.provider, self.refusal)
        response = super().get(request)
        state = parse_qs(urlparse(response["Location"]).query).get("state", [""])[0]
        pending = dict(request.session.get(PENDING_KEY) or {})
        pending[state] = self.provider
        request.session[PENDING_KEY] = dict(list(pending.items())[-20:])
        return response

    def get_extra_params(self, request: HttpRequest) -> dict[str, str]:
        config = provider_config(self.provider) or {}
        params = {"ui_locales": (get_language() or "nb").split("-")[0]}
        if config.get("acr_values"):
            params["acr_values"] = config["acr_values"]
        if self.provider == "ansattporten" and config.get("altinn_resource"):
            params["authorization_details"] = json.dumps(
                [{"type": RAR_SERVICE, "resource": config["altinn_resource"]}]
            )
        return params


class OidcCallbackView(ProviderSettings, OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; every check is made before an
    account or a membership is created, and a refusal says precisely why."""

    provider = ""

    def get(self, request: HttpRequest) -> HttpResponse:
        provider = _provider_or_404(self.provider)
        try:
            return self._login(request, provider)
        except LoginRefused as refusal:
            return _refuse(request, provider, refusal)

    def _login(self, request: HttpRequest, provider: str) -> HttpResponse:
        state = request.GET.get("state", "")
        if request.GET.get("error"):
            self._forget_state(request, state)
            raise LoginRefused(
                "provider_error",
                str(request.GET.get("error_description", ""))[:300],
                error=str(request.GET["error"])[:100],
            )
        if not state or not request.GET.get("code"):
            raise LoginRefused("state_missing", "no code or state")
        states = request.session.get("oidc_states") or {}
        pending = request.session.get(PENDING_KEY) or {}
        if state not in states or pending.get(state) != provider:
            raise LoginRefused("state_unknown", "state not open in this session")
        entry = self._forget_state(request, state)
        request.session.save()
        backend = OidcBackend(provider)
        user = backend.authenticate(
            request,
            provider=provider,
            nonce=entry.get("nonce"),
            code_verifier=entry.get("code_verifier"),
        )
        if user is None:
            raise LoginRefused("token", "no user")
        return self._success(request, provider, backend, user)

    @staticmethod
    def _forget_state(request: HttpRequest, state: str) -> dict[str, Any]:
        states = dict(request.session.get("oidc_states") or {})
        pending = dict(request.session.get(PENDING_KEY) or {})
        entry = states.pop(state, None) or {}
        pending.pop(state, None)
        request.session["oidc_states"] = states
        request.session[PENDING_KEY] = pending
        return entry

    def _success(
        self, request: HttpRequest, provider: str, backend: OidcBackend, user: Any
    ) -> HttpResponse:
        next_url = request.session.get("oidc_login_next")
        login(request, user, backend=BACKEND_PATH)
        claims = backend.claims
        sid = str(claims.get("sid", ""))[:200]
        request.session[SESSION_KEY] = {
            "provider": provider,
            "sid": sid,
            "id_token": getattr(backend, "id_token", ""),
        }
        request.session.save()
        if sid and request.session.session_key:
            OidcSession.objects.create(
                provider=provider, sid=sid, session_key=request.session.session_key, user=user
            )
        security_event_record(
            kind=SecurityEventKind.OIDC_LOGIN,
            user=user,
            request=request,
            provider=PROVIDERS[provider],
            acr=str(claims.get("acr", "")),
            new_account=backend.new_account,
            organisations=[org.organisation_number for org, _outcome in backend.outcomes],
        )
        if backend.unknown_numbers:
            security_event_record(
                kind=SecurityEventKind.ORGANISATION_UNKNOWN,
                user=user,
                request=request,
                provider=PROVIDERS[provider],
                organisation_numbers=backend.unknown_numbers,
            )
            messages.warning(
                request,
                _(
                    "These organisations you act for are not registered in Kraftsenter, so you "
                    "got no role in them: %(numbers)s."
                )
                % {"numbers": ", ".join(backend.unknown_numbers)},
            )
        for organisation, outcome in backend.outcomes:
            self._say(request, organisation, outcome)
        target = next_url or resolve_url("accounts:profile")
        if not user.first_name:
            return redirect(f"{reverse('accounts:display-name')}?{urlencode({'next': target})}")
        return HttpResponseRedirect(target)

    @staticmethod
    def _say(request: HttpRequest, organisation: Any, outcome: str) -> None:
        name = {"name": organisation.name}
        if outcome in ("member", "editor"):
            messages.success(request, _("You are now a member of %(name)s.") % name)
        elif outcome in ("requested", "pending"):
            messages.info(
                request,
                _("Your request to become a member of %(name)s waits for its administrators.")
                % name,
            )
        elif outcome == "none":
            messages.info(
                request,
                _("%(name)s gives no role on login: ask its administrators to add you.") % name,
            )


@never_cache
@xframe_options_exempt
def frontchannel_logout(request: HttpRequest, provider: str) -> HttpResponse:
    """The provider calls this (in a hidden frame) with ``iss`` and ``sid`` when the person
    logs out there: every local session that provider session opened is ended."""
    provider = _provider_or_404(provider)
    issuer = str((provider_config(provider) or {}).get("issuer", "")).rstrip("/")
    iss = request.GET.get("iss", "").rstrip("/")
    sid = request.GET.get("sid", "")
    response = HttpResponse("", content_type="text/plain", status=200)
    response["Content-Security-Policy"] = f"default-src 'none'; frame-ancestors {issuer}"
    if not sid or iss != issuer:
        response.status_code = 400
        return response
    from importlib import import_module

    from django.conf import settings

    store: type[SessionBase] = import_module(settings.SESSION_ENGINE).SessionStore
    ended = 0
    for row in OidcSession.objects.filter(provider=provider, sid=sid):
        store(row.session_key).delete()
        security_event_record(
            kind=SecurityEventKind.OIDC_LOGOUT,
            user=row.user,
            request=request,
            provider=PROVIDERS[provider],
        )
        ended += 1
    OidcSession.objects.filter(provider=provider, sid=sid).delete()
    current = request.session.get(SESSION_KEY) or {}
    if current.get("provider") == provider and current.get("sid") == sid:
        logout(request)
    response["X-Sessions-Ended"] = str(ended)
    return response


class LogoutView(auth_views.LogoutView):
    """Django's logout; a session from ID-porten or Ansattporten is also ended at the provider
    (RP-initiated logout: end_session_endpoint with id_token_hint and post_logout_redirect_uri).

    The page's logout form may only submit to this site (CSP form-action 'self'), so the way
    on to the provider is a page that forwards (meta refresh) with a link as fallback."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider_session = request.session.get(SESSION_KEY) or {}
        provider = provider_session.get("provider", "")
        if provider_session.get("sid") and request.session.session_key:
            OidcSession.objects.filter(session_key=request.session.session_key).delete()
        end_session = None
        if provider_config(provider) is not None:
            try:
                end_session = discovery(provider).get("end_session_endpoint")
            except LoginRefused:
                end_session = None
        if not end_session:
            return super().post(request, *args, **kwargs)
        logout(request)
        query = urlencode(
            {
                "id_token_hint": provider_session.get("id_token", ""),
                "post_logout_redirect_uri": request.build_absolute_uri(
                    resolve_url("accounts:logged-out")
                ),
            }
        )
        return render(
            request,
            "accounts/logout_provider.html",
            {"provider_name": PROVIDERS[provider], "logout_url": f"{end_session}?{query}"},
        )


def logged_out(request: HttpRequest) -> HttpResponse:
    """Where the provider sends the browser back after the logout there."""
    messages.success(request, _("You are logged out."))
    return redirect("home")


# --- the login page and the password switch -------------------------------------------------------


class LoginView(auth_views.LoginView):
    """The login page: a button per configured provider, and the password form unless
    ``KRAFTSENTER_PASSWORD_LOGIN=0`` (then a posted password is refused)."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login_enabled():
            return refuse_password(request)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        context["providers"] = [
            {
                "key": key,
                "name": name,
                "url": reverse(f"accounts:oidc-login-{key}")
                + (f"?{urlencode({'next': next_url})}" if next_url else ""),
            }
            for key, name in configured_providers()
        ]
        context["password_login"] = password_login_enabled()
        return context


def refuse_password(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_login_off.html", status=403)


def password_pages_guard(view: Any) -> Any:
    """A password page (reset, change) answers 403 when password login is off."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_login_enabled():
            return refuse_password(request)
        return view(request, *args, **kwargs)

    return guarded


# --- the display name ---------------------------------------------------------------------------


class DisplayNameForm(StyledForm):
    name = forms.CharField(
        label=gettext_lazy("Your name as others see it in Kraftsenter"),
        max_length=150,
        help_text=gettext_lazy(
            "ID-porten does not tell us your name. You can change it on your profile page."
        ),
    )


@login_required
def display_name(request: AuthenticatedHttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    form = DisplayNameForm(request.POST or None, initial={"name": request.user.first_name})
    if request.method == "POST" and form.is_valid():
        set_display_name(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Your name is saved."))
        return redirect(next_url or "accounts:profile")
    return render(
        request,
        "accounts/display_name.html",
        {"form": form, "next": next_url},
        status=422 if form.errors else 200,
    )


def provider_of_session(request: HttpRequest) -> str:
    """The provider the current session came from ('' for a password login)."""
    if request.session.get(BACKEND_SESSION_KEY) != BACKEND_PATH:
        return ""
    return str((request.session.get(SESSION_KEY) or {}).get("provider", ""))
