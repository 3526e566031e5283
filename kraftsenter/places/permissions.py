"""Who may change small-town regions. Counties and municipalities are reference data, written
only by imports; regions are shared by every register, so only site administrators create,
change, archive or save computed ones. Everyone reads them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import RecordPolicy, is_site_admin


def _site_admin(user: Any, record: Any) -> bool:
    return is_site_admin(user)


REGION_POLICY = RecordPolicy(
    owners=lambda region: set(),
    owners_q=lambda ids: Q(pk__in=[]),
    actions={
        "create": _site_admin,
        "edit": _site_admin,
        "archive": _site_admin,
        "restore": _site_admin,
        "save_computed_regions": _site_admin,
    },
    denied={
        "create": _("Only site administrators may register regions."),
        "edit": _("Only site administrators may change regions."),
        "archive": _("Only site administrators may archive regions."),
        "restore": _("Only site administrators may restore regions."),
        "save_computed_regions": _("Only site administrators may save computed regions."),
    },
)
