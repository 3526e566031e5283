"""A citizen clicks "Logg inn med ID-porten", goes through a real OpenID Connect provider on
loopback (tests/oidc_provider) and lands logged in."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from kraftsenter.accounts.models import OidcIdentity, SecurityEvent, SecurityEventKind
from tests.oidc_provider.fixtures import oidc_providers  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def test_citizen_logs_in_with_idporten(live_server, transactional_db, page, settings, request):
    provider = request.getfixturevalue("oidc_providers")["idporten"]
    settings.KRAFTSENTER_OIDC_PROVIDERS = {"idporten": provider.rp_settings()}
    cache.clear()
    provider.set_user("kari", pid="07077012345")  # the provider's default test user
    site = live_server.url

    page.goto(f"{site}/konto/logg-inn/")
    button = page.locator("#login-idporten")
    assert button.get_attribute("data-provider") == "idporten"
    button.click()

    # Back from the provider: a new account asks for the name others will see.
    page.wait_for_url(f"{site}/konto/navn/**")
    page.fill("#id_name", "Kari Nordmann")
    page.locator("#display-name button[type=submit]").click()
    page.wait_for_url(f"{site}/konto/profil/")
    assert page.locator("form[action='/konto/logg-ut/']").count() == 1

    identity = OidcIdentity.objects.select_related("user").get()
    assert identity.user.first_name == "Kari Nordmann"
    assert identity.last_provider == "idporten"
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.OIDC_LOGIN).count() == 1
