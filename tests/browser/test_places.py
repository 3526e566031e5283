"""Finding and reading places in a real browser: search, facts, county, region, filters."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

KARASJOK = "5610"
FINNMARK = "56"


def _nb(message: str) -> str:
    """The bokmål text the page shows for an English source string."""
    with translation.override("nb"):
        return gettext(message)


def _fact(page: Page, label: str):
    """The <dd> that follows the <dt> with exactly this label in the facts list."""
    return page.locator(
        f"xpath=//dl[contains(@class, 'ks-facts')]/dt[normalize-space()='{label}']"
        "/following-sibling::dd[1]"
    )


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _current_municipality_numbers(*, county: str) -> set[str]:
    from kraftsenter.places.models import Municipality

    current = Municipality.objects.filter(county__number=county, valid_to__isnull=True)
    return set(current.values_list("number", flat=True))


@pytest.mark.parametrize("query", ["Kárášjohka", "karasjohka"], ids=["sami", "folded"])
def test_search_sami_name_leads_to_municipality_facts(site: str, page: Page, query: str):
    from kraftsenter.places.models import Municipality, PopulationFigure

    karasjok = Municipality.objects.select_related("county").get(number=KARASJOK)
    latest = (
        PopulationFigure.objects.filter(municipality=karasjok, population__isnull=False)
        .order_by("-year")
        .first()
    )
    assert latest is not None, "the reference data has no population figure for Karasjok"

    page.goto(site + "/")
    page.locator("#q").fill(query)
    page.locator("#q").press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q="))
    assert parse_qs(urlsplit(page.url).query)["q"] == [query]

    hit = page.locator("main .ks-results").get_by_role("link", name=karasjok.name)
    expect(hit).to_have_attribute("href", f"/kommuner/{KARASJOK}/")
    hit.click()
    page.wait_for_url(f"**/kommuner/{KARASJOK}/")

    expect(page.get_by_role("heading", level=1)).to_have_text(karasjok.name)
    expect(_fact(page, _nb("Municipality number"))).to_have_text(KARASJOK)
    expect(_fact(page, _nb("County"))).to_contain_text("Finnmark")
    population = _fact(page, _nb("Population"))
    expect(population).to_contain_text(str(latest.year))
    # The figure is grouped with a (non-breaking) space in bokmål: 2 551.
    assert _digits(population.inner_text()).startswith(str(latest.population))


def test_municipality_page_county_link_lists_county_municipalities(site: str, page: Page):
    in_finnmark = _current_municipality_numbers(county=FINNMARK)
    assert KARASJOK in in_finnmark

    page.goto(f"{site}/kommuner/{KARASJOK}/")
    breadcrumbs = page.locator("nav.ds-breadcrumbs")
    breadcrumbs.get_by_role("link", name=re.compile("Finnmark")).click()
    page.wait_for_url(f"**/fylker/{FINNMARK}/")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Finnmark")
    rows = page.locator("main table.ds-table tbody tr")
    expect(rows).to_have_count(len(in_finnmark))
    listed = {n.strip() for n in rows.locator("td:first-child").all_inner_texts()}
    assert listed == in_finnmark
    expect(rows.get_by_role("link", name=re.compile("Karasjok"))).to_have_attribute(
        "href", f"/kommuner/{KARASJOK}/"
    )


def test_region_page_hamarregionen_shows_map_and_centre(site: str, page: Page):
    from kraftsenter.places.models import Region

    region = Region.objects.select_related("centre").get(slug="hamarregionen")
    assert region.centre.number == "3403"
    members = {region.centre.number, *region.hinterland.values_list("number", flat=True)}
    assert len(members) > 1

    response = page.goto(f"{site}/regioner/hamarregionen/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text(region.name)

    drawing = page.locator("svg.ks-map")
    expect(drawing).to_have_count(1)
    expect(drawing.locator("path")).to_have_count(len(members))
    linked = {
        href.rstrip("/").rsplit("/", 1)[-1]
        for href in drawing.locator("a").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
    }
    assert linked == members
    expect(drawing.locator("path.ks-map__area--centre")).to_have_count(1)

    table = page.locator("main table.ds-table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(members))
    hamar = rows.filter(has=page.locator("td:first-child", has_text="3403"))
    expect(hamar.locator("td").nth(1)).to_contain_text("Hamar")
    expect(hamar.locator("td").nth(2)).to_have_text(_nb("centre"))
    expect(rows.first).to_contain_text("Hamar")


def test_front_page_typing_shows_live_results_without_submitting(site: str, page: Page):
    page.goto(site + "/")
    expect(page.locator("#search-results")).to_be_empty()
    with page.expect_response(lambda r: "/sok/" in r.url) as answer:
        page.locator("#q").press_sequentially("karasj", delay=30)
    assert answer.value.request.headers.get("hx-request") == "true"

    hit = page.locator(f"#search-results a[href='/kommuner/{KARASJOK}/']")
    expect(hit).to_be_visible()
    expect(hit).to_contain_text("Karasjok")
    assert urlsplit(page.url).path == "/", "typing must not submit the form"
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_municipality_list_county_filter_updates_table_and_url(site: str, page: Page):
    from kraftsenter.places.models import Municipality

    in_finnmark = _current_municipality_numbers(county=FINNMARK)
    total = Municipality.objects.filter(valid_to__isnull=True).count()
    assert 0 < len(in_finnmark) < 50 < total

    page.goto(site + "/kommuner/")
    rows = page.locator("#municipality-results tbody tr")
    expect(rows).to_have_count(50)  # the first page of all municipalities
    page.evaluate("window.__ksSamePage = true")  # gone if the browser loads a new page

    page.locator("select[name=county]").select_option(FINNMARK)
    page.wait_for_url(re.compile(rf"[?&]county={FINNMARK}(&|$)"))
    expect(rows, f"only the {len(in_finnmark)} municipalities in Finnmark").to_have_count(
        len(in_finnmark)
    )
    listed = {n.strip() for n in rows.locator("td:first-child").all_inner_texts()}
    assert listed == in_finnmark
    assert page.evaluate("window.__ksSamePage === true"), "the table should update in place"
    assert parse_qs(urlsplit(page.url).query).get("county") == [FINNMARK]

    # The address is shareable: opening it afresh shows the same filtered list.
    page.goto(page.url)
    expect(page.locator("select[name=county]")).to_have_value(FINNMARK)
    expect(rows).to_have_count(len(in_finnmark))


@pytest.mark.parametrize("path", ["/", "/kommuner/"], ids=["front-page", "municipality-list"])
def test_page_load_and_interaction_logs_no_console_errors(
    site: str, page: Page, console_errors: list[str], path: str
):
    """CSP violations, script errors and failed loads all reach the console as errors.

    The browser's own /favicon.ico request is left to the next test: Chromium reports its
    failure only once per browser process, so here it would depend on the order of the tests.
    """
    page.goto(site + path)
    page.wait_for_load_state("networkidle")
    if path == "/":
        page.locator("#q").press_sequentially("tromso", delay=30)
        expect(page.locator("#search-results a").first).to_be_visible()
    else:
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            page.locator("select[name=county]").select_option(FINNMARK)
        page.wait_for_url(re.compile(rf"county={FINNMARK}"))
    page.wait_for_load_state("networkidle")
    errors = [e for e in console_errors if "/favicon.ico" not in e]
    assert errors == [], "\n".join(errors)


def test_front_page_icon_request_finds_an_icon(site: str, page: Page):
    """Without an icon every first visit logs a 404 for /favicon.ico in the console."""
    page.goto(site + "/")
    declared = page.locator("link[rel~=icon]")
    href = declared.first.get_attribute("href") if declared.count() else "/favicon.ico"
    response = page.request.get(urljoin(page.url, href))
    assert response.status == 200, f"{href} answered {response.status}"
