"""Who may see and change cooperations: the participants (and the host) own the record.

Editors of a participant change the cooperation and its parts (participants, agreement
versions, council decisions, bodies and their members, documents); administrators of a
participant archive and restore it. A change is also checked on its result: afterwards one of
the editor's organisations must still take part.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from kraftsenter.core.permissions import (
    ROLE_ADMIN,
    ROLE_MEMBER,
    RecordPolicy,
    is_site_admin,
    organisations_with_role,
)

from .models import Cooperation, Participant


def _owners(cooperation: Cooperation) -> set[int]:
    links = getattr(cooperation, "active_participants", None)
    if links is not None:
        ids = {p.organisation_id for p in links}
    else:
        ids = set(
            cooperation.participants.filter(archived_at__isnull=True).values_list(
                "organisation_id", flat=True
            )
        )
    if cooperation.host_id:
        ids.add(cooperation.host_id)
    return ids


def _owners_q(ids: set[int], prefix: str = "") -> Q:
    """The cooperations these organisations take part in or host, as a filter without a join:
    ``EXISTS`` on the participants (one index look-up per cooperation), so the rows stay one
    per cooperation and no ``SELECT DISTINCT`` is needed (see :func:`visible_q`). ``prefix``
    as in :func:`visible_q`."""
    takes_part = Participant.objects.filter(
        cooperation_id=OuterRef(f"{prefix}pk"), organisation_id__in=ids, archived_at__isnull=True
    )
    return Q(Exists(takes_part)) | Q(**{f"{prefix}host_id__in": ids})


COOPERATION_POLICY = RecordPolicy(
    owners=_owners,
    owners_q=_owners_q,
    published_q=Q(published=True),  # as visible_q's "public"
    archive_role=ROLE_ADMIN,
    actions={
        "set_participants": "edit",
        "add_agreement_version": "edit",
        "record_decision": "edit",
        "add_body": "edit",
        "add_body_member": "edit",
        "end_body_member": "edit",
        "add_document": "edit",
        "import": "create",
    },
    denied={
        "create": _(
            "Only editors and administrators of an organisation may register cooperations."
        ),
        "edit": _(
            "Only editors and administrators of the participants may change this cooperation."
        ),
        "archive": _("Only administrators of the participants may archive this cooperation."),
        "restore": _("Only administrators of the participants may restore this cooperation."),
    },
)


def visible_q(user: Any, prefix: str = "", *, participations_of: int | None = None) -> Q:
    """What ``COOPERATION_POLICY.visible`` lets ``user`` see, as a filter: site admins
    everything; others what is published and not archived; members also what their
    organisations take part in or host (archived or not).

    ``prefix`` puts the filter on a model that points to the cooperation (``"cooperation__"``
    on the participants): the database then checks the cooperation it joins anyway, instead
    of visiting it a second time in a subquery. ``tests/test_visibility.py`` compares the
    result with the policy's for every kind of user.

    ``participations_of``: the rows are the current participations of this organisation
    (an organisation's overview). When the user is a member of it, every cooperation among
    them is one the user's organisation takes part in, so nothing is filtered: the check
    cost more than the read (PostgreSQL read every cooperation for it rather than look up
    the municipality's few hundred by their key).
    """
    if is_site_admin(user):
        return Q()
    public = Q(**{f"{prefix}published": True, f"{prefix}archived_at__isnull": True})
    member_of = organisations_with_role(user, ROLE_MEMBER)
    if participations_of is not None and sees_all_participations_of(user, participations_of):
        return Q()
    if member_of:
        return public | _owners_q(member_of, prefix)
    return public


def sees_all_participations_of(user: Any, organisation_id: int) -> bool:
    """Whether ``user`` sees every cooperation ``organisation_id`` takes part in (a site admin,
    or a member of it): then a read of its current participations needs no visibility check
    (:func:`visible_q`'s ``participations_of``)."""
    return is_site_admin(user) or organisation_id in organisations_with_role(user, ROLE_MEMBER)


def visible_one(user: Any, cooperation: Cooperation) -> bool:
    """Whether :func:`visible_q` gives ``cooperation``, decided on the record as read, its
    current participants among it (``active_participants``, else read): for a page that has
    read the cooperation by its key. ``tests/test_visibility.py`` compares the two."""
    if is_site_admin(user):
        return True
    if cooperation.published and cooperation.archived_at is None:
        return True
    member_of = organisations_with_role(user, ROLE_MEMBER)
    return bool(member_of and member_of & _owners(cooperation))


def visible_cooperations(
    user: Any, queryset: QuerySet[Cooperation] | None = None
) -> QuerySet[Cooperation]:
    """The cooperations ``COOPERATION_POLICY.visible`` gives, without its ``SELECT DISTINCT``:
    the owners' filter joins nothing (:func:`_owners_q`), so there is nothing to de-duplicate.
    ``DISTINCT`` over every column of the cooperation (its texts included) was most of the
    filtered list's SQL."""
    qs = queryset if queryset is not None else Cooperation.objects.all()
    return qs.filter(visible_q(user))
