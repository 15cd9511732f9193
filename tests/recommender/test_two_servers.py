"""Issue 13 item 6, end to end: two app server processes with separate local folders share only the database and
the artifact storage. After a retrain run beside one of them, both serve the new version within the catalog cache
window; a retrain whose artifact cannot serve never becomes active on either."""

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from learning.services import catalog_import_file
from learning.services.demo import demo_learners_seed
from tests.processes import child_environment, shared_database

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
WINDOW_SECONDS = 1

TRAIN = """
import sys, django
django.setup()
import numpy as np
from recommender import services
if sys.argv[1] == "nan":  # the fitted arrays come out NaN, as a numerically broken run would write them
    real = services.artifacts.estimator_to_artifact
    def with_nan(estimator):
        manifest, arrays = real(estimator)
        arrays = {k: np.full_like(v, np.nan) if v.dtype.kind == "f" else v for k, v in arrays.items()}
        return manifest, arrays
    services.artifacts.estimator_to_artifact = with_nan
report = services.recommender_train()
print(report.run.status, report.run.version or "", report.reason.replace(chr(10), " "))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(tmp_path: Path, local: str, database: dict[str, str]) -> dict:
    return child_environment(
        **database,  # the one database both servers use
        DEEPPATH_MODEL_DIR=str(tmp_path / local / "models"),  # each server's own local folder
        DEEPPATH_MODEL_STORAGE_OPTIONS=json.dumps({"location": str(tmp_path / "shared-storage")}),
        DEEPPATH_CATALOG_CACHE_SECONDS=str(WINDOW_SECONDS),
        DEEPPATH_RETRAIN_AFTER_INTERACTIONS="0",
    )


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health/", timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


def _wait_for(port: int, version: str | None, deadline: float) -> dict:
    health = {}
    while time.monotonic() < deadline:
        try:
            health = _health(port)
        except OSError:
            health = {}
        if health and health["model_version"] == version:
            return health
        time.sleep(0.2)
    return health


def _seed() -> None:
    catalog_import_file(path=settings.DEEPPATH_CATALOG_FILE)
    demo_learners_seed(learners=30, seed=5, anchor=timezone.now())


@pytest.fixture
def two_servers(transactional_db, built_once, tmp_path):
    built_once("two-servers", _seed)
    database = shared_database(tmp_path / "shared-db")
    envs = {name: _environment(tmp_path, name, database) for name in ("a", "b")}
    ports = {name: _free_port() for name in envs}
    processes = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{ports[name]}"],
            cwd=REPO_ROOT,
            env=envs[name],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in envs
    ]
    try:
        for port in ports.values():
            assert _wait_for(port, None, time.monotonic() + 60).get("status") == "ok"
        yield envs, ports, tmp_path
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_two_servers_serve_the_version_trained_beside_one_and_never_a_broken_one(two_servers):
    envs, ports, tmp_path = two_servers
    status, version, reason = (_run(envs["a"], "-c", TRAIN, "good").split(" ", 2) + [""])[:3]
    assert status == "active", reason
    for port in ports.values():
        health = _wait_for(port, version, time.monotonic() + WINDOW_SECONDS + 10)
        assert health == {"status": "ok", "database": True, "model_version": version, "reason": None}
    assert (tmp_path / "shared-storage" / version / "arrays.npz").is_file()
    assert not (tmp_path / "a" / "models" / version).exists()

    status, broken, reason = (_run(envs["b"], "-c", TRAIN, "nan").split(" ", 2) + [""])[:3]
    assert status == "failed"
    assert "NaN" in reason
    time.sleep(WINDOW_SECONDS + 0.5)
    for port in ports.values():
        assert _health(port) == {"status": "ok", "database": True, "model_version": version, "reason": None}
