"""The county select of every register's filter (places.filters.CountyFilter): the counties
are read once per form and give both the options and the county chosen; the choice is checked
as before (an unknown or malformed number is refused), and each form reads the counties anew."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.filters import OrganisationFilter
from kraftsenter.actors.models import Organisation
from kraftsenter.places.models import County

pytestmark = pytest.mark.django_db


def _county_reads(queries) -> int:
    return sum('FROM "places_county"' in q["sql"] for q in queries)


def test_the_counties_are_read_once_for_the_options_and_the_choice(client, small_places):
    number = County.objects.order_by("number").last().number
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/organisasjoner/", {"county": number}).content.decode()
    assert _county_reads(queries) == 1
    selected = page.split('name="county"')[1].split("</select>")[0]
    assert f'<option value="{number}" selected>' in selected
    assert selected.count("<option") == County.objects.count() + 1  # and "All counties"
    for other in County.objects.exclude(number=number):
        assert f'<option value="{other.number}">{other.name_nb}</option>' in selected


def test_the_chosen_county_filters_and_a_wrong_one_is_refused(small_places):
    county = County.objects.order_by("number").first()
    org = Organisation.objects.create(name="Lag i fylket", kind="association", county=county)
    Organisation.objects.create(name="Lag utenfor", kind="association")
    found = OrganisationFilter({"county": county.number}, queryset=Organisation.objects.all())
    assert found.is_valid() and list(found.qs) == [org]
    assert found.form.cleaned_data["county"] == county
    for wrong in ("99", f"0{county.number}", " ", "x" * 50, "\x00"):
        refused = OrganisationFilter({"county": wrong}, queryset=Organisation.objects.all())
        if wrong.strip() and wrong != "\x00":
            assert not refused.is_valid() and "county" in refused.errors, wrong
        else:
            assert not refused.is_valid() or refused.form.cleaned_data["county"] is None


def test_each_form_reads_the_counties_anew(client, small_places):
    client.get("/organisasjoner/")
    County.objects.create(
        number="99", name="Nyfylket", name_nb="Nyfylket", valid_from=dt.date(2024, 1, 1)
    )
    page = client.get("/organisasjoner/", {"county": "99"}).content.decode()
    assert '<option value="99" selected>Nyfylket</option>' in page
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/organisations", {"county": "99"})
    assert response.status_code == 200 and _county_reads(queries) == 1
