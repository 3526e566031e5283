"""The OpenAPI description is built and encoded once per process, then served from memory."""

from __future__ import annotations

import hashlib
import json

import pytest

from config.api import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_api(settings, monkeypatch):
    settings.DEBUG = False
    monkeypatch.delitem(api.__dict__, "_ks_openapi_json", raising=False)
    monkeypatch.delitem(api.__dict__, "_ks_openapi", raising=False)
    calls = []
    build = api.get_openapi_schema

    def counted(**kwargs):
        calls.append(kwargs)
        return build(**kwargs)

    monkeypatch.setattr(api, "get_openapi_schema", counted)
    yield calls
    api.__dict__.pop("_ks_openapi_json", None)


def test_openapi_json_is_built_once_and_served_identically(client, fresh_api):
    first = client.get("/api/v1/openapi.json")
    second = client.get("/api/v1/openapi.json")
    third = client.get("/api/v1/openapi.json")
    assert first.status_code == second.status_code == third.status_code == 200
    assert second["Content-Type"] == "application/json"
    assert first.content == second.content == third.content
    assert len(fresh_api) == 1  # the later requests neither rebuild nor re-encode
    schema = json.loads(second.content)
    assert schema["openapi"].startswith("3.") and "/api/v1/openapi.json" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"


def test_openapi_json_is_rebuilt_on_every_request_in_debug(client, fresh_api, settings):
    settings.DEBUG = True
    client.get("/api/v1/openapi.json")
    client.get("/api/v1/openapi.json")
    assert len(fresh_api) == 2


def test_openapi_json_carries_the_etag_of_its_body_and_answers_304(client, fresh_api):
    first = client.get("/api/v1/openapi.json")
    # the ETag Django's middleware would give the body, kept with it (not hashed again)
    digest = hashlib.md5(first.content, usedforsecurity=False).hexdigest()
    assert first["ETag"] == f'"{digest}"'
    assert client.get("/api/v1/openapi.json")["ETag"] == first["ETag"]
    again = client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert client.get("/api/v1/openapi.json", HTTP_IF_NONE_MATCH='"other"').status_code == 200
