"""The writes pass of `make bench`: what an editor's changes cost, through the HTTP API.

Four operations, each measured like a page (``CLIENTS`` clients, a short warm-up, then a
number of requests or a time cap), as ``bench-editor`` with an API token (Bearer):

* ``cooperation-create`` — ``POST /api/v1/cooperations``: an interkommunalt politisk råd with
  15 participants (Hamar kommune and 14 other municipalities in Innlandet), shares adding up
  to 100, checked against the rules of the form;
* ``cooperation-update`` — ``PATCH /api/v1/cooperations/{id}`` of one of those, with its
  version: a new purpose and the 15 participants' shares moved round;
* ``report-entry`` — a follow-up report with 20 commitment entries: ``POST
  /api/v1/agreements/{id}/reports`` (measured as ``report-create``), then 20 ``POST
  …/reports/{report}/entries``, on agreements Innlandet fylkeskommune leads;
* ``protocol`` — ``POST /api/v1/consultations/{id}/meetings``: a consultation meeting with its
  protocol (sameloven § 4-7), on cases Hamar kommune is the authority in.

Every response is checked: only the expected status (201 or 200) counts as done; anything
else is an error, with a sample of the answer. ``prepare()`` creates what the operations work
on (the token, the agreements and the cases) through a snippet run with the bench database.
"""

from __future__ import annotations

import http.client
import json
import math
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TIMEOUT_S = 30.0
WARMUP = 20  # requests per operation, discarded
PARTICIPANTS = 15
ENTRIES = 20
#: Fresh agreements for the report operation (each takes four yearly reports) and cases.
AGREEMENTS = 200

#: Runs with the bench database; prints one JSON object (the facts the operations need).
PREPARE_SNIPPET = """
import datetime as dt, json, random
import django
django.setup()
from django.contrib.auth import get_user_model
from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.agreements import counties
from kraftsenter.agreements.models import Agreement, AgreementParty, Commitment
from kraftsenter.consultations import services as cs
from kraftsenter.places.models import Municipality

user = get_user_model().objects.get(username={editor!r})
_token, token = token_create(actor=user, user=user, name="bench writes", days=1)
hamar = Organisation.objects.get(kind="municipality", municipality__number="3403")
county = Organisation.objects.get(kind="county_municipality", county__number="34")
others = list(
    Organisation.objects.filter(kind="municipality", municipality__county__number="34",
                                archived_at__isnull=True)
    .exclude(pk=hamar.pk).order_by("municipality__number").values_list("pk", flat=True)
)[:{participants} - 1]
# Agreements led by the county municipality, Hamar a party, 20 commitments, no report yet.
rng = random.Random(14)
agreements = Agreement.objects.bulk_create([
    Agreement(title="Skriveprøve " + str(i), kind="regional_growth", status="active",
              lead=county, period_start=dt.date(2024, 1, 1), period_end=dt.date(2027, 12, 31),
              description="Benchmark (writes)")
    for i in range({agreements})
])
AgreementParty.objects.bulk_create(
    [AgreementParty(agreement=a, organisation=o) for a in agreements for o in (county, hamar)]
)
counties.refresh(a.pk for a in agreements)  # bulk rows fire no signals
Commitment.objects.bulk_create([
    Commitment(agreement=a, party=(county, hamar)[j % 2],
               party_county_id=(county, hamar)[j % 2].county_id,
               description="Forpliktelse " + str(j),
               due_date=dt.date(2025, 6, 30) + dt.timedelta(days=rng.randint(0, 700)),
               status="not_started")
    for a in agreements for j in range({entries})
])
commitments = {{}}
for a_id, c_id in Commitment.objects.filter(agreement__in=agreements).order_by("pk").values_list(
        "agreement_id", "pk"):
    commitments.setdefault(a_id, []).append(c_id)
# Consultation cases in consultation, Hamar kommune the authority, one per client.
district = (Organisation.objects.filter(kind=OrganisationKind.REINDEER_HERDING_DISTRICT,
                                        name="Reinbeitedistrikt (benchmark)").first()
            or organisation_create(actor="bench", name="Reinbeitedistrikt (benchmark)",
                                   kind=OrganisationKind.REINDEER_HERDING_DISTRICT))
hamar_muni = Municipality.objects.get(number="3403", valid_to__isnull=True)
cases = []
for i in range({clients}):
    case = cs.consultation_create(actor=user, title="Skriveprøve, sak " + str(i), kind="plan",
                                  plan_kind="community_part", authority=hamar,
                                  municipalities=[hamar_muni])
    case = cs.screening_record(actor=user, consultation=case, expected_version=case.version,
                               reasoning="Benchmark.", result="required", direct_effect=True,
                               general_matter=False, natural_basis=True, traditional_area=True)
    cs.party_add(actor=user, consultation=case, organisation=district)
    case.refresh_from_db()
    case = cs.notice_send(actor=user, consultation=case, expected_version=case.version,
                          sent_on=dt.date(2026, 3, 1), content="Varsel",
                          response_deadline=dt.date(2026, 4, 1))
    for party in case.parties.all():
        cs.party_respond(actor="bench", party=party, response="wants",
                         responded_on=dt.date(2026, 3, 15), agreement_still_possible=True)
    cases.append(case.pk)
print(json.dumps({{
    "token": token,
    "hamar": hamar.pk,
    "others": others,
    "agreements": [[a.pk, commitments[a.pk]] for a in agreements],
    "cases": cases,
}}))
"""


def prepare(env: dict[str, str], editor: str, clients: int) -> dict[str, Any]:
    """Create the token, agreements and cases the writes work on; return their facts."""
    snippet = PREPARE_SNIPPET.format(
        editor=editor,
        participants=PARTICIPANTS,
        agreements=AGREEMENTS,
        entries=ENTRIES,
        clients=clients,
    )
    done = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [sys.executable, "-c", snippet],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"preparing the writes failed:\n{done.stdout}{done.stderr}")
    facts: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return facts


# --- One client's HTTP -------------------------------------------------------------------------


class Api:
    """One keep-alive connection with the editor's token; ``send`` returns (status, JSON)."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)

    def send(self, method: str, path: str, body: Any) -> tuple[int, Any, float]:
        data = json.dumps(body).encode()
        started = time.perf_counter()
        try:
            self.conn.request(method, "/api/v1" + path, body=data, headers=self.headers)
            response = self.conn.getresponse()
            raw = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()
            return 0, f"{type(exc).__name__}: {exc}", time.perf_counter() - started
        elapsed = time.perf_counter() - started
        try:
            payload = json.loads(raw) if raw else None
        except ValueError:
            payload = raw[:200].decode("utf-8", "replace")
        return status, payload, elapsed

    def close(self) -> None:
        self.conn.close()


class Tally:
    """What one client saw of one operation; merged into the operation's result at the end."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def add(self, status: int, expected: int, payload: Any, elapsed: float) -> bool:
        self.latencies.append(elapsed)
        if status == expected:
            return True
        self.errors.append(f"HTTP {status}: {json.dumps(payload, ensure_ascii=False)[:160]}")
        return False


class Slots:
    """Request slots shared by the clients: a count and a deadline (thread-safe)."""

    def __init__(self, requests: int, duration: float) -> None:
        self.left = requests
        self.deadline = time.perf_counter() + duration
        self.lock = threading.Lock()

    def take(self, n: int = 1) -> bool:
        with self.lock:
            if self.left < n or time.perf_counter() >= self.deadline:
                return False
            self.left -= n
            return True


# --- The operations (one client each; ``state`` is the client's own) -------------------------


def _participants(facts: dict[str, Any], turn: int) -> list[dict[str, Any]]:
    """Hamar and 14 others; the 16 % share moves round with ``turn`` (the rest have 6 %)."""
    orgs = [facts["hamar"], *facts["others"]][:PARTICIPANTS]
    big = turn % len(orgs)
    return [
        {"organisation": pk, "ownership_share": 16 if i == big else 6} for i, pk in enumerate(orgs)
    ]


def cooperation_create(
    api: Api, facts: dict[str, Any], state: dict[str, Any], tally: Tally, slots: Slots
) -> bool:
    if not slots.take():
        return False
    n = state.setdefault("made", 0)
    state["made"] = n + 1
    status, payload, elapsed = api.send(
        "POST",
        "/cooperations",
        {
            "name": f"Skriveprøve {state['client']}-{n}-{time.monotonic_ns()} IPR",
            "legal_form": "ipr",
            "areas": ["regional_policy", "business"],
            "participants": _participants(facts, n),
            "purpose": "Felles regional utvikling (benchmark).",
            "host": facts["hamar"],
            "start_date": "2026-01-01",
            "status": "planned",
        },
    )
    if tally.add(status, 201, payload, elapsed):
        state.setdefault("cooperations", []).append([payload["id"], payload["version"]])
    return True


def cooperation_update(
    api: Api, facts: dict[str, Any], state: dict[str, Any], tally: Tally, slots: Slots
) -> bool:
    mine = state.get("cooperations") or []
    if not mine or not slots.take():
        return False
    turn = state.setdefault("updates", 0)
    state["updates"] = turn + 1
    item = mine[turn % len(mine)]
    status, payload, elapsed = api.send(
        "PATCH",
        f"/cooperations/{item[0]}",
        {
            "version": item[1],
            "purpose": f"Felles regional utvikling, endring {turn} (benchmark).",
            "participants": _participants(facts, turn + 1),
            "reason": "Benchmark",
        },
    )
    if tally.add(status, 200, payload, elapsed):
        item[1] = payload["version"]
    return True


def follow_up_report(
    api: Api,
    facts: dict[str, Any],
    state: dict[str, Any],
    tally: Tally,
    slots: Slots,
    create_tally: Tally,
) -> bool:
    """One report (the next year of the client's next agreement) with 20 entries."""
    queue = state["agreements"]
    while queue and state.setdefault("reports", {}).get(queue[0][0], 0) >= 4:
        queue.pop(0)  # four yearly reports fill a 2024-2027 agreement
    if not queue or not slots.take(ENTRIES):
        return False
    agreement, commitments = queue[0]
    state["reports"][agreement] = state["reports"].get(agreement, 0) + 1
    status, payload, elapsed = api.send("POST", f"/agreements/{agreement}/reports", {})
    if not create_tally.add(status, 201, payload, elapsed):
        queue.pop(0)
        return True
    report = payload["id"]
    statuses = ["in_progress", "done", "at_risk", "in_progress"]
    for j, commitment in enumerate(commitments[:ENTRIES]):
        status, payload, elapsed = api.send(
            "POST",
            f"/agreements/{agreement}/reports/{report}/entries",
            {
                "commitment": commitment,
                "status": statuses[j % len(statuses)],
                "text": f"Rapport {j}: i rute (benchmark).",
            },
        )
        tally.add(status, 200, payload, elapsed)
    return True


def protocol(
    api: Api, facts: dict[str, Any], state: dict[str, Any], tally: Tally, slots: Slots
) -> bool:
    if not slots.take():
        return False
    cases = facts["cases"]
    case = cases[state["client"] % len(cases)]
    n = state.setdefault("meetings", 0)
    state["meetings"] = n + 1
    status, payload, elapsed = api.send(
        "POST",
        f"/consultations/{case}/meetings",
        {
            "held_on": "2026-04-02",
            "place": "Hamar rådhus",
            "participants": "Hamar kommune, reinbeitedistriktet",
            "matter": f"Møte {n} om planforslaget (benchmark).",
            "assessments": "Distriktet: beiteområdene må holdes åpne.",
            "conclusions": "Partene møtes igjen.",
            "agreement": "partly",
        },
    )
    tally.add(status, 201, payload, elapsed)
    return True


#: (name, what is sent) per result row; the report operation also fills "report-create".
OPERATIONS: list[tuple[str, str]] = [
    ("cooperation-create", "POST /api/v1/cooperations (15 participants)"),
    ("cooperation-update", "PATCH /api/v1/cooperations/{id} (15 participants)"),
    ("report-create", "POST /api/v1/agreements/{id}/reports"),
    ("report-entry", "POST /api/v1/agreements/{id}/reports/{report}/entries (20 per report)"),
    ("protocol", "POST /api/v1/consultations/{id}/meetings"),
]


def _phase(
    port: int,
    facts: dict[str, Any],
    states: list[dict[str, Any]],
    step: Callable[..., bool],
    requests: int,
    duration: float,
    extra: bool = False,
) -> tuple[list[Tally], list[Tally], float]:
    slots = Slots(requests, duration)
    tallies = [Tally() for _ in states]
    extras = [Tally() for _ in states]
    go = threading.Event()

    def client(i: int) -> None:
        api = Api(port, facts["token"])
        go.wait()
        try:
            args = (extras[i],) if extra else ()
            while step(api, facts, states[i], tallies[i], slots, *args):
                pass
        finally:
            api.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(len(states))]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    slots.deadline = started + duration
    go.set()
    for thread in threads:
        thread.join()
    return tallies, extras, time.perf_counter() - started


def _result(cls: type, name: str, path: str, tallies: list[Tally], elapsed: float) -> Any:
    result = cls(name, path)
    for tally in tallies:
        result.latencies.extend(tally.latencies)
        result.errors += len(tally.errors)
        for sample in tally.errors:
            if len(result.error_samples) < 3:
                result.error_samples.append(sample)
    result.elapsed = elapsed
    return result


def run_writes(
    port: int,
    facts: dict[str, Any],
    requests: int,
    duration: float,
    clients: int,
    result_cls: type,
    log: Callable[[str], None] = print,
) -> list[Any]:
    """Measure the four operations in turn; return one result per row of ``OPERATIONS``."""
    paths = dict(OPERATIONS)
    per_client = [list(facts["agreements"][i::clients]) for i in range(clients)]
    states = [{"client": i, "agreements": per_client[i]} for i in range(clients)]
    results: list[Any] = []

    def measure(name: str, step: Callable[..., bool], extra: str = "") -> None:
        # The report operation's requests are its entries: WARMUP reports (with their
        # entries) warm it up, as WARMUP requests warm up each other operation (two reports
        # did before, so report-create's first statements were measured unprepared).
        warmup = WARMUP * ENTRIES if extra else WARMUP
        _phase(port, facts, states, step, warmup, duration, bool(extra))  # warm-up, discarded
        tallies, extras, elapsed = _phase(
            port, facts, states, step, requests, duration, bool(extra)
        )
        if extra:
            results.append(_result(result_cls, extra, paths[extra], extras, elapsed))
        result = _result(result_cls, name, paths[name], tallies, elapsed)
        results.append(result)
        p95 = _p95(result.latencies)
        log(
            f"  {name:<28} {len(result.latencies):>6} req  "
            f"{len(result.latencies) / elapsed if elapsed else 0:>7.0f} req/s  "
            f"p95 {p95:6.1f} ms  errors {result.errors}"
        )

    measure("cooperation-create", cooperation_create)
    measure("cooperation-update", cooperation_update)
    measure("report-entry", follow_up_report, extra="report-create")
    measure("protocol", protocol)
    return results


def _p95(latencies: list[float]) -> float:
    if not latencies:
        return math.nan
    ordered = sorted(latencies)
    return ordered[max(1, math.ceil(0.95 * len(ordered))) - 1] * 1000
