"""Reads for consultations; exempt material is filtered here, once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Consultation, Document, InformationEntry, Party, Protocol
from .permissions import CONSULTATION_POLICY, can_see_item

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class WithParties(TypedDict):
    """What the selectors prefetch on a consultation: its parties not archived."""

    active_parties: list[Party]


class VisibleItems(TypedDict):
    """The case's material one reader may see, and how many items are hidden from them."""

    information: list[InformationEntry]
    protocols: list[Protocol]
    documents: list[Document]
    hidden: int


PARTIES = Party.objects.filter(archived_at__isnull=True).select_related("organisation")


def consultation_rows(*, user: Any = None) -> QuerySet[Consultation]:
    """The consultations the user may see, not archived, alone: for a list that shows only
    their own columns (title, status, answer deadline: the start page)."""
    return CONSULTATION_POLICY.visible(user, Consultation.objects.all()).filter(
        archived_at__isnull=True
    )


def consultation_list(*, user: Any = None) -> QuerySet[WithAnnotations[Consultation, WithParties]]:
    """The consultations the user may see, not archived, with their authority, municipalities,
    documents and parties."""
    return (
        CONSULTATION_POLICY.visible(user, Consultation.objects.select_related("authority"))
        .filter(archived_at__isnull=True)
        .prefetch_related(
            "municipalities",
            "assessment_documents",
            Prefetch("parties", queryset=PARTIES, to_attr="active_parties"),
        )
    )


def consultation_get(*, user: Any = None, pk: int) -> WithAnnotations[Consultation, WithParties]:
    qs = CONSULTATION_POLICY.visible(
        user, Consultation.objects.select_related("authority", "cooperation")
    ).prefetch_related(
        Prefetch("municipalities"),
        Prefetch("assessment_documents"),
        Prefetch("parties", queryset=PARTIES, to_attr="active_parties"),
    )
    return get_object_or_404(qs, pk=pk)


def visible_items(*, user: Any, consultation: Consultation) -> VisibleItems:
    """Log entries, protocols and documents this reader may see."""
    entries = InformationEntry.objects.filter(
        consultation=consultation, archived_at__isnull=True
    ).prefetch_related("shared_with")
    protocols = Protocol.objects.filter(
        meeting__consultation=consultation, archived_at__isnull=True
    ).select_related("meeting")
    documents = Document.objects.filter(
        consultation=consultation, archived_at__isnull=True
    ).prefetch_related("shared_with")
    return {
        "information": [e for e in entries if can_see_item(user, consultation, e)],
        "protocols": [p for p in protocols if can_see_item(user, consultation, p)],
        "documents": [d for d in documents if can_see_item(user, consultation, d)],
        "hidden": sum(
            1
            for group in (entries, protocols, documents)
            for item in group
            if not can_see_item(user, consultation, item)
        ),
    }


def party_list(*, consultation: Consultation) -> QuerySet[Party]:
    """The case's parties not archived, with their organisations (each party's
    ``consultation`` is the case given, read once)."""
    return consultation.parties.filter(archived_at__isnull=True).select_related("organisation")


def party_get(*, consultation: Consultation, pk: int) -> Party:
    """One party of the case (404 when it is not one, or is archived)."""
    return get_object_or_404(party_list(consultation=consultation), pk=pk)
