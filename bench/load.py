"""Load test: N concurrent clients against gunicorn on loopback, phase by phase, as an outside load test would.

    .venv/bin/python bench/load.py --scale small                  # SQLite in var/bench-small/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_small .venv/bin/python bench/load.py --scale small
    .venv/bin/python bench/load.py --scale large --seconds 10      # the figures of issue 13

Phases (each at 1, 8 and 32 clients unless --clients says otherwise, --seconds each):
  health            GET /api/v1/health/
  recommendations   GET /api/v1/me/recommendations/?limit=10, each client a different learner
  progress          PUT /api/v1/me/progress/{id}/ with a new percent (a state change and an event each time)
  sync500           POST /api/v1/me/events/ with 500 new events
  mix               80% recommendations, 20% progress writes

Each request opens a fresh connection (gunicorn's sync workers close them) and reads the whole answer. Prints
req/s, median, p95 and the count of 5xx (and other non-2xx) answers per phase, then recommendations/health
throughput ratios. Uses the database bench/recommender.py builds (built here if missing, a model trained if none
is active). Bounded in time: phases x --seconds plus start-up, and a hard --deadline after which it stops;
gunicorn and its workers are always stopped and the bench tokens deleted. Exits 1 if any phase had a 5xx.
"""

import argparse
import http.client
import json
import math
import os
import signal
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import (  # noqa: E402
    HEALTH,
    HOST,
    RECOMMENDATIONS,
    delete_tokens,
    free_port,
    make_tokens,
    prepare,
    start_gunicorn,
    stop_gunicorn,
    wait_until_up,
)

PHASES = ["health", "recommendations", "progress", "sync500", "mix"]
EVENTS = "/api/v1/me/events/"
HEADER = f"{'phase':<16} {'clients':>7} {'requests':>9} {'req/s':>8} {'median':>9} {'p95':>9} {'5xx':>5} {'other':>6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["tiny", "small", "large", "xl"], default="small")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--clients", default="1,8,32", help="comma-separated client counts for each phase")
    parser.add_argument("--phases", default=",".join(PHASES), help=f"comma-separated, from {', '.join(PHASES)}")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--learners",
        type=int,
        default=0,
        help="distinct learners, shared round-robin by the clients (default: twice the most clients). Each server "
        "process remembers the lists it ranked lately (recommender/list_memo.py): thousands of learners make "
        "nearly every recommendations request rank afresh",
    )
    parser.add_argument("--deadline", type=float, default=1800, help="hard stop for the whole run, in seconds")
    args = parser.parse_args(argv)
    phases = [name for name in args.phases.split(",") if name]
    unknown = set(phases) - set(PHASES)
    if unknown:
        parser.error(f"unknown phases: {', '.join(sorted(unknown))}")
    clients = [int(count) for count in args.clients.split(",")]

    var_dir = ROOT / "var" / f"bench-{args.scale}"
    os.environ.setdefault("DEEPPATH_VAR_DIR", str(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEEPPATH_RETRAIN_AFTER_INTERACTIONS", "0")
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(max(1, int(args.deadline)))
    import django

    django.setup()
    from django.db import connection

    prepare(args.scale)
    delete_tokens()  # left over by an interrupted run
    tokens = make_tokens(args.learners or max(clients) * 2)
    resources = published_resource_ids()
    connection.close()  # the server, not this process, holds the database from here on
    port = free_port()
    server = start_gunicorn(
        Path(os.environ["DEEPPATH_VAR_DIR"]), port, args.workers, DEEPPATH_THROTTLE_RECOMMENDATIONS="1000000/min"
    )
    try:
        wait_until_up(port)
        warm_up(port, tokens, args.workers)
        print(
            f"{args.scale} scale on {connection.vendor}, {args.workers} gunicorn sync workers, loopback, "
            f"{args.seconds:g} s per phase, a fresh connection per request, {len(tokens)} learners"
        )
        print(HEADER)
        results = {}
        for phase in phases:
            for count in clients:
                result = run_phase(port, phase, count, args.seconds, tokens, resources)
                results[(phase, count)] = result
                print(result.line(), flush=True)
        print_ratios(results, clients)
        server_errors = sum(result.server_errors for result in results.values())
        print(f"5xx answers in all phases: {server_errors}")
        return 1 if server_errors else 0
    finally:
        signal.alarm(0)
        stop_gunicorn(server)
        delete_tokens()


def _out_of_time(signum, frame) -> None:
    raise SystemExit("bench/load.py: --deadline reached, stopping")


def published_resource_ids() -> list[int]:
    from learning.models import Resource

    return list(Resource.objects.published().order_by("pk").values_list("pk", flat=True)[:5000])


@dataclass
class PhaseResult:
    phase: str
    clients: int
    seconds: float
    timings: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    @property
    def server_errors(self) -> int:
        return sum(1 for status in self.statuses if status >= 500)

    @property
    def throughput(self) -> float:
        return len(self.timings) / self.seconds if self.seconds else 0.0

    def line(self) -> str:
        ordered = sorted(self.timings) or [float("nan")]
        median, p95 = statistics.median(ordered), ordered[math.ceil(len(ordered) * 0.95) - 1]  # nearest rank
        other = sum(1 for status in self.statuses if not 200 <= status < 300 and status < 500)
        return (
            f"{self.phase:<16} {self.clients:>7} {len(self.timings):>9} {self.throughput:>8.1f} "
            f"{median:>7.1f}ms {p95:>7.1f}ms {self.server_errors:>5} {other:>6}"
        )


def request(port: int, method: str, path: str, token: str | None = None, body: dict | None = None) -> int:
    headers = {"Authorization": f"Token {token}"} if token else {}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers["Content-Type"] = "application/json"
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 599  # the connection failed: counted as a server error
    finally:
        connection.close()


class Client:
    """One simulated client: its learners' tokens, taken in turn, and the requests each phase makes."""

    def __init__(self, port: int, tokens: list[str], resources: list[int], seed: int) -> None:
        self.port, self.tokens, self.resources = port, tokens, resources
        self.counter = seed * 1_000_003
        self.turn = 0

    def _next_token(self) -> str:
        self.turn += 1
        return self.tokens[self.turn % len(self.tokens)]

    def _next_resource(self) -> int:
        self.counter += 7919
        return self.resources[self.counter % len(self.resources)]

    def health(self) -> int:
        return request(self.port, "GET", HEALTH)

    def recommendations(self) -> int:
        return request(self.port, "GET", RECOMMENDATIONS, self._next_token())

    def progress(self) -> int:
        percent = self.counter % 99 + 1
        resource = self._next_resource()
        return request(self.port, "PUT", f"/api/v1/me/progress/{resource}/", self._next_token(), {"percent": percent})

    def sync500(self) -> int:
        now = datetime.now(UTC)
        events = []
        for index in range(500):
            resource = self._next_resource()
            kind = ("viewed", "started", "progressed")[index % 3]
            events.append(
                {
                    "client_event_id": uuid.uuid4().hex,
                    "resource_id": resource,
                    "kind": kind,
                    "occurred_at": (now - timedelta(seconds=500 - index)).isoformat(),
                    "value": float(index % 100) if kind == "progressed" else None,
                }
            )
        return request(self.port, "POST", EVENTS, self._next_token(), {"events": events})

    def mix(self) -> int:
        self.counter += 1
        return self.progress() if self.counter % 5 == 0 else self.recommendations()


def run_phase(
    port: int, phase: str, clients: int, seconds: float, tokens: list[str], resources: list[int]
) -> PhaseResult:
    result = PhaseResult(phase, clients, seconds)
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def work(index: int) -> None:
        client = Client(port, tokens[index % len(tokens) :: clients], resources, index)
        call = getattr(client, phase)
        timings, statuses = [], []
        while time.perf_counter() < stop_at:
            started = time.perf_counter()
            status = call()
            timings.append((time.perf_counter() - started) * 1000)
            statuses.append(status)
        with lock:
            result.timings.extend(timings)
            result.statuses.extend(statuses)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(index,), daemon=True) for index in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started  # includes the last requests that ran past the phase's end
    return result


def warm_up(port: int, tokens: list[str], workers: int) -> None:
    """Every worker loads the model and the catalog on its first requests, as a warm server would have."""
    for index in range(10 * workers):
        request(port, "GET", HEALTH)
        request(port, "GET", RECOMMENDATIONS, tokens[index % len(tokens)])


def print_ratios(results: dict, clients: list[int]) -> None:
    for count in clients:
        health, recommendations = results.get(("health", count)), results.get(("recommendations", count))
        if health and recommendations and health.throughput:
            print(
                f"recommendations / health throughput at {count} clients: "
                f"{recommendations.throughput / health.throughput:.2f}"
            )


if __name__ == "__main__":
    sys.exit(main())
