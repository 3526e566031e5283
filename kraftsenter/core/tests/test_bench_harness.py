"""The bench harness's own parts (bench/): the growth generator at a small scale, the writes'
payloads, the docs blocks of the SQLite, PostgreSQL and growth runs, the growth table, and
the throwaway PostgreSQL cluster's clean-up."""

from __future__ import annotations

import glob
import math
from pathlib import Path

import pytest

from bench import ab, growth, pgcluster, writes
from bench import run as bench_run
from kraftsenter.actors.services import organisations_sync_from_places
from kraftsenter.cooperations.models import Cooperation


@pytest.mark.django_db
def test_growth_adds_organisations_and_cooperations_without_touching_the_old(small_places):
    organisations_sync_from_places()
    before = growth.add_organisations(20)
    assert growth.add_organisations(20, start=20) == before + 20
    coops, parts = growth.add_cooperations(10)
    assert coops == 10 and parts >= 10
    old = {c.pk: c.participants_count for c in _with_counts()}
    # Growing finds the new rows by id: the old keep their participants, the new get theirs.
    coops2, parts2 = growth.add_cooperations(5, start=10)
    assert coops2 == 15 and parts2 > parts
    now = {c.pk: c.participants_count for c in _with_counts()}
    assert {pk: now[pk] for pk in old} == old
    new = [pk for pk in now if pk not in old]
    assert len(new) == 5 and all(now[pk] >= 1 for pk in new)
    names = set(Cooperation.objects.filter(pk__in=new).values_list("name", flat=True))
    assert names == {f"Samarbeid {i} IKS" for i in range(10, 15)}


def _with_counts():
    from django.db.models import Count

    return Cooperation.objects.annotate(participants_count=Count("participants"))


def test_participants_cover_fifteen_organisations_with_shares_of_100() -> None:
    facts = {"hamar": 1, "others": list(range(2, 20))}
    for turn in (0, 1, 14, 15):
        participants = writes._participants(facts, turn)
        assert len(participants) == writes.PARTICIPANTS == 15
        assert participants[0]["organisation"] == 1  # the editor's own municipality
        assert sum(p["ownership_share"] for p in participants) == 100
        assert participants[turn % 15]["ownership_share"] == 16
    assert writes._participants(facts, 0) != writes._participants(facts, 1)


def test_tally_counts_only_the_expected_status() -> None:
    tally = writes.Tally()
    assert tally.add(201, 201, {"id": 1}, 0.01)
    assert not tally.add(422, 201, {"detail": "feil"}, 0.02)
    assert not tally.add(0, 200, "ConnectionResetError", 0.03)
    assert len(tally.latencies) == 3
    assert [e.split(":")[0] for e in tally.errors] == ["HTTP 422", "HTTP 0"]


def _row(name: str = "floor") -> bench_run.Row:
    result = bench_run.Result(name, "/x", latencies=[0.01] * 10, elapsed=0.1)
    return bench_run.rows([result], result)[0]


def test_docs_blocks_sqlite_postgres_and_growth_leave_each_other_alone(tmp_path, monkeypatch):
    docs = tmp_path / "PERFORMANCE.md"
    docs.write_text("# Performance\n\nIntro.\n\n## Where the time goes\n\nKept.\n")
    monkeypatch.setattr(bench_run, "DOCS_PATH", docs)
    monkeypatch.setattr(bench_run, "ROOT", tmp_path)
    info = bench_run.machine_info()
    bench_run.write_docs([("SQLite pass", [_row()])], info, "settings one")
    bench_run.write_docs([("PG pass", [_row()])], info, "settings pg", postgres=True)
    bench_run.write_docs([], info, "settings growth", extra="GROWTH TABLE", growth=True)
    text = docs.read_text()
    order = [
        text.index(bench_run.DOCS_START),
        text.index("SQLite pass"),
        text.index(bench_run.DOCS_END),
        text.index(bench_run.DOCS_PG_START),
        text.index("PG pass"),
        text.index(bench_run.DOCS_PG_END),
        text.index(bench_run.DOCS_GROWTH_START),
        text.index("GROWTH TABLE"),
    ]
    assert order == sorted(order)
    # A new SQLite run replaces only its own block.
    bench_run.write_docs([("Second SQLite pass", [_row()])], info, "settings two")
    text = docs.read_text()
    assert "Second SQLite pass" in text and "SQLite pass |" not in text
    assert "settings one" not in text
    assert "PG pass" in text and "GROWTH TABLE" in text and "Kept." in text
    assert text.count(bench_run.DOCS_PG_START) == 1


def test_growth_table_shows_p95_per_size_and_the_ratio() -> None:
    def result(ms: float) -> bench_run.Result:
        return bench_run.Result("list", "/l", latencies=[ms / 1000] * 20, elapsed=1.0)

    floor = [result(5), result(5), result(10)]  # the machine got busier at 4x
    lines = bench_run.growth_lines(
        [1, 2, 4], {"floor": floor, "list": [result(10), result(12), result(25)]}
    )
    assert lines[0] == [
        "name",
        "p95 1x ms",
        "p95 2x ms",
        "p95 4x ms",
        "4x/1x",
        "4x/1x ÷ floor's",
        "errors",
    ]
    assert lines[1] == ["floor", "5.0", "5.0", "10.0", "2.00", "1.00", "0"]
    assert lines[2] == ["list", "10.0", "12.0", "25.0", "2.50", "1.25", "0"]
    table = bench_run.growth_markdown(
        [1, 2, 4], {"floor": floor, "list": [result(10), result(10), result(10)]}
    )
    assert "| list | 10.0 | 10.0 | 10.0 | 1.00 | 0.50 | 0 |" in table


def test_a_write_with_errors_misses_its_aim_and_a_slow_one_too() -> None:
    floor = bench_run.Result("floor", "/f", latencies=[0.005] * 20, elapsed=0.1)
    fast = bench_run.Result("w", "/w", latencies=[0.05] * 20, elapsed=1.0)
    failing = bench_run.Result("w2", "/w", latencies=[0.05] * 20, elapsed=1.0, errors=1)
    slow = bench_run.Result("w3", "/w", latencies=[0.2] * 20, elapsed=1.0)
    table = bench_run.rows([floor, fast, failing, slow], floor, 0.0, bench_run.AIM_WRITE_P95_MS)
    assert [r.verdict for r in table] == ["ref", "pass", "FAIL errors", "FAIL p95"]
    assert not math.isnan(table[1].share)


@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="PostgreSQL server not installed"
)
def test_the_throwaway_cluster_is_removed_after_a_failure() -> None:
    import psycopg

    said: list[str] = []
    seen: dict[str, str] = {}
    with pytest.raises(RuntimeError), pgcluster.throwaway_cluster(log=said.append) as url:
        seen["url"] = url
        assert pgcluster.server_version(url)
        # The table is vacuumed and the planner's statistics gathered after a load
        # (bench/run.py build_dataset): its pages are all-visible, for index-only scans.
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (n int)")
            conn.execute("INSERT INTO t SELECT generate_series(1, 1000)")
            pgcluster.vacuum_analyze(url)
            row = conn.execute(
                "SELECT reltuples, relpages, relallvisible FROM pg_class WHERE relname = 't'"
            ).fetchone()
            assert row is not None and row[0] == 1000 and row[2] == row[1] > 0
        raise RuntimeError("the run failed")
    folder = Path(said[0].split(" in ", 1)[1].split(",", 1)[0])
    assert folder.name.startswith("ks-bench-pg.")
    assert not folder.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(seen["url"], connect_timeout=2)


def test_a_busy_machine_is_said_in_the_docs() -> None:
    assert "busy" in bench_run.busy_note({"load": "3.50 2.00 1.00", "cpus": "2"})
    assert bench_run.busy_note({"load": "1.50 2.00 1.00", "cpus": "2"}) == ""
    assert bench_run.busy_note({"load": "?", "cpus": "2"}) == ""


# --- --ab: two versions side by side (bench/ab.py) ---------------------------------------------


def test_ab_rounds_alternate_which_side_goes_first() -> None:
    firsts = [ab.order(n)[0] for n in range(ab.ROUNDS)]
    assert firsts == [0, 1] * (ab.ROUNDS // 2)
    assert all(sorted(ab.order(n)) == [0, 1] for n in range(ab.ROUNDS))


def test_ab_compares_the_medians_of_the_rounds() -> None:
    def rounds(*per_second: float, slow: float = 0.01, errors: int = 0) -> list:
        return [
            bench_run.Result(
                "p", "/p", latencies=[0.01] * 18 + [slow] * 2, elapsed=20 / r, errors=e
            )
            for r, e in zip(per_second, [errors] + [0] * (len(per_second) - 1), strict=True)
        ]

    base = rounds(100, 110, 90, 95, 300, 105)  # one fast round: the median ignores it
    change = rounds(150, 120, 130, 125, 135, 40, slow=0.02, errors=2)
    found = ab.compare("p", "/p", base, change)
    assert found.throughput == pytest.approx((102.5, 127.5))
    assert found.ratio == pytest.approx(127.5 / 102.5)
    assert found.p95_ms == pytest.approx((10.0, 20.0))
    assert found.errors == (0, 2)
    text = ab.table([found], "old", "new")
    assert text.splitlines()[1].split() == ["p", "102", "128", "1.24", "10.0", "20.0", "0/2"]


def _git(cwd: Path, *args: str) -> str:
    import subprocess

    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.no", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_ab_serves_a_checkout_of_the_commit_with_the_catalogues_and_removes_it(tmp_path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    (repo / "page.txt").write_text("old")
    _git(repo, "add", "page.txt")
    _git(repo, "commit", "-qm", "old")
    old = ab.resolve(repo, "HEAD")
    (repo / "page.txt").write_text("new")
    _git(repo, "commit", "-qam", "new")
    catalogue = repo / "locale" / "nb" / "LC_MESSAGES" / "django.mo"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_bytes(b"compiled, not in git")
    with pytest.raises(ValueError, match="no such commit"):
        ab.resolve(repo, "no-such-branch")

    with ab.worktree(repo, old) as checkout:
        assert (checkout / "page.txt").read_text() == "old"
        assert (checkout / "locale/nb/LC_MESSAGES/django.mo").read_bytes() == catalogue.read_bytes()
    assert not checkout.exists()
    # Also after a failed run; the project's own checkout is untouched.
    with pytest.raises(RuntimeError), ab.worktree(repo, old) as checkout:
        raise RuntimeError("the server did not start")
    assert not checkout.exists()
    assert _git(repo, "worktree", "list").count("\n") == 0
    assert (repo / "page.txt").read_text() == "new"


def test_ab_refuses_what_it_cannot_compare(capsys) -> None:
    assert bench_run.parse_args(["--ab", "HEAD~1"]).passes == ["logged-in"]
    assert bench_run.parse_args(["--ab", "HEAD~1", "--pass", "off"]).passes == ["off"]
    for extra in (["--write-docs"], ["--growth"], ["--pass", "writes"]):
        with pytest.raises(SystemExit):
            bench_run.parse_args(["--ab", "HEAD~1", *extra])
    assert "--ab" in capsys.readouterr().err


def test_each_url_is_compared_with_the_floor_measured_just_before_it() -> None:
    """The pass's first floor is 1 000 req/s; the machine then slows to half for the second
    URL and recovers for the third: each share is against the floor beside it, both ways."""

    def result(name: str, per_second: float, ms: float = 20.0) -> bench_run.Result:
        n = 100
        return bench_run.Result(name, "/" + name, latencies=[ms / 1000] * n, elapsed=n / per_second)

    floor = result("floor", 1000, ms=5)
    first = result("first", 160)
    first.floor = result("floor", 1000, ms=5)
    second = result("second", 100)
    second.floor = result("floor", 500, ms=10)  # slow minute: 100 of 500 is 20 %
    third = result("third", 140)
    third.floor = result("floor", 1000, ms=5)  # fast again: 140 of 1 000 is 14 %
    table = bench_run.rows([floor, first, second, third], floor, bench_run.AIM_LOGGED_IN_SHARE)
    assert [round(r.share, 2) for r in table] == [1.0, 0.16, 0.2, 0.14]
    assert [r.verdict for r in table] == ["ref", "pass", "pass", "FAIL req/s"]
    assert [round(r.floor_throughput) for r in table] == [1000, 1000, 500, 1000]
    assert [round(r.p95_ratio, 1) for r in table] == [1.0, 4.0, 2.0, 4.0]
    # the floor the share was taken against is shown beside it
    line = bench_run.markdown_table(table).splitlines()[4]
    assert line.startswith("| second | `/second` | 100 | 0 | 100 | 500 | 20% |")
