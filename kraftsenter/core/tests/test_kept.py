"""core.kept: a filtered list read with kept statements gives what the ORM gives, for every
value of every filter (the second value through the statement the first one built), and a
filter whose value the query changes, or that reads more than its value, is read through the
ORM instead of being kept wrong."""

from __future__ import annotations

import django_filters
import pytest
from django.db.models import QuerySet
from django.http import QueryDict

from kraftsenter.core import kept, paging, prepared
from kraftsenter.core.light import light
from kraftsenter.places.filters import CountyFilter, MunicipalityFilter
from kraftsenter.places.models import County, Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_statements():
    """Each test sees the statements it builds itself (they are rebuilt as used)."""
    prepared._statements.clear()
    kept._refused.clear()
    kept._bound.clear()


def _base(who) -> QuerySet:
    return light(
        Municipality.objects.filter(valid_to__isnull=True).order_by("number"),
        "number",
        "name",
        "county__number",
    )


#: The filters below, all named in ``kept_filters``: whether they are kept is for core.kept.
_EXTRA = ("small", "valid_before", "at_most", "named", "starting", "county_by_number")


class _Municipalities(MunicipalityFilter):
    """The municipality filters, and some that show how values reach a kept statement."""

    small = django_filters.BooleanFilter(method="filter_small")
    valid_before = django_filters.DateFilter(field_name="valid_from", lookup_expr="lt")
    at_most = django_filters.NumberFilter(field_name="centrality_class", lookup_expr="lte")
    # iexact escapes the value's % and _ on SQLite: changed on its way in there.
    named = django_filters.CharFilter(field_name="name_nb", lookup_expr="iexact")
    # startswith adds a % to the value on every database.
    starting = django_filters.CharFilter(field_name="name_nb", lookup_expr="startswith")
    # Reads the county's number, not just its key: the stand-in is no county.
    county_by_number = CountyFilter(method="filter_county_by_number")

    kept_filters = (*MunicipalityFilter.kept_filters, *_EXTRA)

    class Meta(MunicipalityFilter.Meta):
        fields = [*MunicipalityFilter.Meta.fields, *_EXTRA]

    def filter_small(self, queryset, name, value):
        return (
            queryset.filter(centrality_class__gte=5)
            if value
            else queryset.exclude(centrality_class__gte=5)
        )

    def filter_county_by_number(self, queryset, name, value):
        return queryset.filter(county__number=value.number)


def _read(params: str, key: str = "test-kept") -> tuple[list[dict], int, list[dict], int]:
    """(the kept list's first page of 2 and its count, what the ORM reads for the same)."""
    filterset = _Municipalities(QueryDict(params), queryset=None)
    assert filterset.is_valid(), filterset.errors
    found = filterset.kept_list(key, _base, None)
    assert found is not None
    rows, total = found.page(0, 2)
    count = found.count() if total is None else total
    orm = _Municipalities(QueryDict(params), queryset=_base(None))
    assert orm.is_valid()
    expected = list(orm.qs)
    return [vars(r) for r in rows], count, [vars(r) for r in expected[:2]], len(expected)


def _kept_keys(key: str = "test-kept") -> list:
    return [k for k in prepared._statements if k[0][0][:2] == ("kept-list", key)]


@pytest.mark.parametrize(
    "first,second",
    [
        ("county=34", "county=56"),
        ("centrality_class=3", "centrality_class=6"),
        ("valid_before=2030-01-01", "valid_before=2000-01-01"),
        ("at_most=4", "at_most=5"),
        ("small=true", "small=false"),
        ("county=34&centrality_class=5", "county=56&centrality_class=5"),
        ("", ""),
    ],
)
def test_each_value_reads_what_the_orm_reads(small_places, first, second):
    for params in (first, second, first):
        rows, count, expected, expected_count = _read(params)
        assert rows == expected, params
        assert count == expected_count, params
    assert _kept_keys(), "the list was read through the ORM, not kept"
    assert not [k for k in kept._refused if k[0][:2] == ("kept-list", "test-kept")]


def test_a_yes_or_no_value_is_part_of_the_shape(small_places):
    _read("small=true")
    _read("small=false")
    shapes = {k[0][0][3] for k in _kept_keys()}
    assert shapes == {(("small", ("bool", True)),), (("small", ("bool", False)),)}


def test_a_value_the_query_changes_is_read_through_the_orm(small_places):
    # startswith adds a %: no statement can be kept with it, and both values are right.
    for params in ("starting=Ha", "starting=Al", "starting=Ha_"):
        rows, count, expected, expected_count = _read(params)
        assert (rows, count) == (expected, expected_count)
    assert [r["number"] for r in _read("starting=Ha")[0]] == ["3403"]
    assert not _kept_keys()
    # iexact: an underscore is a letter, not a wildcard, however the database escapes it.
    assert [r["number"] for r in _read("named=HAMAR")[0]] == ["3403"]
    assert _read("named=Ha_ar")[:2] == ([], 0)
    assert _read("named=hamar")[1] == 1


def test_a_filter_that_reads_more_than_the_key_is_read_through_the_orm(small_places):
    for params in ("county_by_number=34", "county_by_number=56"):
        rows, count, expected, expected_count = _read(params)
        assert (rows, count) == (expected, expected_count)
        assert {r["county"].number for r in rows} == {params[-2:]}
    assert not _kept_keys()


def test_a_filter_not_named_or_a_text_search_is_read_through_the_orm(small_places):
    for params in ("q=ham", "sami_language_area=true"):
        filterset = _Municipalities(QueryDict(params), queryset=None)
        assert filterset.is_valid()
        assert filterset.kept_list("test-kept", _base, None) is None


def test_a_full_page_is_counted_and_a_page_past_the_end_is_empty(small_places):
    filterset = _Municipalities(QueryDict("county=34"), queryset=None)
    assert filterset.is_valid()
    found = filterset.kept_list("test-kept", _base, None)
    assert [r.number for r in found.page(0, 1)[0]] == ["3403"]
    assert [r.number for r in found[1:2]] == ["3412"]
    assert found.page(4, 6) == ([], None)
    assert len(found) == 2 == paging.count(found.queryset())


def test_a_county_list_reads_its_page_with_the_count(small_places):
    """A filter named in ``count_with_page`` (the cooperations' county): the page and the
    count in one statement, the count of the whole list on each row."""

    class WithCount(_Municipalities):
        count_with_page = ("county",)

    for number, n in (("34", 2), ("56", 2)):
        filterset = WithCount(QueryDict(f"county={number}"), queryset=None)
        assert filterset.is_valid()
        found = filterset.kept_list("test-kept-count", _base, None)
        rows, total = found.page(0, 1)
        assert total == n and len(rows) == 1
        assert found.count() == n


def test_the_base_takes_its_own_parameters(small_places):
    def base(who, county_number: str) -> QuerySet:
        return _base(who).filter(county__number=county_number)

    for number, expected in (("34", ["3403", "3412"]), ("56", ["5601", "5610"])):
        filterset = _Municipalities(QueryDict("at_most=6"), queryset=None)
        assert filterset.is_valid()
        found = filterset.kept_list("test-kept-base", base, None, base_args=(number,))
        assert [r.number for r in found.page(0, 10)[0]] == expected
    assert (
        len([k for k in prepared._statements if k[0][0][:2] == ("kept-list", "test-kept-base")])
        == 1
    )


def test_a_count_keeps_a_base_value_it_does_not_use_bound_into_its_statement(small_places):
    """The base's value (here a year the rows show, as the municipality list shows the newest
    population year) does not reach the count, which leaves the column out: the count is kept
    per value of it, bound into its statement, not read through the ORM; each year and each
    filter value counts its own."""
    from django.db.models import IntegerField, Value

    def base(who, year: int) -> QuerySet:
        return _base(who).annotate(year=Value(year, output_field=IntegerField()))

    for year, params, expected in (
        (2022, "county=34", 2),
        (2022, "county=56", 2),
        (2023, "county=34", 2),
        (2023, "", 4),
    ):
        filterset = _Municipalities(QueryDict(params), queryset=None)
        assert filterset.is_valid()
        found = filterset.kept_list("test-kept-year", base, None, base_args=(year,))
        assert found.count() == expected, (year, params)
        assert {r.year for r in found.page(0, 10)[0]} == {year}
    assert not [k for k in kept._refused if k[0][:2] == ("kept-list", "test-kept-year")]
    bound = [k for k in kept._bound if k[0][:2] == ("kept-list", "test-kept-year")]
    assert len(bound) == 2  # the shapes with and without the county


def test_records_reads_instances_with_their_annotations(small_places):
    from django.db.models import F

    def build(number: str) -> QuerySet:
        return (
            Municipality.objects.filter(county__number=number)
            .select_related("county")
            .annotate(county_name=F("county__name"))
            .order_by("number")
        )

    for number in ("34", "56"):
        found = prepared.records("test-records", "default", build, number)
        orm = list(build(number))
        assert [m.number for m in found] == [m.number for m in orm]
        assert [m.county_name for m in found] == [m.county_name for m in orm]
        assert [m.county.number for m in found] == [number] * len(orm)
    with pytest.raises(ValueError):
        prepared.records(
            "test-records-prefetch",
            "default",
            lambda n: County.objects.filter(number=n).prefetch_related("municipalities"),
            "34",
        )


def test_a_kept_date_is_a_parameter_not_the_day_it_was_built(small_places):
    """Two dates a century apart through the same statement (a date's stand-in is in the
    twelfth century)."""
    early = _read("valid_before=1900-01-01")
    late = _read("valid_before=2100-01-01")
    assert early[1] == 0 and late[1] == late[3] == 4
    assert len({k[0][0][3] for k in _kept_keys()}) == 1
