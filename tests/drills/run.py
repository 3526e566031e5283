"""make drills: every drill in turn, each in its own process with a time bound.

Builds the demo database once (the drills copy it), and the bench dataset for load_clients in
the background while the other drills run; then runs the drills below, prints each one's
figures and a summary with the time each took, and exits non-zero when any failed or ran
out of time. `--only NAME` runs some of them.

    .venv/bin/python tests/drills/run.py [--only patch_race --only import_kill …]

Environment: KRAFTSENTER_DRILL_DATA / KRAFTSENTER_BENCH_DATA (the reference data, default
../shared/data), DRILL_POSTGRES_URL (a PostgreSQL server for the PostgreSQL part of
patch_race; .ci/run sets it).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from common import PYTHON, ROOT, DrillFailed, build_demo, log

HERE = Path(__file__).resolve().parent
#: (drill, time bound in seconds, arguments): the bound only stops a drill that hangs.
DRILLS: list[tuple[str, float, list[str]]] = [
    ("patch_race", 180, []),
    ("import_kill", 300, []),
    ("sqlite_writers", 180, []),
    ("load_clients", 240, ["--prebuilt"]),
    ("scale_out", 180, []),
]
BUILD_BOUND_S = 300


def run_drill(name: str, bound: float, args: list[str], env: dict[str, str]) -> tuple[str, float]:
    log(f"\n== drill {name} (at most {bound:g} s)")
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own scripts
        [PYTHON, str(HERE / f"{name}.py"), *args], cwd=ROOT, env=env
    )
    try:
        code = process.wait(timeout=bound)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)  # the drill stops its gunicorn on the way out
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return f"TIMEOUT after {bound:g} s", time.perf_counter() - started
    return ("passed" if code == 0 else f"FAILED (exit {code})"), time.perf_counter() - started


def wait_for_build(build: subprocess.Popen[bytes], log_path: Path, started: float) -> None:
    try:
        build.wait(timeout=max(1.0, BUILD_BOUND_S - (time.perf_counter() - started)))
    except subprocess.TimeoutExpired:
        build.send_signal(signal.SIGTERM)
        build.wait()
    log(f"\n== bench dataset (built in the background, exit {build.returncode})")
    log(log_path.read_text(errors="replace").rstrip())


def main() -> int:
    names = [name for name, _bound, _args in DRILLS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=names, metavar="NAME")
    args = parser.parse_args()
    selected = [d for d in DRILLS if not args.only or d[0] in args.only]

    started = time.perf_counter()
    folder = ROOT / "var" / "drills"
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    build = None
    build_log = folder / "bench-dataset.log"
    if any(name == "load_clients" for name, _b, _a in selected):
        with build_log.open("wb") as output:
            build = subprocess.Popen(  # noqa: S603 - our own script
                [PYTHON, str(HERE / "load_clients.py"), "--build-only"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
    results = []
    try:
        template = folder / "demo-template.sqlite3"
        log("== demo database for the drills (migrate, load_demo)")
        try:
            log(f"  built in {build_demo(template):.1f} s")
        except DrillFailed as exc:
            log(f"FAILED: {exc}")
            return 1
        env["DRILL_DEMO_TEMPLATE"] = str(template)
        for name, bound, drill_args in selected:
            if name == "load_clients" and build is not None:
                wait_for_build(build, build_log, started)
                build = None
            results.append((name, *run_drill(name, bound, drill_args, env)))
    finally:
        if build is not None and build.poll() is None:
            build.kill()
            build.wait()
    total = time.perf_counter() - started
    log("\n== drills")
    for name, outcome, seconds in results:
        log(f"  {name:<16} {seconds:6.1f} s  {outcome}")
    log(f"  {'all':<16} {total:6.1f} s")
    return 0 if all(outcome == "passed" for _n, outcome, _s in results) else 1


if __name__ == "__main__":
    sys.exit(main())
