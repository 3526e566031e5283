"""The language offer (static/js/language_offer.js): the site stays bokmål for a visitor who has
not chosen, and offers the language the browser prefers in one click; a visitor who has chosen
is not asked again; without JavaScript there is no offer, only the switch."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import TIMEOUT_MS

pytestmark = pytest.mark.browser

OFFER = "[data-ks-language-offer]"


@pytest.fixture
def open_page(browser: Browser) -> Iterator:
    """Opens a page in a browser that prefers the given languages (navigator.languages)."""
    contexts = []

    def open_(locale: str, javascript: bool = True) -> Page:
        context = browser.new_context(locale=locale, java_script_enabled=javascript)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize(("locale", "code"), [("nn-NO", "nn"), ("se-NO", "se"), ("en-GB", "en")])
def test_the_browsers_language_is_offered_and_one_click_switches(
    live_server, transactional_db, open_page, locale, code
):
    page = open_page(locale)
    page.goto(f"{live_server.url}/kommuner/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")  # bokmål first
    offer = page.locator(f'{OFFER} [data-ks-offer="{code}"]')
    expect(offer).to_be_visible()
    expect(page.locator(f"{OFFER} [data-ks-offer]:visible")).to_have_count(1)
    offer.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/kommuner/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(OFFER)).to_be_hidden()  # chosen: not offered again
    current = page.locator('[data-ks-languages] a[aria-current="true"]')
    expect(current).to_have_attribute("lang", code)


def test_a_norwegian_browser_gets_no_offer(live_server, transactional_db, open_page):
    page = open_page("nb-NO")
    page.goto(f"{live_server.url}/kommuner/")
    expect(page.locator(OFFER)).to_be_hidden()


def test_a_visitor_who_chose_bokmal_is_not_asked_again(live_server, transactional_db, open_page):
    page = open_page("en-GB")
    page.goto(f"{live_server.url}/sprak/nb/?next=/kommuner/")
    expect(page.locator("html")).to_have_attribute("lang", "nb")
    expect(page.locator(OFFER)).to_be_hidden()


def test_without_javascript_there_is_no_offer_but_the_switch(
    live_server, transactional_db, open_page
):
    page = open_page("se-NO", javascript=False)
    page.goto(f"{live_server.url}/kommuner/")
    expect(page.locator(OFFER)).to_be_hidden()
    expect(page.locator('[data-ks-languages] a[lang="se"]')).to_be_visible()
