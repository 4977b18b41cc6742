"""Database sessions that remember when the stored session expires, so the sliding expiry
(config.middleware.SlidingSessionMiddleware) can write the row only when it must."""

from django.contrib.sessions.backends.db import SessionStore as DbSessionStore


class SessionStore(DbSessionStore):
    stored_expiry = None  # the row's expire_date as read with the session, None if never read

    def _get_session_from_db(self):
        s = super()._get_session_from_db()
        self.stored_expiry = s.expire_date if s else None
        return s
