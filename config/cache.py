"""Django's database cache with an atomic `incr`, so counters shared by several workers never lose a hit.

Django's own `incr` on the database cache is a read followed by a separate write (which also resets the expiry):
two workers counting the same key at once both read n and both write n + 1. Here the read and the write run in one
transaction that holds the row (`SELECT ... FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE transaction of
SQLITE_OPTIONS holds the database's write lock from its first statement), and the expiry is kept. Redis
(REDIS_URL) increments atomically by itself.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class DatabaseCache(DjangoDatabaseCache):
    def clear(self):
        """Empty the cache and the rate-limit windows kept beside it (`learning.rate_limits`): clearing the shared
        cache has always reset every throttle."""
        from learning.rate_limits import rate_windows_clear  # the app's models load after the cache is configured

        super().clear()
        rate_windows_clear()

    def incr(self, key, delta=1, version=None):
        cache_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT value, expires FROM {table} WHERE cache_key = %s{lock}", [cache_key])  # noqa: S608
            row = cursor.fetchone()
            if row is None or _as_datetime(row[1], connection) < now():
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))  # noqa: S301
            new_value = value + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, cache_key])  # noqa: S608
        return new_value


def _as_datetime(value, connection):
    """The `expires` column as an aware datetime, converted the way Django's database cache reads it."""
    expression = models.Expression(output_field=models.DateTimeField())
    for converter in connection.ops.get_db_converters(expression) + expression.get_db_converters(connection):
        value = converter(value, expression, connection)
    return value
