"""The SQLite backend's write transactions (``kraftsenter.core.sqlite``): a write that finds the
write lock taken waits for it in short steps and goes ahead once it is free, gives up with
"database is locked" after the configured timeout, and leaves SQLite's own wait in place for
every other statement."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, connection, connections

from kraftsenter.core.sqlite.base import DatabaseWrapper

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock"),
    pytest.mark.django_db,
]


def wrapper(path, timeout: float = 5.0) -> DatabaseWrapper:
    settings = {
        **connection.settings_dict,
        "NAME": str(path),
        "OPTIONS": {
            **connection.settings_dict.get("OPTIONS", {}),
            "timeout": timeout,
            "transaction_mode": "IMMEDIATE",
        },
    }
    db = DatabaseWrapper(settings, alias="lock-test")
    db.ensure_connection()
    db.connection.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    return db


def busy_timeout(db: DatabaseWrapper) -> int:
    return int(db.connection.execute("PRAGMA busy_timeout").fetchone()[0])


def hold_write_lock(path, seconds: float, taken: threading.Event) -> threading.Thread:
    """Another writer (a plain sqlite3 connection) holding the write lock for ``seconds``."""

    def hold() -> None:
        other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        taken.set()
        time.sleep(seconds)
        other.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(5)
    return thread


@pytest.mark.parametrize("poll_ms", [1, 0.2])
def test_a_write_waits_for_the_lock_and_goes_ahead_when_it_is_free(tmp_path, settings, poll_ms):
    settings.KRAFTSENTER_SQLITE_LOCK_POLL_MS = poll_ms
    path = tmp_path / "db.sqlite3"
    db = wrapper(path)
    before = busy_timeout(db)
    seen: list[str] = []
    db.connection.set_trace_callback(seen.append)
    thread = hold_write_lock(path, 0.25, threading.Event())
    started = time.monotonic()
    db._start_transaction_under_autocommit()  # waits for the other writer
    waited = time.monotonic() - started
    db.connection.execute("INSERT INTO t VALUES (2)")
    db.connection.commit()
    thread.join()
    assert waited >= 0.2  # it did wait: the lock was the other's
    # the wait was this backend's: BEGIN tried again and again, not one BEGIN left to SQLite
    assert len([s for s in seen if s.startswith("BEGIN")]) > 5
    # the other writer's row and this one's, in that order: nothing lost on either side
    assert [n for (n,) in db.connection.execute("SELECT n FROM t ORDER BY rowid")] == [1, 2]
    assert busy_timeout(db) == before == 5000  # SQLite's own wait again for the rest
    db.close()


def test_a_write_that_never_gets_the_lock_gives_up_after_the_timeout(tmp_path, settings):
    settings.KRAFTSENTER_SQLITE_LOCK_POLL_MS = 1
    path = tmp_path / "db.sqlite3"
    db = wrapper(path, timeout=0.3)
    taken = threading.Event()
    thread = hold_write_lock(path, 2.0, taken)
    started = time.monotonic()
    with pytest.raises(OperationalError, match="locked"):
        db._start_transaction_under_autocommit()
    assert 0.3 <= time.monotonic() - started < 1.5  # its timeout, not the other's whole hold
    assert busy_timeout(db) == 300
    assert not db.connection.in_transaction
    thread.join()
    # and the next write goes ahead
    db._start_transaction_under_autocommit()
    db.connection.execute("INSERT INTO t VALUES (3)")
    db.connection.commit()
    assert [n for (n,) in db.connection.execute("SELECT n FROM t ORDER BY rowid")] == [1, 3]
    db.close()


def test_without_a_poll_step_sqlite_waits_by_itself(tmp_path, settings):
    """``KRAFTSENTER_SQLITE_LOCK_POLL_MS=0``: Django's ``BEGIN``, SQLite's busy handler."""
    settings.KRAFTSENTER_SQLITE_LOCK_POLL_MS = 0
    path = tmp_path / "db.sqlite3"
    db = wrapper(path)
    seen: list[str] = []
    db.connection.set_trace_callback(seen.append)
    thread = hold_write_lock(path, 0.1, threading.Event())
    db._start_transaction_under_autocommit()
    db.connection.commit()
    thread.join()
    assert not [s for s in seen if "busy_timeout" in s]
    assert [s for s in seen if s.startswith("BEGIN")] == ["BEGIN IMMEDIATE"]
    db.close()


def test_the_project_database_uses_this_backend():
    default = connections["default"]
    assert type(default).__module__ == "kraftsenter.core.sqlite.base"
    assert getattr(default, "transaction_mode", None) == "IMMEDIATE"
