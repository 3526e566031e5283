"""The organisation combobox (actors/widgets.py, static/js/combobox.js) in a real browser:
chosen with the keyboard alone, in the second and third row of a formset, in a row added to
the page later, and free of axe violations while open."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser


def _choose(page: Page, field_id: str, text: str, option_name: str) -> None:
    """Type part of a name, walk the options with the arrow keys, take the one asked for."""
    box = page.locator(f"#{field_id}")
    box.focus()
    page.keyboard.type(text)
    listbox = page.locator(f"#{field_id}-listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox.get_by_role("option").first).to_be_visible()
    names = listbox.locator(".ks-combobox__name").all_inner_texts()
    assert option_name in names, names
    for _ in range(names.index(option_name) + 1):
        page.keyboard.press("ArrowDown")
    active = box.get_attribute("aria-activedescendant")
    assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    expect(page.locator(f"#{active} .ks-combobox__name")).to_have_text(option_name)
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(option_name)


def test_second_and_third_participant_chosen_with_the_keyboard_are_saved(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/samarbeid/ny/")
    page.locator("#id_name").fill("Innlandet arkivsamarbeid")
    page.locator("#id_legal_form").select_option("host_administrative")
    page.get_by_label("Barnevern").check()
    _choose(page, "id_host", "hama", "Hamar kommune")
    _choose(page, "id_p-0-organisation", "hama", "Hamar kommune")
    _choose(page, "id_p-1-organisation", "løte", "Løten kommune")
    _choose(page, "id_p-2-organisation", "stange", "Stange kommune")
    # The field sends what the server accepts (the municipality number), under its own name.
    expect(page.locator('input[type=hidden][name="p-2-organisation"]')).to_have_value("3413")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", name="Innlandet arkivsamarbeid")).to_be_visible()
    for name in ("Hamar kommune", "Løten kommune", "Stange kommune"):
        expect(page.locator("main").get_by_role("link", name=name).first).to_be_visible()


def test_escape_closes_the_list_and_then_clears_the_box(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/samarbeid/ny/")
    box = page.locator("#id_p-1-organisation")
    box.focus()
    page.keyboard.type("kommune")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-controls", "id_p-1-organisation-listbox")
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("kommune")
    page.keyboard.press("Escape")
    expect(box).to_have_value("")
    expect(page.locator('input[type=hidden][name="p-1-organisation"]')).to_have_value("")


def test_a_row_added_to_the_page_later_gets_its_own_combobox(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/samarbeid/ny/")
    # A fourth participant row as a formset's "add a row" would insert it: the server's markup
    # of a row, with the next index.
    page.evaluate(
        """() => {
          const source = document.querySelector('[data-ks-combobox]');
          const row = document.createElement('div');
          row.innerHTML = '<label for="id_p-3-organisation">4</label>' +
            '<div class="ks-combobox" data-ks-combobox="' + source.dataset.ksCombobox + '">' +
            '<input type="text" name="p-3-organisation" id="id_p-3-organisation"></div>';
          document.querySelector('form fieldset .ks-row').parentNode.appendChild(row);
        }"""
    )
    _choose(page, "id_p-3-organisation", "løte", "Løten kommune")
    expect(page.locator('input[type=hidden][name="p-3-organisation"]')).to_have_value("3412")
    # The rows before it are untouched, each still its own box.
    assert page.locator('input[type=hidden][name="p-1-organisation"]').count() == 1


def test_several_organisations_field_adds_each_chosen_one_as_a_line(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/partnerskap/ny/")
    members = page.locator("#id_members")
    expect(members).to_be_visible()
    _choose_into_list(page, "id_members-add", "løte", "Løten kommune")
    _choose_into_list(page, "id_members-add", "stange", "Stange kommune")
    expect(members).to_have_value("3412\n3413")


def _choose_into_list(page: Page, field_id: str, text: str, option_name: str) -> None:
    box = page.locator(f"#{field_id}")
    box.focus()
    page.keyboard.type(text)
    listbox = page.locator(f"#{field_id}-listbox")
    expect(listbox.get_by_role("option", name=option_name).first).to_be_visible()
    names = listbox.locator(".ks-combobox__name").all_inner_texts()
    for _ in range(names.index(option_name) + 1):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_value("")


def test_open_combobox_passes_axe(site: str, axe_page: Page):
    _log_in(axe_page, site, "hamar")
    axe_page.goto(site + "/samarbeid/ny/")
    box = axe_page.locator("#id_p-1-organisation")
    box.focus()
    axe_page.keyboard.type("kommune")
    expect(box).to_have_attribute("aria-expanded", "true")
    axe_page.keyboard.press("ArrowDown")
    violations = _blocking_violations(axe_page)
    assert not violations, _report("/samarbeid/ny/ (combobox open)", violations)
