"""Who may see and change scenarios: public to read; the owning organisation's editors change
and archive them, and may give them only to another organisation they are editors of."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import RecordPolicy

SCENARIO_POLICY = RecordPolicy(
    owners=lambda s: {s.owner_id} if s.owner_id else set(),
    owners_q=lambda ids: Q(owner_id__in=ids),
    denied={
        "create": _("Only editors and administrators of an organisation may save scenarios."),
        "edit": _("Only editors and administrators of the owning organisation may change it."),
        "archive": _("Only editors and administrators of the owning organisation may archive it."),
        "restore": _("Only editors and administrators of the owning organisation may restore it."),
    },
)
