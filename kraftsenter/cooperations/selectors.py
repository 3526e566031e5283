"""Reads for the cooperation register, filtered by what the user may see."""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.models import Count, Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from kraftsenter.core import prepared
from kraftsenter.core.permissions import viewer

from .choices import SHARE_FORMS
from .models import (
    AgreementVersion,
    Body,
    BodyMember,
    Cooperation,
    CooperationArea,
    CouncilDecision,
    Document,
    Participant,
)
from .permissions import visible_cooperations, visible_one

#: The municipality is joined for its number (``actors.forms.organisation_label``), never for
#: its boundary: decoding a GeoJSON polygon per participant was a fifth of an API page.
ACTIVE_PARTICIPANTS = (
    Participant.objects.filter(archived_at__isnull=True)
    .select_related("organisation", "organisation__municipality", "organisation__county")
    .defer("organisation__municipality__boundary")
)
#: What a list shows of each participant (the page counts them, the CSV and the API name them,
#: the API gives the shares): the organisation's name and number, nothing of its places. Four
#: model instances per participant, each with every column, were most of an API page.
LISTED_PARTICIPANTS = (
    Participant.objects.filter(archived_at__isnull=True)
    .select_related("organisation")
    .only(
        "cooperation_id",
        "organisation_id",
        "ownership_share",
        "liability_share",
        "joined_on",
        "organisation__name",
        "organisation__organisation_number",
    )
)


def cooperation_list(
    *, user: Any = None, include_archived: bool = False, with_participants: bool = True
) -> QuerySet[Cooperation]:
    """Cooperations with their areas and participants (:data:`LISTED_PARTICIPANTS`)
    prefetched (constant query count). No list shows the host (the API gives its id).
    ``with_participants=False`` leaves the participants to :func:`attach_participant_rows`
    (the API, after it has cut out its page)."""
    qs = visible_cooperations(user, Cooperation.objects.all())
    if not include_archived:
        qs = qs.filter(archived_at__isnull=True)
    qs = qs.prefetch_related(
        Prefetch("area_links", queryset=CooperationArea.objects.order_by("area"))
    )
    if with_participants:
        qs = qs.prefetch_related(
            Prefetch("participants", queryset=LISTED_PARTICIPANTS, to_attr="active_participants")
        )
    return qs


def cooperation_rows(*, user: Any = None) -> QuerySet[Cooperation]:
    """The cooperations of :func:`cooperation_list` (not archived) without its prefetches,
    for the list page's light rows (``rows.CooperationRows``), which read the areas and the
    number of participants of the page's cooperations only (:func:`cooperation_row_parts`)."""
    return visible_cooperations(user, Cooperation.objects.all()).filter(archived_at__isnull=True)


def _page_areas(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        CooperationArea.objects.filter(cooperation_id__in=ids)
        .order_by("area")
        .values_list("cooperation_id", "area")
    )


def _page_participant_counts(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        Participant.objects.filter(archived_at__isnull=True, cooperation_id__in=ids)
        .order_by()
        .values_list("cooperation_id")
        .annotate(n=Count("id"))
        .values_list("cooperation_id", "n")
    )


def page_areas(ids: list[int]) -> dict[int, list[str]]:
    """The areas (codes, in code order, as :func:`cooperation_list` prefetches them) of each
    of these cooperations (a page of a list): one query, its statement kept for each number
    of cooperations on a page (:mod:`kraftsenter.core.prepared`)."""
    areas: dict[int, list[str]] = {}
    alias = router.db_for_read(CooperationArea)
    for cooperation_id, area in prepared.values("page_areas", alias, _page_areas, tuple(ids)):
        areas.setdefault(cooperation_id, []).append(area)
    return areas


def cooperation_row_parts(ids: list[int]) -> tuple[dict[int, list[str]], dict[int, int]]:
    """The areas (:func:`page_areas`) and the number of current participants of each of
    these cooperations: two queries, their statements kept."""
    alias = router.db_for_read(Participant)
    counts = {
        cooperation_id: n
        for cooperation_id, n in prepared.values(
            "page_participant_counts", alias, _page_participant_counts, tuple(ids)
        )
    }
    return page_areas(ids), counts


def _page_participant_rows(ids: tuple[int, ...]) -> QuerySet[Any]:
    return (
        Participant.objects.filter(archived_at__isnull=True, cooperation_id__in=ids)
        .order_by("organisation__name")
        .values_list(
            "cooperation_id",
            "organisation_id",
            "organisation__organisation_number",
            "organisation__name",
            "ownership_share",
            "liability_share",
            "joined_on",
        )
    )


def attach_participant_rows(cooperations: list[Cooperation]) -> list[Cooperation]:
    """Give each cooperation ``participant_rows``: its current participants as plain dicts
    (organisation, organisation_number, name, ownership_share, liability_share, joined_on: the
    API's participant), by organisation name, in one query; the shares ``None`` where the
    form has none (:data:`~.choices.SHARE_FORMS`), as the API gives them. A page of the API
    list has some 500 participants; as dicts they cost a fraction of two model instances
    each (the participant and its organisation), and a dict built once a fraction of one
    built and then copied without its shares. Its statement is kept for each number of
    cooperations on a page (:mod:`kraftsenter.core.prepared`)."""
    rows: dict[int, list[dict[str, Any]]] = {c.pk: [] for c in cooperations}
    with_shares = {c.pk for c in cooperations if c.legal_form in SHARE_FORMS}
    alias = router.db_for_read(Participant)
    for cooperation_id, organisation, number, name, ownership, liability, joined in prepared.values(
        "page_participant_rows", alias, _page_participant_rows, tuple(rows)
    ):
        shares = cooperation_id in with_shares
        rows[cooperation_id].append(
            {
                "organisation": organisation,
                "organisation_number": number,
                "name": name,
                "ownership_share": ownership if shares else None,
                "liability_share": liability if shares else None,
                "joined_on": joined,
            }
        )
    for cooperation in cooperations:
        cooperation.participant_rows = rows[cooperation.pk]  # type: ignore[attr-defined]
    return cooperations


#: A cooperation's areas, in code order (as its page and API answer list them).
AREAS = Prefetch("area_links", queryset=CooperationArea.objects.order_by("area"))


def _current_bodies(pk: int) -> QuerySet[Body]:
    return Body.objects.filter(archived_at__isnull=True, cooperation_id=pk)


def _current_members(body_ids: tuple[int, ...]) -> QuerySet[BodyMember]:
    return BodyMember.objects.filter(archived_at__isnull=True, body_id__in=body_ids).select_related(
        "organisation"
    )


def _current_versions(pk: int) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(archived_at__isnull=True, cooperation_id=pk).order_by(
        "-number"
    )


def _current_decisions(version_ids: tuple[int, ...]) -> QuerySet[CouncilDecision]:
    return CouncilDecision.objects.filter(
        archived_at__isnull=True, agreement_version_id__in=version_ids
    ).select_related("organisation")


def _documents(pk: int) -> QuerySet[Document]:
    return Document.objects.filter(cooperation_id=pk)


def _by(objects: list[Any], key: str) -> dict[Any, list[Any]]:
    groups: dict[Any, list[Any]] = {}
    for obj in objects:
        groups.setdefault(getattr(obj, key), []).append(obj)
    return groups


def read_parts(cooperation: Cooperation) -> None:
    """The parts of a cooperation its page and API answer show beyond its areas and
    participants: the current bodies with their current members, the agreement versions
    (newest first) with their current council decisions, the documents; left on
    ``cooperation`` as ``prefetch_related`` leaves them. Each of the five reads goes through a
    statement kept per shape (:mod:`kraftsenter.core.prepared`): built by the ORM as
    prefetches, they were about a seventh of a 15-participant cooperation's change (issue
    14); a read's nested parts only when there are bodies or versions."""
    pk = cooperation.pk
    alias = router.db_for_read(Cooperation, instance=cooperation)
    bodies = prepared.instances("parts:bodies", alias, Body, _current_bodies, pk)
    members = (
        _by(
            prepared.instances(
                "parts:members", alias, BodyMember, _current_members, tuple(b.pk for b in bodies)
            ),
            "body_id",
        )
        if bodies
        else {}
    )
    for body in bodies:
        prepared.fill_prefetched(body, "members", members.get(body.pk, []))
    versions = prepared.instances("parts:versions", alias, AgreementVersion, _current_versions, pk)
    decisions = (
        _by(
            prepared.instances(
                "parts:decisions",
                alias,
                CouncilDecision,
                _current_decisions,
                tuple(v.pk for v in versions),
            ),
            "agreement_version_id",
        )
        if versions
        else {}
    )
    for version in versions:
        prepared.fill_prefetched(version, "decisions", decisions.get(version.pk, []))
    prepared.fill_prefetched(cooperation, "bodies", bodies)
    prepared.fill_prefetched(cooperation, "agreement_versions", versions)
    prepared.fill_prefetched(
        cooperation,
        "documents",
        prepared.instances("parts:documents", alias, Document, _documents, pk),
    )


def cooperation_get(*, user: Any = None, pk: int) -> Cooperation:
    """The cooperation with everything its page and API answer show (404 for what the user
    may not see). The answer to a change is built on the service's instance instead
    (:func:`cooperation_answer`)."""
    qs = visible_cooperations(
        user, Cooperation.objects.select_related("host", "archive_custodian")
    ).prefetch_related(
        AREAS,
        Prefetch("participants", queryset=ACTIVE_PARTICIPANTS, to_attr="active_participants"),
    )
    cooperation: Cooperation = get_object_or_404(qs, pk=pk)
    read_parts(cooperation)
    return cooperation


def _set_empty_parts(cooperation: Cooperation) -> None:
    """A cooperation registered in this request has no bodies, agreement versions or
    documents yet (registering takes none): set empty instead of read, as a prefetch that
    found none leaves them (``.none()`` querysets were compiled to SQL at each read, a tenth
    of the registration's answer; issue 14)."""
    for name in ("bodies", "agreement_versions", "documents"):
        prepared.fill_prefetched(cooperation, name, [])


def cooperation_answer(cooperation: Cooperation, *, new: bool = False) -> Cooperation:
    """The cooperation a service has just registered or changed, with what its page and API
    answer show, for the answer to that change: what :func:`cooperation_get` gives, built on
    the service's own instance. The service read (or wrote) its fields, its host and archive
    custodian, its areas and its current participants in its transaction; only the parts it
    did not read are read here (:func:`read_parts`, and the areas if the service did not keep
    them). ``new``: registered in this request, so it has no parts and no withdrawn
    participants yet; nothing is read.

    No visibility check: the change was only allowed for an editor who still takes part
    afterwards (``COOPERATION_POLICY.require_result``), or a site administrator."""
    if new:
        _set_empty_parts(cooperation)
        cooperation.withdrawn = []  # type: ignore[attr-defined]
    else:
        read_parts(cooperation)
    prefetch_related_objects([cooperation], AREAS)
    return cooperation


def read_with_parts(
    name: str,
    alias: str,
    build: Any,
    participants: QuerySet[Participant],
    pk: int,
) -> Cooperation | None:
    """The cooperation ``build(pk)`` reads, with its areas and its current participants
    (``participants``, as ``active_participants``) left as ``prefetch_related`` leaves them,
    each of the three read with a statement built once (:mod:`kraftsenter.core.prepared`,
    kept under ``name``); None when there is no such cooperation. For the edit forms and for
    the services' locked read, whose three queries the ORM built anew at every request."""
    found = prepared.instances(name, alias, Cooperation, build, pk)
    if not found:
        return None
    cooperation: Cooperation = found[0]
    prepared.fill_prefetched(
        cooperation,
        "area_links",
        prepared.instances(
            f"{name}:areas",
            alias,
            CooperationArea,
            lambda key: CooperationArea.objects.filter(cooperation_id=key).order_by("area"),
            pk,
        ),
    )
    prepared.fill_prefetched(
        cooperation,
        "participants",
        prepared.instances(
            f"{name}:participants",
            alias,
            Participant,
            lambda key: participants.filter(cooperation_id=key),
            pk,
        ),
        to_attr="active_participants",
    )
    return cooperation


def cooperation_locate(*, user: Any = None, pk: int) -> Cooperation:
    """The cooperation a change through the API starts from: :func:`cooperation_get`'s
    visibility and 404 in one query, without its parts (the services lock and read the row
    again; the answer after the change is :func:`cooperation_answer`). Built once per kind
    of user (:mod:`kraftsenter.core.prepared`)."""
    found = prepared.instances(
        "cooperation_locate",
        router.db_for_read(Cooperation),
        Cooperation,
        lambda who, key: visible_cooperations(who, Cooperation.objects.filter(pk=key)),
        viewer(user),
        pk,
    )
    if not found:
        raise Http404
    located: Cooperation = found[0]
    return located


def cooperation_for_form(*, user: Any = None, pk: int) -> Cooperation:
    """The cooperation as its edit forms show it (:func:`cooperation_get`'s visibility and
    404): its areas and current participants, without the bodies, agreement versions and
    documents the detail page reads (five queries and their model instances of the forms'
    GET). Posting reads :func:`cooperation_get`: the services check what it prefetches.
    The host's and the archive custodian's municipality and county are joined for their
    numbers (the form's organisation fields show them), the municipality without its
    boundary.

    The three reads are by the cooperation's key, their statements built once
    (:mod:`kraftsenter.core.prepared`), and who may see it is decided on what they read
    (``permissions.visible_one``): building the three queries anew was half of a form's
    GET (issue 14)."""
    cooperation = read_with_parts(
        "cooperation_for_form",
        router.db_for_read(Cooperation),
        lambda key: (
            Cooperation.objects.select_related(
                "host__municipality",
                "host__county",
                "archive_custodian__municipality",
                "archive_custodian__county",
            )
            .defer("host__municipality__boundary", "archive_custodian__municipality__boundary")
            .filter(pk=key)
        ),
        ACTIVE_PARTICIPANTS,
        pk,
    )
    if cooperation is None:
        raise Http404
    if not visible_one(user, cooperation):
        raise Http404
    return cooperation


def cooperations_of_organisation(
    *, user: Any = None, organisation_ids: list[int], with_participants: bool = True
) -> QuerySet[Cooperation]:
    """Cooperations in which any of these organisations takes part (active participation):
    ``pk IN`` their participations' cooperation ids (index ``participant_org_active``), no join
    and no ``DISTINCT``."""
    takes_part = Participant.objects.filter(
        organisation_id__in=organisation_ids, archived_at__isnull=True
    ).values("cooperation_id")
    return cooperation_list(user=user, with_participants=with_participants).filter(
        pk__in=takes_part
    )


def withdrawn_participants(cooperation: Cooperation) -> list[Participant]:
    """The participants that withdrew (their participation archived), latest first. A
    participant that withdrew and joined again is listed for its withdrawal too. A
    cooperation registered in this request has none (:func:`cooperation_answer`)."""
    known: list[Participant] | None = getattr(cooperation, "withdrawn", None)
    if known is not None:
        return known
    # Its statement kept (core.prepared), the cooperation's id its parameter: the ORM built
    # it anew for every answer to a change (about a tenth of a PATCH's time, issue 14).
    withdrawn: list[Participant] = prepared.instances(
        "withdrawn_participants",
        router.db_for_read(Participant, instance=cooperation),
        Participant,
        _withdrawn,
        cooperation.pk,
    )
    return withdrawn


def _withdrawn(pk: int) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(cooperation_id=pk, archived_at__isnull=False)
        .select_related("organisation")
        .order_by("-archived_at")
    )
