"""Writes for plans, partnerships, agreements, commitments, reports and digests.

Every service takes keyword-only arguments including ``actor``, runs in one transaction,
checks permissions and rules before writing, and records history through ``core.services``.
"""

from .agreements import (
    PartyInput,
    agreement_archive,
    agreement_create,
    agreement_restore,
    agreement_snapshot,
    agreement_update,
    agreement_warnings,
    anchor_add,
    anchor_archive,
    document_add,
    document_archive,
    goal_add,
    goal_archive,
    goal_update,
    party_decision_record,
)
from .commitments import (
    commitment_archive,
    commitment_create,
    commitment_restore,
    commitment_update,
)
from .digests import collect_digests, digest_preference_set, due_items, send_digests
from .partnerships import (
    decision_record,
    meeting_add,
    partnership_archive,
    partnership_create,
    partnership_restore,
    partnership_update,
)
from .plans import (
    plan_adoption_record,
    plan_archive,
    plan_create,
    plan_item_add,
    plan_item_archive,
    plan_restore,
    plan_update,
    plan_violations,
    plan_warnings,
)
from .renewal import agreement_renew
from .reports import (
    next_report_period,
    report_complete,
    report_create,
    report_entry_record,
    report_missing,
)

__all__ = [
    "PartyInput",
    "agreement_archive",
    "agreement_create",
    "agreement_renew",
    "agreement_restore",
    "agreement_snapshot",
    "agreement_update",
    "agreement_warnings",
    "anchor_add",
    "anchor_archive",
    "collect_digests",
    "commitment_archive",
    "commitment_create",
    "commitment_restore",
    "commitment_update",
    "decision_record",
    "digest_preference_set",
    "document_add",
    "document_archive",
    "due_items",
    "goal_add",
    "goal_archive",
    "goal_update",
    "meeting_add",
    "next_report_period",
    "partnership_archive",
    "partnership_create",
    "partnership_restore",
    "partnership_update",
    "party_decision_record",
    "plan_adoption_record",
    "plan_archive",
    "plan_create",
    "plan_item_add",
    "plan_item_archive",
    "plan_restore",
    "plan_update",
    "plan_violations",
    "plan_warnings",
    "report_complete",
    "report_create",
    "report_entry_record",
    "report_missing",
    "send_digests",
]
