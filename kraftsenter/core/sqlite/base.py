"""Django's SQLite backend, with a write transaction that waits for SQLite's one write lock in
short steps (``ENGINE = "kraftsenter.core.sqlite"``, set by ``config/settings.py``).

Every write transaction starts with ``BEGIN IMMEDIATE`` (``transaction_mode``), which takes the
database's one write lock or waits for it. SQLite's own wait (its busy handler, set by the
``timeout`` option) sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries: with two gunicorn
workers writing, the one that waits sleeps past the moment the other commits, and the lock
stands idle for milliseconds of every write (a cooperation's registration holds it about
5 ms). Here the transaction's ``BEGIN`` tries again after ``FIRST_PAUSE`` (0.1 ms,
doubling to at most ``KRAFTSENTER_SQLITE_LOCK_POLL_MS``), within the same ``timeout``; every
other statement waits as SQLite does. ``KRAFTSENTER_SQLITE_LOCK_POLL_MS=0`` leaves it to SQLite.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.db import OperationalError
from django.db.backends.sqlite3 import base

#: The first pause between tries of ``BEGIN`` (seconds); each next one twice as long.
FIRST_PAUSE = 0.0001


class DatabaseWrapper(base.DatabaseWrapper):
    def _start_transaction_under_autocommit(self) -> None:
        longest = float(getattr(settings, "KRAFTSENTER_SQLITE_LOCK_POLL_MS", 0)) / 1000
        mode = getattr(self, "transaction_mode", None)  # Django 5.1+; the stubs lag
        if not longest or mode is None:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
            return
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        raw = self.connection
        # Fail at once while the lock is taken, instead of SQLite's own coarse sleeps; the
        # wait is this loop's. The raw connection's statements are not the application's
        # queries (not logged, not counted).
        raw.execute("PRAGMA busy_timeout = 0")
        try:
            deadline = time.monotonic() + timeout
            pause = FIRST_PAUSE
            while True:
                try:
                    self.cursor().execute(f"BEGIN {mode}")
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc) or time.monotonic() >= deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, longest)
        finally:
            raw.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
