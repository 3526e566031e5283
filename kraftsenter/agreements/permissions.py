"""Who may see and change plans, partnerships, agreements and commitments.

Everything here is public reading (plans and agreements between public bodies are public
documents); archived records only for their owners' members and site admins.

* a plan is owned by its owner;
* a partnership by its lead organisation and its members;
* an agreement by its parties (active party links); its parts (decisions, goals, anchors,
  documents, reports) are changed by editors of any party;
* a commitment by its owning party *and* the agreement's lead party: editors of either may
  change it (the lead follows up on behalf of all), editors of other parties may not. A
  commitment of an archived agreement is read as the archived agreement is: by the members of
  its parties (and the commitment's owners) only.

Creating needs the editor role in some organisation; archiving needs the admin role of an
owner, except commitments, which the owning party's or lead party's editors archive. Every
change is also checked on its result: afterwards one of the editor's organisations must
still own the record.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import (
    ROLE_ADMIN,
    ROLE_EDITOR,
    RecordPolicy,
    is_site_admin,
    organisations_with_role,
)

from .models import Agreement, Commitment, Partnership, Plan

M = TypeVar("M", bound=Model)


def _plan_owners(plan: Plan) -> set[int]:
    return {plan.owner_id}


def _partnership_owners(partnership: Partnership) -> set[int]:
    return {partnership.lead_id, *(m.pk for m in partnership.members.all())}


def agreement_party_ids(agreement: Agreement) -> set[int]:
    """Ids of the active parties (uses the selector's prefetch when present)."""
    links = getattr(agreement, "active_parties", None)
    if links is not None:
        return {link.organisation_id for link in links}
    return set(
        agreement.party_links.filter(archived_at__isnull=True).values_list(
            "organisation_id", flat=True
        )
    )


def _commitment_owners(commitment: Commitment) -> set[int]:
    owners = {commitment.party_id}
    lead = commitment.agreement.lead_id
    if lead:
        owners.add(lead)
    return owners


def parties_user_may_commit(user: Any, agreement: Agreement) -> set[int]:
    """The parties a user may add commitments for: every party for the lead party's editors
    (and site admins), otherwise the parties the user is an editor of."""
    party_ids = agreement_party_ids(agreement)
    if is_site_admin(user):
        return party_ids
    own = organisations_with_role(user, ROLE_EDITOR)
    if agreement.lead_id in own:
        return party_ids
    return party_ids & own


PLAN_POLICY = RecordPolicy(
    owners=_plan_owners,
    owners_q=lambda ids: Q(owner_id__in=ids),
    archive_role=ROLE_ADMIN,
    actions={"add_item": "edit", "record_adoption": "edit"},
    denied={
        "create": _("You can register plans only for organisations you edit for."),
        "edit": _("Only editors and administrators of the plan's owner may change it."),
        "archive": _("Only administrators of the plan's owner may archive it."),
        "restore": _("Only administrators of the plan's owner may restore it."),
    },
)
PARTNERSHIP_POLICY = RecordPolicy(
    owners=_partnership_owners,
    owners_q=lambda ids: Q(lead_id__in=ids) | Q(members__in=ids),
    archive_role=ROLE_ADMIN,
    actions={"add_meeting": "edit", "record_decision": "edit"},
    denied={
        "create": _(
            "You can register only partnerships that one of your organisations leads or joins."
        ),
        "edit": _("Only editors of the lead organisation or a member may change this partnership."),
        "archive": _("Only administrators of the lead organisation or a member may archive it."),
        "restore": _("Only administrators of the lead organisation or a member may restore it."),
    },
)
AGREEMENT_POLICY = RecordPolicy(
    owners=agreement_party_ids,
    owners_q=lambda ids: Q(
        party_links__organisation_id__in=ids, party_links__archived_at__isnull=True
    ),
    archive_role=ROLE_ADMIN,
    actions={
        "set_parties": "edit",
        "record_decision": "edit",
        "add_goal": "edit",
        "edit_goal": "edit",
        "remove_goal": "edit",
        "add_anchor": "edit",
        "remove_anchor": "edit",
        "add_document": "edit",
        "remove_document": "edit",
        "add_commitment": lambda user, agreement: bool(parties_user_may_commit(user, agreement)),
        "add_report": "edit",
        "complete_report": "edit",
        "renew": "edit",
    },
    denied={
        "create": _(
            "You can register only agreements that one of your organisations is a party to."
        ),
        "edit": _("Only editors and administrators of the parties may change this agreement."),
        "archive": _("Only administrators of the parties may archive this agreement."),
        "restore": _("Only administrators of the parties may restore this agreement."),
        "add_commitment": _(
            "Only editors of a party add commitments: for their own organisation, or for every "
            "party when they edit for the lead party."
        ),
    },
)
COMMITMENT_POLICY = RecordPolicy(
    owners=_commitment_owners,
    owners_q=lambda ids: Q(party_id__in=ids) | Q(agreement__lead_id__in=ids),
    archive_role=ROLE_EDITOR,
    actions={"report": "edit"},
    # A commitment of an archived agreement is shown as the archived agreement is.
    within="agreement",
    within_policy=AGREEMENT_POLICY,
    denied={
        "edit": _(
            "Only editors of the owning party or of the lead party may change this commitment."
        ),
        "archive": _(
            "Only editors of the owning party or of the lead party may archive this commitment."
        ),
        "restore": _(
            "Only editors of the owning party or of the lead party may restore this commitment."
        ),
        "report": _(
            "Only editors of the owning party or of the lead party may report on this commitment."
        ),
    },
)


def current_visible(policy: RecordPolicy, user: Any, queryset: QuerySet[M]) -> QuerySet[M]:
    """The records not archived that the user may see (:meth:`RecordPolicy.current`)."""
    return policy.current(user, queryset)


def visible_plans(user: Any, queryset: QuerySet[Plan] | None = None) -> QuerySet[Plan]:
    return PLAN_POLICY.visible(user, queryset if queryset is not None else Plan.objects.all())


def visible_partnerships(
    user: Any, queryset: QuerySet[Partnership] | None = None
) -> QuerySet[Partnership]:
    return PARTNERSHIP_POLICY.visible(
        user, queryset if queryset is not None else Partnership.objects.all()
    )


def visible_agreements(
    user: Any, queryset: QuerySet[Agreement] | None = None
) -> QuerySet[Agreement]:
    return AGREEMENT_POLICY.visible(
        user, queryset if queryset is not None else Agreement.objects.all()
    )


def visible_commitments(
    user: Any, queryset: QuerySet[Commitment] | None = None
) -> QuerySet[Commitment]:
    return COMMITMENT_POLICY.visible(
        user, queryset if queryset is not None else Commitment.objects.all()
    )
