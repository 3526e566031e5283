"""Drill: scale beyond one machine, tried with real processes (docs/DEPLOYMENT.md).

Runs kraftsenter/core/tests/test_scale_out.py (skipped in `make test`, about 40 s):

* DATABASE_REPLICA_URL with two SQLite files, the replica a lagging copy: a GET's reads come
  from the replica, the write goes to the primary, and the answer to the write (and a login's
  next page) reads the primary;
* two gunicorn nodes on one database, each with its own per-process response cache: a change
  through node A is seen by the next anonymous read on node B.

    .venv/bin/python tests/drills/scale_out.py
"""

from __future__ import annotations

import os
import subprocess
import sys

from common import PYTHON, ROOT, log

TEST = "kraftsenter/core/tests/test_scale_out.py"


def main() -> int:
    env = {**os.environ, "KRAFTSENTER_SCALE_OUT": "1", "KRAFTSENTER_DEBUG": "1"}
    log(f"pytest {TEST} (replica routing on two SQLite files; two gunicorn nodes)")
    done = subprocess.run(  # noqa: S603 - our own test
        [PYTHON, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs", "--durations=3", TEST],
        cwd=ROOT,
        env=env,
        check=False,
    )
    return done.returncode


if __name__ == "__main__":
    sys.exit(main())
