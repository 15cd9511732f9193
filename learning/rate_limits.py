"""Rate limits shared by every worker and machine: Redis with REDIS_URL, otherwise a table in the database.

Each counter counts hits in a window of the rate's period opened by the first hit; two workers counting at the same
moment cannot both see room for one more hit. In Redis a hit is an atomic add or increment. In the database it is one
upsert (`INSERT ... ON CONFLICT DO UPDATE ... RETURNING`, SQLite 3.35+ and PostgreSQL) on `RateWindow`: a single
short statement, where the database cache needed a count of its table, an insert attempt and a locked
read-modify-write, two write transactions per throttled request.
"""

import functools
import math
import random
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

SWEEP_CHANCE = 0.01  # of the hits that open a window: delete every ended window then (keys of one-off visitors)


def rate_window_hit(key: str, *, limit: int, period: int) -> tuple[bool, int]:
    """Count one hit for `key`: (allowed, seconds until its window ends).

    A window opens at the first hit and lasts `period` seconds; within it every hit is one atomic increment.
    """
    if not isinstance(caches["default"], DatabaseCache):
        return _cache_hit(key, limit=limit, period=period)
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [key, now + period, now, now, now + period])
        count, ends_at = cursor.fetchone()
    if count == 1 and random.random() < SWEEP_CHANCE:  # noqa: S311  (not a secret: when to tidy up)
        from learning.models import RateWindow  # imported late: this module is imported before the apps are ready

        RateWindow.objects.filter(ends_at__lte=now).delete()
    if count <= limit:
        return True, period
    return False, max(1, math.ceil(ends_at - now))


def rate_windows_clear() -> None:
    """Forget every database-kept window (clearing the database cache does this too)."""
    from learning.models import RateWindow

    RateWindow.objects.all().delete()


@functools.cache
def _upsert_sql() -> str:
    """One statement: open a window, count a hit in the open one, or open the next once it has ended."""
    from learning.models import RateWindow

    quote = connection.ops.quote_name
    table, key, hits, ends_at = (quote(name) for name in (RateWindow._meta.db_table, "key", "hits", "ends_at"))
    old_hits, old_end = f"{table}.{hits}", f"{table}.{ends_at}"
    return (
        f"INSERT INTO {table} ({key}, {hits}, {ends_at}) VALUES (%s, 1, %s) "  # noqa: S608  (model names only)
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{hits} = CASE WHEN {old_end} <= %s THEN 1 ELSE {old_hits} + 1 END, "
        f"{ends_at} = CASE WHEN {old_end} <= %s THEN %s ELSE {old_end} END "
        f"RETURNING {hits}, {ends_at}"
    )


def _cache_hit(key: str, *, limit: int, period: int) -> tuple[bool, int]:
    counter, opened = f"rate:{key}", f"rate:{key}:opened"
    if cache.add(counter, 1, timeout=period):
        cache.set(opened, time.time(), timeout=period)
        return True, period
    try:
        count = cache.incr(counter)
    except ValueError:  # the window closed between the two calls: this hit opens the next one
        cache.set(counter, 1, timeout=period)
        cache.set(opened, time.time(), timeout=period)
        return True, period
    if count == 1:  # Redis's INCR re-created a key that expired after its existence check: give it an end again
        cache.touch(counter, timeout=period)
    if count <= limit:
        return True, period
    started = cache.get(opened)
    remaining = period if started is None else started + period - time.time()
    return False, max(1, math.ceil(remaining))


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/min" -> (20, 60), as DRF reads rates (only the period's first letter counts)."""
    number, period = rate.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]
