"""Writes for organisations. Every write validates, runs in one transaction and keeps history."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kraftsenter.core.services import record_create
from kraftsenter.places.models import County, Municipality

from .models import Organisation


@transaction.atomic
def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    organisation_number: str = "",
    municipality: Municipality | None = None,
    county: County | None = None,
    website: str = "",
    description: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        organisation_number=organisation_number.strip(),
        municipality=municipality,
        county=county,
        website=website,
        description=description,
    )
    return record_create(organisation, actor=actor)
