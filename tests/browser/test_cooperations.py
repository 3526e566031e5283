"""Cooperation pages in the browser: accessibility of every page type, and a register flow."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser


def _coop_id(name: str) -> int:
    from kraftsenter.cooperations.models import Cooperation

    return Cooperation.objects.get(name=name).pk


PUBLIC = [
    "/samarbeid/",
    "/samarbeid/?area=ict",
    "/samarbeid/{motor}/",
    "/samarbeid/{motor}/historikk/",
    "/samarbeid/{plan}/",
    "/kommuner/3403/samarbeid/",
    "/kommuner/3403/eierskapsoversikt/",
    "/fylker/34/samarbeid/",
    "/regioner/hamarregionen/samarbeid/",
]
EDITOR = [
    "/samarbeid/ny/",
    "/samarbeid/import/",
    "/samarbeid/{plan}/endre/",
    "/samarbeid/{plan}/deltakere/",
    "/samarbeid/{plan}/avtale/ny/",
    "/samarbeid/{plan}/vedtak/ny/",
]


def _path(path: str) -> str:
    return path.format(
        motor=_coop_id("Regional motor for IKT og digitalisering"),
        plan=_coop_id("Plankontor Hamarregionen KO"),
    )


@pytest.mark.parametrize("path", PUBLIC)
def test_cooperation_public_pages_pass_axe(site: str, axe_page: Page, path: str):
    response = axe_page.goto(site + _path(path))
    assert response is not None and response.status == 200
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


@pytest.mark.parametrize("path", EDITOR)
def test_cooperation_editor_pages_pass_axe(site: str, axe_page: Page, path: str):
    _log_in(axe_page, site, "hamar")
    response = axe_page.goto(site + _path(path))
    assert response is not None and response.status == 200
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


def test_cooperation_registered_from_the_form_shows_what_is_missing(site: str, page: Page):
    _log_in(page, site, "hamar")
    page.goto(site + "/samarbeid/ny/")
    page.locator("#id_name").fill("Hamarregionen barnevern")
    page.locator("#id_legal_form").select_option("host_administrative")
    page.get_by_label("Barnevern").check()
    page.locator("#id_host").fill("3403")

    page.locator("#id_p-0-organisation").fill("Hamar")
    page.locator("#id_p-1-organisation").fill("3412")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", name="Hamarregionen barnevern")).to_be_visible()
    # Before it can be active: the agreement (kommuneloven § 20-4). The notice to the
    # statsforvalter (§ 20-4 femte ledd) comes after it is set up, so it blocks nothing.
    expect(
        page.get_by_text("Registrer samarbeidets skriftlige avtale (kommuneloven § 20-4).")
    ).to_be_visible()
    page.get_by_role("link", name="Historikk").click()
    expect(page.get_by_role("heading", name="Opprettet")).to_be_visible()
    # Participants by name and share, not internal ids or JSON.
    expect(page.get_by_role("cell", name="Hamar kommune, Løten kommune")).to_be_visible()


def test_cooperation_filter_by_municipality_number(site: str, page: Page):
    page.goto(site + "/samarbeid/")
    page.get_by_label("Kommunenummer").fill("5601")
    page.get_by_role("button", name="Vis").click()
    expect(
        page.get_by_role("link", name="Regional motor for IKT og digitalisering")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Plankontor Hamarregionen KO")).to_have_count(0)
