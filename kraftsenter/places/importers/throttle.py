"""Retries and rate limits for the official sources, shared by every online reader.

A transient failure — a connection error, a timeout, HTTP 5xx, 408 or 429 — is tried again up to
``KRAFTSENTER_SOURCES_RETRIES`` times (default 3), after ``Retry-After`` when the server sends
it (seconds or an HTTP date) and otherwise after an exponential backoff
(``KRAFTSENTER_SOURCES_BACKOFF`` seconds, default 1: 1, 2, 4 …). A wait longer than
``KRAFTSENTER_SOURCES_MAX_WAIT`` (default 60 s) is not waited for: the source is unavailable.

A source with a published rate limit gets a limiter that every reader's calls to it share
(``KRAFTSENTER_SOURCES_RATE_LIMITS``, source key → (calls, seconds)). SSB's PxWebApi v2 allows
30 requests a minute per address (SSB: "API: Begrensninger"), so the population reader
(places) and the statistics reader (knowledge) wait for each other.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable
from email.utils import parsedate_to_datetime

import httpx
from django.conf import settings

DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 1.0
DEFAULT_MAX_WAIT = 60.0
#: Published limits: source key (as in ``settings.KRAFTSENTER_SOURCES``) → (calls, seconds).
DEFAULT_RATE_LIMITS: dict[str, tuple[int, float]] = {"pxweb": (30, 60.0)}

Sleep = Callable[[float], None]


class RateLimiter:
    """At most ``calls`` in any ``period`` seconds (a sliding window); thread-safe."""

    def __init__(self, calls: int, period: float, *, clock=time.monotonic, sleep=time.sleep):
        self.calls, self.period = calls, period
        self.clock, self.sleep = clock, sleep
        self.sent: deque[float] = deque()
        self.lock = threading.Lock()

    def acquire(self) -> float:
        """Wait until a call is allowed; returns how long it waited."""
        waited = 0.0
        with self.lock:
            while True:
                now = self.clock()
                while self.sent and now - self.sent[0] >= self.period:
                    self.sent.popleft()
                if len(self.sent) < self.calls:
                    self.sent.append(now)
                    return waited
                delay = self.period - (now - self.sent[0])
                self.sleep(delay)
                waited += delay


_limiters: dict[tuple[str, str, int, float], RateLimiter] = {}
_limiters_lock = threading.Lock()


def limiter_for(url: str) -> RateLimiter | None:
    """The shared limiter of the configured source whose address ``url`` starts with."""
    limits = getattr(settings, "KRAFTSENTER_SOURCES_RATE_LIMITS", DEFAULT_RATE_LIMITS)
    for key, base in settings.KRAFTSENTER_SOURCES.items():
        if key in limits and base and str(url).startswith(base):
            calls, period = limits[key]
            with _limiters_lock:
                return _limiters.setdefault(
                    (key, base, calls, period), RateLimiter(calls, float(period))
                )
    return None


def retry_after(response: httpx.Response, now: dt.datetime | None = None) -> float | None:
    """Seconds the server asks to wait (``Retry-After``: seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())


def retries() -> int:
    return int(getattr(settings, "KRAFTSENTER_SOURCES_RETRIES", DEFAULT_RETRIES))


def backoff(attempt: int) -> float:
    """The wait before retry number ``attempt + 1`` when the server does not say."""
    return float(getattr(settings, "KRAFTSENTER_SOURCES_BACKOFF", DEFAULT_BACKOFF)) * 2**attempt


def max_wait() -> float:
    return float(getattr(settings, "KRAFTSENTER_SOURCES_MAX_WAIT", DEFAULT_MAX_WAIT))


def transient(status: int) -> bool:
    """An HTTP status worth trying again: the server's trouble, not the request's."""
    return status >= 500 or status in (408, 429)
