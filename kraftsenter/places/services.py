"""Writes for small-town regions (counties and municipalities are written only by imports)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kraftsenter.core.services import archive_services, record_create, record_update

from .choices import RegionSource
from .models import Municipality, Region
from .permissions import REGION_POLICY


def _check_members(centre: Municipality, hinterland: list[Municipality]) -> None:
    if centre in hinterland:
        raise ValidationError(
            {"hinterland": _("The centre municipality cannot also be a hinterland municipality.")}
        )


def _unique_slug(name: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(name.replace("ø", "o").replace("æ", "ae").replace("å", "a"))[:70] or "region"
    slug, n = base, 2
    others = Region.objects.all() if exclude_pk is None else Region.objects.exclude(pk=exclude_pk)
    while others.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def region_create(
    *,
    actor: Any,
    name: str,
    centre: Municipality,
    hinterland: Iterable[Municipality] = (),
    source: str = RegionSource.MANUAL,
    source_detail: dict[str, Any] | None = None,
    description: str = "",
) -> Region:
    REGION_POLICY.require(actor, "create")
    members = list(hinterland)
    _check_members(centre, members)
    region = Region(
        name=name.strip(),
        slug=_unique_slug(name),
        centre=centre,
        source=source,
        source_detail=source_detail or {},
        description=description,
    )
    return record_create(region, actor=actor, m2m={"hinterland": members})


@transaction.atomic
def region_update(
    *,
    actor: Any,
    region: Region,
    expected_version: int | None,
    name: str,
    centre: Municipality,
    hinterland: Iterable[Municipality],
    description: str = "",
    reason: str = "",
) -> Region:
    locked = Region.objects.select_for_update().get(pk=region.pk)
    REGION_POLICY.require(actor, "edit", locked)
    members = list(hinterland)
    _check_members(centre, members)
    return record_update(
        locked,
        actor=actor,
        changes={"name": name.strip(), "centre": centre, "description": description},
        expected_version=expected_version,
        m2m={"hinterland": members},
        reason=reason,
    )


region_archive, region_restore = archive_services(
    Region, policy=REGION_POLICY, object_name="region"
)
