"""Every page type passes axe-core without serious or critical violations."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Page

from .conftest import AXE_SCRIPT

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

# (page type, address, expected status); {organisation} is the first organisation's id.
PAGES = [
    ("front-page", "/", 200),
    ("search-results", "/sok/?q=K%C3%A1r%C3%A1%C5%A1johka", 200),
    ("county-list", "/fylker/", 200),
    ("county-detail", "/fylker/18/", 200),
    ("municipality-list", "/kommuner/", 200),
    ("municipality-list-filtered", "/kommuner/?county=56", 200),
    ("municipality-detail-sami", "/kommuner/5610/", 200),
    ("municipality-detail", "/kommuner/3403/", 200),
    ("region-list", "/regioner/", 200),
    ("region-detail", "/regioner/hamarregionen/", 200),
    ("organisation-list", "/organisasjoner/", 200),
    ("organisation-detail", "/organisasjoner/{organisation}/", 200),
    ("about-data", "/om/data/", 200),
    ("accessibility-statement", "/om/tilgjengelighet/", 200),
    ("not-found", "/finnes-ikke/", 404),
]


def _blocking_violations(page: Page) -> list[dict]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v.get("impact") in BLOCKING]


def _report(path: str, violations: list[dict]) -> str:
    lines = [f"{len(violations)} serious/critical axe violation(s) on {path}:"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(
                f"    {json.dumps(node['target'], ensure_ascii=False)}: {node['html'][:160]}"
            )
            summary = " ".join(node.get("failureSummary", "").split())
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def _first_organisation_id() -> int:
    from kraftsenter.actors.models import Organisation

    pk = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    assert pk is not None, "the demo content created no organisations"
    return pk


@pytest.mark.parametrize(
    ("path", "status"), [pytest.param(path, status, id=name) for name, path, status in PAGES]
)
def test_page_type_axe_check_has_no_serious_violations(
    site: str, axe_page: Page, path: str, status: int
):
    if "{organisation}" in path:
        path = path.format(organisation=_first_organisation_id())
    response = axe_page.goto(site + path)
    assert response is not None and response.status == status, (
        f"{path}: {response and response.status}"
    )

    violations = _blocking_violations(axe_page)
    assert not violations, _report(path, violations)


def test_front_page_live_results_axe_check_has_no_serious_violations(site: str, axe_page: Page):
    axe_page.goto(site + "/")
    axe_page.locator("#q").press_sequentially("karasj", delay=30)
    axe_page.locator("#search-results a").first.wait_for()

    violations = _blocking_violations(axe_page)
    assert not violations, _report("/ (with live search results)", violations)
