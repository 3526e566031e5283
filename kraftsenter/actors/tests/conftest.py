"""A real Enhetsregisteret on loopback: ``http.server`` in a thread serving the hand-written
fixtures of ``fixtures/enhetsregisteret`` (see its README for where the shape is documented)."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "enhetsregisteret"
PREFIX = "/enhetsregisteret/api/"


class _Register(BaseHTTPRequestHandler):
    #: path → (status, body) that a test sets to answer otherwise than the fixtures
    overrides: dict[str, tuple[int, object]] = {}
    requests: list[str] = []

    def log_message(self, format, *args):  # quiet
        pass

    def _send(self, status: int, body: object) -> None:
        data = json.dumps(body, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlsplit(self.path)
        type(self).requests.append(self.path)
        if url.path in self.overrides:
            self._send(*self.overrides[url.path])
            return
        if not url.path.startswith(PREFIX):
            self._send(404, {"status": 404})
            return
        rest = url.path[len(PREFIX) :]
        if rest == "enheter":
            name = (parse_qs(url.query).get("navn") or [""])[0].casefold()
            file = "search-hamar.json" if "hamar" in name else "search-none.json"
            self._send(200, json.loads((FIXTURES / file).read_text(encoding="utf-8")))
            return
        if rest.startswith("enheter/"):
            file = FIXTURES / f"{rest.split('/', 1)[1]}.json"
            if file.is_file():
                self._send(200, json.loads(file.read_text(encoding="utf-8")))
                return
        self._send(404, {"status": 404, "error": "Not Found", "path": url.path})


@pytest.fixture
def brreg_server(settings):
    """Enhetsregisteret on 127.0.0.1 with the fixtures; ``settings`` point the lookup at it.
    Yields the handler class: ``.overrides[path] = (status, body)``, ``.requests``."""
    handler = type("Register", (_Register,), {"overrides": {}, "requests": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.KRAFTSENTER_BRREG_URL = f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    settings.KRAFTSENTER_SOURCES_TIMEOUT = 5
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def brreg_down(settings):
    """An address on loopback where nothing listens: the register cannot be reached."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.KRAFTSENTER_BRREG_URL = f"http://127.0.0.1:{port}{PREFIX}"
    settings.KRAFTSENTER_SOURCES_TIMEOUT = 2
    return settings.KRAFTSENTER_BRREG_URL
