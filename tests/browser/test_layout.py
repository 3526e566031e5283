"""Layout people trust: no sideways scrolling at 320 px on any page type, a header that fits
on one line from 1024 px and folds into a menu below, and the focus on the error summary after
a failed save."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import PAGES, _first_organisation_id
from .test_accounts import _log_in
from .test_places import _nb

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": 640}

# Page types beyond the public ones of test_accessibility: the registers, the printable pages,
# the knowledge base, dashboards. {coop}, {case}, {protocol} and {organisation} are ids.
MORE_PUBLIC = [
    "/kommuner/4001/profil/",
    "/regioner/hamarregionen/profil/",
    "/kart/fylke/40/?indikator=utslipp-per-innbygger",
    "/samarbeid/",
    "/samarbeid/{coop}/",
    "/samarbeid/{coop}/historikk/",
    "/kommuner/3403/samarbeid/",
    "/kommuner/3403/eierskapsoversikt/",
    "/regioner/hamarregionen/samarbeid/",
    "/konsultasjoner/",
    "/konsultasjoner/{case}/",
    "/konsultasjoner/{case}/protokoller/{protocol}/",
    "/avtaler/",
    "/forpliktelser/",
    "/planer/",
    "/partnerskap/",
    "/dashbord/",
    "/dashbord/fylker/18/",
    "/eierskap/interesser/",
    "/eierskap/meldinger/",
    "/kunnskap/scenarier/",
    "/konto/logg-inn/",
]
LOGGED_IN = [
    "/konto/profil/",
    "/samarbeid/ny/",
    "/samarbeid/{coop}/endre/",
    "/organisasjoner/{organisation}/endre/",
    "/konsultasjoner/ny/",
    "/avtaler/ny/",
    "/regioner/beregn/",
    "/om/tilgjengelighet/tilbakemeldinger/",
]

# The elements that stick out on the right, to say what to fix.
_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > width + 1)
    .filter(e => !e.parentElement.closest('[data-ks-scroll], .ks-scroll, .ks-profile__scroll')
                 || getComputedStyle(e).position === 'absolute')
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} ` +
              `(right ${Math.round(e.getBoundingClientRect().right)})`);
}"""


def _ids() -> dict[str, int]:
    from kraftsenter.consultations.models import Consultation, Protocol
    from kraftsenter.cooperations.models import Cooperation

    return {
        "coop": Cooperation.objects.order_by("pk").values_list("pk", flat=True).first(),
        "case": Consultation.objects.order_by("pk").values_list("pk", flat=True).first(),
        "protocol": Protocol.objects.order_by("pk").values_list("pk", flat=True).first(),
        "organisation": _first_organisation_id(),
    }


def _too_wide(page: Page, site: str, paths: list[str]) -> list[str]:
    page.set_viewport_size(NARROW)
    ids = _ids()
    found = []
    for path in paths:
        address = path.format(**ids)
        response = page.goto(site + address)
        assert response is not None and response.status < 500, address
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > NARROW["width"]:
            found.append(f"{address}: {width} px wide; {page.evaluate(_OVERFLOW)}")
    return found


def test_public_page_types_do_not_scroll_sideways_at_320_px(site: str, page: Page):
    paths = [path for _name, path, _status in PAGES] + MORE_PUBLIC
    too_wide = _too_wide(page, site, paths)
    assert not too_wide, "\n".join(too_wide)


def test_logged_in_page_types_do_not_scroll_sideways_at_320_px(site: str, page: Page):
    _log_in(page, site, "admin")
    too_wide = _too_wide(page, site, LOGGED_IN)
    assert not too_wide, "\n".join(too_wide)


def test_wide_table_scrolls_in_its_own_labelled_focusable_box(site: str, page: Page):
    page.set_viewport_size(NARROW)
    page.goto(site + "/organisasjoner/")
    box = page.locator("main [data-ks-scroll]").first
    expect(box).to_have_attribute("tabindex", "0")
    expect(box).to_have_attribute("role", "region")
    caption = page.locator("main [data-ks-scroll] caption").first.inner_text().strip()
    expect(box).to_have_attribute("aria-label", caption)
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    # Wide enough for the table: no extra tab stop.
    page.set_viewport_size({"width": 1400, "height": 900})
    page.reload()
    expect(page.locator("main [data-ks-scroll]").first).not_to_have_attribute("tabindex", "0")


# --- the header ---------------------------------------------------------------------------------


def _rows(page: Page, selector: str) -> int:
    """How many lines the elements take: their vertical centres, within 8 px of each other."""
    centres = sorted(
        page.evaluate(
            f"""() => [...document.querySelectorAll('{selector}')].map(e => {{
                const box = e.getBoundingClientRect(); return box.top + box.height / 2; }})"""
        )
    )
    assert centres, selector
    return 1 + sum(1 for a, b in zip(centres, centres[1:], strict=False) if b - a > 8)


@pytest.mark.parametrize(("width", "language"), [(1024, "nb"), (1280, "nb"), (1024, "en")])
def test_logged_in_header_menu_fits_on_one_line_from_1024_px(
    site: str, page: Page, width: int, language: str
):
    _log_in(page, site, "admin")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{site}/sprak/{language}/?next=/kommuner/")
    assert page.evaluate("document.documentElement.lang") == language
    expect(page.locator(".ks-menu-toggle")).to_be_hidden()
    links = page.locator(".ks-nav a")
    assert links.count() >= 8
    for n in range(links.count()):
        expect(links.nth(n)).to_be_visible()
    # Every link of the main menu on one line, beside the brand.
    assert _rows(page, ".ks-nav > li, .ks-brand") == 1
    # Account and language share that line (measured further in test_header.py).
    assert _rows(page, ".ks-nav > li, .ks-brand, .ks-account > *, .ks-lang-choice__button") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_header_below_1024_px_is_a_keyboard_menu(site: str, page: Page):
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(site + "/kommuner/")
    button = page.get_by_role("button", name=_nb("Menu"))
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "ks-menu")
    municipalities = page.locator(".ks-nav").get_by_role("link", name="Kommuner")
    expect(municipalities).to_be_hidden()

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(municipalities).to_be_visible()
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
    page.keyboard.press("Tab")  # into the menu, its first link
    expect(page.locator(".ks-nav a").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(municipalities).to_be_hidden()

    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    button.click()
    expect(municipalities).to_be_hidden()


def test_header_without_javascript_shows_the_menu_wrapped(site: str, browser):
    context = browser.new_context(locale="nb-NO", java_script_enabled=False, viewport=NARROW)
    try:
        page = context.new_page()
        page.goto(site + "/kommuner/")
        expect(page.locator(".ks-menu-toggle")).to_be_hidden()
        expect(page.locator(".ks-nav").get_by_role("link", name="Kommuner")).to_be_visible()
        expect(page.locator(".ks-nav").get_by_role("link", name="Konsultasjoner")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= NARROW["width"]
    finally:
        context.close()


# --- the error summary ---------------------------------------------------------------------------


def _assert_summary_focused_with_link_to(page: Page, field_id: str) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    link = summary.locator(f'a[href="#{field_id}"]')
    expect(link).to_be_visible()
    link.click()
    expect(page.locator(f"#{field_id}")).to_be_focused()


def test_failed_feedback_save_moves_focus_to_the_error_summary(site: str, page: Page):
    page.goto(site + "/om/tilgjengelighet/")
    page.get_by_role("button", name="Send").click()
    _assert_summary_focused_with_link_to(page, "id_message")


def test_failed_login_moves_focus_to_the_error_summary(site: str, page: Page):
    page.goto(site + "/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn").click()
    _assert_summary_focused_with_link_to(page, "id_username")
    expect(page.locator('#error-summary a[href="#id_password"]')).to_be_visible()


def test_failed_register_save_moves_focus_to_the_error_summary(site: str, page: Page):
    _log_in(page, site, "admin")
    page.goto(site + f"/organisasjoner/{_first_organisation_id()}/endre/")
    page.locator("#id_name").fill("")
    page.get_by_role("button", name="Lagre").click()
    _assert_summary_focused_with_link_to(page, "id_name")


# --- axe on what this file adds -----------------------------------------------------------------


def test_open_menu_refused_feedback_and_feedback_list_pass_axe(site: str, axe_page: Page):
    from .test_accessibility import _blocking_violations, _report

    axe_page.set_viewport_size({"width": 375, "height": 800})
    axe_page.goto(site + "/om/tilgjengelighet/")
    axe_page.get_by_role("button", name=_nb("Menu")).click()
    axe_page.get_by_role("button", name=_nb("Send")).click()
    expect(axe_page.locator("#error-summary")).to_be_focused()
    violations = _blocking_violations(axe_page)
    assert not violations, _report("/om/tilgjengelighet/ (menu open, refused)", violations)

    _log_in(axe_page, site, "admin")
    axe_page.goto(site + "/om/tilgjengelighet/")
    axe_page.get_by_label(_nb("What does not work?")).fill("Kartet mangler tekst.")
    axe_page.get_by_role("button", name=_nb("Send")).click()
    axe_page.goto(site + "/om/tilgjengelighet/tilbakemeldinger/")
    expect(axe_page.get_by_text("Kartet mangler tekst.")).to_be_visible()
    violations = _blocking_violations(axe_page)
    assert not violations, _report("/om/tilgjengelighet/tilbakemeldinger/", violations)
