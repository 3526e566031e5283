"""What the digest e-mail says about consultations: answers due and meetings coming up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q
from django.utils.translation import gettext as _

from .choices import Response, Status
from .models import Meeting, Party


def due_items(
    organisation_ids: set[int], today: dt.date, horizon: dt.date
) -> Iterator[tuple[int, dict]]:
    """(organisation id, item fields) for answers due and meetings within the horizon.

    A party that has not answered sees the response deadline; the consulting authority sees it
    too, to follow up. Meetings from today to the horizon are shown to the authority and the
    parties. Two queries, whatever the number of cases."""
    parties = (
        Party.objects.filter(
            archived_at__isnull=True,
            response=Response.PENDING,
            consultation__archived_at__isnull=True,
            consultation__status=Status.NOTIFIED,
            consultation__response_deadline__lte=horizon,
        )
        .filter(
            Q(organisation_id__in=organisation_ids)
            | Q(consultation__authority_id__in=organisation_ids)
        )
        .select_related("organisation", "consultation", "consultation__authority")
    )
    for party in parties:
        case = party.consultation
        item = {
            "kind": "consultation",
            "key": f"consultation-{case.pk}-{party.pk}",
            "title": _("Answer to the consultation notice from %(party)s")
            % {"party": party.organisation.name},
            "context": case.title,
            "due": case.response_deadline,
            "overdue": case.response_deadline is not None and case.response_deadline < today,
            "path": case.get_absolute_url(),
        }
        for org_id, org_name in (
            (party.organisation_id, party.organisation.name),
            (case.authority_id, case.authority.name),
        ):
            if org_id in organisation_ids:
                yield org_id, {**item, "organisation": org_name}
    meetings = (
        Meeting.objects.filter(
            archived_at__isnull=True,
            held_on__gte=today,
            held_on__lte=horizon,
            consultation__archived_at__isnull=True,
        )
        .filter(
            Q(consultation__authority_id__in=organisation_ids)
            | Q(
                consultation__parties__organisation_id__in=organisation_ids,
                consultation__parties__archived_at__isnull=True,
            )
        )
        .distinct()
        .select_related("consultation", "consultation__authority")
        .prefetch_related("consultation__parties__organisation")
    )
    for meeting in meetings:
        case = meeting.consultation
        involved = {case.authority_id: case.authority.name}
        involved.update(
            {
                p.organisation_id: p.organisation.name
                for p in case.parties.all()
                if p.archived_at is None
            }
        )
        for org_id, org_name in involved.items():
            if org_id in organisation_ids:
                yield (
                    org_id,
                    {
                        "kind": "consultation_meeting",
                        "key": f"meeting-{meeting.pk}",
                        "organisation": org_name,
                        "title": _("Consultation meeting"),
                        "context": case.title,
                        "due": meeting.held_on,
                        "overdue": False,
                        "path": case.get_absolute_url(),
                    },
                )
