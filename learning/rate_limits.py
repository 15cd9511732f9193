"""Rate limits on the shared cache (the database cache, or Redis with REDIS_URL): one count for every worker.

Each counter is one atomic increment per hit in a window of the rate's period opened by the first hit: unlike DRF's
history list, which is read, extended and written back, two workers counting at the same moment cannot both see room
for one more request.
"""

import math
import time

from django.core.cache import cache


def rate_window_hit(key: str, *, limit: int, period: int) -> tuple[bool, int]:
    """Count one hit for `key`: (allowed, seconds until its window ends).

    A window opens at the first hit and lasts `period` seconds; within it every hit is one atomic increment.
    """
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
