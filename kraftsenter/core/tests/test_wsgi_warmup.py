"""The WSGI entry point builds the OpenAPI description when a worker starts (outside debug),
and the description it keeps is the one /api/v1/openapi.json serves."""

from __future__ import annotations

import importlib

import pytest


@pytest.mark.django_db
def test_worker_start_builds_the_openapi_description(settings, client):
    from config.api import api

    settings.DEBUG = False
    api.__dict__.pop("_ks_openapi", None)
    api.__dict__.pop("_ks_openapi_json", None)
    import config.wsgi

    importlib.reload(config.wsgi)
    built = api.__dict__.get("_ks_openapi")
    assert built is not None, "the worker started without the description"
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"].keys() == built["paths"].keys()
