"""Plans, partnerships, agreements, commitments and dashboards in the browser: accessibility of
every page type (axe), and a follow-up flow through the forms.

The demo agreements are loaded here if the site's demo loader does not load them yet, so the
file works before and after ``load_demo_agreements()`` is wired into ``core/demo.py``. Forms are
driven through element ids and the submit button, not through translated labels.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_accessibility import _blocking_violations, _report
from .test_accounts import _log_in

pytestmark = pytest.mark.browser

SMALL_TOWN = "Småbyavtale Mosjøen og omland 2025–2028 (eksempel)"


@pytest.fixture
def demo(site: str) -> dict[str, int]:
    """The ids the paths below are formatted with."""
    from kraftsenter.actors.models import Organisation
    from kraftsenter.agreements.models import Agreement, Partnership, Plan
    from kraftsenter.demo.agreements import load_demo_agreements

    load_demo_agreements()
    agreement = Agreement.objects.get(title=SMALL_TOWN)
    return {
        "agreement": agreement.pk,
        "growth": Agreement.objects.filter(kind="regional_growth").order_by("pk").first().pk,
        "report": agreement.reports.first().pk,
        "commitment": agreement.commitments.order_by("pk").first().pk,
        "plan": Plan.objects.get(kind="action_programme").pk,
        "strategy": Plan.objects.get(owner__municipality__number="1826").pk,
        "partnership": Partnership.objects.get().pk,
        "org": Organisation.objects.get(name="Nordland fylkeskommune").pk,
    }


PUBLIC = [
    "/avtaler/",
    "/avtaler/?county=18&kind=regional_growth",
    "/avtaler/{agreement}/",
    "/avtaler/{growth}/",
    "/avtaler/{agreement}/historikk/",
    "/avtaler/{agreement}/rapporter/{report}/",
    "/forpliktelser/",
    "/forpliktelser/?status=at_risk&county=18",
    "/forpliktelser/{commitment}/",
    "/planer/",
    "/planer/{plan}/",
    "/planer/{strategy}/",
    "/planer/fylker/18/",
    "/partnerskap/",
    "/partnerskap/{partnership}/",
    "/dashbord/",
    "/dashbord/fylker/18/",
    "/dashbord/organisasjoner/{org}/",
]
EDITOR = [
    "/avtaler/ny/",
    "/avtaler/{agreement}/endre/",
    "/avtaler/{agreement}/parter/",
    "/avtaler/{agreement}/vedtak/ny/",
    "/avtaler/{agreement}/mal/ny/",
    "/avtaler/{agreement}/forankring/ny/",
    "/avtaler/{agreement}/dokumenter/ny/",
    "/avtaler/{agreement}/forpliktelser/ny/",
    "/avtaler/{agreement}/rapporter/ny/",
    "/avtaler/{agreement}/rapporter/{report}/",
    "/avtaler/{agreement}/forny/",
    "/forpliktelser/{commitment}/endre/",
    "/planer/ny/",
    "/planer/{plan}/endre/",
    "/planer/{plan}/tiltak/ny/",
    "/partnerskap/ny/",
    "/partnerskap/{partnership}/endre/",
    "/partnerskap/{partnership}/moter/ny/",
    "/partnerskap/{partnership}/vedtak/ny/",
    "/dashbord/varsler/",
]


@pytest.mark.parametrize("path", PUBLIC)
def test_agreement_public_pages_pass_axe(site: str, demo: dict, axe_page: Page, path: str):
    response = axe_page.goto(site + path.format(**demo))
    assert response is not None and response.status == 200
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


@pytest.mark.parametrize("path", EDITOR)
def test_agreement_editor_pages_pass_axe(site: str, demo: dict, axe_page: Page, path: str):
    _log_in(axe_page, site, "nordland")
    response = axe_page.goto(site + path.format(**demo))
    assert response is not None and response.status == 200
    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


def test_dropped_commitment_needs_a_reason_then_appears_on_the_dashboard(
    site: str, demo: dict, page: Page, console_errors: list[str]
):
    from kraftsenter.agreements.models import Commitment

    _log_in(page, site, "nordland")
    page.goto(f"{site}/avtaler/{demo['agreement']}/forpliktelser/ny/")
    page.locator("#id_party").select_option(str(demo["org"]))
    page.locator("#id_description").fill("Eksempel: ny hurtigladestasjon ved rådhuset")
    page.locator("#id_due_date").fill("2027-05-01")
    page.locator("#id_status").select_option("dropped")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_status_reason-error")).to_be_visible()
    assert not Commitment.objects.filter(description__contains="hurtigladestasjon").exists()
    page.locator("#id_status_reason").fill("Eksempel: finansiert av staten i stedet")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{site}/avtaler/{demo['agreement']}/")
    commitment = Commitment.objects.get(description__contains="hurtigladestasjon")
    assert commitment.status == "dropped"
    page.goto(f"{site}/dashbord/organisasjoner/{demo['org']}/")
    expect(page.locator(".ks-bars")).to_be_visible()
    page.goto(f"{site}/forpliktelser/{commitment.pk}/historikk/")
    expect(page.get_by_role("heading", name="Forpliktelse lagt til")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Status")).to_be_visible()
    expect(page.get_by_role("cell", name="Avbrutt")).to_be_visible()
    # The refused first save answers 422, which the browser logs; nothing else may fail.
    assert not [e for e in console_errors if "(422" not in e and "status of 422" not in e]


def test_county_view_highlights_an_overdue_planning_strategy(site: str, demo: dict, page: Page):
    page.goto(f"{site}/planer/fylker/18/?valgar=2023")
    row = page.locator("tr.ks-deadline--overdue", has_text="Hattfjelldal")
    expect(row).to_be_visible()
    expect(
        row.get_by_role("link", name="Kommunal planstrategi Hattfjelldal 2024–2027 (eksempel)")
    ).to_be_visible()


def test_commitment_list_filters_by_status(site: str, demo: dict, page: Page):
    page.goto(site + "/forpliktelser/")
    page.locator("#id_status").select_option("dropped")
    page.locator("main form.ks-filters button[type=submit]").click()
    expect(page.get_by_role("link", name="Eksempel: Felles parkeringsløsning.")).to_be_visible()
    expect(
        page.get_by_role(
            "link", name="Eksempel: Regulere sentrumsområdet for boliger og møteplasser."
        )
    ).to_have_count(0)
