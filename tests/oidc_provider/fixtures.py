"""pytest fixtures that run the test provider on loopback (a session-scoped process per
provider kind) and point the platform's settings at it.

Import them in a conftest: ``from tests.oidc_provider.fixtures import *``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlparse

import pytest
import requests

from .serve import CLIENT_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]
KINDS = ("idporten", "ansattporten")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class TestProvider:
    kind: str
    port: int
    state_dir: Path
    process: subprocess.Popen = field(repr=False)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def client_id(self) -> str:
        return f"kraftsenter-{self.kind}"

    def set_user(self, username: str, **profile: Any) -> None:
        """The claims (pid, acr, reportees) and behaviour (mode) for this test user."""
        (self.state_dir / f"user-{username}.json").write_text(json.dumps(profile))

    def rp_settings(self, **extra: Any) -> dict[str, Any]:
        acr = "idporten-loa-substantial" if self.kind == "idporten" else "substantial"
        values = {
            "client_id": self.client_id,
            "client_secret": CLIENT_SECRET,
            "issuer": self.issuer,
            "acr_values": acr,
            "scopes": "openid profile",
        }
        if self.kind == "ansattporten":
            values["altinn_resource"] = "urn:altinn:resource:kraftsenter-test"
        values.update(extra)
        return values


def start_provider(kind: str, state_dir: Path) -> TestProvider:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    log = (state_dir.parent / f"{kind}-provider.log").open("wb")
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "tests.oidc_provider.serve", kind, str(port), str(state_dir)],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = TestProvider(kind=kind, port=port, state_dir=state_dir, process=process)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The test provider {kind} stopped; see {log.name}")
        try:
            response = requests.get(
                f"{provider.issuer}/.well-known/openid-configuration", timeout=2
            )
            if response.ok:
                return provider
        except requests.RequestException:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"The test provider {kind} did not start; see {log.name}")


@pytest.fixture(scope="session")
def oidc_providers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestProvider]]:
    """Both test providers, started once per test session on free loopback ports."""
    base = tmp_path_factory.mktemp("oidc-providers")
    providers: dict[str, TestProvider] = {}
    try:
        for kind in KINDS:
            providers[kind] = start_provider(kind, base / kind)
        yield providers
    finally:
        for provider in providers.values():
            provider.process.terminate()
            try:
                provider.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                provider.process.kill()


@pytest.fixture
def oidc_settings(settings: Any, oidc_providers: dict[str, TestProvider]) -> dict[str, Any]:
    """The platform configured for both test providers (discovery and keys fetched afresh)."""
    from django.core.cache import cache

    settings.KRAFTSENTER_OIDC_PROVIDERS = {
        kind: provider.rp_settings() for kind, provider in oidc_providers.items()
    }
    cache.clear()
    return settings.KRAFTSENTER_OIDC_PROVIDERS


def through_provider(client: Any, provider: TestProvider, username: str, start: str) -> Any:
    """Follow a login from ``start`` (the platform's login URL for the provider) through the
    provider over real HTTP as ``username``, back to the platform's callback; returns the
    platform's response to the callback."""
    response = client.get(start)
    assert response.status_code == 302, response
    location = response["Location"]
    assert location.startswith(provider.issuer), location
    browser = requests.Session()
    browser.cookies.set("test_user", username, domain="127.0.0.1")
    for _hop in range(10):
        answer = browser.get(location, allow_redirects=False, timeout=10)
        assert answer.status_code in (301, 302, 303), (answer.status_code, answer.text[:500])
        location = urljoin(location, answer.headers["Location"])
        if not location.startswith(provider.issuer):
            break
    parsed = urlparse(location)
    assert parsed.netloc == "testserver", location
    return client.get(f"{parsed.path}?{parsed.query}")
