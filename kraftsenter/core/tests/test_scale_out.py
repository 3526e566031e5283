"""Scale beyond one machine (docs/DEPLOYMENT.md), tried for real in separate processes:

* ``DATABASE_REPLICA_URL``: config/db_router.py sends a GET's reads to the replica, writes and
  the reads after them to the primary, and migrates only the primary (two SQLite files, the
  replica a copy of the primary, differing by one organisation's name);
* two gunicorn nodes on one database, each with its own per-process (locmem) response cache: a
  change made through node A is seen by the next anonymous read on node B, because the cache's
  invalidation key is read from the database.

Each test runs its own processes (the settings are read once per process), on a database
migrated once per module. Together they take about 40 s, so they run as a drill
(tests/drills/scale_out.py, `make drills`), which sets KRAFTSENTER_SCALE_OUT=1; the router's
decisions themselves are tested in-process in test_db_router.py (in `make test`).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
BIN = ROOT / ".venv" / "bin"
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
HOST = "127.0.0.1"

pytestmark = pytest.mark.skipif(
    os.environ.get("KRAFTSENTER_SCALE_OUT") != "1",
    reason="a drill (about 40 s): tests/drills/scale_out.py",
)

OLD_NAME = "Replikalaget"
NEW_NAME = "Primærlaget"

#: Creates the user (administrator of one organisation) and an API token; prints JSON.
SETUP = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import Role
from kraftsenter.actors.models import Membership, Organisation
user = get_user_model().objects.create_user("node-editor", password="node-editor-passord-1")
org = Organisation.objects.create(name=NAME, kind="association")
Membership.objects.create(user=user, organisation=org, role=Role.ADMIN)
_token, text = token_create(actor=user, user=user, name="scale-out test")
print(json.dumps({"organisation": org.pk, "token": text}))
""".replace("NAME", repr(OLD_NAME))


def _env(primary: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "KRAFTSENTER_", "DJANGO_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{primary}",
            "KRAFTSENTER_DEBUG": "1",
            "KRAFTSENTER_PAGE_CACHE": "0",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], timeout: float = 120) -> str:
    done = subprocess.run(  # noqa: S603 - our own commands
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """A migrated SQLite database with the editor, its organisation and a token."""
    path = tmp_path_factory.mktemp("scale-out") / "template.sqlite3"
    env = _env(path)
    _run([PYTHON, str(ROOT / "manage.py"), "migrate", "--noinput", "-v", "0"], env)
    facts = json.loads(_run([PYTHON, "-c", SETUP], env).strip().splitlines()[-1])
    _checkpoint(path)
    return path, facts


def _checkpoint(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def _name(path: Path, pk: object) -> str:
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        row = conn.execute("SELECT name FROM actors_organisation WHERE id = ?", (pk,)).fetchone()
    finally:
        conn.close()
    return str(row[0])


# --- DATABASE_REPLICA_URL ---------------------------------------------------------------------

#: Runs in a process with DATABASE_REPLICA_URL set; prints what each read saw, as JSON.
ROUTER_PROBE = """
import json, django
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connections, router, transaction
from django.test import Client
from kraftsenter.actors.models import Organisation

pk, token = {pk!r}, {token!r}
out = {{}}

def name():
    return Organisation.objects.get(pk=pk).name

out["routers"] = [type(r).__name__ for r in router.routers]
out["outside_request"] = name()  # a command, the shell: the primary
out["migrate_primary"] = router.allow_migrate_model("default", Organisation)
out["migrate_replica"] = router.allow_migrate_model("replica", Organisation)

# A GET request, step by step: reads the replica until it writes, then the primary.
request_started.send(sender=None, environ={{"REQUEST_METHOD": "GET"}})
out["get_read"] = name()
with transaction.atomic():
    out["get_read_in_transaction"] = name()
out["get_read_again"] = name()
Organisation.objects.filter(pk=pk).update(description="written by a GET")
out["get_read_after_write"] = name()
request_finished.send(sender=None)
request_started.send(sender=None, environ={{"REQUEST_METHOD": "POST"}})
out["post_read"] = name()
request_finished.send(sender=None)
request_started.send(sender=None, scope={{"type": "http", "method": "HEAD"}})
out["asgi_head_read"] = name()
request_finished.send(sender=None)

# Through HTTP (Django's test client runs the whole middleware stack).
anonymous = Client()
page = anonymous.get(f"/api/v1/organisations/{{pk}}")
out["http_get"] = [page.status_code, page.json()["name"]]
api = Client(HTTP_AUTHORIZATION=f"Bearer {{token}}")
version = api.get(f"/api/v1/organisations/{{pk}}").json()["version"]
changed = api.patch(
    f"/api/v1/organisations/{{pk}}",
    data={{"version": version, "name": "Endret gjennom primæren"}},
    content_type="application/json",
)
out["http_patch"] = [changed.status_code, changed.json().get("name")]
page = anonymous.get(f"/api/v1/organisations/{{pk}}")
out["http_get_after_patch"] = [page.status_code, page.json()["name"]]
# A login is written to the primary; the next page reads the session there too.
browser = Client()
out["login"] = browser.post(
    "/konto/logg-inn/", {{"username": "node-editor", "password": "node-editor-passord-1"}}
).status_code
out["profile_after_login"] = browser.get("/konto/profil/").status_code
print(json.dumps(out))
"""


def test_replica_routing_reads_writes_and_read_your_writes(
    template: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    source, facts = template
    primary = _copy(source, tmp_path / "primary.sqlite3")
    replica = _copy(source, tmp_path / "replica.sqlite3")
    pk = facts["organisation"]
    # The replica lags: the primary already has a newer name (as if replication were behind).
    import sqlite3

    with sqlite3.connect(primary) as conn:
        conn.execute("UPDATE actors_organisation SET name = ? WHERE id = ?", (NEW_NAME, pk))
    conn.close()

    env = _env(primary, DATABASE_REPLICA_URL=f"sqlite:///{replica}")
    probe = ROUTER_PROBE.format(pk=pk, token=facts["token"])
    out = json.loads(_run([PYTHON, "-c", probe], env).strip().splitlines()[-1])

    assert out["routers"] == ["PrimaryReplicaRouter"]
    assert out["outside_request"] == NEW_NAME
    assert (out["migrate_primary"], out["migrate_replica"]) == (True, False)
    # A GET reads the replica, except inside a transaction; after it writes, the primary.
    assert out["get_read"] == OLD_NAME
    assert out["get_read_in_transaction"] == NEW_NAME
    assert out["get_read_again"] == OLD_NAME
    assert out["get_read_after_write"] == NEW_NAME
    # Other methods read the primary; HEAD (here through ASGI's scope) the replica.
    assert out["post_read"] == NEW_NAME
    assert out["asgi_head_read"] == OLD_NAME
    # Through HTTP: an anonymous read comes from the replica, the change goes to the primary
    # and its answer shows it (read-your-writes), while the replica is untouched.
    assert out["http_get"] == [200, OLD_NAME]
    assert out["http_patch"] == [200, "Endret gjennom primæren"]
    assert out["http_get_after_patch"] == [200, OLD_NAME]
    assert _name(primary, pk) == "Endret gjennom primæren"
    assert _name(replica, pk) == OLD_NAME
    assert out["login"] == 302
    assert out["profile_after_login"] == 200


# --- two server processes, one database -------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=20)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@pytest.fixture
def two_nodes(
    template: tuple[Path, dict[str, object]], tmp_path: Path
) -> Iterator[tuple[int, int, dict[str, object]]]:
    """Two gunicorn processes (one worker each, production settings, response cache on) on
    one SQLite file."""
    source, facts = template
    database = _copy(source, tmp_path / "shared.sqlite3")
    env = _env(
        database,
        KRAFTSENTER_DEBUG="0",
        DJANGO_SECRET_KEY="two-nodes-test-only",
        KRAFTSENTER_SECURE_COOKIES="0",
        KRAFTSENTER_PAGE_CACHE="1",
        KRAFTSENTER_API_RATE_ANONYMOUS="",
        KRAFTSENTER_API_RATE_AUTHENTICATED="",
    )
    nodes: list[tuple[subprocess.Popen[bytes], int]] = []
    try:
        for name in ("a", "b"):
            port = _free_port()
            log = (tmp_path / f"node-{name}.log").open("wb")
            process = subprocess.Popen(  # noqa: S603 - our own server
                [str(BIN / "gunicorn"), "config.wsgi", "-w", "1", "-b", f"{HOST}:{port}"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            nodes.append((process, port))
        deadline = time.monotonic() + 60
        for process, port in nodes:
            while True:
                assert process.poll() is None, (tmp_path / "node-a.log").read_text()
                try:
                    if _request(port, "GET", "/api/v1/municipalities?page_size=1")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "a node did not start"
                time.sleep(0.2)
        yield nodes[0][1], nodes[1][1], facts
    finally:
        for process, _port in nodes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def test_a_change_on_one_node_is_seen_by_the_next_anonymous_read_on_another(
    two_nodes: tuple[int, int, dict[str, object]],
) -> None:
    port_a, port_b, facts = two_nodes
    pk, token = facts["organisation"], facts["token"]
    page = f"/organisasjoner/{pk}/"
    api = f"/api/v1/organisations/{pk}"

    # Both nodes have the page in their own cache.
    for port in (port_a, port_b):
        first = _request(port, "GET", page)
        second = _request(port, "GET", page)
        assert (first[0], first[1].get("X-Cache")) == (200, "miss")
        assert (second[0], second[1].get("X-Cache")) == (200, "hit")
        assert OLD_NAME.encode() in second[2]
    _request(port_b, "GET", api)
    api_hit = _request(port_b, "GET", api)
    assert api_hit[1].get("X-Cache") == "hit"

    # A change through node A's API.
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    version = json.loads(_request(port_a, "GET", api, headers=auth)[2])["version"]
    status, _headers, body = _request(
        port_a,
        "PATCH",
        api,
        body=json.dumps({"version": version, "name": NEW_NAME}).encode(),
        headers=auth,
    )
    assert status == 200, body

    # Node B never heard of it, yet its next anonymous reads miss the cache and show it.
    for path in (page, api):
        status, headers, body = _request(port_b, "GET", path)
        assert (status, headers.get("X-Cache")) == (200, "miss")
        text = json.loads(body)["name"] if path == api else body.decode()
        assert NEW_NAME in text
        assert OLD_NAME not in text
    again = _request(port_b, "GET", page)
    assert (again[1].get("X-Cache"), NEW_NAME in again[2].decode()) == ("hit", True)
    # And node A's own cache moved on too.
    on_a = _request(port_a, "GET", page)
    assert (on_a[1].get("X-Cache"), NEW_NAME in on_a[2].decode()) == ("miss", True)
