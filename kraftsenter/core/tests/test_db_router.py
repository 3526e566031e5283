"""config/db_router.py's decisions, in-process: which database each query goes to.

The same router with two real databases (SQLite files, the replica a copy) is tried in
test_scale_out.py, a drill (tests/drills/scale_out.py).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.sessions.models import Session
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections

from config.db_router import PRIMARY, REPLICA, PrimaryReplicaRouter, current_route
from kraftsenter.actors.models import Organisation
from kraftsenter.places.models import Municipality

router = PrimaryReplicaRouter()


@pytest.fixture(autouse=True)
def _signals_without_connection_checks() -> Iterator[None]:
    """Send the request signals as Django's test client does: without Django's own
    ``close_old_connections`` receiver, which would touch the test database."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def request_of() -> Iterator[object]:
    """Start a request with a method (WSGI environ), or an ASGI scope; ended afterwards."""

    def start(method: str = "GET", asgi: bool = False) -> None:
        if asgi:
            request_started.send(sender=None, scope={"type": "http", "method": method})
        else:
            request_started.send(sender=None, environ={"REQUEST_METHOD": method})

    yield start
    request_finished.send(sender=None)


@pytest.fixture
def in_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """As inside ``transaction.atomic()`` on the primary (without opening a connection)."""
    monkeypatch.setattr(connections[PRIMARY], "in_atomic_block", True)


def test_without_replica_url_there_is_no_router(settings) -> None:
    assert settings.DATABASE_ROUTERS == []
    assert "replica" not in settings.DATABASES


def test_outside_a_request_everything_goes_to_the_primary() -> None:
    assert current_route() is None
    assert router.db_for_read(Organisation) == PRIMARY
    assert router.db_for_write(Organisation) == PRIMARY
    assert current_route() is None  # a command's write pins nothing


@pytest.mark.parametrize(("method", "asgi"), [("GET", False), ("HEAD", False), ("GET", True)])
def test_a_get_or_head_reads_the_replica(request_of, method: str, asgi: bool) -> None:
    request_of(method, asgi)
    assert router.db_for_read(Organisation) == REPLICA
    assert router.db_for_read(Municipality) == REPLICA


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_other_method_reads_the_primary(request_of, method: str) -> None:
    request_of(method)
    assert router.db_for_read(Organisation) == PRIMARY


def test_after_a_write_the_request_reads_the_primary(request_of) -> None:
    request_of("GET")
    assert router.db_for_read(Organisation) == REPLICA
    assert router.db_for_write(Municipality) == PRIMARY
    assert router.db_for_read(Organisation) == PRIMARY
    assert router.db_for_read(Municipality) == PRIMARY


def test_the_next_request_starts_afresh(request_of) -> None:
    request_of("GET")
    router.db_for_write(Organisation)
    request_finished.send(sender=None)
    assert current_route() is None
    request_of("GET")
    assert router.db_for_read(Organisation) == REPLICA


def test_a_transaction_reads_the_primary(request_of, in_transaction) -> None:
    request_of("GET")
    assert router.db_for_read(Organisation) == PRIMARY


def test_sessions_are_read_from_the_primary(request_of) -> None:
    request_of("GET")
    assert router.db_for_read(Session) == PRIMARY


def test_migrations_only_on_the_primary() -> None:
    assert router.allow_migrate(PRIMARY, "actors") is True
    assert router.allow_migrate(REPLICA, "actors") is False
    assert router.allow_migrate(REPLICA, "sessions") is False


def test_objects_from_either_database_may_be_related() -> None:
    one, other, third = Organisation(), Organisation(), Organisation()
    one._state.db, other._state.db, third._state.db = PRIMARY, REPLICA, "elsewhere"
    assert router.allow_relation(one, other) is True
    assert router.allow_relation(one, third) is None
