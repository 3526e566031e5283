"""Region services: validation, version check, history, archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.history import history_for
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.services import region_archive, region_create, region_restore, region_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def hamar(small_places):
    return Municipality.objects.get(number="3403")


@pytest.fixture
def loten(small_places):
    return Municipality.objects.get(number="3412")


def test_region_create_writes_one_history_record_with_actor(hamar, loten, django_user_model):
    user = django_user_model.objects.create_user(
        "kari", password="x-very-long-1", is_superuser=True
    )
    region = region_create(actor=user, name="Hamarregionen", centre=hamar, hinterland=[loten])
    records = list(history_for(region))
    assert len(records) == 1
    assert records[0].action == "region.created" and records[0].actor == user
    # References by public code and name, never internal keys.
    assert records[0].after["hinterland"] == [{"code": "3412", "label": "Løten"}]
    assert records[0].after["centre"] == {"code": "3403", "label": "Hamar"}
    assert region.slug == "hamarregionen"


def test_region_create_by_a_user_who_is_not_site_admin_is_refused(hamar, django_user_model):
    user = django_user_model.objects.create_user("kari", password="x-very-long-1")
    with pytest.raises(PermissionDenied):
        region_create(actor=user, name="Hamarregionen", centre=hamar)
    assert Region.objects.count() == 0


def test_region_create_centre_in_hinterland_is_refused_and_nothing_written(hamar):
    with pytest.raises(ValidationError) as info:
        region_create(actor=None, name="Feil", centre=hamar, hinterland=[hamar])
    assert "hinterland" in info.value.message_dict
    assert Region.objects.count() == 0


def test_region_create_same_name_gets_distinct_slug(hamar):
    a = region_create(actor=None, name="Hamar", centre=hamar)
    b = region_create(actor=None, name="Hamar", centre=hamar)
    assert a.slug != b.slug


def test_region_update_stale_version_is_refused(hamar, loten):
    region = region_create(actor=None, name="R", centre=hamar)
    region_update(
        actor=None, region=region, expected_version=1, name="R2", centre=hamar, hinterland=[loten]
    )
    with pytest.raises(ConflictError) as info:
        region_update(
            actor=None, region=region, expected_version=1, name="R3", centre=hamar, hinterland=[]
        )
    assert info.value.current_version == 2
    region.refresh_from_db()
    assert region.name == "R2"


def test_region_update_records_before_and_after(hamar, loten):
    region = region_create(actor=None, name="R", centre=hamar)
    region_update(
        actor=None,
        region=region,
        expected_version=1,
        name="R2",
        centre=hamar,
        hinterland=[loten],
        reason="Løten med",
    )
    latest = history_for(region).first()
    assert latest.action == "region.updated" and latest.reason == "Løten med"
    assert ("name", "R", "R2") in latest.changed_fields()


def test_region_archive_and_restore_keep_record_and_history(hamar):
    region = region_create(actor=None, name="R", centre=hamar)
    region_archive(actor=None, region=region, reason="feil")
    assert Region.objects.active().count() == 0 and Region.objects.count() == 1
    region_restore(actor=None, region=region)
    assert [r.action for r in history_for(region)] == [
        "region.restored",
        "region.archived",
        "region.created",
    ]
