"""The register kit's FilterSet (core.filtering): the filter form is built once per language,
and every request still gets its own values, errors and language."""

from __future__ import annotations

import re

import pytest
from django.http import QueryDict
from django.utils.translation import override

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.filters import OrganisationFilter
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.places.filters import MunicipalityFilter
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db


def _selected(html: str, name: str) -> str | None:
    """The value of the selected option of the select ``name`` (None: none selected)."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, f"no select {name}"
    chosen = re.search(r'<option value="([^"]*)" selected', select.group(0))
    return chosen.group(1) if chosen else None


def test_each_request_to_a_filtered_list_gets_its_own_values_and_errors(client, small_places):
    loten = Municipality.objects.get(number="3412")
    alta = Municipality.objects.get(number="5601")
    organisation_create(
        actor="test", name="Løten idrettslag", kind=OrganisationKind.ASSOCIATION, municipality=loten
    )
    organisation_create(
        actor="test", name="Alta næringsforum", kind=OrganisationKind.BUSINESS, municipality=alta
    )

    wrong = client.get("/organisasjoner/", {"county": "99", "kind": "association"})
    html = wrong.content.decode()
    assert wrong.status_code == 200
    assert 'aria-invalid="true"' in html  # the county is marked wrong
    assert _selected(html, "kind") == "association"

    # The next request with other values: nothing of the first one's form is left.
    html = client.get("/organisasjoner/", {"county": "34"}).content.decode()
    assert 'aria-invalid="true"' not in html
    assert _selected(html, "county") == "34" and _selected(html, "kind") in (None, "")
    assert "Løten idrettslag" in html and "Alta næringsforum" not in html

    # And a third with a kind only: the county is back to all counties.
    html = client.get("/organisasjoner/", {"kind": "business"}).content.decode()
    assert _selected(html, "county") in (None, "") and _selected(html, "kind") == "business"
    assert "Alta næringsforum" in html and "Løten idrettslag" not in html


def test_the_filter_form_follows_the_readers_language(client, small_places):
    nb = client.get("/kommuner/", {"county": "34"}).content.decode()
    client.cookies["django_language"] = "nn"
    nn = client.get("/kommuner/", {"county": "34"}).content.decode()
    client.cookies["django_language"] = "nb"
    again = client.get("/kommuner/", {"county": "34"}).content.decode()
    assert "Alle klasser" in nb and "Alle klassar" not in nb
    assert "Alle klassar" in nn and "Alle klasser" not in nn
    assert "Alle klasser" in again and "Alle klassar" not in again


def test_the_api_refuses_a_bad_filter_after_a_good_one_and_the_other_way_round(
    client, small_places
):
    for county, status in (("34", 200), ("99", 422), ("56", 200), ("x", 422), ("34", 200)):
        response = client.get("/api/v1/municipalities", {"county": county})
        assert response.status_code == status, (county, response.content[:300])
        if status == 200:
            numbers = {m["number"] for m in response.json()["items"]}
            assert numbers and all(n.startswith(county) for n in numbers)
        else:
            assert [e["field"] for e in response.json()["errors"]] == ["county"]


def test_a_filterset_shares_no_filter_or_field_with_the_next(small_places):
    first = OrganisationFilter(QueryDict("county=34&q=lag"), queryset=Organisation.objects.all())
    second = OrganisationFilter(QueryDict("county=56"), queryset=Organisation.objects.all())
    assert first.is_valid() and second.is_valid()
    for name in first.filters:
        assert first.filters[name] is not second.filters[name]
        assert first.filters[name].parent is first and second.filters[name].parent is second
        assert first.form.fields[name] is not second.form.fields[name]
        assert first.form.fields[name].widget is not second.form.fields[name].widget
    assert first.form.cleaned_data["county"].number == "34"
    assert second.form.cleaned_data["county"].number == "56"
    # A filter with a method (county, q) runs it on its own FilterSet.
    assert list(second.qs) == list(Organisation.objects.filter(county__number="56"))


def test_the_form_class_is_built_once_per_language(small_places):
    def form_class():
        return MunicipalityFilter(QueryDict(), queryset=Municipality.objects.all()).form.__class__

    with override("nb"):
        nb = form_class()
        assert form_class() is nb
    with override("nn"):
        nn = form_class()
        assert nn is not nb and form_class() is nn


def test_a_filterset_may_ask_for_its_form_per_request(small_places):
    class PerRequest(MunicipalityFilter):
        form_per_request = True

    def build():
        return PerRequest(QueryDict("county=56"), queryset=Municipality.objects.all())

    first, second = build(), build()
    assert first.form.__class__ is not second.form.__class__
    assert {m.number for m in second.qs} == {"5601", "5610"}
