"""places.selectors read what the ORM reads, however they build their statements."""

from __future__ import annotations

import pytest
from django.db.models import Prefetch, TextField
from django.db.models.functions import Cast
from django.http import Http404

from kraftsenter.places import selectors
from kraftsenter.places.models import Municipality, Region

pytestmark = pytest.mark.django_db


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def _orm(slug: str) -> Region:
    """The region as the ORM reads it, the members' boundaries and search texts left unread
    (region_municipalities gives the boundaries to the pages that draw)."""
    return (
        Region.objects.select_related("centre", "centre__county")
        .defer("centre__boundary", "centre__search_text")
        .prefetch_related(
            Prefetch(
                "hinterland",
                queryset=Municipality.objects.select_related("county").defer(
                    "boundary", "search_text"
                ),
            )
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
    # A member's boundary is not read with the region, and is still there when asked for.
    region = selectors.region_get(slug="forste")
    with django_assert_num_queries(1):
        assert region.centre.boundary == hamar.boundary
    # The statements are kept, not the rows: a change is there at the next read.
    Region.objects.get(slug="andre").hinterland.add(hamar)
    assert [m.number for m in selectors.region_get(slug="andre").hinterland.all()] == ["3403"]
    with pytest.raises(Http404):
        selectors.region_get(slug="finnes-ikke")


def test_county_get_reads_the_county_by_its_number(small_places, django_assert_num_queries):
    from kraftsenter.places.models import County

    for number in ("34", "56"):
        with django_assert_num_queries(1):
            county = selectors.county_get(number=number)
        assert _fields(county) == _fields(County.objects.get(number=number))
    County.objects.filter(number="56").update(name_nb="Finnmark – Finnmárku")
    assert selectors.county_get(number="56").name_nb == "Finnmark – Finnmárku"
    for unknown in ("99", "", "3403"):
        with pytest.raises(Http404):
            selectors.county_get(number=unknown)


def test_boundary_texts_are_the_stored_boundaries_of_the_numbers_asked_for(small_places):
    stored = {
        m.number: (None if m.boundary is None else m.boundary_text)
        for m in Municipality.objects.annotate(
            boundary_text=Cast("boundary", output_field=TextField())
        )
    }
    for numbers in (["3403"], ["3403", "3412"], ["5610", "3403", "9999"], []):
        texts = selectors.municipality_boundary_texts(numbers=numbers)
        assert texts == {n: stored[n] for n in numbers if n in stored}
    assert any(texts for texts in stored.values()) and None in stored.values()
    # More numbers than one statement takes: read all the same.
    many = ["3403"] + [f"{n:04d}" for n in range(1000, 2100)]
    assert selectors.municipality_boundary_texts(numbers=many) == {"3403": stored["3403"]}


def test_municipality_get_reads_one_row_without_its_boundary_until_asked(
    small_places, django_assert_num_queries
):
    """Every municipality page and answer reads its municipality by number: its county comes
    with it, the boundary and the search text are left unread (none of them shows them) and
    read from the database if something asks after all."""
    for number in ("3403", "3412", "5610"):
        with django_assert_num_queries(1):
            municipality = selectors.municipality_get(number=number)
        orm = Municipality.objects.select_related("county").get(number=number)
        assert municipality.get_deferred_fields() == {"boundary", "search_text"}
        read = _fields(municipality)
        assert read == {k: v for k, v in _fields(orm).items() if k in read}
        with django_assert_num_queries(0):
            assert _fields(municipality.county) == _fields(orm.county)
        with django_assert_num_queries(1):
            assert municipality.boundary == orm.boundary
    assert Municipality.objects.get(number="3403").boundary is not None  # one drawn at all
    with pytest.raises(Http404):
        selectors.municipality_get(number="9999")


def test_region_members_have_the_population_of_the_year_asked_for(small_places):
    from kraftsenter.places.models import PopulationFigure

    hamar, loten, karasjok = (Municipality.objects.get(number=n) for n in ("3403", "3412", "5610"))
    region = Region.objects.create(name="Første", slug="forste", centre=hamar)
    region.hinterland.add(karasjok, loten)
    region = selectors.region_get(slug="forste")
    for year in sorted(set(PopulationFigure.objects.values_list("year", flat=True)))[-3:]:
        members = selectors.region_members(region=region, population_year=year)
        assert [m.number for m in members] == ["3403", "3412", "5610"]
        stored = dict(
            PopulationFigure.objects.filter(year=year).values_list(
                "municipality__number", "population"
            )
        )
        assert [m.population for m in members] == [stored.get(m.number) for m in members]
    # a figure changed is there at the next read: the statement is kept, not the rows
    assert PopulationFigure.objects.filter(municipality=loten, year=year).update(population=12_345)
    members = selectors.region_members(region=region, population_year=year)
    assert members[1].population == 12_345


def test_region_current_is_the_region_not_archived_read_in_one_query(
    small_places, client, django_assert_num_queries
):
    from django.utils import timezone

    hamar, loten = (Municipality.objects.get(number=n) for n in ("3403", "3412"))
    first = Region.objects.create(name="Første", slug="forste", centre=hamar)
    second = Region.objects.create(name="Andre", slug="andre", centre=loten)
    for region in (first, second):
        with django_assert_num_queries(1):
            found = selectors.region_current(slug=region.slug)
        assert _fields(found) == _fields(Region.objects.get(pk=region.pk))
    Region.objects.filter(pk=second.pk).update(archived_at=timezone.now())
    with pytest.raises(Http404):
        selectors.region_current(slug="andre")
    assert selectors.region_current(slug="forste").pk == first.pk
    with pytest.raises(Http404):
        selectors.region_current(slug="finnes-ikke")
    # the region profile answers for the one, and 404 for the archived one
    assert client.get("/api/v1/regions/forste/profile").status_code == 200
    archived = client.get("/api/v1/regions/andre/profile")
    assert archived.status_code == 404 and archived.json()["code"] == "not_found"
