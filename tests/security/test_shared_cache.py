"""Throttle counters live in one cache shared by every worker: the database cache by default, Redis with REDIS_URL.

Finding 5 of issue 12: with counters in each process's memory, 2 workers let twice the limit through.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection, connections

from learning.rate_limits import rate_window_hit
from tests.processes import child_environment, shared_database

REPO_ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_TEST_URL = os.environ.get("DEEPPATH_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")

# Counts `hits` hits of one key at `limit` per minute and prints how many were allowed.
COUNT_HITS = """
import sys, django
django.setup()
from learning.rate_limits import rate_window_hit
key, hits, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
sys.stdin.readline()  # start together
print(sum(rate_window_hit(key, limit=limit, period=60)[0] for _ in range(hits)))
"""


def _allowed_in_parallel_processes(env: dict, *, processes: int, hits: int, limit: int) -> int:
    key = f"test-{uuid.uuid4().hex}"
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", COUNT_HITS, key, str(hits), str(limit)],
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(processes)
    ]
    for worker in workers:  # every process has imported Django by the time it reads its line
        worker.stdin.write("go\n")
        worker.stdin.flush()
    total = 0
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        total += int(out.strip())
    return total


@pytest.mark.django_db(transaction=True)
def test_two_processes_on_the_default_database_cache_share_one_count(tmp_path):
    # The test database has the counters' table (a migration's) and the cache's (createcachetable's).
    env = child_environment(**shared_database(tmp_path))

    allowed = _allowed_in_parallel_processes(env, processes=2, hits=30, limit=40)

    assert allowed == 40  # per-process counters would have let all 60 through


def test_two_processes_on_redis_share_one_count():
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL} (set DEEPPATH_TEST_REDIS_URL)")

    env = child_environment(REDIS_URL=REDIS_TEST_URL)
    allowed = _allowed_in_parallel_processes(env, processes=2, hits=30, limit=40)

    assert allowed == 40


@pytest.mark.django_db(transaction=True)
def test_database_cache_increments_atomically_from_concurrent_connections():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database is one connection; the process test above covers SQLite")
    cache = caches["default"]
    cache.add("hits", 0, timeout=60)
    start = threading.Barrier(4)

    def count(_):
        try:
            start.wait()
            for _ in range(25):
                cache.incr("hits")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(count, range(4)))

    assert cache.get("hits") == 100


@pytest.mark.django_db
def test_a_window_allows_its_limit_then_tells_how_long_to_wait():
    results = [rate_window_hit("window-test", limit=3, period=60) for _ in range(5)]

    assert [allowed for allowed, _ in results] == [True, True, True, False, False]
    assert 0 < results[-1][1] <= 60


@pytest.mark.django_db
def test_a_hit_on_the_database_is_one_statement(django_assert_num_queries):
    """The upsert opens, counts and reopens a window by itself: no table count, no second transaction."""
    with django_assert_num_queries(1):
        rate_window_hit("one-statement", limit=3, period=60)
    with django_assert_num_queries(1):
        rate_window_hit("one-statement", limit=3, period=60)


@pytest.mark.django_db
def test_an_ended_window_opens_the_next_one(monkeypatch):
    for _ in range(3):
        rate_window_hit("ended", limit=2, period=60)
    assert not rate_window_hit("ended", limit=2, period=60)[0]
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)

    assert [rate_window_hit("ended", limit=2, period=60)[0] for _ in range(3)] == [True, True, False]


@pytest.mark.django_db
def test_clearing_the_cache_resets_the_windows():
    for _ in range(3):
        rate_window_hit("cleared", limit=2, period=60)
    caches["default"].clear()

    assert rate_window_hit("cleared", limit=2, period=60)[0]


@pytest.mark.django_db
def test_increment_keeps_the_expiry_of_the_window():
    """Django's own incr re-sets the key with the default timeout (5 minutes): a daily window would restart."""
    cache = caches["default"]
    cache.add("kept", 1, timeout=86400)

    def expires():
        with connection.cursor() as cursor:
            cursor.execute("SELECT expires FROM deeppath_cache")
            return cursor.fetchone()[0]

    before = expires()
    cache.incr("kept")
    cache.incr("kept")

    assert cache.get("kept") == 3
    assert expires() == before
