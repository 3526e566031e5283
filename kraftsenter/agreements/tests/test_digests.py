"""`kraftsenter send_digests`: one e-mail per user with due and overdue items; nobody gets an
empty mail; daily, weekly or never."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kraftsenter.actors.choices import Role
from kraftsenter.agreements import services
from kraftsenter.agreements.models import DigestPreference

from .conftest import make_user

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 10)


@pytest.fixture
def due(active_agreement, orgs):
    """Hamar: one overdue and one soon-due commitment, one far off, one done; Løten: none.
    The agreement's first report (2024) is overdue for every party."""
    for description, due_date, status in (
        ("Ladepunkter i sentrum", dt.date(2025, 2, 1), "in_progress"),
        ("Kulturhus-utredning", dt.date(2025, 3, 20), "not_started"),
        ("Langt fram", dt.date(2026, 1, 1), "not_started"),
        ("Ferdig", dt.date(2025, 1, 1), "done"),
    ):
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3403"],
            description=description,
            due_date=due_date,
            status=status,
        )
    services.report_create(actor="t", agreement=active_agreement)  # due 1 March 2025
    return active_agreement


def test_each_user_gets_one_mail_with_due_and_overdue_items(due, users, orgs):
    # The Hamar editor is also a member of Løten: still one e-mail.
    from kraftsenter.actors.services import membership_add

    membership_add(actor="t", organisation=orgs["3412"], user=users["hamar"], role=Role.MEMBER)
    counts = services.send_digests(today=TODAY)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert len(recipients) == len(set(recipients))
    hamar = next(m for m in mail.outbox if m.to == ["hamar-red@example.invalid"])
    assert "Ladepunkter i sentrum" in hamar.body and "Kulturhus-utredning" in hamar.body
    assert "Langt fram" not in hamar.body and "Ferdig" not in hamar.body
    assert "01.03.2025" in hamar.body  # the overdue follow-up report
    assert hamar.body.index("Ladepunkter") < hamar.body.index("Kulturhus")
    assert counts["users"] == len(mail.outbox)


def test_nobody_gets_an_empty_mail(due, users):
    services.send_digests(today=TODAY)
    recipients = {m.to[0] for m in mail.outbox}
    # Alta's editor has nothing due; Løten's editor has the overdue report.
    assert "alta-red@example.invalid" not in recipients
    assert "loten-red@example.invalid" in recipients
    for message in mail.outbox:
        assert message.body.strip()


def test_weekly_by_default_daily_and_never_by_choice(due, users):
    services.digest_preference_set(actor=users["loten"], user=users["loten"], frequency="none")
    services.digest_preference_set(actor=users["hamar"], user=users["hamar"], frequency="daily")
    services.send_digests(today=TODAY)
    first = {m.to[0] for m in mail.outbox}
    assert "loten-red@example.invalid" not in first and "hamar-red@example.invalid" in first
    mail.outbox.clear()
    # A day later: the daily user gets it again, the weekly users do not.
    DigestPreference.objects.update(last_sent_at=timezone.now() - dt.timedelta(days=1))
    services.send_digests(today=TODAY + dt.timedelta(days=1))
    assert {m.to[0] for m in mail.outbox} == {"hamar-red@example.invalid"}
    mail.outbox.clear()
    DigestPreference.objects.update(last_sent_at=timezone.now() - dt.timedelta(days=7))
    services.send_digests(today=TODAY + dt.timedelta(days=7))
    second = {m.to[0] for m in mail.outbox}
    assert "innlandet-red@example.invalid" in second and "loten-red@example.invalid" not in second


def test_users_without_email_or_inactive_get_nothing(due, orgs):
    from django.contrib.auth import get_user_model

    from kraftsenter.actors.services import membership_add

    no_email = get_user_model().objects.create_user("uten-epost", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=no_email, role=Role.EDITOR)
    inactive = make_user("inaktiv", orgs["3403"])
    inactive.is_active = False
    inactive.save()
    counts = services.send_digests(today=TODAY)
    assert "inaktiv@example.invalid" not in {m.to[0] for m in mail.outbox}
    assert all(m.to[0] for m in mail.outbox) and counts["users"] == len(mail.outbox)


def test_plan_deadlines_are_in_the_digest(orgs, users):
    services.plan_create(
        actor="t",
        title="Kommunal planstrategi Hamar",
        kind="municipal_planning_strategy",
        owner=orgs["3403"],
        election_year=2023,
    )
    services.send_digests(today=dt.date(2024, 11, 5))
    hamar = next(m for m in mail.outbox if m.to == ["hamar-red@example.invalid"])
    assert "Kommunal planstrategi Hamar" in hamar.body and "31.10.2024" in hamar.body


def test_only_the_user_changes_their_preference(users):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.digest_preference_set(actor=users["loten"], user=users["hamar"], frequency="none")


def test_send_digests_command(due, users, capsys):
    call_command("send_digests", "--today", TODAY.isoformat(), "--dry-run")
    assert mail.outbox == [] and "Digests would be sent" in capsys.readouterr().out
    call_command("send_digests", "--today", TODAY.isoformat())
    assert mail.outbox and DigestPreference.objects.filter(last_sent_at__isnull=False).exists()
    sent = len(mail.outbox)
    call_command("send_digests", "--today", TODAY.isoformat())
    assert len(mail.outbox) == sent  # weekly: not again the same day
    call_command("send_digests", "--today", TODAY.isoformat(), "--force")
    assert len(mail.outbox) == 2 * sent
