"""Who is calling the API: a Bearer token, a logged-in session, or an anonymous visitor.

One place for the API. Reads are open to anonymous visitors (what they may see is decided by
the selectors); writes need a user. Session calls that change something must carry the CSRF
token, exactly as the pages do.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.utils import check_csrf

from .tokens import OrganisationActor, TokenInvalid, token_user

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

#: The write scope an organisation token needs, by the API path's first segment.
WRITE_SCOPES = {
    "organisations": "write:organisations",
    "cooperations": "write:cooperations",
    "consultations": "write:consultations",
    "plans": "write:agreements",
    "partnerships": "write:agreements",
    "agreements": "write:agreements",
    "commitments": "write:agreements",
    "scenarios": "write:scenarios",
}


class ScopeMissing(PermissionDenied):
    code = "scope_missing"


def _require_scope(request: HttpRequest, actor: OrganisationActor) -> None:
    """An organisation token changes only the registers its scopes name."""
    if request.method in SAFE_METHODS:
        return
    segment = request.path.split("/api/v1/", 1)[-1].split("/", 1)[0]
    needed = WRITE_SCOPES.get(segment)
    if needed is None or not actor.has_scope(needed):
        raise ScopeMissing(
            _("The token may not make this change: it needs the scope %(scope)s.")
            % {"scope": needed or _("(none: organisation tokens may not do this)")}
        )


class TokenOrSessionAuth:
    """Ninja auth callable; returns the user (possibly anonymous) or raises 401."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _sep, value = header.partition(" ")
            if scheme.lower() != "bearer" or not value.strip():
                raise AuthenticationError(401, _("Use “Authorization: Bearer <token>”."))
            try:
                user = token_user(value.strip())
            except TokenInvalid as exc:
                raise AuthenticationError(401, str(exc)) from None
            if isinstance(user, OrganisationActor):
                _require_scope(request, user)
            request.user = user
            return user
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS:
                error = check_csrf(request)
                if error:
                    raise AuthenticationError(403, _("The CSRF token is missing or wrong."))
            return user
        return AnonymousUser()
