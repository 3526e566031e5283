"""The health check for load balancers, and the deployment settings read from the
environment (docs/DEPLOYMENT.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import OperationalError, connection, connections
from django.test import override_settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]


@override_settings(KRAFTSENTER_PAGE_CACHE=True)
def test_healthy_answers_200_every_time_and_is_never_cached(client):
    for _ in range(2):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
        assert response["Cache-Control"] == "no-store"
        assert "X-Cache" not in response and not response.cookies


def test_a_database_that_does_not_answer_makes_it_503(client, monkeypatch):
    # Fault injection: the primary's cursor fails as a dropped connection would.
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "databases": {"default": "unavailable"}}
    assert "server closed" not in response.content.decode()


def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with the project's settings and ``env`` on top of this environment."""
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _settings(env: dict[str, str], expression: str) -> subprocess.CompletedProcess[str]:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    return _python(env, "-c", code)


def test_the_default_cache_can_be_shared_through_the_database(tmp_path):
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    env = {"DATABASE_URL": database, "KRAFTSENTER_SHARED_CACHE": "database"}
    made = _python(env, "-m", "django", "createcachetable")
    assert made.returncode == 0, made.stderr
    # One process writes a count, another (another node) reads it.
    first = _settings(env, "__import__('django.core.cache').core.cache.cache.set('n', 3) or 'set'")
    second = _settings(env, "__import__('django.core.cache').core.cache.cache.get('n')")
    assert first.stdout.strip() == "set", first.stderr
    assert second.stdout.strip() == "3", second.stderr
    unset = _settings({"DATABASE_URL": database}, "settings.CACHES['default']['BACKEND']")
    assert unset.stdout.strip().endswith("LocMemCache")


def test_an_unknown_shared_cache_is_refused_at_start():
    result = _settings({"KRAFTSENTER_SHARED_CACHE": "redis"}, "1")
    assert result.returncode != 0
    assert "KRAFTSENTER_SHARED_CACHE='redis'" in result.stderr


def test_server_side_cursors_can_be_turned_off_for_a_transaction_pooler():
    expression = (
        "[d.get('DISABLE_SERVER_SIDE_CURSORS', False) for d in settings.DATABASES.values()]"
    )
    on = _settings({"DATABASE_DISABLE_SERVER_SIDE_CURSORS": "1"}, expression)
    off = _settings({}, expression)
    assert on.stdout.strip() == "[True]", on.stderr
    assert off.stdout.strip() == "[False]", off.stderr


def test_sqlite_copies_its_log_back_every_4000_pages_unless_told(tmp_path):
    """A real connection's setting: SQLite's default (1 000 pages) made one registration in
    14 wait for the copy; the operator can set another."""
    database = f"sqlite:///{tmp_path / 'wal.sqlite3'}"
    expression = (
        "__import__('django.db').db.connection.cursor()"
        ".execute('PRAGMA wal_autocheckpoint').fetchone()[0]"
    )
    default = _settings({"DATABASE_URL": database}, expression)
    told = _settings(
        {"DATABASE_URL": database, "KRAFTSENTER_SQLITE_WAL_AUTOCHECKPOINT": "1000"}, expression
    )
    assert default.stdout.strip() == "4000", default.stderr
    assert told.stdout.strip() == "1000", told.stderr


def test_sqlite_lock_poll_step_is_read_and_a_bad_one_refused_at_start():
    expression = "settings.KRAFTSENTER_SQLITE_LOCK_POLL_MS"
    assert _settings({}, expression).stdout.strip() == "1.0"
    assert _settings({"KRAFTSENTER_SQLITE_LOCK_POLL_MS": "0"}, expression).stdout.strip() == "0.0"
    for bad in ("soon", "-1", "5000"):
        refused = _settings({"KRAFTSENTER_SQLITE_LOCK_POLL_MS": bad}, expression)
        assert refused.returncode != 0
        assert f"KRAFTSENTER_SQLITE_LOCK_POLL_MS={bad!r}" in refused.stderr


def test_postgresql_connections_start_no_parallel_workers_unless_told():
    expression = "settings.DATABASES['default'].get('OPTIONS', {}).get('options')"
    pg = {"DATABASE_URL": "postgres://kraftsenter@db.example/kraftsenter?sslmode=require"}
    default = _settings(pg, expression)
    assert default.stdout.strip() == (
        "-c max_parallel_workers_per_gather=0 -c jit=off -c random_page_cost=1.1"
    ), default.stderr
    two = _settings(
        {
            **pg,
            "DATABASE_PARALLEL_WORKERS": "2",
            "DATABASE_JIT": "1",
            "DATABASE_RANDOM_PAGE_COST": "4",
        },
        expression,
    )
    assert two.stdout.strip() == (
        "-c max_parallel_workers_per_gather=2 -c jit=on -c random_page_cost=4"
    ), two.stderr
    server = _settings(
        {
            **pg,
            "DATABASE_PARALLEL_WORKERS": "",
            "DATABASE_JIT": "",
            "DATABASE_RANDOM_PAGE_COST": "",
        },
        expression,
    )
    assert server.stdout.strip() == "None", server.stderr
    for cost in ("cheap", "0", "-1"):
        refused = _settings({**pg, "DATABASE_RANDOM_PAGE_COST": cost}, expression)
        assert refused.returncode != 0, cost
        assert f"DATABASE_RANDOM_PAGE_COST={cost!r}" in refused.stderr
    jit = _settings({**pg, "DATABASE_JIT": "sometimes"}, expression)
    assert jit.returncode != 0
    assert "DATABASE_JIT='sometimes'" in jit.stderr
    wrong = _settings({**pg, "DATABASE_PARALLEL_WORKERS": "many"}, expression)
    assert wrong.returncode != 0
    assert "DATABASE_PARALLEL_WORKERS='many'" in wrong.stderr


def test_the_database_connection_runs_without_parallel_workers():
    """What the setting above gives on the real server (PostgreSQL's own default is 2)."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no parallel query")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_statements_are_prepared_after_a_few_runs_unless_told():
    expression = (
        "[settings.DATABASES['default'].get('OPTIONS', {}).get(k)"
        " for k in ('server_side_binding', 'prepare_threshold')]"
    )
    pg = {"DATABASE_URL": "postgres://kraftsenter@db.example/kraftsenter?sslmode=require"}
    default = _settings(pg, expression)
    assert default.stdout.strip() == "[True, 5]", default.stderr
    at_once = _settings({**pg, "DATABASE_PREPARE_THRESHOLD": "0"}, expression)
    assert at_once.stdout.strip() == "[True, 0]", at_once.stderr
    # Behind a pooler that cannot keep them: Django's own binding, nothing prepared.
    pooled = _settings({**pg, "DATABASE_PREPARE_THRESHOLD": ""}, expression)
    assert pooled.stdout.strip() == "[None, None]", pooled.stderr
    wrong = _settings({**pg, "DATABASE_PREPARE_THRESHOLD": "often"}, expression)
    assert wrong.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD='often'" in wrong.stderr
    sqlite = _settings({"DATABASE_URL": "sqlite:///x.sqlite3"}, expression)
    assert sqlite.stdout.strip() == "[None, None]", sqlite.stderr


def test_a_statement_run_again_and_again_is_prepared_on_the_real_server():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: psycopg's prepared statements")
    sql = "SELECT count(*) FROM django_content_type WHERE app_label = %s"
    with connection.cursor() as cursor:
        for label in ("core", "places", "actors", "core", "places", "actors", "core"):
            cursor.execute(sql, [label])
            assert cursor.fetchone()[0] >= 1
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM django_content_type WHERE app_label = $1%"],
        )
        assert cursor.fetchone()[0] == 1
