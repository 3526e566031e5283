"""The error pages people meet: 404 and 500 answer in Norwegian with a way back."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_unknown_page_is_404_in_norwegian(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "fant" in response.content.decode().lower()


@pytest.mark.django_db
@pytest.mark.urls("kraftsenter.core.tests.failing_urls")
def test_server_error_page_is_500_in_norwegian_and_needs_no_template_context():
    client = Client(raise_request_exception=False)
    response = client.get("/feiler/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Noe gikk galt hos oss" in html and 'href="/"' in html
