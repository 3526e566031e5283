"""Benchmark harness for Kraftsenter (`make bench`).

Builds a national-scale dataset (all 357 municipalities, 41 years of population, a few
small-town regions) in a throw-away SQLite database, starts gunicorn with two workers on
127.0.0.1, and measures each URL in ``URLS`` with a stdlib-only load generator: 10 concurrent
clients, one HTTP connection each, a short warm-up, then a fixed number of requests or a time
cap, whichever ends first.

Every figure is compared with ``/bench/floor``, a bare Django view that returns "ok" through
the same middleware stack: the cheapest response the framework can give on this machine. The
aim for each page is at least 50 % of the floor's throughput and a p95 latency under 50 ms at
10 clients. Missed aims are reported, not failed; request errors and a server that will not
start make the run exit non-zero.

Usage::

    .venv/bin/python bench/run.py [--requests N] [--duration S] [--only NAME ...]
        [--pass on|off|logged-in ...] [--reuse-db] [--write-docs]

Three passes, each with a fresh server: anonymous with the response cache on, anonymous with
it off, and logged in as an editor with memberships (``BENCH_EDITOR``), whose session cookie
makes every request miss the anonymous cache (aim there: 15 % of the floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import http.cookies
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

# --- What is measured --------------------------------------------------------------------------

#: (name, path) pairs, measured in this order. Paths may use ``{region}`` (the slug of the
#: benchmark region created below). Add new registers here; ``--only NAME`` selects rows.
URLS: list[tuple[str, str]] = [
    ("floor", "/bench/floor"),
    ("municipality", "/kommuner/3403/"),
    ("municipality-list-county", "/kommuner/?county=34"),
    ("municipality-list", "/kommuner/"),
    ("api-municipalities-county", "/api/v1/municipalities?county=34"),
    ("api-municipalities", "/api/v1/municipalities"),
    ("search", "/sok/?q=kara"),
    ("api-search", "/api/v1/places/search?q=kara"),
    ("county", "/fylker/34/"),
    ("region", "/regioner/{region}/"),
    ("organisation-list-filtered", "/organisasjoner/?kind=association&county=34"),
    ("api-organisations-filtered", "/api/v1/organisations?kind=association&county=34"),
    ("organisation-search", "/organisasjoner/?q=idrettslag"),
    ("api-organisation-search", "/api/v1/organisations?q=idrettslag"),
    ("organisation", "/organisasjoner/{organisation}/"),
    ("cooperation-list-filtered", "/samarbeid/?form=ko&area=ict&county=34"),
    ("api-cooperations-filtered", "/api/v1/cooperations?form=ko&area=ict&county=34"),
    ("municipality-cooperations", "/kommuner/3403/samarbeid/"),
    ("api-municipality-cooperations", "/api/v1/municipalities/3403/cooperations"),
    ("region-coverage", "/regioner/{region}/samarbeid/"),
    ("region-profile", "/regioner/{region}/profil/"),
    ("api-region-profile", "/api/v1/regions/{region}/profile"),
    ("county-map", "/kart/fylke/40/?indikator=utslipp-per-innbygger"),
    (
        "commitment-list-filtered",
        "/forpliktelser/?status=at_risk&county={county}&due_before=2026-12-31",
    ),
    ("api-commitments-filtered", "/api/v1/commitments?status=at_risk&party={party}"),
    ("county-dashboard", "/dashbord/fylker/{county}/"),
    ("agreement", "/avtaler/{agreement}/"),
    ("agreement-list-filtered", "/avtaler/?county={county}&kind=regional_growth"),
    ("organisation-dashboard", "/dashbord/organisasjoner/{party}/"),
    ("api-agreement-commitments", "/api/v1/agreements/{agreement}/commitments"),
    ("api-openapi", "/api/v1/openapi.json"),
]

#: Pages only a logged-in user opens, measured in the logged-in pass after ``URLS``:
#: ``{organisation}`` is Hamar kommune's organisation (the editor's own), ``{cooperation}`` a
#: cooperation it takes part in (so the edit form opens).
LOGGED_IN_URLS: list[tuple[str, str]] = [
    ("dashboard", "/dashbord/"),
    ("own-organisation-dashboard", "/dashbord/organisasjoner/{organisation}/"),
    ("cooperation-edit", "/samarbeid/{cooperation}/endre/"),
    ("cooperation-participants-edit", "/samarbeid/{cooperation}/deltakere/"),
    ("profile", "/konto/profil/"),
]

#: The editor the logged-in pass logs in as (created by SETUP_SNIPPET; bench database only).
BENCH_EDITOR = ("bench-editor", "bench-editor-passord-2026")

FLOOR = "floor"

#: Small-town regions created for the region page: (name, centre, hinterland numbers).
#: The first one is the region that ``{region}`` points to.
REGIONS: list[tuple[str, str, list[str]]] = [
    ("Hamarregionen", "3403", ["3411", "3412", "3413"]),
    ("Lillehammer-regionen", "3405", ["3440", "3441"]),
    ("Gjøvikregionen", "3407", ["3442", "3443", "3447", "3448"]),
    ("Kongsvingerregionen", "3401", ["3414", "3415", "3416"]),
]

# The aim, per URL, at CLIENTS concurrent clients.
AIM_THROUGHPUT_SHARE = 0.50
#: Logged in (issue 14): every request misses the anonymous cache; the aim is about ten times
#: the nearest peer (adhocracy+ at 21.5 req/s), i.e. at least 15 % of the floor.
AIM_LOGGED_IN_SHARE = 0.15
AIM_P95_MS = 50.0

CLIENTS = 10
WARMUP_REQUESTS = 50
DEFAULT_REQUESTS = 1000
DEFAULT_DURATION_S = 15.0
WORKERS = 2
HOST = "127.0.0.1"
REQUEST_TIMEOUT_S = 30.0
STARTUP_TIMEOUT_S = 60.0

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
BENCH_DIR = ROOT / "var" / "bench"
DB_PATH = BENCH_DIR / "bench.sqlite3"
SERVER_LOG = BENCH_DIR / "gunicorn.log"
FACTS_PATH = BENCH_DIR / "facts.json"  # what SETUP_SNIPPET printed, for --reuse-db
DOCS_PATH = ROOT / "docs" / "PERFORMANCE.md"

DOCS_START = "<!-- bench:latest-run:start -->"
DOCS_END = "<!-- bench:latest-run:end -->"

DOCS_INTRO = f"""# Performance

`make bench` measures how fast Kraftsenter answers with national-scale data. It builds a fresh
SQLite database with all 357 municipalities, 41 years of population and a few small-town
regions (from `../shared/data`, or `$KRAFTSENTER_BENCH_DATA`), starts gunicorn with {WORKERS}
workers on 127.0.0.1, and sends {CLIENTS} concurrent clients at each page and API endpoint in
turn: a warm-up of {WARMUP_REQUESTS} requests, then {DEFAULT_REQUESTS} requests or
{DEFAULT_DURATION_S:g} seconds, whichever ends first.

Every figure is compared with the **floor**, `/bench/floor`: a bare Django view returning "ok"
through the same middleware stack (it exists only when `KRAFTSENTER_BENCH=1`). The floor is
the best this machine can do, so the comparison shows what our own code costs.

**Aim** for each URL at {CLIENTS} clients: at least {AIM_THROUGHPUT_SHARE:.0%} of the floor's
throughput, and a 95th-percentile latency under {AIM_P95_MS:g} ms. A missed aim is reported, not
failed; any non-200 response fails the run.

Run it with `make bench` (which rewrites the section below), or directly:

```
.venv/bin/python bench/run.py [--requests N] [--duration S] [--only NAME] [--pass on|off|logged-in]
                              [--reuse-db] [--write-docs]
```

The load generator runs on the same machine as the server and takes CPU from it, so absolute
figures are lower than on a real server, and other work on the machine shows up as noise (the
load average is recorded). Watch the ratios to the floor. See `bench/README.md`.

"""


# --- Small helpers -----------------------------------------------------------------------------


class BenchError(Exception):
    """A failure that ends the run with a message (and a non-zero exit code)."""


def log(message: str) -> None:
    print(message, flush=True)


def kraftsenter_command() -> list[str]:
    """The `kraftsenter` console script, or manage.py when the package is not installed."""
    script = VENV_BIN / "kraftsenter"
    if script.exists():
        return [str(script)]
    return [sys.executable, str(ROOT / "manage.py")]


def bench_env(db_path: Path = DB_PATH) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "KRAFTSENTER_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only",
            "KRAFTSENTER_BENCH": "1",
            "KRAFTSENTER_SECURE_COOKIES": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run_step(label: str, args: Sequence[str], env: dict[str, str]) -> str:
    """Run one setup command; return its stdout, or raise BenchError with its output."""
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - fixed argument lists, no shell
        list(args), cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip()
        raise BenchError(f"{label} failed (exit {result.returncode}):\n{output}")
    log(f"  {label}: {elapsed:.1f} s")
    return result.stdout


def data_dir() -> Path:
    configured = os.environ.get("KRAFTSENTER_BENCH_DATA")
    path = Path(configured) if configured else ROOT.parent / "shared" / "data"
    path = path.resolve()
    if not path.is_dir():
        raise BenchError(
            f"Benchmark data not found at {path}. Set KRAFTSENTER_BENCH_DATA to a directory "
            "in the import format (docs/import-format.md), e.g. ../shared/data."
        )
    return path


def git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return "unknown"
    result = subprocess.run(  # noqa: S603 - read-only git query
        [git, "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    commit = result.stdout.strip()
    if result.returncode != 0 or not commit:
        return "none (no commit)"
    dirty = subprocess.run(  # noqa: S603 - read-only git query
        [git, "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return f"{commit}-dirty" if dirty else commit


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


# --- Dataset -----------------------------------------------------------------------------------

SETUP_SNIPPET = """
import django
django.setup()
from kraftsenter.places.models import Municipality, PopulationFigure, Region
from kraftsenter.places.services import region_create

regions = {regions!r}
slugs = []
for name, centre, hinterland in regions:
    region = region_create(
        actor=None,
        name=name,
        centre=Municipality.objects.get(number=centre, valid_to__isnull=True),
        hinterland=list(Municipality.objects.filter(number__in=hinterland, valid_to__isnull=True)),
        description="Created by the benchmark.",
    )
    slugs.append(region.slug)
# National scale for the actor register: 50 000 organisations, 2 000 users with memberships.
from django.contrib.auth import get_user_model
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Membership, Organisation
from kraftsenter.actors.services import organisations_sync_from_places

organisations_sync_from_places(actor="bench")
munis = list(Municipality.objects.select_related("county"))
kinds = [k for k in OrganisationKind.values if k not in ("municipality", "county_municipality")]
words = ["idrettslag", "velforening", "næringsforening", "kor", "frivilligsentral", "klynge",
         "bondelag", "museum", "historielag", "ungdomsråd"]
batch = []
for i in range(50_000):
    m = munis[i % len(munis)]
    batch.append(Organisation(name=m.name_nb + " " + words[i % len(words)] + " " + str(i),
                              kind=kinds[i % len(kinds)], municipality=m, county=m.county))
Organisation.objects.bulk_create(batch, batch_size=5000)
User = get_user_model()
users = User.objects.bulk_create(
    [User(username="bruker" + str(i), first_name="Bench", last_name=str(i)) for i in range(2000)],

    batch_size=1000)
org_ids = list(Organisation.objects.order_by("pk").values_list("pk", flat=True)[:4000])
roles = [Role.MEMBER, Role.EDITOR, Role.ADMIN]
Membership.objects.bulk_create(
    [Membership(user=u, organisation_id=org_ids[(i * 2) % len(org_ids)], role=roles[i % 3])
     for i, u in enumerate(users)], batch_size=1000)
# 20 000 cooperations with 2-15 municipal participants each (bulk: the rules are tested elsewhere).
import random
from decimal import Decimal
from kraftsenter.cooperations.choices import Area, LegalForm, Status
from kraftsenter.cooperations.models import Cooperation, CooperationArea, Participant

rng = random.Random(2026)
municipal = list(Organisation.objects.filter(kind="municipality").select_related("municipality"))
by_county = {{}}
for org in municipal:
    by_county.setdefault(org.municipality.county_id, []).append(org)
groups = list(by_county.values())
forms = list(LegalForm.values)
areas = list(Area.values)
coops = [Cooperation(name="Samarbeid " + str(i) + " IKS", legal_form=forms[i % len(forms)],
                     legal_basis="avtale", status=Status.ACTIVE if i % 4 else Status.PLANNED,
                     legal_person=True)
         for i in range(20_000)]
Cooperation.objects.bulk_create(coops, batch_size=2000)
links, parts = [], []
for i, coop in enumerate(Cooperation.objects.order_by("pk")):
    pool = groups[i % len(groups)]
    chosen = rng.sample(pool, min(len(pool), rng.randint(2, 15)))
    share = Decimal(100) / len(chosen)
    for org in chosen:
        parts.append(Participant(cooperation=coop, organisation=org,
                                 ownership_share=share.quantize(Decimal("0.001"))))
    for area in rng.sample(areas, rng.randint(1, 3)):
        links.append(CooperationArea(cooperation=coop, area=area))
Participant.objects.bulk_create(parts, batch_size=5000)
CooperationArea.objects.bulk_create(links, batch_size=5000)
print("cooperations", Cooperation.objects.count())
print("participants", Participant.objects.count())
hamar_org = Organisation.objects.get(kind="municipality", municipality__number="3403")
# The logged-in pass's editor: editor in Hamar kommune, administrator in Innlandet fylkeskommune.
editor = User.objects.create_user({editor_name!r}, password={editor_password!r},
                                  first_name="Bench", last_name="Editor")
innlandet = Organisation.objects.get(kind="county_municipality", county__number="34")
Membership.objects.bulk_create([
    Membership(user=editor, organisation=hamar_org, role=Role.EDITOR),
    Membership(user=editor, organisation=innlandet, role=Role.ADMIN),
])
print("cooperation_id", Participant.objects.filter(organisation=hamar_org)
      .order_by("cooperation_id").values_list("cooperation_id", flat=True).first())
print("organisations", Organisation.objects.count())
print("users", User.objects.count())
print("organisation_id", hamar_org.pk)
from bench.agreements import bench_data
for key, value in bench_data().items():
    print("ag_" + key, value)
years = PopulationFigure.objects.values("year").distinct().count()
print("municipalities", Municipality.objects.filter(valid_to__isnull=True).count())
print("population_years", years)
print("population_figures", PopulationFigure.objects.count())
print("regions", Region.objects.count())
print("region_slug", slugs[0])
print("region_id", Region.objects.get(slug=slugs[0]).pk)
"""


def build_dataset(env: dict[str, str], db_path: Path = DB_PATH) -> dict[str, str]:
    """Recreate the benchmark database; return facts printed by the setup snippet.

    ``env`` must point DATABASE_URL at ``db_path`` (``bench_env(db_path)``); the load drill
    (tests/drills/load_clients.py) builds the same dataset in a database of its own.
    """
    source = data_dir()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    shown = db_path.relative_to(ROOT) if db_path.is_relative_to(ROOT) else db_path
    log(f"Building dataset in {shown} from {source}")
    command = kraftsenter_command()
    run_step("migrate", [*command, "migrate", "--noinput"], env)
    run_step("import_places", [*command, "import_places", "--dir", str(source)], env)
    output = run_step(
        "regions",
        [
            sys.executable,
            "-c",
            SETUP_SNIPPET.format(
                regions=REGIONS, editor_name=BENCH_EDITOR[0], editor_password=BENCH_EDITOR[1]
            ),
        ],
        env,
    )
    facts = dict(line.split(" ", 1) for line in output.strip().splitlines() if " " in line)
    log(
        "  data: {municipalities} municipalities, {population_years} population years "
        "({population_figures} figures), {regions} regions, {organisations} organisations, "
        "{users} users, {cooperations} cooperations ({participants} participants)".format(
            **{
                k: facts.get(k, "?")
                for k in (
                    "municipalities",
                    "population_years",
                    "population_figures",
                    "regions",
                    "organisations",
                    "users",
                    "cooperations",
                    "participants",
                )
            }
        )
    )
    return facts


# --- Server ------------------------------------------------------------------------------------


class Server:
    """gunicorn on 127.0.0.1 in its own process group; stopped by ``stop()`` in any case."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._log_file: BinaryIO | None = None

    def start(self) -> None:
        self._log_file = SERVER_LOG.open("wb")
        args = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"{HOST}:{self.port}",
            "--graceful-timeout",
            "5",
            "--no-control-socket",
        ]
        log(f"Starting gunicorn ({WORKERS} workers) on {HOST}:{self.port}")
        try:
            self.process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                args,
                cwd=ROOT,
                env=self.env,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        except OSError as exc:
            raise BenchError(f"could not start gunicorn: {exc}") from exc
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"gunicorn exited with code {self.process.returncode}:\n{self.log_tail()}"
                )
            try:
                status, _ = fetch(self.port, "/bench/floor", timeout=2.0)
            except OSError:
                time.sleep(0.2)
                continue
            if status == 200:
                return
            raise BenchError(
                f"gunicorn answers /bench/floor with HTTP {status}; is KRAFTSENTER_BENCH "
                f"honoured?\n{self.log_tail()}"
            )
        raise BenchError(
            f"gunicorn did not answer within {STARTUP_TIMEOUT_S:g} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def log_tail(self, lines: int = 30) -> str:
        if self._log_file is not None:
            self._log_file.flush()
        try:
            text = SERVER_LOG.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"


def fetch(port: int, path: str, timeout: float = REQUEST_TIMEOUT_S) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# --- Load generator ----------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    path: str
    latencies: list[float] = field(default_factory=list)  # seconds, one per request
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the latencies, in milliseconds."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(p / 100 * len(ordered)))
        return ordered[rank - 1] * 1000


class Budget:
    """Hands out request slots until the count or the deadline runs out (thread-safe)."""

    def __init__(self, requests: int, duration: float) -> None:
        self._left = requests
        self._duration = duration
        self._deadline = math.inf
        self._lock = threading.Lock()

    def start(self) -> None:
        self._deadline = time.perf_counter() + self._duration

    def take(self) -> bool:
        with self._lock:
            if self._left <= 0 or time.perf_counter() >= self._deadline:
                return False
            self._left -= 1
            return True


def client(
    port: int,
    path: str,
    budget: Budget,
    go: threading.Event,
    result: Result,
    lock: threading.Lock,
    headers: dict[str, str] | None = None,
) -> None:
    """One client: one connection (kept alive if the server allows), requests in sequence."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    latencies: list[float] = []
    errors: list[str] = []
    go.wait()
    try:
        while budget.take():
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                latencies.append(time.perf_counter() - started)
                errors.append(f"{type(exc).__name__}: {exc}")
                conn.close()  # the next request opens a fresh connection
                continue
            latencies.append(time.perf_counter() - started)
            if status != 200:
                snippet = body[:120].decode("utf-8", "replace").replace("\n", " ")
                errors.append(f"HTTP {status}: {snippet}")
    finally:
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.errors += len(errors)
            result.error_samples.extend(errors[: 3 - len(result.error_samples)])


def load(
    port: int,
    name: str,
    path: str,
    requests: int,
    duration: float,
    headers: dict[str, str] | None = None,
) -> Result:
    """Send ``requests`` GETs (or as many as fit in ``duration``) from CLIENTS clients."""
    result = Result(name, path)
    budget = Budget(requests, duration)
    go = threading.Event()
    lock = threading.Lock()
    threads = [
        threading.Thread(
            target=client, args=(port, path, budget, go, result, lock, headers), daemon=True
        )
        for _ in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    budget.start()
    go.set()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


def measure(
    port: int,
    name: str,
    path: str,
    requests: int,
    duration: float,
    headers: dict[str, str] | None = None,
) -> Result:
    load(port, name, path, WARMUP_REQUESTS, duration, headers)  # warm-up, discarded
    return load(port, name, path, requests, duration, headers)


def login(port: int, username: str, password: str) -> dict[str, str]:
    """Log in through the login form, as a browser does; return the Cookie header to send.

    Raises BenchError when the form does not answer, the login is refused, or the profile
    page does not open with the session afterwards."""
    login_path = "/konto/logg-inn/"
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    try:
        conn.request("GET", login_path)
        response = conn.getresponse()
        page = response.read().decode("utf-8", "replace")
        csrf_cookie = _cookie(response, "csrftoken")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if response.status != 200 or not csrf_cookie or not token:
            raise BenchError(f"the login form did not answer as expected (HTTP {response.status})")
        body = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        )
        conn.request(
            "POST",
            login_path,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf_cookie}",
            },
        )
        response = conn.getresponse()
        response.read()
        session = _cookie(response, "sessionid")
        if response.status != 302 or not session:
            raise BenchError(f"logging in as {username} failed (HTTP {response.status})")
    finally:
        conn.close()
    headers = {"Cookie": f"csrftoken={csrf_cookie}; sessionid={session}"}
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
    try:
        conn.request("GET", "/konto/profil/", headers=headers)
        response = conn.getresponse()
        response.read()
    finally:
        conn.close()
    if response.status != 200:
        raise BenchError(f"the profile page answers HTTP {response.status} after logging in")
    return headers


def _cookie(response: http.client.HTTPResponse, name: str) -> str:
    for header in response.headers.get_all("Set-Cookie") or []:
        morsel = http.cookies.SimpleCookie(header).get(name)
        if morsel is not None:
            return morsel.value
    return ""


# --- Report ------------------------------------------------------------------------------------


@dataclass
class Row:
    name: str
    path: str
    requests: int
    errors: int
    throughput: float
    share: float  # of the floor's throughput
    p50: float
    p95: float
    p95_ratio: float  # p95 / floor's p95
    verdict: str


def rows(
    results: list[Result], floor: Result, aim_share: float = AIM_THROUGHPUT_SHARE
) -> list[Row]:
    out = []
    floor_p95 = floor.percentile_ms(95)
    for r in results:
        share = r.throughput / floor.throughput if floor.throughput else math.nan
        p95 = r.percentile_ms(95)
        if r.name == FLOOR:
            verdict = "ref"
        else:
            missed = []
            if not share >= aim_share:
                missed.append("req/s")
            if not p95 < AIM_P95_MS:
                missed.append("p95")
            verdict = "pass" if not missed else "FAIL " + ",".join(missed)
        out.append(
            Row(
                name=r.name,
                path=r.path,
                requests=r.requests,
                errors=r.errors,
                throughput=r.throughput,
                share=share,
                p50=r.percentile_ms(50),
                p95=p95,
                p95_ratio=p95 / floor_p95 if floor_p95 else math.nan,
                verdict=verdict,
            )
        )
    return out


HEADERS = [
    "name",
    "path",
    "requests",
    "errors",
    "req/s",
    "% floor",
    "p50 ms",
    "p95 ms",
    "p95/floor",
    "aim",
]


def cells(row: Row) -> list[str]:
    return [
        row.name,
        row.path,
        str(row.requests),
        str(row.errors),
        f"{row.throughput:.0f}",
        f"{row.share:.0%}",
        f"{row.p50:.1f}",
        f"{row.p95:.1f}",
        f"{row.p95_ratio:.1f}x",
        row.verdict,
    ]


def text_table(table: list[Row]) -> str:
    lines = [HEADERS, *(cells(r) for r in table)]
    numeric = {2, 3, 4, 5, 6, 7, 8}
    widths = [max(len(line[i]) for line in lines) for i in range(len(HEADERS))]

    def fmt(line: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if i in numeric else cell.ljust(widths[i])
            for i, cell in enumerate(line)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([fmt(lines[0]), rule, *(fmt(line) for line in lines[1:])])


def markdown_table(table: list[Row]) -> str:
    align = ["---", "---", *["---:"] * 7, "---"]
    lines = ["| " + " | ".join(HEADERS) + " |", "| " + " | ".join(align) + " |"]
    for row in table:
        values = cells(row)
        values[1] = f"`{values[1]}`"
        lines.append("| " + " | ".join(values) + " |")
    return "\n".join(lines)


def machine_info() -> dict[str, str]:
    import sqlite3

    return {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "commit": git_commit(),
        "cpus": str(cpu_count()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(terse=True),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def markdown_render_figures(output_format: str) -> str:
    """The Markdown renderer's times on pathological input (bench/markdown_render.py), run in
    this Python (the project's virtual environment) outside the server."""
    script = ROOT / "bench" / "markdown_render.py"
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, str(script), "--format", output_format],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        raise BenchError(f"bench/markdown_render.py failed:\n{done.stderr.strip()}")
    return done.stdout.strip()


def labour_market_figures() -> str:
    """Labour-market regions for the whole country: load and compute times
    (bench/labour_market.py, in this Python, outside the server; it says why when it skips)."""
    script = ROOT / "bench" / "labour_market.py"
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode != 0:
        raise BenchError(f"bench/labour_market.py failed:\n{done.stderr.strip()}")
    return done.stdout.strip()


def write_docs(
    tables: list[tuple[str, list[Row]]],
    info: dict[str, str],
    settings: str,
    markdown_figures: str = "",
) -> None:
    parts = [
        DOCS_START,
        "## Latest run",
        "",
        f"{info['date']}, commit `{info['commit']}`, {info['cpus']} CPUs, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['platform']}, "
        f"load average before the run {info['load']}.",
        settings,
    ]
    for title, table in tables:
        parts += ["", f"### {title}", "", markdown_table(table)]
    if markdown_figures:
        parts += [
            "",
            "### Markdown rendering of pathological input (`bench/markdown_render.py`)",
            "",
            markdown_figures,
        ]
    section = "\n".join([*parts, DOCS_END])
    text = DOCS_PATH.read_text() if DOCS_PATH.exists() else DOCS_INTRO
    if DOCS_START in text and DOCS_END in text:
        head, rest = text.split(DOCS_START, 1)
        _, tail = rest.split(DOCS_END, 1)
        text = head + section + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOCS_PATH.parent.mkdir(parents=True, exist_ok=True)
    DOCS_PATH.write_text(text)
    log(f"Wrote {DOCS_PATH.relative_to(ROOT)}")


# --- Main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    names = [name for name, _ in [*URLS, *LOGGED_IN_URLS]]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests",
        type=int,
        default=DEFAULT_REQUESTS,
        help=f"requests per URL after warm-up (default {DEFAULT_REQUESTS})",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=DEFAULT_DURATION_S,
        help=f"time cap per URL in seconds (default {DEFAULT_DURATION_S:g})",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=names,
        metavar="NAME",
        help="measure only this URL (repeatable; the floor is always measured). "
        f"Names: {', '.join(names)}",
    )
    parser.add_argument(
        "--pass",
        dest="passes",
        action="append",
        choices=list(PASSES),
        help="run only this pass (repeatable): 'on' anonymous with the response cache, 'off' "
        "anonymous without it, 'logged-in' an editor's session (default: all three)",
    )
    parser.add_argument(
        "--cache",
        choices=["both", "on", "off"],
        help="the anonymous passes only: with the response cache on, off, or both "
        "(same as --pass on / --pass off)",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help=f"measure the dataset the last run built in {DB_PATH.relative_to(ROOT)} instead "
        "of rebuilding it (for quick before/after runs; make bench always rebuilds)",
    )
    parser.add_argument(
        "--write-docs",
        action="store_true",
        help=f"write the figures to {DOCS_PATH.relative_to(ROOT)}",
    )
    args = parser.parse_args(argv)
    passes = list(args.passes or [])
    if args.cache:
        passes += ["on", "off"] if args.cache == "both" else [args.cache]
    args.passes = list(dict.fromkeys(passes)) or list(PASSES)
    if args.requests < 1 or args.duration <= 0:
        parser.error("--requests and --duration must be positive")
    return args


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


PASSES = {
    "on": ("1", "Anonymous response cache on: what readers get (after the first request)"),
    "off": ("0", "Cache off: the cost of a cache miss, e.g. the first read after any change"),
    "logged-in": (
        "1",
        "Logged in: an editor (Hamar kommune) and administrator (Innlandet fylkeskommune), "
        "whose session cookie makes every request miss the anonymous cache",
    ),
}


def run_pass(
    env: dict[str, str],
    facts: dict[str, str],
    selected: list[tuple[str, str]],
    args: argparse.Namespace,
    logged_in: bool = False,
) -> list[Result]:
    server = Server(env)
    results: list[Result] = []
    try:
        server.start()
        headers = login(server.port, *BENCH_EDITOR) if logged_in else None
        log(
            f"Measuring {len(selected)} URLs: {CLIENTS} clients, {WARMUP_REQUESTS} warm-up "
            f"requests, then {args.requests} requests or {args.duration:g} s per URL"
            + (f", logged in as {BENCH_EDITOR[0]}" if logged_in else "")
        )
        for name, template in selected:
            path = template.format(
                region=facts.get("region_slug", "missing"),
                organisation=facts.get("organisation_id", "missing"),
                region_id=facts.get("region_id", "missing"),
                cooperation=facts.get("cooperation_id", "missing"),
                **{k[3:]: v for k, v in facts.items() if k.startswith("ag_")},
            )
            result = measure(server.port, name, path, args.requests, args.duration, headers)
            results.append(result)
            log(
                f"  {name:<28} {result.requests:>6} req  {result.throughput:>7.0f} req/s  "
                f"p95 {result.percentile_ms(95):6.1f} ms  errors {result.errors}"
            )
    finally:
        server.stop()
    return results


def dataset(env: dict[str, str], reuse: bool) -> dict[str, str]:
    """Build the dataset, or with ``reuse`` take the one the last run built (and its facts)."""
    if reuse and DB_PATH.exists() and FACTS_PATH.exists():
        log(f"Reusing the dataset in {DB_PATH.relative_to(ROOT)} (--reuse-db)")
        # Migrations added since the dataset was built apply to it (and fail loudly if not).
        run_step("migrate", [*kraftsenter_command(), "migrate", "--noinput"], env)
        facts: dict[str, str] = json.loads(FACTS_PATH.read_text())
        return facts
    FACTS_PATH.unlink(missing_ok=True)
    facts = build_dataset(env)
    FACTS_PATH.write_text(json.dumps(facts, indent=1))
    return facts


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _interrupt)  # e.g. make killed: still stop gunicorn
    every = [*URLS, *LOGGED_IN_URLS]
    selected = [(n, p) for n, p in every if n == FLOOR or not args.only or n in args.only]
    env = bench_env()
    info = machine_info()
    log(
        f"Kraftsenter benchmark: commit {info['commit']}, {info['cpus']} CPUs, "
        f"Python {info['python']}, SQLite {info['sqlite']}, {info['platform']}, "
        f"load average {info['load']}"
    )
    outcomes: list[tuple[str, list[Row], list[Result]]] = []
    logged_in_only = {n for n, _ in LOGGED_IN_URLS}
    try:
        facts = dataset(env, args.reuse_db)
        for name in args.passes:
            flag, title = PASSES[name]
            logged_in = name == "logged-in"
            urls = [u for u in selected if logged_in or u[0] not in logged_in_only]
            if args.only and not any(n in args.only for n, _ in urls):
                continue  # only logged-in pages were asked for
            log(f"\n{title}")
            results = run_pass(
                {**env, "KRAFTSENTER_PAGE_CACHE": flag}, facts, urls, args, logged_in
            )
            aim = AIM_LOGGED_IN_SHARE if logged_in else AIM_THROUGHPUT_SHARE
            outcomes.append((title, rows(results, results[0], aim), results))
    except BenchError as exc:
        log(f"\nbench: {exc}")
        return 2
    except KeyboardInterrupt:
        log("\nbench: interrupted")
        return 130

    settings = (
        f"gunicorn {WORKERS} sync workers, {CLIENTS} clients, {WARMUP_REQUESTS} warm-up "
        f"requests, then {args.requests} requests or {args.duration:g} s per URL. "
        f"Aim: ≥ {AIM_THROUGHPUT_SHARE:.0%} of floor req/s anonymous, "
        f"≥ {AIM_LOGGED_IN_SHARE:.0%} logged in, and p95 < {AIM_P95_MS:g} ms."
    )
    failed = []
    for title, table, results in outcomes:
        log(f"\n{title}\n")
        log(text_table(table))
        failed += [r for r in results if r.errors]
    log("")
    log(settings)
    figures = ""
    if args.only:  # a quick look at a few pages: skip the in-process benchmarks
        for r in failed:
            log(f"errors on {r.name} ({r.path}): {r.errors}; e.g. {'; '.join(r.error_samples)}")
        if args.write_docs:
            write_docs([(title, table) for title, table, _ in outcomes], info, settings, figures)
        return 1 if failed else 0
    try:
        log("\nMarkdown rendering of pathological input (once per save, never per view)\n")
        log(markdown_render_figures("text"))
        figures = markdown_render_figures("markdown") if args.write_docs else ""
    except BenchError as exc:
        log(f"\nbench: {exc}")
        return 2
    try:
        log("\nLabour-market regions, whole country (compute_regions --mode labour-market)\n")
        log(labour_market_figures())
    except BenchError as exc:
        log(f"\nbench: {exc}")
        return 2
    for r in failed:
        log(f"errors on {r.name} ({r.path}): {r.errors}; e.g. {'; '.join(r.error_samples)}")
    if args.write_docs:
        write_docs([(title, table) for title, table, _ in outcomes], info, settings, figures)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
