"""System check: the catalogue's publisher settings are usable (``kraftsenter check``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks

from kraftsenter.actors.validators import organisation_number_is_valid


def check_publisher(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    number = getattr(settings, "KRAFTSENTER_PUBLISHER_ORGNR", "")
    if number and not organisation_number_is_valid(number):
        return [
            checks.Error(
                f"KRAFTSENTER_PUBLISHER_ORGNR={number!r} is not a valid organisation number "
                "(nine digits with a correct check digit).",
                hint="Set the operator's number in Enhetsregisteret, or leave it empty.",
                id="opendata.E001",
            )
        ]
    return []
