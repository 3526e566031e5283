"""The digest e-mail: one message per user with what is due or overdue in their organisations.

Run daily from cron (`kraftsenter send_digests`). Users choose daily, weekly (the default) or
never; nobody gets an empty mail. Each mail (subject, body and the items' titles) is in the
reader's preferred language (accounts.preferences; bokmål unless chosen). E-mail goes through
django.core.mail, so the backend and the SMTP server come from the settings (console backend
in the demo).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kraftsenter.accounts.preferences import preferred_languages
from kraftsenter.actors.models import Membership
from kraftsenter.core.permissions import is_site_admin

from ..choices import OPEN_STATUSES, STRATEGY_KINDS, DigestFrequency, PlanKind
from ..models import AgreementParty, Commitment, DigestPreference, FollowUpReport, Plan
from ..planning import plan_deadlines

#: Items due within this many days (or overdue) are in the digest.
HORIZON_DAYS = 14
#: How long after the last digest the next one is sent, per frequency.
INTERVAL_DAYS = {DigestFrequency.DAILY: 1, DigestFrequency.WEEKLY: 7}


@dataclass(frozen=True)
class DigestItem:
    """One due or overdue thing: a commitment, a follow-up report or a plan deadline."""

    kind: str  # commitment, report, plan
    key: str
    organisation: str
    title: str
    context: str
    due: dt.date
    overdue: bool
    path: str


def digest_preference_set(*, actor: Any, user: Any, frequency: str) -> DigestPreference:
    """A user chooses how often to get the digest; only the user (or a site admin)."""
    if not (is_site_admin(actor) or getattr(actor, "pk", None) == user.pk):
        raise PermissionDenied(_("You can change only your own e-mail settings."))
    if frequency not in DigestFrequency.values:
        raise ValidationError({"frequency": _("Choose daily, weekly or never.")})
    preference, _created = DigestPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference


def due_items(organisation_ids: set[int], today: dt.date) -> dict[int, list[DigestItem]]:
    """Due and overdue items per organisation, in a fixed number of queries."""
    horizon = today + dt.timedelta(days=HORIZON_DAYS)
    found: dict[int, list[DigestItem]] = defaultdict(list)
    commitments = (
        Commitment.objects.filter(
            party_id__in=organisation_ids,
            archived_at__isnull=True,
            agreement__archived_at__isnull=True,
            status__in=OPEN_STATUSES,
            due_date__lte=horizon,
        )
        .select_related("agreement", "party")
        .order_by("due_date", "pk")
    )
    for c in commitments:
        found[c.party_id].append(
            DigestItem(
                "commitment",
                f"commitment-{c.pk}",
                c.party.name,
                str(c),
                c.agreement.title,
                c.due_date,
                c.due_date < today,
                c.get_absolute_url(),
            )
        )
    reports = (
        FollowUpReport.objects.filter(
            archived_at__isnull=True,
            completed_on__isnull=True,
            due_date__lte=horizon,
            agreement__archived_at__isnull=True,
            agreement__party_links__organisation_id__in=organisation_ids,
            agreement__party_links__archived_at__isnull=True,
        )
        .distinct()
        .select_related("agreement")
        .prefetch_related(
            Prefetch(
                "agreement__party_links",
                queryset=AgreementParty.objects.filter(archived_at__isnull=True).select_related(
                    "organisation"
                ),
                to_attr="digest_parties",
            )
        )
    )
    for r in reports:
        parties: list[AgreementParty] = cast(Any, r.agreement).digest_parties  # prefetched
        for link in parties:
            if link.organisation_id in organisation_ids:
                found[link.organisation_id].append(
                    DigestItem(
                        "report",
                        f"report-{r.pk}",
                        link.organisation.name,
                        _("Follow-up report %(start)s–%(end)s")
                        % {
                            "start": f"{r.period_start:%d.%m.%Y}",
                            "end": f"{r.period_end:%d.%m.%Y}",
                        },
                        r.agreement.title,
                        r.due_date,
                        r.due_date < today,
                        r.get_absolute_url(),
                    )
                )
    plans = Plan.objects.filter(
        owner_id__in=organisation_ids,
        archived_at__isnull=True,
        kind__in=[*STRATEGY_KINDS, PlanKind.ACTION_PART, PlanKind.ACTION_PROGRAMME],
    ).select_related("owner", "parent")
    for plan in plans:
        for d in plan_deadlines(plan, today):
            if d.status in ("due", "overdue") and d.due is not None and d.due <= horizon:
                found[plan.owner_id].append(
                    DigestItem(
                        "plan",
                        f"plan-{plan.pk}-{d.code}",
                        plan.owner.name,
                        d.label,
                        plan.title,
                        d.due,
                        d.status == "overdue",
                        plan.get_absolute_url(),
                    )
                )
    from kraftsenter.consultations.digest import due_items as consultation_items

    for org_id, fields in consultation_items(organisation_ids, today, horizon):
        found[org_id].append(DigestItem(**fields))
    for items in found.values():
        items.sort(key=lambda item: (item.due, item.key))
    return found


def _is_due(preference: DigestPreference | None, now: dt.datetime) -> bool:
    frequency = preference.frequency if preference else DigestFrequency.WEEKLY
    if frequency == DigestFrequency.NONE:
        return False
    if preference is None or preference.last_sent_at is None:
        return True
    days = INTERVAL_DAYS[DigestFrequency(frequency)]
    # A little slack, so that a cron job at the same time every day is not a minute early.
    return now - preference.last_sent_at >= dt.timedelta(days=days, hours=-2)


def collect_digests(
    *, today: dt.date | None = None, force: bool = False
) -> list[tuple[Any, list[DigestItem]]]:
    """(user, items) for every user who should get a digest now and has something in it."""
    today = today or timezone.localdate()
    now = timezone.now()
    memberships = (
        Membership.objects.filter(
            archived_at__isnull=True,
            organisation__archived_at__isnull=True,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user")
    )
    users: dict[int, Any] = {}
    orgs_of: dict[int, set[int]] = defaultdict(set)
    for m in memberships:
        users[m.user_id] = m.user
        orgs_of[m.user_id].add(m.organisation_id)
    preferences = {p.user_id: p for p in DigestPreference.objects.filter(user_id__in=users)}
    wanted = [uid for uid in users if force or _is_due(preferences.get(uid), now)]
    if force:
        wanted = [
            uid
            for uid in wanted
            if getattr(preferences.get(uid), "frequency", "") != DigestFrequency.NONE
        ]
    # The items' titles are texts in the reader's language: found once per language chosen.
    languages = preferred_languages(wanted)
    items_in: dict[str, dict[int, list[DigestItem]]] = {}
    for language in sorted(set(languages.values())):
        readers = [uid for uid in wanted if languages[uid] == language]
        with translation.override(language):
            items_in[language] = due_items(set().union(*(orgs_of[uid] for uid in readers)), today)
    out: list[tuple[Any, list[DigestItem]]] = []
    for uid in sorted(wanted):
        seen: dict[str, DigestItem] = {}
        items = items_in[languages[uid]]
        for org_id in orgs_of[uid]:
            for item in items.get(org_id, []):
                seen.setdefault(item.key, item)
        if seen:
            out.append(
                (users[uid], sorted(seen.values(), key=lambda i: (i.due, i.organisation, i.key)))
            )
    return out


def send_digests(
    *, today: dt.date | None = None, force: bool = False, dry_run: bool = False
) -> dict[str, int]:
    """Send one e-mail per user with due or overdue items; returns counts."""
    today = today or timezone.localdate()
    digests = collect_digests(today=today, force=force)
    site = getattr(settings, "KRAFTSENTER_SITE_URL", "").rstrip("/")
    messages = []
    languages = preferred_languages(user.pk for user, _items in digests)
    for user, items in digests:
        # Each reader's language; a text missing in Northern Sami or nynorsk is in bokmål.
        with translation.override(languages.get(user.pk, settings.LANGUAGE_CODE)):
            context = {
                "user": user,
                "today": today,
                "site": site,
                "overdue": [i for i in items if i.overdue],
                "upcoming": [i for i in items if not i.overdue],
            }
            subject = _("Kraftsenter: %(count)s due or overdue") % {"count": len(items)}
            body = render_to_string("agreements/email/digest.txt", context)
            messages.append(EmailMessage(subject, body, to=[user.email]))
    if not dry_run and messages:
        get_connection().send_messages(messages)
        now = timezone.now()
        for user, _items in digests:
            DigestPreference.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    return {"users": len(digests), "items": sum(len(i) for _u, i in digests)}
