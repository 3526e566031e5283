"""core.prepared: fixed reads with their statement built once, read as the ORM reads them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Q

from kraftsenter.core import prepared
from kraftsenter.places.models import County, Municipality, PopulationFigure

pytestmark = pytest.mark.django_db


def _values(*args) -> list[list]:
    """:func:`prepared.values` with each row as a list (the driver's tuple when no column
    is converted, a list otherwise)."""
    return [list(row) for row in prepared.values(*args)]


def _fields(obj) -> dict:
    return {k: v for k, v in obj.__dict__.items() if not k.startswith("_")}


def test_all_instances_are_what_the_orm_reads_and_see_every_change(
    small_places, django_assert_num_queries
):
    with django_assert_num_queries(1):
        read = prepared.all_instances(County.objects.all())
    orm = list(County.objects.all())
    assert [c.number for c in read] == ["34", "56"]
    assert [_fields(c) for c in read] == [_fields(c) for c in orm]
    assert isinstance(read[0].valid_from, dt.date) and not read[0]._state.adding
    # The statement is kept, never the rows: a new county is there at the next read.
    County.objects.create(number="03", name="Oslo", name_nb="Oslo", valid_from=dt.date(2024, 1, 1))
    assert [c.number for c in prepared.all_instances(County.objects.all())] == ["03", "34", "56"]


@pytest.mark.parametrize(
    "build",
    [
        lambda: County.objects.filter(number="56"),
        lambda: County.objects.order_by("-number"),
        lambda: County.objects.only("pk", "number"),
        lambda: County.objects.all()[:1],
        lambda: County.objects.values("number"),
    ],
)
def test_any_other_query_is_read_through_the_orm(small_places, build):
    assert not prepared.plain_all(build())
    assert prepared.all_instances(build()) == list(build())


def test_values_reads_the_rows_of_the_query_it_was_built_from(small_places):
    def newest():
        return PopulationFigure.objects.order_by("-year").values_list("year", flat=True)[:1]

    assert _values("test-newest-year", "default", newest) == [[2022]]
    PopulationFigure.objects.filter(year=2022).delete()
    assert _values("test-newest-year", "default", newest) == [[2021]]


def test_instances_take_parameters_and_read_what_the_orm_reads(small_places):
    from kraftsenter.places.models import Municipality

    def by_county(pk: int):
        return Municipality.objects.filter(county_id=pk).only("pk", "number", "name")

    for county in County.objects.all():  # the same statement, each county's rows
        read = prepared.instances("test-by-county", "default", Municipality, by_county, county.pk)
        assert [(m.number, m.name) for m in read] == [
            (m.number, m.name) for m in by_county(county.pk)
        ]
        assert read[0].get_deferred_fields() >= {"boundary", "search_text"}
    by_number = prepared.instances(
        "test-by-number",
        "default",
        Municipality,
        lambda n: Municipality.objects.filter(number=n),
        "5610",
    )
    assert [_fields(m) for m in by_number] == [
        _fields(m) for m in Municipality.objects.filter(number="5610")
    ]
    assert (
        prepared.instances("test-by-number", "default", Municipality, lambda n: None, "9999") == []
    )  # the statement is kept by its key: build is not called again
    # With the objects it selects with them, as Django's iterator makes them.
    with_county = prepared.instances(
        "test-with-county",
        "default",
        Municipality,
        lambda n: Municipality.objects.select_related("county").filter(number=n),
        "3412",
    )
    orm = Municipality.objects.select_related("county").get(number="3412")
    assert _fields(with_county[0]) == _fields(orm)
    assert _fields(with_county[0].county) == _fields(orm.county)
    assert "county" in with_county[0]._state.fields_cache  # no query when it is read
    # A query that is not a read of the model's instances is refused.
    with pytest.raises(ValueError):
        prepared.instances(
            "test-values",
            "default",
            County,
            lambda n: County.objects.filter(number=n).values_list("name"),
            "34",
        )


@pytest.mark.parametrize(
    ("build", "args", "error"),
    [
        # A parameter the ORM changes on its way into the statement is refused when built.
        (lambda text: County.objects.filter(name__contains=text), ("Inn",), ValueError),
        # A parameter that does not reach the statement at all.
        (lambda pk: County.objects.all(), (1,), ValueError),
        # Only int, str and date: not a bool, nor a date with a time.
        (lambda flag: County.objects.filter(pk=flag), (True,), TypeError),
        (
            lambda day: County.objects.filter(valid_from=day),
            (dt.datetime(2024, 1, 1, 12, 0),),
            TypeError,
        ),
    ],
)
def test_a_parameter_the_statement_cannot_take_as_given_is_refused(
    small_places, build, args, error
):
    with pytest.raises(error):
        prepared.instances(f"test-refused-{id(build)}", "default", County, build, *args)


def test_a_date_parameter_reads_what_the_orm_reads_on_every_day(
    small_places, django_assert_num_queries
):
    def valid_on(day: dt.date, number: str):
        return County.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day, number=number
        ).values_list("number", "valid_from")

    County.objects.filter(number="34").update(valid_from=dt.date(2024, 1, 1))
    for day in (dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2026, 12, 1)):
        expected = [list(row) for row in valid_on(day, "34")]
        with django_assert_num_queries(1):
            found = _values("test-date", "default", valid_on, day, "34")
        assert found == expected
    assert _values("test-date", "default", valid_on, dt.date(2023, 12, 31), "34") == []
    assert _values("test-date", "default", valid_on, dt.date(2025, 1, 1), "34") == [
        ["34", dt.date(2024, 1, 1)]
    ]
    # One statement for every day.
    assert len([k for k in prepared._statements if k[0] == "test-date"]) == 1
    with pytest.raises(TypeError):  # built for a date: a string is not one
        prepared.values("test-date", "default", valid_on, "2025-01-01", "34")


def test_a_parameter_of_another_type_than_the_statement_was_built_with_is_refused(small_places):
    def by_number(n):
        return County.objects.filter(number=n)

    assert [c.number for c in prepared.instances("test-typed", "default", County, by_number, "34")]
    with pytest.raises(TypeError):
        prepared.instances("test-typed", "default", County, by_number, 34)


def test_an_int_parameter_fits_a_small_column_and_is_not_taken_for_a_constant(small_places):
    def hamar_in(year: int):
        # The year is a small positive integer column; 30 001 is a constant, not the parameter.
        return (
            PopulationFigure.objects.filter(year=year, municipality__number="3403")
            .exclude(population=30_001)
            .values_list("population", flat=True)
        )

    for year, population in ((2020, 31000), (2022, 31200)):
        assert _values("test-small-int", "default", hamar_in, year) == [[population]]
        assert list(hamar_in(year)) == [population]


@pytest.mark.parametrize("key", [2**63, -(2**63) - 1, 10**25, -(10**25)])
def test_a_key_no_column_can_hold_finds_nothing_as_the_orm_does(small_places, key):
    """Found by the schema fuzzer: `/organisations/-140003799716009214861929086976` was a
    server error, the driver refusing the number where the ORM finds nothing for it."""

    def by_pk(pk: int):
        return Municipality.objects.filter(pk=pk)

    hamar = Municipality.objects.get(number="3403")
    assert prepared.instances("test-huge", "default", Municipality, by_pk, hamar.pk) == [hamar]
    assert prepared.instances("test-huge", "default", Municipality, by_pk, key) == []
    assert prepared.records("test-huge-records", "default", by_pk, key) == []
    # Within the range, the kept statement reads as before.
    assert prepared.instances("test-huge", "default", Municipality, by_pk, 2**63 - 1) == []


def test_pages_of_a_key_no_column_can_hold_are_404(client, small_places):
    for path in ("/organisasjoner/99999999999999999999999/", "/avtaler/99999999999999999999999/"):
        assert client.get(path).status_code == 404, path


def test_a_tuple_is_a_list_parameter_read_as_the_orm_reads_it(
    small_places, django_assert_num_queries
):
    from kraftsenter.places.models import Municipality

    def named(ids: tuple[int, ...]):
        return (
            Municipality.objects.filter(Q(pk__in=ids) | Q(county__municipalities__pk__in=ids))
            .filter(valid_to__isnull=True)
            .distinct()
            .order_by("number")
            .values_list("number", "name")
        )

    pks = list(Municipality.objects.order_by("number").values_list("pk", flat=True))
    # Each length its own statement; the same length with other values reads other rows;
    # a repeated value reads what the ORM reads (it writes each value once).
    for ids in ((pks[0],), (pks[-1],), (pks[0], pks[1]), (pks[2], pks[3], pks[2]), tuple(pks)):
        with django_assert_num_queries(1):
            read = prepared.values("test-list", "default", named, ids)
        assert [tuple(row) for row in read] == list(named(ids))

    # Strings too, beside a scalar parameter.
    def in_county(numbers: tuple[str, ...], county: str):
        return Municipality.objects.filter(number__in=numbers, county__number=county).values_list(
            "number", flat=True
        )

    assert _values("test-list-str", "default", in_county, ("3403", "5610"), "34") == [["3403"]]
    assert _values("test-list-str", "default", in_county, ("3403", "5610"), "56") == [["5610"]]
    # An empty list, or one longer than a kept statement takes, is read through the ORM.
    many = (*range(10**6, 10**6 + prepared.MAX_LIST), pks[1])
    for ids in ((), many):
        assert [tuple(row) for row in prepared.values("test-list", "default", named, ids)] == list(
            named(ids)
        )
    assert prepared.values("test-list", "default", named, ()) == []
    by_pk = prepared.instances(
        "test-list-instances",
        "default",
        Municipality,
        lambda ids: Municipality.objects.filter(pk__in=ids),
        many,
    )
    assert [m.pk for m in by_pk] == [pks[1]]
    with pytest.raises(TypeError):
        prepared.values("test-list", "default", named, (pks[0], None))


def test_filled_relations_read_as_prefetch_related_leaves_them(small_places):
    """A reverse foreign key (with and without ``to_attr``) and a many-to-many relation
    filled by hand read their objects, and the objects their link back, without a query."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kraftsenter.places.models import Municipality, Region

    county = County.objects.get(number="34")
    region = Region.objects.create(
        slug="test-region", name="Test", centre=Municipality.objects.get(number="3403")
    )
    region.hinterland.set(Municipality.objects.filter(number__in=["3412"]))
    municipalities = list(Municipality.objects.filter(county=county).order_by("number"))
    assert len(municipalities) >= 2
    prepared.fill_prefetched(county, "municipalities", municipalities)
    other = County.objects.get(number="34")
    listed = list(Municipality.objects.filter(county=county).order_by("number"))[1:]
    prepared.fill_prefetched(other, "municipalities", listed, to_attr="listed")
    fresh = Region.objects.get(pk=region.pk)
    prepared.fill_prefetched(fresh, "hinterland", list(Municipality.objects.filter(number="3412")))
    with CaptureQueriesContext(connection) as reading:
        assert list(county.municipalities.all()) == municipalities
        assert all(m.county is county for m in county.municipalities.all())
        assert other.listed == listed and all(m.county is other for m in listed)
        assert [m.number for m in fresh.hinterland.all()] == ["3412"]
    assert not reading.captured_queries
    # Under the name Django's own prefetch leaves it.
    prefetched = County.objects.prefetch_related("municipalities").get(pk=county.pk)
    assert vars(prefetched)["_prefetched_objects_cache"].keys() == (
        vars(county)["_prefetched_objects_cache"].keys()
    )


def test_a_count_is_the_orms_count_with_and_without_distinct(small_places):
    def with_municipalities(number: str):
        # A county once per municipality: DISTINCT makes it once per county.
        return County.objects.filter(municipalities__number__gte=number).distinct()

    def plain(number: str):
        return County.objects.filter(number__gte=number)

    for number in ("0", "34", "3403", "5", "99"):
        assert prepared.count("test-count-d", "default", with_municipalities, number) == (
            with_municipalities(number).count()
        )
        assert prepared.count("test-count-p", "default", plain, number) == plain(number).count()
    # Rows the join repeats are counted once, as the ORM counts them.
    repeated = County.objects.filter(municipalities__number__gte="0")
    assert repeated.count() > repeated.distinct().count() > 0
    assert prepared.count("test-count-d", "default", with_municipalities, "0") == (
        repeated.distinct().count()
    )
    # As the ORM's count(): COUNT(*), which PostgreSQL can read from an index without the
    # key; COUNT(DISTINCT key) where rows repeat.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        prepared.count("test-count-p", "default", plain, "34")
        prepared.count("test-count-d", "default", with_municipalities, "34")
    plain_sql, distinct_sql = (q["sql"].upper() for q in ctx.captured_queries)
    assert "COUNT(*)" in plain_sql and "DISTINCT" not in plain_sql
    assert "COUNT(DISTINCT" in distinct_sql
    with pytest.raises(ValueError):
        prepared.count("test-count-sliced", "default", lambda p: plain(p)[:1], "3")
    with pytest.raises(ValueError):
        prepared.count("test-count-values", "default", lambda p: plain(p).values_list("name"), "3")


def test_the_statements_a_process_keeps_are_bounded(small_places, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_STATEMENTS", 2)

    def by_number(numbers: tuple[str, ...]):
        return (
            Municipality.objects.filter(number__in=numbers).order_by("number").values_list("number")
        )

    numbers = sorted(Municipality.objects.values_list("number", flat=True))
    assert len(numbers) >= 3
    # A statement per length of the tuple: more lengths than the bound keeps.
    for n in range(1, len(numbers) + 1):
        found = _values("test-bounded", "default", by_number, tuple(numbers[:n]))
        assert found == [[number] for number in numbers[:n]]
        assert len(prepared._statements) <= 2
    # Read again after being dropped: the same rows.
    again = _values("test-bounded", "default", by_number, (numbers[0],))
    assert again == [[numbers[0]]]


def _newest(pk: int, n: int = 2):
    return (
        PopulationFigure.objects.filter(municipality_id=pk)
        .order_by("-year")
        .values("municipality_id", "year", "population")[:n]
    )


def _oldest(pk: int):
    return (
        PopulationFigure.objects.filter(municipality_id=pk)
        .order_by("year")
        .values("municipality_id", "year", "population")[:2]
    )


def test_reads_put_together_give_each_its_own_rows_in_one_statement(
    small_places, django_assert_num_queries
):
    municipalities = list(Municipality.objects.order_by("number"))
    assert len(municipalities) >= 3
    parts = []
    for m in municipalities:  # every municipality, both reads: the second and third too
        parts.append(("test-newest", _newest, (m.pk,)))
        parts.append(("test-oldest", _oldest, (m.pk,)))
    with django_assert_num_queries(1):
        names, read = prepared.named_values_together("test-together", "default", parts)
    assert names == ["municipality_id", "year", "population"]
    expected = [[list(row.values()) for row in build(*args)] for _key, build, args in parts]
    assert [[list(row) for row in rows] for rows in read] == expected
    assert any(rows for rows in read) and expected[0] != expected[1]
    # Kept, never the rows: the same reads in another order, after a change, read anew.
    PopulationFigure.objects.filter(municipality=municipalities[0]).update(population=7)
    again = list(reversed(parts))
    with django_assert_num_queries(1):
        _names, reread = prepared.named_values_together("test-together", "default", again)
    assert [[list(r) for r in rows] for rows in reread] == [
        [list(row.values()) for row in build(*args)] for _key, build, args in again
    ]
    assert any(row[2] == 7 for rows in reread for row in rows)


def test_values_repeated_in_a_column_are_converted_for_every_row(small_places):
    """A column's values are converted once per distinct value (core.prepared._rows): the
    second and third rows with a value the first had get it converted too, numbers stored
    as an integer and as a fraction in one column keep their own values, and a converted
    value that can be changed (a JSON field's dict) is each row's own."""
    from kraftsenter.knowledge.models import Scenario

    for name, cut in [("A", "40"), ("B", "40.5"), ("C", "40"), ("D", "12.5"), ("E", "40.5")]:
        Scenario.objects.create(
            name=name,
            municipality=Municipality.objects.first(),
            base_year=2020,
            target_cut_percent=Decimal(cut),
            measures={"transport": 10},
        )

    def scenarios():
        return Scenario.objects.order_by("name").values_list(
            "name", "target_cut_percent", "measures", "created_at"
        )

    read = _values("test-scenario-values", "default", scenarios)
    assert read == [list(row) for row in scenarios()]
    assert [str(row[1]) for row in read] == ["40.0", "40.5", "40.0", "12.5", "40.5"]
    assert all(type(row[3]) is dt.datetime and row[3].tzinfo for row in read)
    assert len({id(row[2]) for row in read}) == 5
    read[0][2]["transport"] = 99
    assert [row[2] for row in read[1:]] == [{"transport": 10}] * 4


def test_reads_put_together_convert_columns_and_keep_empty_reads(small_places):
    from kraftsenter.core.light import light, prepared_light_together

    def members(pk: int):
        return light(Municipality.objects.filter(county_id=pk), "pk", "number", "valid_from")

    counties = list(County.objects.order_by("number"))
    parts = [("test-members", members, (c.pk,)) for c in counties]
    parts.append(("test-members", members, (0,)))  # no such county: no rows
    read = prepared_light_together("test-members-together", "default", parts)
    assert [[(r.pk, r.number, r.valid_from) for r in rows] for rows in read] == [
        [(m.pk, m.number, m.valid_from) for m in Municipality.objects.filter(county_id=pk)]
        for _key, _build, (pk,) in parts
    ]
    assert read[-1] == [] and all(isinstance(r.valid_from, dt.date) for r in read[0])


def test_reads_put_together_must_have_the_same_columns(small_places):
    def other(pk: int):
        return PopulationFigure.objects.filter(municipality_id=pk).values("year")[:1]

    pk = Municipality.objects.first().pk
    with pytest.raises(ValueError):
        prepared.named_values_together(
            "test-mismatch", "default", [("test-newest", _newest, (pk,)), ("t-o", other, (pk,))]
        )


def test_reads_put_together_that_cannot_be_kept_are_read_one_by_one(small_places):
    def of(ids: tuple[int, ...]):
        return PopulationFigure.objects.filter(municipality_id__in=ids).values("year")[:3]

    pk = Municipality.objects.first().pk
    parts = [("test-of", of, ((),)), ("test-of", of, ((pk,),))]
    _names, read = prepared.named_values_together("test-of-together", "default", parts)
    assert read[0] == [] and [list(r) for r in read[1]] == [[row["year"]] for row in of((pk,))]
