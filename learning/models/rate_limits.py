"""Rate-limit windows kept in the database when no Redis is configured."""

from django.db import models


class RateWindow(models.Model):
    """One counter of a rate limit: hits in the current window, and when that window ends.

    Counted with one atomic upsert per hit (`learning.rate_limits`), so a throttled request costs a single short
    statement instead of the database cache's read, insert attempt and locked read-modify-write.
    """

    key = models.TextField(primary_key=True)
    hits = models.PositiveIntegerField()
    ends_at = models.FloatField()  # Unix time: compared and reset inside the upsert, with no time zone to convert

    def __str__(self) -> str:
        return f"{self.key}: {self.hits}"
