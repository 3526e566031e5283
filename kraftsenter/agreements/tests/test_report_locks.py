"""What the follow-up reports lock on PostgreSQL. An entry locks its report (with the
agreement) and the one commitment, not the party's organisation: an organisation's row is
held by any change to it, and the county's and Hamar's reports, in any agreement, must not
wait for that (issue 14: every entry for Hamar's commitments waited for Hamar's row).
Starting a report locks its agreement, so that two started at once cannot take one period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import OperationalError, connection

from kraftsenter.agreements import services
from kraftsenter.agreements.models import FollowUpReport, ReportEntry

from .conftest import make_commitments

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite locks the database"),
]


@contextmanager
def _held(sql: str, row_id: int) -> Iterator[None]:
    """Another connection holds a row lock (``sql`` with the row's id) while this one gives
    up waiting for a lock after a second."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    other = psycopg.connect(**params)
    try:
        other.execute(sql, [row_id])  # holds the row until rollback
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '1s'")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = 0")
    finally:
        other.rollback()
        other.close()


def _entries(report, commitments) -> None:
    for commitment in commitments:
        services.report_entry_record(
            actor="t", report=report, commitment=commitment.pk, status="in_progress"
        )


def test_entries_do_not_wait_for_the_partys_organisation(active_agreement, orgs):
    hamar = orgs["3403"]
    commitments = make_commitments(active_agreement, hamar, 3)
    report = services.report_create(actor="t", agreement=active_agreement)
    with _held("SELECT id FROM actors_organisation WHERE id = %s FOR UPDATE", hamar.pk):
        _entries(report, commitments)
    assert ReportEntry.objects.filter(report=report).count() == 3


def test_an_entry_waits_for_its_commitment(active_agreement, orgs):
    """The commitment itself stays locked for the entry: a change to it in flight makes the
    entry wait (here: give up after the lock timeout), and nothing of the entry is written."""
    first, second = make_commitments(active_agreement, orgs["3403"], 2)
    report = services.report_create(actor="t", agreement=active_agreement)
    with (
        pytest.raises(OperationalError),
        _held("SELECT id FROM agreements_commitment WHERE id = %s FOR UPDATE", second.pk),
    ):
        _entries(report, [first, second])
    entries = ReportEntry.objects.filter(report=report)
    assert list(entries.values_list("commitment_id", flat=True)) == [first.pk]


def test_starting_a_report_waits_for_the_agreement(active_agreement, orgs):
    """Two reports started at once must not both find the same year free. A report being
    written in another transaction holds its agreement's row as its foreign key (``FOR KEY
    SHARE``, which the other's insert alone would not wait for); starting one waits for it
    (here: gives up after the lock timeout) and writes nothing; once it is free, the next
    report takes the following year."""
    first = services.report_create(actor="t", agreement=active_agreement)
    with (
        pytest.raises(OperationalError),
        _held(
            "SELECT id FROM agreements_agreement WHERE id = %s FOR KEY SHARE", active_agreement.pk
        ),
    ):
        services.report_create(actor="t", agreement=active_agreement)
    assert list(FollowUpReport.objects.filter(agreement=active_agreement)) == [first]
    second = services.report_create(actor="t", agreement=active_agreement)
    assert second.period_start == first.period_end + dt.timedelta(days=1)
