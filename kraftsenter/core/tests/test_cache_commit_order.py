"""The anonymous cache's key follows commits, not id order (PostgreSQL, issue 14).

Two writes overlap: the first takes change id N, the second N+1 and commits first. A reader
between the two commits must not compute the key it will compute again once the first write
has committed, or the page it caches would hide the first change until the next write.
"""

from __future__ import annotations

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from kraftsenter.core.cache import content_version
from kraftsenter.core.models import ChangeRecord

pytestmark = pytest.mark.django_db(transaction=True)


def _connect(dbname: str | None = None):
    params = connection.get_connection_params()
    if dbname:
        params["dbname"] = dbname
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params)


def _insert(conn, type_id: int) -> None:
    conn.execute(
        "INSERT INTO core_changerecord (content_type_id, object_id, object_repr, "
        "parent_object_id, action, actor_name, request_id, created_at, reason) "
        "VALUES (%s, '1', 'x', '', 'update', '', '', now(), '')",
        [type_id],
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_write_that_commits_late_changes_the_key():
    type_id = ContentType.objects.get_for_model(ChangeRecord).pk
    first, second = _connect(), _connect()
    try:
        _insert(first, type_id)  # takes the lower id, stays open
        _insert(second, type_id)
        second.commit()  # the higher id commits first
        between = content_version()
        first.commit()
        after = content_version()
        assert after != between, "a page cached between the commits would stay stale"
        assert content_version() == after  # stable while nothing changes
    finally:
        first.close()
        second.close()


def test_the_key_is_stable_without_writes_and_moves_with_one(db):
    before = content_version()
    assert content_version() == before
    ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(ChangeRecord),
        object_id="1",
        object_repr="x",
        action="update",
    )
    assert content_version() != before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no other databases")
def test_a_write_in_another_database_on_the_server_leaves_the_key_alone():
    """Another application (or test worker) on the same server must not make every page miss."""
    before = content_version()
    other = _connect("postgres")
    try:
        other.execute("CREATE TEMPORARY TABLE elsewhere (x int)")  # takes a transaction id
        other.execute("INSERT INTO elsewhere VALUES (1)")
        assert other.execute("SELECT pg_current_xact_id_if_assigned()").fetchone()[0]
        with _connect("postgres") as later:  # a later transaction ends: the first one is in xip
            later.execute("SELECT pg_current_xact_id()")
        assert content_version() == before
    finally:
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer at a time")
def test_a_write_in_flight_in_this_database_is_in_the_key():
    before = content_version()
    writer = _connect()
    try:
        writer.execute("CREATE TEMPORARY TABLE here (x int)")
        xid = writer.execute("SELECT pg_current_xact_id()::text").fetchone()[0]
        during = content_version()
        assert during != before and during.endswith(xid)
        writer.rollback()
        assert content_version() == before
    finally:
        writer.close()
