"""API benchmark: GET /api/v1/me/recommendations/ against GET /api/v1/health/, served by gunicorn on loopback.

    .venv/bin/python bench/api.py --scale small   # 10k learners x 2k resources x 500k interactions
    .venv/bin/python bench/api.py --scale large   # 100k x 10k x 5M (building it takes a while)

Uses the database bench/recommender.py builds in var/bench-<scale>/ (built here too if missing, and a model trained
if none is active). Gunicorn runs with production settings (DJANGO_DEBUG=False) and the recommendations throttle
lifted; requests are sequential (http.client, one connection each, as gunicorn's sync workers close them),
health and recommendations interleaved so both see the same machine, each learner's recommendations asked in
turn. Prints median and p95 of each, and their ratios. Stops by itself; the tokens it made are deleted.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
HOST = "127.0.0.1"
RECOMMENDATIONS = "/api/v1/me/recommendations/?limit=10"
HEALTH = "/api/v1/health/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["tiny", "small", "large", "xl"], default="small")
    parser.add_argument("--learners", type=int, default=100, help="sampled learners, one token each")
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    args = parser.parse_args()
    os.environ.setdefault("DEEPPATH_VAR_DIR", str(ROOT / "var" / f"bench-{args.scale}"))
    # The server reads the models of the directory the database was trained beside (a PostgreSQL run sets its own).
    var_dir = Path(os.environ["DEEPPATH_VAR_DIR"])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEEPPATH_RETRAIN_AFTER_INTERACTIONS", "0")
    import django

    django.setup()
    prepare(args.scale)
    delete_tokens()  # left over by an interrupted run
    tokens = make_tokens(args.learners)
    port = free_port()
    server = start_gunicorn(var_dir, port, args.workers)
    try:
        wait_until_up(port)
        run(port, tokens, args.requests, args.workers)
    finally:
        stop_gunicorn(server)
        delete_tokens()


def prepare(scale_name: str) -> None:
    from django.core.management import call_command

    from bench import synthetic
    from recommender.loading import active_model

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)  # throttle counters live in the database cache without REDIS_URL
    scale = synthetic.SCALES[scale_name]
    if not synthetic.populated(scale):
        started = time.perf_counter()
        synthetic.build(scale)
        print(f"built the {scale_name} database in {time.perf_counter() - started:.1f} s")
    if active_model() is None:
        from bench.recommender import train

        train()
    model = active_model()
    print(f"serving model {model.version}" if model else "no model beat popularity: serving the fallback")


# Knox token prefix (not a secret): marks this script's tokens so they can be deleted afterwards.
TOKEN_PREFIX = "bench-"  # noqa: S105


def make_tokens(count: int) -> list[str]:
    from django.contrib.auth import get_user_model
    from knox.models import AuthToken

    learners = get_user_model().objects.filter(username__startswith="bench-").order_by("?")[:count]
    return [AuthToken.objects.create(learner, prefix=TOKEN_PREFIX)[1] for learner in learners]


def delete_tokens() -> None:
    from knox.models import AuthToken

    AuthToken.objects.filter(token_key__startswith=TOKEN_PREFIX).delete()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(var_dir: Path, port: int, workers: int, **settings: str) -> subprocess.Popen:
    """Gunicorn on loopback in its own process group, so `stop_gunicorn` ends its workers too."""
    env = {
        **os.environ,
        "DEEPPATH_VAR_DIR": str(var_dir),
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_SECURE_SSL_REDIRECT": "False",  # plain HTTP on loopback
        "DJANGO_STATIC_ROOT": str(ROOT / "static"),  # no collectstatic needed: the API serves no static files
        "DJANGO_LOG_LEVEL": "WARNING",
        "DEEPPATH_THROTTLE_RECOMMENDATIONS": "1000000/min",
        "DEEPPATH_RETRAIN_AFTER_INTERACTIONS": "0",
        **settings,
    }
    command = [
        str(Path(sys.executable).parent / "gunicorn"),  # the venv's, wherever the venv lives
        "config.wsgi",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
    ]
    # Fixed command, loopback only.
    return subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)  # noqa: S603


def stop_gunicorn(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def get(port: int, path: str, token: str | None = None) -> tuple[int, float]:
    """(status, milliseconds) of one GET on a fresh connection, the body read in full."""
    status, _, milliseconds = _fetch(port, path, token)
    return status, milliseconds


def _fetch(port: int, path: str, token: str | None = None) -> tuple[int, bytes, float]:
    headers = {"Authorization": f"Token {token}"} if token else {}
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, body, (time.perf_counter() - started) * 1000
    finally:
        connection.close()


def wait_until_up(port: int, seconds: float = 60) -> None:
    """Wait for the health check, then refuse to measure a server that answers but is not serving as intended: with
    a model it cannot load it ranks with the fallback, which is fast and not the figure wanted."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, body, _ = _fetch(port, HEALTH)
        except OSError:
            status = None
        if status == 200:
            answer = json.loads(body)
            if answer.get("status") != "ok":
                raise SystemExit(f"the server is {answer.get('status')}: {answer.get('reason')}; nothing measured")
            return
        time.sleep(0.2)
    raise SystemExit("gunicorn did not answer in time")


def run(port: int, tokens: list[str], requests: int, workers: int) -> None:
    # Every worker loads the model and the catalog on its first requests, as a warm server would have.
    for i in range(10 * workers):
        get(port, HEALTH)
        get(port, RECOMMENDATIONS, tokens[i % len(tokens)])
    timings: dict[str, list[float]] = {HEALTH: [], RECOMMENDATIONS: []}
    failures = 0
    for i in range(requests):
        for path, token in ((HEALTH, None), (RECOMMENDATIONS, tokens[i % len(tokens)])):
            status, elapsed = get(port, path, token)
            failures += status != 200
            timings[path].append(elapsed)
    health, recommendations = summary(timings[HEALTH]), summary(timings[RECOMMENDATIONS])
    print(f"{requests} sequential requests each, {len(tokens)} learners, {workers} gunicorn workers, loopback")
    print(f"  GET /api/v1/health/               median {health[0]:6.2f} ms   p95 {health[1]:6.2f} ms")
    print(f"  GET /api/v1/me/recommendations/   median {recommendations[0]:6.2f} ms   p95 {recommendations[1]:6.2f} ms")
    print(
        f"  recommendations / health median: median {recommendations[0] / health[0]:.2f}x, "
        f"p95 {recommendations[1] / health[0]:.2f}x   (non-200 answers: {failures})"
    )


def summary(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


if __name__ == "__main__":
    main()
