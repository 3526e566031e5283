"""Profile page with memberships and personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kraftsenter.actors.selectors import user_memberships
from kraftsenter.core.forms import apply_validation_error
from kraftsenter.core.views import AuthenticatedHttpRequest

from .forms import OrganisationTokenForm, TokenCreateForm
from .models import ApiToken
from .tokens import organisation_token_create, token_create, token_revoke


@login_required
def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
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
    return render(
        request,
        "accounts/profile.html",
        {
            "memberships": user_memberships(user=request.user),
            "tokens": ApiToken.objects.filter(user=request.user, organisation__isnull=True),
            "form": form,
            "new_token": new_token,
        },
        status=422 if form.errors else 200,
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
