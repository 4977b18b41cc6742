"""Database sessions that remember when the stored session expires, so the sliding expiry
(config.middleware.SlidingSessionMiddleware) can write the row only when it must.

The row is read with one plain SELECT instead of the ORM: every request reads it, and building
the ORM query cost more than running it (about 1.3 ms of a 20 ms page on the benchmark machine).
"""

import datetime as dt

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore
from django.db import connections, router
from django.utils import timezone


class SessionStore(DbSessionStore):
    stored_expiry = None  # the row's expire_date as read with the session, None if never read

    def _get_session_from_db(self):
        connection = connections[router.db_for_read(self.model)]
        qn = connection.ops.quote_name
        table = qn(self.model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {qn('session_data')}, {qn('expire_date')} FROM {table} "  # noqa: S608 — names, not input
                f"WHERE {qn('session_key')} = %s AND {qn('expire_date')} > %s",
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            self.stored_expiry = None
            return None
        data, expiry = row
        if isinstance(expiry, str):  # SQLite without a declared type converter
            expiry = dt.datetime.fromisoformat(expiry)
        if timezone.is_naive(expiry):  # stored in UTC (USE_TZ)
            expiry = timezone.make_aware(expiry, dt.UTC)
        self.stored_expiry = expiry
        return self.model(session_key=self.session_key, session_data=data, expire_date=expiry)
