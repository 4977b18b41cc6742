"""Working-day calendar  # lịch ngày làm việc.

One place for every date computation in the product (shared/spec/peers.md §E.1).

- National calendar: the `holidays` package for country VN (Tết, Giỗ Tổ Hùng Vương,
  30/4, 1/5, 2/9, Ngày Văn hóa Việt Nam, substituted days off and make-up Saturdays).
- Local overrides: CalendarOverride rows entered in admin (an extra day off decided by
  the province, a make-up working Saturday). An override always wins.
- Convention for "N ngày làm việc kể từ ngày nhận": counting starts the day after the
  event (Bộ luật Dân sự 2015, Điều 147) and the period ends at the end of the N-th
  working day. An event on a non-working day therefore counts from the next working
  day (the first working day after it is day 1).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from functools import lru_cache

import holidays
from django.core.cache import cache
from django.utils import timezone

_OVERRIDES_VERSION_KEY = "office:calendar-overrides:version"
_OVERRIDES_TTL_SECONDS = 60.0
_lock = threading.Lock()
_state: dict = {"loaded_at": 0.0, "version": None, "overrides": {}}


@lru_cache(maxsize=1)
def _national() -> holidays.HolidayBase:
    # One object; it expands to any year on first use of a date in it.
    return holidays.country_holidays("VN", language="vi")


def invalidate_overrides() -> None:
    """Called when an override changes, so every process reloads them."""
    cache.set(_OVERRIDES_VERSION_KEY, time.time(), None)
    with _lock:
        _state["loaded_at"] = 0.0
        _state["checked_at"] = 0.0


def _overrides() -> dict[dt.date, str]:
    from office.models import CalendarOverride

    now = time.monotonic()
    with _lock:
        # Ask the shared cache for the version at most once a second: a due-date loop calls this per day.
        if now - _state.get("checked_at", 0.0) < 1.0 and now - _state["loaded_at"] < _OVERRIDES_TTL_SECONDS:
            return _state["overrides"]
    version = cache.get(_OVERRIDES_VERSION_KEY)
    with _lock:
        _state["checked_at"] = now
        fresh = now - _state["loaded_at"] < _OVERRIDES_TTL_SECONDS and version == _state["version"]
        if fresh:
            return _state["overrides"]
    overrides = dict(CalendarOverride.objects.values_list("date", "kind"))
    with _lock:
        _state.update(loaded_at=now, version=version, overrides=overrides)
    return overrides


def holiday_name(day: dt.date) -> str | None:
    """The national holiday on this day, in Vietnamese, if any."""
    return _national().get(day)


def is_working_day(day: dt.date) -> bool:
    """True when the office works on this day (Monday–Friday unless a holiday; make-up Saturdays)."""
    override = _overrides().get(day)
    if override is not None:
        return override == "working_day"
    return _national().is_working_day(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The N-th working day counted from the day after `start` (0 → `start` itself)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the closed range [start, end]; 0 when end is before start."""
    count = 0
    current = start
    while current <= end:
        if is_working_day(current):
            count += 1
        current += dt.timedelta(days=1)
    return count


def end_of_day(day: dt.date) -> dt.datetime:
    """The last instant of a day in the server time zone (a deadline "đến hết ngày")."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


def due_at(start: dt.date | dt.datetime, working_days: int) -> dt.datetime:
    """Deadline instant: the end of the N-th working day after the event."""
    if isinstance(start, dt.datetime):
        start = timezone.localtime(start).date()
    return end_of_day(add_working_days(start, working_days))


def count_days(start: dt.date, end: dt.date, kind: str = "working") -> int:
    """Length of a closed date range in working days or calendar days (profile's choice)."""
    if kind == "calendar":
        return max((end - start).days + 1, 0)
    return working_days_between(start, end)
