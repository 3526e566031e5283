"""The demo without a data directory and without the official sources: the built-in set.

``load_demo`` falls back to ``places/builtin/`` and loads its statistics through the normal
import path; then no page of the demo's places shows "None", an empty chart or an empty list
where the built-in set has the figures.
"""

from __future__ import annotations

import re
import socket

import pytest
from django.core.management import call_command
from django.urls import reverse

from kraftsenter.core.models import DataImport
from kraftsenter.knowledge.importers.builtin import DEMO_MUNICIPALITIES, STATISTICS_COUNTY
from kraftsenter.knowledge.models import (
    CommutingFlow,
    EmissionFigure,
    EmploymentFigure,
    IndustryEmployment,
)
from kraftsenter.places.models import County, Municipality, PopulationFigure, Region

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def builtin_demo(settings):
    """``load_demo`` with no data directory and every official source refusing connections."""
    base = f"http://127.0.0.1:{_closed_port()}/"
    settings.KRAFTSENTER_DATA_DIR = ""
    settings.KRAFTSENTER_SOURCES = {
        key: base for key in ("klass", "pxweb", "kommuneinfo", "emissions", "boundaries")
    }
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_load_demo_without_sources_imports_the_builtin_statistics(builtin_demo):
    runs = {run.kind: run for run in DataImport.objects.all()}
    assert runs["places"].source == "builtin"
    stats = runs["statistics"]
    assert stats.source == "builtin" and stats.summary["commuting"]["created"] > 0
    for number in DEMO_MUNICIPALITIES:
        m = Municipality.objects.get(number=number)
        assert m.boundary and m.centrality_class, number
        figures = PopulationFigure.objects.filter(municipality=m).order_by("year")
        # The latest year and the ten before it (the profile compares with ten years earlier).
        assert len(figures) == 11 and figures.last().population, number
        # SSB's series on 2024 borders has no figure before 2020 for 1806 Narvik and 1875
        # Hamarøy (split in 2020): stored as not available, with SSB's reason.
        assert all(f.population or f.note for f in figures), number
        assert EmploymentFigure.objects.filter(municipality=m).exists(), number
        assert CommutingFlow.objects.filter(home=m, work=m).exists(), number
    telemark = Municipality.objects.filter(county__number=STATISTICS_COUNTY)
    assert telemark.count() == 17
    for m in telemark:
        assert IndustryEmployment.objects.filter(municipality=m).exists(), m.number
        assert EmissionFigure.objects.filter(municipality=m).exists(), m.number


PARAMETER = "indikator"
#: Municipalities whose population ten years before the latest year SSB does not give on 2024
#: borders (split in 2020): their ten-year change is genuinely missing.
NO_POPULATION_2016 = {"1806", "1875"}
TELEMARK_REGION = "grenland"


def _text(html: str) -> str:
    """The page without scripts, styles and tags, for looking for words."""
    html = re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def _section(html: str, name: str) -> str:
    """One section of a profile page (``ks-p-<name>``)."""
    start = html.index(f'id="ks-p-{name}"')
    end = html.find("<section", start)
    return html[start : end if end > 0 else len(html)]


def _pages() -> list[str]:
    pages = ["/", "/om/data/", reverse("places:region-list"), reverse("knowledge:region-compute")]
    for m in Municipality.objects.all():
        pages += [
            reverse("places:municipality-detail", args=[m.number]),
            reverse("knowledge:municipality-profile", args=[m.number]),
        ]
    for c in County.objects.filter(municipalities__isnull=False).distinct():
        pages += [
            reverse("places:county-detail", args=[c.number]),
            reverse("knowledge:county-map", args=[c.number]),
        ]
    for r in Region.objects.all():
        pages += [
            reverse("places:region-detail", args=[r.slug]),
            reverse("knowledge:region-profile", args=[r.slug]),
            reverse("knowledge:region-map", args=[r.slug]),
            f"{reverse('knowledge:scenario-create')}?region={r.slug}",
        ]
    return pages


def test_demo_pages_never_show_none(builtin_demo, admin_client):
    pages = _pages()
    assert len(pages) > 100
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert not re.search(r"\bNone\b", _text(response.content.decode())), url


def test_profiles_have_the_figures_the_builtin_set_has(builtin_demo, client):
    for m in Municipality.objects.select_related("county"):
        html = client.get(reverse("knowledge:municipality-profile", args=[m.number])).content
        page = html.decode()
        population = _section(page, "population")
        assert "<svg" in population, m.number  # the ten-year chart
        if m.number not in NO_POPULATION_2016:
            assert "ks-nodata" not in population, m.number
        for name in ("employment", "commuting"):
            assert "ks-nodata" not in _section(page, name), (m.number, name)
        if m.county.number == STATISTICS_COUNTY:
            industry, emissions = _section(page, "industry"), _section(page, "emissions")
            assert "<svg" in industry and "<svg" in emissions, m.number
            # Only the location quotient against Norway is missing: no national reference.
            facts = industry.split("<table", 1)[0]
            assert "ks-nodata" not in facts and "ks-nodata" not in emissions.split("<table")[0]
        else:
            # Genuinely missing (the built-in set has industry and emissions for Telemark
            # only): said as "no data", never as a zero.
            assert "ks-nodata" in _section(page, "emissions"), m.number


def test_region_profiles_have_commuting_and_say_the_flows_are_a_selection(builtin_demo, client):
    for region in Region.objects.all():
        page = client.get(reverse("knowledge:region-profile", args=[region.slug])).content.decode()
        commuting = _section(page, "commuting")
        assert "ks-nodata" not in commuting.split("<table", 1)[0], region.slug
        assert "data-ks-selection" in commuting, region.slug
        rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", commuting, flags=re.S)
        assert rows and all("ks-nodata" not in row for row in rows), region.slug


def test_maps_colour_every_demo_municipality(builtin_demo, client):
    telemark = reverse("knowledge:county-map", args=[STATISTICS_COUNTY])
    for key in ("befolkning", "utpendling", "arbeidsplassdekning", "utslipp-per-innbygger"):
        page = client.get(f"{telemark}?{PARAMETER}={key}").content.decode()
        classes = re.findall(r"ks-map__area ks-choro (ks-choro--\w+)", page)
        assert len(classes) == 17 and "ks-choro--none" not in classes, key
        assert "ks-legend__label" in page, key
    for county in ("18", "34", "50", "55", "56"):
        page = client.get(reverse("knowledge:county-map", args=[county])).content.decode()
        classes = re.findall(r"ks-map__area ks-choro (ks-choro--\w+)", page)
        assert classes and "ks-choro--none" not in classes, county
    for region in Region.objects.all():
        url = reverse("knowledge:region-map", args=[region.slug])
        page = client.get(f"{url}?{PARAMETER}=utpendling").content.decode()
        classes = re.findall(r"ks-map__area ks-choro (ks-choro--\w+)", page)
        assert classes and "ks-choro--none" not in classes, region.slug


def test_scenario_form_offers_base_years_where_there_are_emissions(builtin_demo, admin_client):
    url = reverse("knowledge:scenario-create")
    page = admin_client.get(f"{url}?region={TELEMARK_REGION}").content.decode()
    select = re.search(r'<select name="base_year".*?</select>', page, flags=re.S).group(0)
    years = re.findall(r'<option value="(\d{4})"', select)
    assert len(years) >= 3 and "2009" in years
    # Hamar has no emission figures in the built-in set: the form says so.
    page = admin_client.get(f"{url}?region=hamarregionen").content.decode()
    assert 'data-color="warning"' in page
