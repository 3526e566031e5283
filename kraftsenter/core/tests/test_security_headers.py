"""Security headers are the same on cached and fresh responses; the HTTPS settings are on
outside debug and ``check --deploy`` finds nothing with production settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.services import organisation_create

REPO = Path(__file__).resolve().parents[3]
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
)
#: Headers that belong to one request and may differ between a hit and a miss.
PER_REQUEST = {"X-Cache", "X-Request-ID"}


@pytest.fixture
def page_cache(settings):
    settings.KRAFTSENTER_PAGE_CACHE = True
    caches["pages"].clear()


@pytest.fixture
def organisation(db):
    return organisation_create(actor="test", name="Hodeforeningen", kind=OrganisationKind.VOLUNTARY)


def _urls(organisation) -> list[str]:
    return [
        "/organisasjoner/",  # a page
        f"/organisasjoner/{organisation.pk}/",  # a record's page
        "/api/v1/organisations",  # an API list
        f"/api/v1/organisations/{organisation.pk}",  # an API record (its ETag is its version)
    ]


@pytest.mark.django_db
def test_cache_hit_has_the_same_security_headers_as_the_miss(client, page_cache, organisation):
    for url in _urls(organisation):
        miss, hit = client.get(url), client.get(url)
        assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit"), url
        for name in SECURITY_HEADERS:
            assert miss.has_header(name), (url, name)
            assert hit.get(name) == miss[name], (url, name)
        assert hit["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_cache_hit_has_every_header_of_the_miss(client, page_cache, organisation):
    """Not only security headers: a hit also keeps the record's ETag, Last-Modified and
    Content-Length, so a client cannot tell a hit from a miss but by X-Cache."""
    for url in _urls(organisation):
        miss, hit = client.get(url), client.get(url)
        assert hit["X-Cache"] == "hit"
        fresh = {k: v for k, v in miss.items() if k not in PER_REQUEST}
        cached = {k: v for k, v in hit.items() if k not in PER_REQUEST}
        assert cached == fresh, url
        assert hit.content == miss.content
    record = client.get(f"/api/v1/organisations/{organisation.pk}")
    assert record["X-Cache"] == "hit" and record["ETag"].strip('"').startswith("1-")


@pytest.mark.django_db
def test_cache_hit_over_https_keeps_hsts(client, page_cache, organisation, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    miss = client.get("/organisasjoner/", secure=True)
    hit = client.get("/organisasjoner/", secure=True)
    assert hit["X-Cache"] == "hit"
    assert miss["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert hit["Strict-Transport-Security"] == miss["Strict-Transport-Security"]


@pytest.mark.django_db
def test_cache_keeps_http_and_https_apart(client, page_cache, organisation):
    """A body can hold absolute links (an API list's ``next``): one scheme's is not served to
    the other."""
    assert client.get("/api/v1/organisations")["X-Cache"] == "miss"
    assert client.get("/api/v1/organisations", secure=True)["X-Cache"] == "miss"
    assert client.get("/api/v1/organisations", secure=True)["X-Cache"] == "hit"


@pytest.mark.django_db
def test_http_is_redirected_to_https_unless_the_proxy_says_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = client.get("/organisasjoner/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/organisasjoner/"
    behind_proxy = client.get("/organisasjoner/", headers={"X-Forwarded-Proto": "https"})
    assert behind_proxy.status_code == 200


# --- production settings -----------------------------------------------------------------------


def _production_env(tmp_path, **extra: str) -> dict[str, str]:
    """The environment of a production server: no debug, a real secret, its host name."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRAFTSENTER_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="kraftsenter.example.no",
        DATABASE_URL=f"sqlite:///{tmp_path}/deploy.sqlite3",
        **extra,
    )
    return env


def _settings(tmp_path, **extra: str) -> dict:
    code = (
        "import json, config.settings as s; print(json.dumps({n: getattr(s, n) for n in ("
        "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
        "'SECURE_HSTS_PRELOAD', 'SECURE_PROXY_SSL_HEADER', 'SILENCED_SYSTEM_CHECKS')}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=_production_env(tmp_path, **extra),
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_check_deploy_with_production_settings_finds_nothing(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(tmp_path),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout


def test_https_settings_are_on_by_default_outside_debug(tmp_path):
    assert _settings(tmp_path) == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
    }


def test_https_settings_come_from_the_environment(tmp_path):
    assert _settings(
        tmp_path,
        KRAFTSENTER_SSL_REDIRECT="0",
        KRAFTSENTER_HSTS_SECONDS="600",
        KRAFTSENTER_HSTS_INCLUDE_SUBDOMAINS="0",
        KRAFTSENTER_HSTS_PRELOAD="1",
        KRAFTSENTER_PROXY_SSL_HEADER="X-Forwarded-Ssl=on",
    ) == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_SSL", "on"],
        "SILENCED_SYSTEM_CHECKS": [],
    }
    proxied = _settings(tmp_path, KRAFTSENTER_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert proxied["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_plain_http_on_localhost_turns_https_settings_off(tmp_path):
    """The benchmark and the fuzzer serve plain HTTP with KRAFTSENTER_SECURE_COOKIES=0."""
    plain = _settings(tmp_path, KRAFTSENTER_SECURE_COOKIES="0")
    assert plain["SECURE_SSL_REDIRECT"] is False and plain["SECURE_HSTS_SECONDS"] == 0
