"""The header on one line from 1024 px: brand, main menu, account and language share one row
(measured by their bounding boxes), anonymous and logged in as the site admin, whose menu is
the longest."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accounts import _log_in

pytestmark = pytest.mark.browser

# The header's parts that must share one row: the brand, each menu link, the account's name
# and log-out (or log-in) and the language choice.
PARTS = ".ks-brand, .ks-nav > li, .ks-account > *, .ks-lang-choice"

_BOXES = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length)
  .map(e => { const b = e.getBoundingClientRect();
              return {name: (e.className || e.tagName) + ' ' + e.textContent.trim().slice(0, 20),
                      top: b.top, bottom: b.bottom, left: b.left, right: b.right}; })"""


def _one_row(page: Page) -> list[dict]:
    boxes = page.evaluate(_BOXES, PARTS)
    assert len(boxes) >= 10, boxes
    # One row: every box overlaps vertically with every other.
    top = max(b["top"] for b in boxes)
    bottom = min(b["bottom"] for b in boxes)
    assert top < bottom, "\n".join(f"{b['name']}: {b['top']:.0f}–{b['bottom']:.0f}" for b in boxes)
    return boxes


@pytest.mark.parametrize("width", [1024, 1280])
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_header_parts_share_one_row_from_1024_px(site: str, page: Page, width: int, who: str):
    if who != "anonymous":
        _log_in(page, site, who)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site + "/kommuner/")
    expect(page.locator(".ks-menu-toggle")).to_be_hidden()
    boxes = _one_row(page)
    # Nothing overlaps sideways and nothing sticks out.
    ordered = sorted(boxes, key=lambda b: b["left"])
    for a, b in zip(ordered, ordered[1:], strict=False):
        assert a["right"] <= b["left"] + 1, (a, b)
    assert max(b["right"] for b in boxes) <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if who != "anonymous":
        expect(page.locator(".ks-account__name")).to_be_visible()


def test_language_choice_in_the_header_opens_and_lists_every_language(site: str, page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + "/kommuner/")
    choice = page.locator(".ks-lang-choice__button")
    expect(choice).to_be_visible()
    links = page.locator(".ks-lang-choice .ks-lang a")
    expect(links.first).to_be_hidden()
    choice.click()
    assert links.count() >= 2
    for n in range(links.count()):
        expect(links.nth(n)).to_be_visible()
    links.locator('[hreflang="en"]').or_(page.locator('.ks-lang a[hreflang="en"]')).first.click()
    assert page.evaluate("document.documentElement.lang") == "en"


def test_header_below_1024_px_keeps_the_menu_button_with_languages_inside(site: str, page: Page):
    page.set_viewport_size({"width": 800, "height": 800})
    page.goto(site + "/kommuner/")
    button = page.locator(".ks-menu-toggle")
    expect(button).to_be_visible()
    button.click()
    expect(page.locator(".ks-nav a").first).to_be_visible()
    expect(page.locator(".ks-lang-choice")).to_be_visible()
