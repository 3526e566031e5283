"""Who is calling the API: a Bearer token, a logged-in session, or an anonymous visitor.

One place for the API. Reads are open to anonymous visitors (what they may see is decided by
the selectors); writes need a user. Session calls that change something must carry the CSRF
token, exactly as the pages do.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.utils import check_csrf

from .tokens import TokenInvalid, token_user

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


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
