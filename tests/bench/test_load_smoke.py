"""A smoke run of bench/load.py, so the load test cannot rot: every phase runs against a real gunicorn."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.processes import child_environment, shared_database

ROOT = Path(__file__).resolve().parents[2]
PHASES = ["health", "recommendations", "progress", "sync500", "mix"]


@pytest.mark.django_db(transaction=True)
def test_the_load_bench_runs_every_phase_against_gunicorn_without_a_5xx(tmp_path):
    # The bench builds its data in a copy of the migrated test database (SQLite) or in the test database itself
    # (PostgreSQL), so its `migrate` has nothing left to do.
    env = child_environment(**shared_database(tmp_path))
    command = [sys.executable, "bench/load.py", "--scale", "tiny", "--seconds", "0.3", "--clients", "2"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)  # noqa: S603
    assert done.returncode == 0, done.stdout + done.stderr
    rows = [line.split() for line in done.stdout.splitlines()]
    measured = {row[0]: row for row in rows if len(row) == 8 and row[0] in PHASES and row[1].isdigit()}
    assert set(measured) == set(PHASES), done.stdout
    for phase, row in measured.items():
        requests, server_errors, other = int(row[2]), int(row[6]), int(row[7])
        assert requests > 0, f"{phase} made no request"
        assert (server_errors, other) == (0, 0), f"{phase}: {' '.join(row)}"
    assert "recommendations / health throughput at 2 clients" in done.stdout
    assert "5xx answers in all phases: 0" in done.stdout
