"""The start page in a real browser: cards, search that reaches places, organisations and
cooperations, the logged-in desk, no axe violations, no sideways scrolling at 320 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("who", ["anonymous", "hamar"])
def test_start_page_passes_axe(site: str, axe_page: Page, who: str):
    if who != "anonymous":
        _log_in(axe_page, site, who)
    axe_page.goto(site + "/")
    violations = _blocking_violations(axe_page)
    assert not violations, _report(f"/ ({who})", violations)


def test_start_page_anonymous_shows_cards_of_figures_and_consultations(site: str, page: Page):
    page.goto(site + "/")
    figures = page.locator('[data-ks-card="key-figures"]')
    expect(figures).to_be_visible()
    expect(figures).to_contain_text("Hamarregionen")
    expect(figures.locator("dd").first).not_to_be_empty()
    expect(page.locator('[data-ks-card="consultations"]')).to_be_visible()
    expect(page.locator("[data-ks-desk]")).to_have_count(0)


def test_start_page_search_reaches_organisations_and_cooperations(site: str, page: Page):
    page.goto(site + "/")
    page.locator("#q").fill("Hamar")
    page.locator('button[formaction="/organisasjoner/"]').click()
    page.wait_for_url("**/organisasjoner/?q=Hamar")
    expect(page.locator("main").get_by_role("link", name="Hamar kommune").first).to_be_visible()
    page.goto(site + "/")
    page.locator("#q").fill("Hamar")
    page.locator('button[formaction="/samarbeid/"]').click()
    page.wait_for_url("**/samarbeid/?q=Hamar")
    page.goto(site + "/")
    page.locator("#q").fill("Hamar")
    page.keyboard.press("Enter")  # the first button: places
    page.wait_for_url("**/sok/?q=Hamar")
    expect(page.locator("main").get_by_role("link", name="Hamar").first).to_be_visible()


def test_start_page_logged_in_shows_the_desk_of_the_users_organisation(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/")
    desk = page.locator("[data-ks-desk]").first
    expect(desk).to_be_visible()
    expect(desk.locator('[data-ks-card="deadlines"]')).to_be_visible()
    expect(desk.locator('[data-ks-card="follow-ups"]')).to_be_visible()


@pytest.mark.parametrize("who", ["anonymous", "hamar"])
def test_start_page_does_not_scroll_sideways_at_320_px(site: str, page: Page, who: str):
    if who != "anonymous":
        _log_in(page, site, who)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(site + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
