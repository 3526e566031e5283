"""Logging in, editing an organisation, seeing the history, being refused elsewhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from kraftsenter.demo.loader import DEMO_PASSWORD

from .test_accessibility import _blocking_violations, _report

pytestmark = pytest.mark.browser


def _org_id(name: str) -> int:
    from kraftsenter.actors.models import Organisation

    return Organisation.objects.get(name=name).pk


def _log_in(page: Page, site: str, username: str) -> None:
    page.goto(site + "/konto/logg-inn/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Din profil")).to_be_visible()


def test_editor_logs_in_edits_own_organisation_and_sees_history(site: str, page: Page):
    _log_in(page, site, "hamar")
    hamar = _org_id("Hamar kommune")
    page.goto(f"{site}/organisasjoner/{hamar}/")
    page.get_by_role("link", name="Endre").click()
    page.get_by_label("Nettsted").fill("https://www.hamar.kommune.no")
    page.get_by_label("Begrunnelse for endringen (valgfritt)").fill("Lagt inn nettsted")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Lagret.")).to_be_visible()
    expect(page.get_by_role("link", name="https://www.hamar.kommune.no")).to_be_visible()
    page.get_by_role("link", name="Historikk").click()
    change = page.locator(".ks-change").first
    expect(change.get_by_role("heading", name="Endret")).to_be_visible()
    expect(change.get_by_text("Lagt inn nettsted")).to_be_visible()
    # Who did it, for which organisation, and what changed, by field label.
    expect(change.get_by_text("Hamar kommune")).to_be_visible()
    expect(change.get_by_role("rowheader", name="Nettsted")).to_be_visible()
    expect(page.get_by_text("organisation.updated")).to_have_count(0)


def test_editor_is_refused_editing_another_organisation_with_helpful_page(site: str, page: Page):
    _log_in(page, site, "hamar")
    alta = _org_id("Alta kommune")
    page.goto(f"{site}/organisasjoner/{alta}/")
    expect(page.get_by_role("link", name="Endre")).to_have_count(0)
    response = page.goto(f"{site}/organisasjoner/{alta}/endre/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Du har ikke tilgang til denne siden")).to_be_visible()


@pytest.mark.parametrize("path", ["/konto/logg-inn/", "/konto/passord/glemt/"])
def test_anonymous_account_pages_pass_axe(site: str, axe_page: Page, path: str):
    axe_page.goto(site + path)
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


@pytest.mark.parametrize(
    "path",
    [
        "/konto/profil/",
        "/organisasjoner/{org}/endre/",
        "/organisasjoner/{org}/historikk/",
        "/organisasjoner/{org}/medlemmer/",
        "/organisasjoner/{org}/arkiver/",
        "/organisasjoner/{org}/kontaktpersoner/ny/",
        "/organisasjoner/ny/",
        "/organisasjoner/{other}/endre/",
    ],
)
def test_logged_in_pages_pass_axe(site: str, axe_page: Page, path: str):
    _log_in(axe_page, site, "hamar")
    path = path.format(org=_org_id("Hamar kommune"), other=_org_id("Alta kommune"))
    axe_page.goto(site + path)
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)
