"""Several client processes write at once to a live gunicorn (2 workers x 4 threads) on SQLite and on PostgreSQL:
no 5xx, every accepted event stored exactly once, one outcome per event sent, and concurrent PUTs of one learner's
progress on one resource leave one row (issue 12, finding 6: "database is locked" 500s on SQLite).

On SQLite the migrated test database is copied to a file (`VACUUM INTO`) that the server opens with the default
settings (WAL, IMMEDIATE transactions, busy timeout); on PostgreSQL the server uses the test database itself.
"""

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from knox.models import AuthToken

from tests.api.conftest import make_learner
from tests.factories import ResourceFactory
from tests.processes import child_environment, shared_database

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
CLIENTS = 4
BATCHES = 3
BATCH_SIZE = 100
PUTS = 10
RACE = 5  # PUTs per process on the one shared learner's one resource

# One client process: its batches and progress writes, in parallel threads, then one batch sent again.
CLIENT = r"""
import json, sys, urllib.request, urllib.error
from concurrent.futures import ThreadPoolExecutor
base, token, name, resources, batches, size, puts, at, racer_token, racer_resource, race_puts = json.loads(sys.argv[1])

def call(method, path, body, token=token):
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None

def batch(b):
    events = [{"client_event_id": f"{name}-{b}-{i}", "resource_id": resources[i % len(resources)],
               "kind": "viewed", "occurred_at": at} for i in range(size)]
    return call("POST", "/api/v1/me/events/", {"events": events})

def put(i):
    return call("PUT", f"/api/v1/me/progress/{resources[i % len(resources)]}/",
                {"status": "in_progress", "percent": i})

def race(i):
    return call("PUT", f"/api/v1/me/progress/{racer_resource}/", {"status": "in_progress", "percent": i}, racer_token)

sys.stdin.readline()
with ThreadPoolExecutor(4) as pool:
    sent = [pool.submit(batch, b) for b in range(batches)] + [pool.submit(put, i) for i in range(puts)]
    sent += [pool.submit(race, i) for i in range(race_puts)]
    answers = [future.result() for future in sent]
answers.append(batch(0))  # a retried batch: every event a duplicate
print(json.dumps(answers))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_environment(tmp_path) -> dict:
    return child_environment(
        **shared_database(tmp_path),
        DEEPPATH_RETRAIN_AFTER_INTERACTIONS="0",
        DEEPPATH_MODEL_DIR=str(tmp_path / "models"),
    )


def _start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
         "--threads", "4", "--worker-class", "gthread", "--log-level", "warning"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health/", timeout=5):  # noqa: S310
                return server
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"gunicorn stopped: {server.stderr.read()}")
            time.sleep(0.2)
    server.kill()
    pytest.fail("gunicorn did not answer within 60 s")


def _rows(tmp_path, sql: str) -> list[tuple]:
    """Rows as the server stored them: from its SQLite file, or the PostgreSQL test database it shares with us."""
    if connection.vendor == "sqlite":
        with sqlite3.connect(tmp_path / "db.sqlite3") as database:
            return list(database.execute(sql))
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_parallel_batches_and_progress_writes_from_several_processes_lose_nothing(tmp_path):
    resources = [ResourceFactory().pk for _ in range(20)]
    learners = [make_learner(f"sync{n}") for n in range(CLIENTS)]
    tokens = [AuthToken.objects.create(learner)[1] for learner in learners]
    racer = make_learner("racer")
    racer_token = AuthToken.objects.create(racer)[1]
    env = _server_environment(tmp_path)
    port = _free_port()
    server = _start_server(env, port)
    try:
        at = timezone.now().isoformat()
        base, racer_id = f"http://127.0.0.1:{port}", resources[0]
        clients = [
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-c",
                    CLIENT,
                    json.dumps(
                        [base, token, f"c{n}", resources, BATCHES, BATCH_SIZE, PUTS, at, racer_token, racer_id, RACE]
                    ),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )  # fmt: skip
            for n, token in enumerate(tokens)
        ]
        for client in clients:
            client.stdin.write("go\n")
            client.stdin.flush()
        answers = []
        for client in clients:
            out, err = client.communicate(timeout=120)
            assert client.returncode == 0, err
            answers.append(json.loads(out))
    finally:
        server.terminate()
        server.wait(timeout=30)

    statuses = [status for client in answers for status, _ in client]
    assert [s for s in statuses if s >= 500] == []
    assert sorted(set(statuses)) == [200]
    for n, client in enumerate(answers):
        first_sends, retry = [body for _, body in client[:BATCHES]], client[-1][1]
        for b, body in enumerate(first_sends):
            ids = [item["client_event_id"] for item in body["events"]]
            assert ids == [f"c{n}-{b}-{i}" for i in range(BATCH_SIZE)], "one outcome per event, in order"
            assert {item["outcome"] for item in body["events"]} == {"applied"}
        assert {item["outcome"] for item in retry["events"]} == {"duplicate"}
    stored = [row[0] for row in _rows(tmp_path, "SELECT client_event_id FROM learning_interaction "
                                                 "WHERE client_event_id IS NOT NULL")]  # fmt: skip
    expected = {f"c{n}-{b}-{i}" for n in range(CLIENTS) for b in range(BATCHES) for i in range(BATCH_SIZE)}
    assert len(stored) == len(expected)
    assert set(stored) == expected
    racer_rows = _rows(tmp_path, f"SELECT COUNT(*) FROM learning_progress WHERE learner_id = {racer.pk}")  # noqa: S608
    assert racer_rows == [(1,)]
