"""Reads to a read replica, writes to the primary (``DATABASE_REPLICA_URL``, docs/DEPLOYMENT.md).

Active only when ``DATABASE_REPLICA_URL`` is set (config/settings.py then adds the ``replica``
database and this router). Which database a query goes to:

* writes, and migrations: always the primary (``default``);
* reads in a GET or HEAD request that has not written: the replica;
* reads in any other request (POST, PUT, PATCH, DELETE), reads after the request wrote
  anything (read-your-writes: the rest of that request reads the primary), and reads inside a
  transaction (``transaction.atomic``: every service): the primary;
* reads outside a request (management commands, imports, backups, the shell): the primary;
* sessions: always the primary, so that a login is seen by the very next page even when the
  replica lags.

The request's method is taken from Django's ``request_started`` signal (WSGI ``environ`` or
ASGI ``scope``) and forgotten at ``request_finished``; the state is a context variable, so
threads and asyncio tasks each have their own.
"""

from __future__ import annotations

import contextvars
from typing import Any

from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
#: Methods whose reads may go to the replica (nothing else in the request has written).
READ_METHODS = frozenset({"GET", "HEAD"})
#: Apps whose rows must be read where they were just written (a login, then the next page).
PRIMARY_ONLY_APPS = frozenset({"sessions"})

#: "read": a GET/HEAD request that has not written; "primary": anything else in a request;
#: None: outside a request.
_state: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "kraftsenter_db_route", default=None
)


def _method(environ: Any = None, scope: Any = None) -> str:
    if environ is not None:
        return str(environ.get("REQUEST_METHOD", "")).upper()
    if scope is not None:
        return str(scope.get("method", "")).upper()
    return ""


def request_began(sender: Any, environ: Any = None, scope: Any = None, **kwargs: Any) -> None:
    _state.set("read" if _method(environ, scope) in READ_METHODS else "primary")


def request_ended(sender: Any, **kwargs: Any) -> None:
    _state.set(None)


def pin_to_primary() -> None:
    """Send every further read of this request to the primary (called on each write)."""
    if _state.get() is not None:
        _state.set("primary")


def current_route() -> str | None:
    """'read', 'primary' or None (outside a request): for tests and diagnostics."""
    return _state.get()


# Connected at import: settings name the router, and Django imports it on the first query;
# until then (the first request of a process) reads go to the primary, which is always safe.
request_started.connect(request_began, dispatch_uid="kraftsenter-db-router-start")
request_finished.connect(request_ended, dispatch_uid="kraftsenter-db-router-end")


class PrimaryReplicaRouter:
    """Django database router: see the module's docstring."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _state.get() != "read" or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY  # a transaction reads what it wrote
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica is a copy of the primary: an object read from either may refer to one
        # read from the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY  # the replica gets its schema by replication
