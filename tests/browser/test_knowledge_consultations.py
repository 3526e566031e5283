"""Knowledge-base and consultation pages in the browser: axe on every page type, key flows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser


def _case_id() -> int:
    from kraftsenter.consultations.models import Consultation

    return Consultation.objects.order_by("pk").values_list("pk", flat=True).first()


def _protocol_id() -> int:
    from kraftsenter.consultations.models import Protocol

    return Protocol.objects.order_by("pk").values_list("pk", flat=True).first()


PUBLIC = [
    "/regioner/hamarregionen/profil/",
    "/kommuner/4001/profil/",
    "/kart/fylke/40/?indikator=utslipp-per-innbygger",
    "/kart/region/hamarregionen/?indikator=utpendling",
    "/regioner/beregn/",
    "/kunnskap/scenarier/",
    "/konsultasjoner/",
    "/konsultasjoner/{case}/",
    "/konsultasjoner/{case}/protokoller/{protocol}/",
]
LOGGED_IN = [
    "/kunnskap/scenarier/ny/?kommune=4001",
    "/konsultasjoner/ny/",
    "/konsultasjoner/{case}/informasjon/ny/",
    "/konsultasjoner/{case}/protokoller/ny/",
]


def _path(path: str) -> str:
    return path.format(case=_case_id(), protocol=_protocol_id())


@pytest.mark.parametrize("path", PUBLIC)
def test_public_knowledge_and_consultation_pages_pass_axe(site: str, axe_page: Page, path: str):
    response = axe_page.goto(site + _path(path))
    assert response is not None and response.status == 200, path
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


@pytest.mark.parametrize("path", LOGGED_IN)
def test_admin_pages_pass_axe(site: str, axe_page: Page, path: str):
    _log_in(axe_page, site, "admin")
    response = axe_page.goto(site + _path(path))
    assert response is not None and response.status == 200, path
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


def test_profile_shows_sources_and_no_data_instead_of_zero(site: str, page: Page):
    page.goto(site + "/kommuner/4001/profil/")
    expect(page.get_by_text("07459").first).to_be_visible()
    page.goto(site + "/kommuner/3403/profil/")  # Hamar: no industry or emission figures
    expect(page.get_by_text("ingen data").first).to_be_visible()


def test_protocol_print_has_both_languages(site: str, page: Page):
    page.goto(site + _path("/konsultasjoner/{case}/protokoller/{protocol}/"))
    expect(page.locator('section[lang="se"]')).to_be_visible()
    expect(page.locator('section[lang="nb"]')).to_be_visible()
