"""A test run killed before its end leaves its PostgreSQL database behind: the next run on the same host
drops it (tests/conftest.py), and never one of a run still going or of another host or naming scheme."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import _HOST_TAG, stale_databases


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_only_this_hosts_databases_of_ended_runs_are_stale() -> None:
    dead, alive = _dead_pid(), os.getpid()
    names = [
        f"ppda_test_{_HOST_TAG}_{dead}_gw0",  # killed run: stale
        f"ppda_test_{_HOST_TAG}_{dead}_main",  # killed run without workers: stale
        f"ppda_test_{_HOST_TAG}_{alive}_gw1",  # a run still going
        f"ppda_test_other1_{dead}_gw0",  # another host's run
        "ppda_test_20ba29cca3",  # the earlier naming: left alone
        "ppda_tracker",  # not a test database
    ]
    assert stale_databases(names) == names[:2]
