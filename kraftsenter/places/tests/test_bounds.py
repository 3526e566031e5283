"""Bounds of small-town regions (docs/bounds.md): the longest name and description never break
a page or the API, and a longer one is refused by the service with nothing written."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kraftsenter.core import bounds
from kraftsenter.core.tests.extremes import crawl, long_text, store_extremes
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.services import region_create, region_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(small_places):
    munis = {m.number: m for m in Municipality.objects.all()}
    return region_create(
        actor="t", name="Hamarregionen", centre=munis["3403"], hinterland=[munis["3412"]]
    )


def test_extreme_values_of_every_field_render_on_every_page_and_api(client, region):
    store_extremes(region, high=True)
    assert len(region.name) == bounds.NAME_LENGTH
    seeds = [
        "/regioner/",
        f"/regioner/{region.slug}/",
        f"/regioner/{region.slug}/profil/",
        f"/regioner/{region.slug}/samarbeid/",
        f"/kart/region/{region.slug}/",
        "/kommuner/3403/",
        "/sok/?q=hamar",
        "/api/v1/regions",
        f"/api/v1/regions/{region.slug}",
        f"/api/v1/regions/{region.slug}/profile",
        "/api/v1/places/search?q=hamar",
    ]
    assert crawl(client, seeds)[f"/regioner/{region.slug}/"] == 200
    client.force_login(get_user_model().objects.create_superuser("admin", password="x-long-1"))
    assert crawl(client, seeds)[f"/regioner/{region.slug}/"] == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", long_text(bounds.NAME_LENGTH + 1)),
        ("description", long_text(bounds.TEXT_LENGTH + 1)),
    ],
)
def test_service_region_update_out_of_bounds_is_refused_and_changes_nothing(region, field, value):
    values = {"name": region.name, "description": region.description, field: value}
    with pytest.raises(ValidationError) as refused:
        region_update(
            actor="t",
            region=region,
            expected_version=region.version,
            centre=region.centre,
            hinterland=list(region.hinterland.all()),
            **values,
        )
    assert list(refused.value.message_dict) == [field]
    fresh = Region.objects.get(pk=region.pk)
    assert (fresh.version, getattr(fresh, field)) == (region.version, getattr(region, field))
