"""The cache every web process shares: Django's database cache with an atomic `incr`.

The public pages' rate limits and the portal's follow-up lock-out count in Django's cache
(django-ratelimit). With several gunicorn workers a per-process cache (LocMemCache) lets each
process count on its own, multiplying every limit; the database cache needs no extra service,
but Django's `incr` there is a read then a write (two processes can lose a count) that also
resets the key's expiry to the default timeout (a 15-minute window kept for only 5). This one
increments in one transaction, the row locked (SELECT … FOR UPDATE where the database has it;
SQLite's write transactions are serialised already), and keeps the expiry.

`config.settings.base.cache_config` picks it for ENLACE_CACHE_URL=db://TABLE (the default)."""

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)  # type: ignore[attr-defined]  # set by BaseDatabaseCache
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        # Quoted names of the cache's own table (as Django's DatabaseCache builds them); values
        # are bound.
        where = f"{quote('cache_key')} = %s"
        select = f"SELECT {quote('value')} FROM {table} WHERE {where} AND {quote('expires')} > %s"  # noqa: S608  # nosec B608 # names of our own table
        update = f"UPDATE {table} SET {quote('value')} = %s WHERE {where}"  # noqa: S608  # nosec B608 # names of our own table
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(select + lock, [key, now])
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301  # nosec B301 # rows this cache wrote
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, key])
        return value
