"""places.selectors read what the ORM reads, however they build their statements."""

from __future__ import annotations

import pytest
from django.db.models import Prefetch
from django.http import Http404

from kraftsenter.places import selectors
from kraftsenter.places.models import Municipality, Region

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def _orm(slug: str) -> Region:
    return (
        Region.objects.select_related("centre", "centre__county")
        .prefetch_related(
            Prefetch("hinterland", queryset=Municipality.objects.select_related("county"))
        )
        .get(slug=slug)
    )


def test_region_get_reads_the_region_with_its_centre_and_hinterland(
    small_places, django_assert_num_queries
):
    hamar, loten, karasjok = (Municipality.objects.get(number=n) for n in ("3403", "3412", "5610"))
    first = Region.objects.create(name="Første", slug="forste", centre=hamar)
    first.hinterland.add(karasjok, loten)
    Region.objects.create(name="Andre", slug="andre", centre=loten)
    for slug, hinterland in (("forste", ["3412", "5610"]), ("andre", [])):
        with django_assert_num_queries(2):
            region = selectors.region_get(slug=slug)
        orm = _orm(slug)
        with django_assert_num_queries(0):  # the centre, its county and the hinterland
            assert _fields(region) == _fields(orm)
            assert _fields(region.centre) == _fields(orm.centre)
            assert _fields(region.centre.county) == _fields(orm.centre.county)
            members = list(region.hinterland.all())
            assert [m.number for m in members] == hinterland
            assert [_fields(m) for m in members] == [_fields(m) for m in orm.hinterland.all()]
            assert [_fields(m.county) for m in members] == [
                _fields(m.county) for m in orm.hinterland.all()
            ]
        # Asked for more than the prefetched rows, the manager still reads this region's own.
        assert list(region.hinterland.filter(number="5610")) == (
            [karasjok] if slug == "forste" else []
        )
    # The statements are kept, not the rows: a change is there at the next read.
    Region.objects.get(slug="andre").hinterland.add(hamar)
    assert [m.number for m in selectors.region_get(slug="andre").hinterland.all()] == ["3403"]
    with pytest.raises(Http404):
        selectors.region_get(slug="finnes-ikke")
