"""Light rows (core.light) and grouped numbers (core.markup.grouped): what the municipality
tables read from them, and that lists built on them still filter, count and paginate."""

from __future__ import annotations

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.paginator import Paginator
from django.utils import translation

from kraftsenter.core.light import light
from kraftsenter.core.markup import grouped
from kraftsenter.places import selectors
from kraftsenter.places.models import Municipality


@pytest.mark.django_db
def test_light_rows_carry_columns_related_columns_and_annotations(small_places):
    year = selectors.latest_population_year()
    models = {m.number: m for m in selectors.municipality_list(population_year=year)}
    rows = list(selectors.municipality_table(population_year=year))
    assert len(rows) == len(models) == 4
    for row in rows:
        model = models[row.number]
        assert (row.name, row.centrality_class) == (model.name, model.centrality_class)
        assert row.county.name_nb == model.county.name_nb
        assert row.population == model.population
    # Every municipality's row, not only the first: the second has its own county and numbers.
    assert len({(r.number, r.county.name_nb, r.population) for r in rows}) == 4
    # A view may add what it shows, as on a model instance.
    rows[1].url = "/kommuner/x/"
    assert rows[1].url == "/kommuner/x/" and not hasattr(rows[0], "url")


@pytest.mark.django_db
def test_light_rows_filter_count_and_paginate_like_the_queryset(small_places):
    qs = light(Municipality.objects.order_by("number"), "number", "county__number")
    innlandet = qs.filter(county__number="34")
    assert innlandet.count() == Municipality.objects.filter(county__number="34").count() > 1
    page = Paginator(innlandet, 1).page(2)
    (row,) = list(page.object_list)
    assert row.number == list(innlandet)[1].number and row.county.number == "34"
    assert list(qs.none()) == []


@pytest.mark.parametrize("language", ["nb", "nn", "se", "en"])
def test_grouped_writes_numbers_as_intcomma_does(language):
    with translation.override(language):
        for value in (0, 7, 999, 1000, 28_789, 1_234_567, -45_000, 10**12):
            assert grouped(value) == intcomma(value)
        assert grouped(3.5) == intcomma(3.5)
    with translation.override("nb"):
        assert grouped(28_789) == "28\xa0789"
