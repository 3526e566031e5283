"""The site administrator's security log: a failed login shows up, the page passes axe."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser


def test_site_admin_sees_a_failed_login_in_the_security_log(site: str, axe_page: Page):
    axe_page.goto(site + "/konto/logg-inn/")
    axe_page.get_by_label("Brukernavn").fill("inntrenger")
    axe_page.get_by_label("Passord").fill("feil-passord")
    axe_page.get_by_role("button", name="Logg inn").click()
    _log_in(axe_page, site, "admin")
    violations = _blocking_violations(axe_page)  # the profile, with its tokens table
    assert not violations, _report("/konto/profil/", violations)
    axe_page.get_by_role("link", name="Sikkerhetslogg").click()
    expect(axe_page.get_by_role("cell", name="inntrenger")).to_be_visible()
    violations = _blocking_violations(axe_page)
    assert not violations, _report("/konto/sikkerhetslogg/", violations)
