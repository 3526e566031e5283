"""The region select of the agreement and cooperation filters (places.filters.RegionFilter):
the regions not archived are read once per form, with a statement kept per process, and give
both the options and the region chosen; an unknown, malformed or archived region is refused as
before, a region made or archived since the last form is seen at the next one, and the second
region filters as the first."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements.filters import AgreementFilter
from kraftsenter.agreements.models import Agreement
from kraftsenter.cooperations.filters import CooperationFilter
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.services import region_archive, region_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions(small_places):
    """Two regions, the second with a Sami name and an archived third."""
    hamar, loten, alta, karasjok = (
        Municipality.objects.get(number=n) for n in ("3403", "3412", "5601", "5610")
    )
    first = region_create(actor="t", name="Hamarregionen", centre=hamar, hinterland=[loten])
    second = region_create(actor="t", name="Vest-Finnmark", centre=alta, hinterland=[karasjok])
    gone = region_create(actor="t", name="Nedlagt region", centre=loten)
    region_archive(actor="t", region=gone, reason="Slått sammen")
    return first, second, gone


def _region_reads(queries) -> int:
    return sum('FROM "places_region"' in q["sql"] for q in queries)


@pytest.mark.parametrize("path", ["/avtaler/", "/samarbeid/"])
def test_the_regions_are_read_once_for_the_options_and_the_choice(client, regions, path):
    first, second, gone = regions
    for chosen, other in ((first, second), (second, first)):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(path, {"region": chosen.slug}).content.decode()
        assert _region_reads(queries) == 1
        select = page.split('name="region"')[1].split("</select>")[0]
        assert f'<option value="{chosen.slug}" selected>{chosen.name}</option>' in select
        assert f'<option value="{other.slug}">{other.name}</option>' in select
        assert gone.slug not in select
        assert select.count("<option") == 3  # and "All regions"


@pytest.mark.parametrize(
    ("filterset", "model"), [(AgreementFilter, Agreement), (CooperationFilter, Cooperation)]
)
def test_a_wrong_or_archived_region_is_refused(regions, filterset, model):
    first, second, gone = regions
    for chosen in (first, second):
        found = filterset({"region": chosen.slug}, queryset=model.objects.all())
        assert found.is_valid() and found.form.cleaned_data["region"] == chosen
    for wrong in (gone.slug, "finnes-ikke", first.slug.upper(), "x" * 300):
        refused = filterset({"region": wrong}, queryset=model.objects.all())
        assert not refused.is_valid() and "region" in refused.errors, wrong


def test_a_region_made_or_archived_since_is_seen_at_the_next_form(client, regions):
    first, second, _gone = regions
    client.get("/avtaler/", {"region": first.slug})
    new = region_create(actor="t", name="Ny region", centre=Municipality.objects.get(number="5610"))
    region_archive(actor="t", region=second, reason="Slått sammen")
    page = client.get("/avtaler/", {"region": new.slug}).content.decode()
    assert f'<option value="{new.slug}" selected>Ny region</option>' in page
    assert f'value="{second.slug}"' not in page
    response = client.get("/api/v1/cooperations", {"region": second.slug})
    assert response.status_code == 422
    assert Region.objects.filter(slug=second.slug).exists()  # archived, not deleted
