"""core.prepared: fixed reads with their statement built once, read as the ORM reads them."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.core import prepared
from kraftsenter.places.models import County, PopulationFigure

pytestmark = pytest.mark.django_db


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

    assert prepared.values("test-newest-year", "default", newest) == [[2022]]
    PopulationFigure.objects.filter(year=2022).delete()
    assert prepared.values("test-newest-year", "default", newest) == [[2021]]
