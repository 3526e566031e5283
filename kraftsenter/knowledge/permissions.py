"""Who may see and change scenarios: public to read; the owning organisation's editors edit."""

from __future__ import annotations

from django.db.models import Q

from kraftsenter.core.permissions import RecordPolicy

SCENARIO_POLICY = RecordPolicy(
    owners=lambda s: {s.owner_id} if s.owner_id else set(),
    owners_q=lambda ids: Q(owner_id__in=ids),
)
