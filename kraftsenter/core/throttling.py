"""The API's rate limit: ninja's throttles, with the rates read from the settings on each
request (so an operator, and a test, can change them).

``KRAFTSENTER_API_RATE_ANONYMOUS`` limits each client address without a login or token,
``KRAFTSENTER_API_RATE_AUTHENTICATED`` each user or token ("300/m", "10000/d"; empty turns
the limit off). A request past the limit answers 429 with ``Retry-After`` (problem JSON).
The counts live in the default cache, so each server process counts on its own unless the
cache is shared (docs/DEPLOYMENT.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import AnonRateThrottle, AuthRateThrottle


class _FromSettings:
    setting = ""
    rate: str | None

    def _current(self) -> str:
        return str(getattr(settings, self.setting, "") or "")

    def allow_request(self, request: HttpRequest) -> bool:
        rate = self._current()
        if not rate:
            return True
        if rate != getattr(self, "rate", None):
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)  # type: ignore[attr-defined]
        return bool(super().allow_request(request))  # type: ignore[misc]


def _user(request: HttpRequest) -> object | None:
    user = getattr(request, "auth", None)
    return user if getattr(user, "is_authenticated", False) else None


class AnonymousRate(_FromSettings, AnonRateThrottle):
    """Each client address without a login or token."""

    setting = "KRAFTSENTER_API_RATE_ANONYMOUS"

    def __init__(self) -> None:
        super().__init__(self._current() or "1/s")

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if _user(request) is not None:
            return None
        return self.cache_format % {"scope": "anon", "ident": self.get_ident(request)}


class AuthenticatedRate(_FromSettings, AuthRateThrottle):
    """Each logged-in user or token holder."""

    setting = "KRAFTSENTER_API_RATE_AUTHENTICATED"

    def __init__(self) -> None:
        super().__init__(self._current() or "1/s")

    def get_cache_key(self, request: HttpRequest) -> str | None:  # type: ignore[override]
        user = _user(request)
        if user is None:
            return None  # anonymous callers are counted by AnonymousRate
        ident = getattr(user, "pk", None) or str(user)  # a token's system has no pk
        return self.cache_format % {"scope": "user", "ident": ident}
