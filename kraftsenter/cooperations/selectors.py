"""Reads for the cooperation register, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import (
    AgreementVersion,
    Body,
    BodyMember,
    Cooperation,
    CooperationArea,
    CouncilDecision,
    Participant,
)
from .permissions import visible_cooperations

#: The municipality is joined for its number (``actors.forms.organisation_label``), never for
#: its boundary: decoding a GeoJSON polygon per participant was a fifth of an API page.
ACTIVE_PARTICIPANTS = (
    Participant.objects.filter(archived_at__isnull=True)
    .select_related("organisation", "organisation__municipality", "organisation__county")
    .defer("organisation__municipality__boundary")
)


def cooperation_list(*, user: Any = None, include_archived: bool = False) -> QuerySet[Cooperation]:
    """Cooperations with their areas and participants prefetched (constant query count)."""
    qs = visible_cooperations(user, Cooperation.objects.select_related("host"))
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    return qs.prefetch_related(
        Prefetch("area_links", queryset=CooperationArea.objects.order_by("area")),
        Prefetch("participants", queryset=ACTIVE_PARTICIPANTS, to_attr="active_participants"),
    )


def cooperation_get(*, user: Any = None, pk: int) -> Cooperation:
    qs = visible_cooperations(
        user, Cooperation.objects.select_related("host", "archive_custodian")
    ).prefetch_related(
        Prefetch("area_links", queryset=CooperationArea.objects.order_by("area")),
        Prefetch("participants", queryset=ACTIVE_PARTICIPANTS, to_attr="active_participants"),
        Prefetch(
            "bodies",
            queryset=Body.objects.filter(archived_at__isnull=True).prefetch_related(
                Prefetch(
                    "members",
                    queryset=BodyMember.objects.filter(archived_at__isnull=True).select_related(
                        "organisation"
                    ),
                )
            ),
        ),
        Prefetch(
            "agreement_versions",
            queryset=AgreementVersion.objects.filter(archived_at__isnull=True)
            .order_by("-number")
            .prefetch_related(
                Prefetch(
                    "decisions",
                    queryset=CouncilDecision.objects.filter(
                        archived_at__isnull=True
                    ).select_related("organisation"),
                )
            ),
        ),
        "documents",
    )
    return get_object_or_404(qs, pk=pk)


def cooperations_of_organisation(
    *, user: Any = None, organisation_ids: list[int]
) -> QuerySet[Cooperation]:
    """Cooperations in which any of these organisations takes part (active participation)."""
    return (
        cooperation_list(user=user)
        .filter(
            participants__organisation_id__in=organisation_ids,
            participants__archived_at__isnull=True,
        )
        .distinct()
    )


def withdrawn_participants(cooperation: Cooperation) -> list[Participant]:
    """The participants that withdrew (their participation archived), latest first. A
    participant that withdrew and joined again is listed for its withdrawal too."""
    return list(
        cooperation.participants.filter(archived_at__isnull=False)
        .select_related("organisation")
        .order_by("-archived_at")
    )
