"""Retries and rate limits of the online readers, against a real HTTP server on loopback.

The server (``http.server`` in a thread) answers each path from a script of responses and
counts the calls; the readers reach it through the ``KRAFTSENTER_SOURCES`` addresses, over a
real socket, with the client they make themselves.
"""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from kraftsenter.knowledge.importers.official import fetch_official as fetch_statistics
from kraftsenter.knowledge.tests.test_importers import EMPLOYMENT_11618
from kraftsenter.places.importers import throttle
from kraftsenter.places.importers.base import SourceUnavailable
from kraftsenter.places.importers.official import _Fetcher

Answer = tuple[int, dict[str, str], bytes]


class Script:
    """Per path: the answers still to give (the last one repeats) and the calls received."""

    def __init__(self) -> None:
        self.answers: dict[str, list[Answer]] = {}
        self.calls: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()

    def set(self, path: str, *answers: Answer) -> None:
        self.answers[path] = list(answers)

    def next(self, path: str) -> Answer:
        with self.lock:
            self.calls[path].append(time.monotonic())
            queue = self.answers.get(path) or [(404, {}, b'{"message": "no such path"}')]
            return queue.pop(0) if len(queue) > 1 else queue[0]


def ok(data: object) -> Answer:
    return 200, {"Content-Type": "application/json"}, json.dumps(data).encode()


def status(code: int, **headers: str) -> Answer:
    return code, {"Content-Type": "application/json", **headers}, b'{"message": "busy"}'


@pytest.fixture
def server() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            code, headers, body = script.next(self.path.split("?", 1)[0])
            self.send_response(code)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", script
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def sources(settings, server):
    """Every official source on the loopback server; quick backoff; fresh limiters."""
    base, script = server
    settings.KRAFTSENTER_SOURCES = {
        "klass": f"{base}klass/",
        "pxweb": f"{base}pxweb/",
        "kommuneinfo": f"{base}kommuneinfo/",
        "emissions": f"{base}miljodir/utslipp.xlsx",
        "boundaries": f"{base}geonorge/kommuner.zip",
    }
    settings.KRAFTSENTER_SOURCES_BACKOFF = 0.05
    settings.KRAFTSENTER_SOURCES_TIMEOUT = 5
    throttle._limiters.clear()
    yield base, script
    throttle._limiters.clear()


def fetcher(problems: list | None = None) -> _Fetcher:
    return _Fetcher(httpx.Client(timeout=5), [] if problems is None else problems)


def test_503_then_200_is_retried_and_the_statistics_read(sources, small_places):
    _base, script = sources
    script.set("/pxweb/tables/11618/data", status(503), status(503), ok(EMPLOYMENT_11618))
    ds = fetch_statistics(parts=["employment"], years=[2022])
    assert len(script.calls["/pxweb/tables/11618/data"]) == 3
    hamar = next(r for r in ds.employment or [] if r.number == "3403")
    assert (hamar.employed_residence, hamar.employed_workplace) == (15500, 18500)


def test_backoff_doubles_between_retries(sources):
    base, script = sources
    script.set("/klass/x", status(502), status(500), status(503), ok({"codes": []}))
    assert fetcher().get_json(f"{base}klass/x", "KLASS") is not None
    times = script.calls["/klass/x"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 4
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1 and gaps[2] >= 0.2  # 0.05 × 1, 2, 4


def test_429_with_retry_after_waits_as_long_as_the_server_asks(sources):
    base, script = sources
    script.set("/klass/y", status(429, **{"Retry-After": "1"}), ok({"codes": []}))
    started = time.monotonic()
    assert fetcher().get_json(f"{base}klass/y", "KLASS") is not None
    assert len(script.calls["/klass/y"]) == 2
    assert time.monotonic() - started >= 1.0
    assert script.calls["/klass/y"][1] - script.calls["/klass/y"][0] >= 1.0


def test_retry_after_longer_than_the_maximum_gives_up_without_waiting(sources, settings):
    settings.KRAFTSENTER_SOURCES_MAX_WAIT = 5
    base, script = sources
    script.set("/klass/z", status(429, **{"Retry-After": "3600"}))
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match="HTTP 429.*3600 s"):
        fetcher().get(f"{base}klass/z", "KLASS")
    assert len(script.calls["/klass/z"]) == 1 and time.monotonic() - started < 2


def test_a_source_that_stays_down_is_unavailable_after_the_retries(sources, settings):
    settings.KRAFTSENTER_SOURCES_RETRIES = 2
    base, script = sources
    script.set("/klass/down", status(503))
    with pytest.raises(SourceUnavailable, match=r"HTTP 503.*\(3 attempts\)"):
        fetcher().get(f"{base}klass/down", "KLASS")
    assert len(script.calls["/klass/down"]) == 3


def test_a_client_error_is_a_problem_and_not_retried(sources):
    base, script = sources
    script.set("/klass/missing", status(404))
    problems: list = []
    assert fetcher(problems).get(f"{base}klass/missing", "KLASS") is None
    assert len(script.calls["/klass/missing"]) == 1 and "404" in problems[0].message


def test_connection_refused_is_retried_then_unavailable(settings):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed when the block ends: nobody listens
    settings.KRAFTSENTER_SOURCES_BACKOFF = 0.01
    slept: list[float] = []
    fetch = _Fetcher(httpx.Client(timeout=2), [], sleep=slept.append)
    with pytest.raises(SourceUnavailable, match="ConnectError"):
        fetch.get(f"http://127.0.0.1:{port}/x", "KLASS")
    assert slept == [0.01, 0.02, 0.04]


def test_pxweb_calls_share_one_limiter_of_the_published_rate(sources, settings):
    """PxWebApi: 30 a minute. Scaled down to 3 a second here; the places reader's and the
    statistics reader's calls count against the same limit."""
    settings.KRAFTSENTER_SOURCES_RATE_LIMITS = {"pxweb": (3, 1.0)}
    base, script = sources
    script.set("/pxweb/tables/07459/data", ok({}))
    script.set("/pxweb/tables/11618/data", ok({}))
    for table in ("07459", "11618", "07459", "11618"):
        fetcher().get(f"{base}pxweb/tables/{table}/data", f"SSB {table}")
    times = sorted(
        script.calls["/pxweb/tables/07459/data"] + script.calls["/pxweb/tables/11618/data"]
    )
    assert len(times) == 4
    assert times[3] - times[0] >= 0.95  # the fourth call waited for the window
    # Other sources are not limited: five KLASS calls all reach the server at once.
    script.set("/klass/free", ok({}))
    assert throttle.limiter_for(f"{base}klass/free") is None
    for _ in range(5):
        fetcher().get(f"{base}klass/free", "KLASS")
    assert len(script.calls["/klass/free"]) == 5


def test_default_limit_is_pxwebapis_published_thirty_a_minute(sources):
    base, _script = sources
    limiter = throttle.limiter_for(f"{base}pxweb/tables/03321/data")
    assert limiter is not None and (limiter.calls, limiter.period) == (30, 60.0)
    assert limiter is throttle.limiter_for(f"{base}pxweb/tables/07459/data")
    assert throttle.limiter_for(f"{base}klass/classifications/131/codesAt") is None


def test_rate_limiter_waits_for_the_oldest_call_to_leave_the_window():
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = throttle.RateLimiter(2, 60.0, clock=lambda: now[0], sleep=sleep)
    assert [limiter.acquire() for _ in range(2)] == [0.0, 0.0]
    now[0] = 10.0
    assert limiter.acquire() == 50.0 and slept == [50.0]


def test_retry_after_as_an_http_date():
    import datetime as dt

    now = dt.datetime(2026, 11, 30, 12, 0, 0, tzinfo=dt.UTC)
    response = httpx.Response(503, headers={"Retry-After": "Mon, 30 Nov 2026 12:00:30 GMT"})
    assert throttle.retry_after(response, now) == 30.0
    assert throttle.retry_after(httpx.Response(503, headers={"Retry-After": "soon"})) is None
