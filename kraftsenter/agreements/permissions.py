"""Who may see and change plans, partnerships, agreements and commitments.

Everything here is public reading (plans and agreements between public bodies are public
documents); archived records only for their owners' members and site admins.

* a plan is owned by its owner;
* a partnership by its lead organisation and its members;
* an agreement by its parties (active party links); follow-up reports belong to the agreement;
* a commitment by its owning party *and* the agreement's lead party: editors of either may
  change it (the lead follows up on behalf of all), editors of other parties may not.

Creating needs the editor role in some organisation; archiving needs the admin role of an
owner, except commitments, which the owning party's or lead party's editors archive.
"""

from __future__ import annotations

from django.db.models import Q

from kraftsenter.core.permissions import ROLE_ADMIN, ROLE_EDITOR, RecordPolicy

from .models import Agreement, Commitment, Partnership, Plan


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


PLAN_POLICY = RecordPolicy(
    owners=_plan_owners, owners_q=lambda ids: Q(owner_id__in=ids), archive_role=ROLE_ADMIN
)
PARTNERSHIP_POLICY = RecordPolicy(
    owners=_partnership_owners,
    owners_q=lambda ids: Q(lead_id__in=ids) | Q(members__in=ids),
    archive_role=ROLE_ADMIN,
)
AGREEMENT_POLICY = RecordPolicy(
    owners=agreement_party_ids,
    owners_q=lambda ids: Q(
        party_links__organisation_id__in=ids, party_links__archived_at__isnull=True
    ),
    archive_role=ROLE_ADMIN,
)
COMMITMENT_POLICY = RecordPolicy(
    owners=_commitment_owners,
    owners_q=lambda ids: Q(party_id__in=ids) | Q(agreement__lead_id__in=ids),
    archive_role=ROLE_EDITOR,
)


def visible_plans(user, queryset=None):
    return PLAN_POLICY.visible(user, queryset if queryset is not None else Plan.objects.all())


def visible_partnerships(user, queryset=None):
    return PARTNERSHIP_POLICY.visible(
        user, queryset if queryset is not None else Partnership.objects.all()
    )


def visible_agreements(user, queryset=None):
    return AGREEMENT_POLICY.visible(
        user, queryset if queryset is not None else Agreement.objects.all()
    )


def visible_commitments(user, queryset=None):
    return COMMITMENT_POLICY.visible(
        user, queryset if queryset is not None else Commitment.objects.all()
    )


def can_edit_plan(user, plan: Plan) -> bool:
    return PLAN_POLICY.can_edit(user, plan)


def can_edit_partnership(user, partnership: Partnership) -> bool:
    return PARTNERSHIP_POLICY.can_edit(user, partnership)


def can_edit_agreement(user, agreement: Agreement) -> bool:
    """Editors of any party: they change the agreement, its parts and its reports."""
    return AGREEMENT_POLICY.can_edit(user, agreement)


def can_edit_commitment(user, commitment: Commitment) -> bool:
    """Editors of the owning party or of the agreement's lead party."""
    return COMMITMENT_POLICY.can_edit(user, commitment)


def can_create(user) -> bool:
    """Registering a plan, partnership or agreement needs the editor role somewhere."""
    return AGREEMENT_POLICY.can_create(user)
