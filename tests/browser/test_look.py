"""The look people trust: the design system's typeface self-hosted, print buttons that print."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def test_pages_render_in_the_self_hosted_inter_typeface(site: str, page: Page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(site + "/kommuner/")
    loaded = page.evaluate(
        """() => document.fonts.ready.then(() => [...document.fonts]
            .filter(f => f.family.replace(/"/g, '') === 'Inter Variable' && f.status === 'loaded')
            .length)"""
    )
    assert loaded >= 1, "no face of Inter was loaded: the page falls back to another font"
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert family.startswith('"Inter Variable"')
    fonts = [url for url in requests if url.endswith(".woff2")]
    assert fonts and all(url.startswith(site) for url in fonts), fonts


def test_printable_profile_has_a_print_button_that_prints(site: str, page: Page):
    page.goto(site + "/kommuner/4001/profil/")
    # A function, not a bare expression: evaluate() would call the function it returns.
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button = page.locator("[data-ks-print]")
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(button).to_be_hidden()


def _protocol_path() -> str:
    from kraftsenter.consultations.models import Protocol

    protocol = Protocol.objects.order_by("pk").first()
    assert protocol is not None, "the demo content has no consultation protocol"
    return protocol.get_absolute_url()


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("/kommuner/3403/eierskapsoversikt/", id="ownership-report-municipality"),
        pytest.param("/fylker/34/eierskapsoversikt/", id="ownership-report-county"),
        pytest.param("/regioner/hamarregionen/profil/", id="region-profile"),
        pytest.param("{protocol}", id="consultation-protocol"),
    ],
)
def test_every_printable_page_has_a_print_button_that_prints(site: str, page: Page, path: str):
    if path == "{protocol}":
        path = _protocol_path()
    page.goto(site + path)
    page.evaluate(
        "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"
    )
    button = page.get_by_role("button", name="Skriv ut")
    expect(button).to_have_count(1)
    expect(button).to_be_visible()
    button.click()
    assert page.evaluate("window.__printed") == 1
    page.emulate_media(media="print")
    expect(button).to_be_hidden()
