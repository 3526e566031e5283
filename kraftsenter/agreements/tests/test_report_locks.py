"""What a report entry locks on PostgreSQL: its report (with the agreement) and the one
commitment, not the party's organisation. An organisation's row is held by any change to it
(its name, its contact details); the county's and Hamar's reports, in any agreement, must not
wait for that (issue 14: every entry for Hamar's commitments waited for Hamar's row)."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from django.db import OperationalError, connection

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Commitment, ReportEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the database"),
]


def _connect():
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def _entries_with(held_sql: str, held_id: int, report, commitments) -> None:
    """Record an entry for each commitment while another connection holds a row lock."""
    other = _connect()
    try:
        other.execute(held_sql, [held_id])  # holds the row until rollback
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        try:
            for commitment in commitments:
                services.report_entry_record(
                    actor="t", report=report, commitment=commitment.pk, status="in_progress"
                )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        other.rollback()
        other.close()


def _commitments(agreement, party, n: int) -> list[Commitment]:
    return [
        services.commitment_create(
            actor="t",
            agreement=agreement,
            party=party,
            description=f"Tiltak {i}",
            due_date=dt.date(2025, 6, 30),
        )
        for i in range(n)
    ]


def test_entries_do_not_wait_for_the_partys_organisation(active_agreement, orgs):
    hamar = orgs["3403"]
    commitments = _commitments(active_agreement, hamar, 3)
    report = services.report_create(actor="t", agreement=active_agreement)
    _entries_with(
        "SELECT id FROM actors_organisation WHERE id = %s FOR UPDATE", hamar.pk, report, commitments
    )
    assert ReportEntry.objects.filter(report=report).count() == 3


def test_an_entry_waits_for_its_commitment(active_agreement, orgs):
    """The commitment itself stays locked for the entry: a change to it in flight makes the
    entry wait (here: give up after the lock timeout), and nothing of the entry is written."""
    first, second = _commitments(active_agreement, orgs["3403"], 2)
    report = services.report_create(actor="t", agreement=active_agreement)
    with pytest.raises(OperationalError):
        _entries_with(
            "SELECT id FROM agreements_commitment WHERE id = %s FOR UPDATE",
            second.pk,
            report,
            [first, second],
        )
    assert list(
        ReportEntry.objects.filter(report=report).values_list("commitment_id", flat=True)
    ) == [first.pk]


def test_starting_a_report_waits_for_the_agreement(active_agreement, orgs):
    """Two reports started at once must not both find the same year free. A report being
    written in another transaction holds its agreement's row as its foreign key (``FOR KEY
    SHARE``, which the other's insert alone would not wait for); starting one waits for it
    (here: gives up after the lock timeout) and writes nothing; once it is free, the next
    report takes the following year."""
    from kraftsenter.agreements.models import FollowUpReport

    first = services.report_create(actor="t", agreement=active_agreement)
    other = _connect()
    try:
        other.execute(
            "SELECT id FROM agreements_agreement WHERE id = %s FOR KEY SHARE",
            [active_agreement.pk],
        )
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        try:
            with pytest.raises(OperationalError):
                services.report_create(actor="t", agreement=active_agreement)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        other.rollback()
        other.close()
    assert list(FollowUpReport.objects.filter(agreement=active_agreement)) == [first]
    second = services.report_create(actor="t", agreement=active_agreement)
    assert second.period_start == first.period_end + dt.timedelta(days=1)
