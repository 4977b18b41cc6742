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


class _WorkingDays:
    """Which days are working days, one year at a time, as running totals: counting the working
    days between two dates is two lookups, not a loop over the days (an inbox page counts days
    left for every row). Built from one snapshot of the overrides; replaced when they change."""

    def __init__(self, overrides: dict[dt.date, str]) -> None:
        self.overrides = overrides
        self._years: dict[int, list[int]] = {}

    def _running(self, year: int) -> list[int]:
        """running[i]: working days from 1 January to the i-th day of the year (0-based), inclusive."""
        running = self._years.get(year)
        if running is None:
            national = _national()
            day, total, running = dt.date(year, 1, 1), 0, []
            while day.year == year:
                override = self.overrides.get(day)
                total += (override == "working_day") if override is not None else national.is_working_day(day)
                running.append(total)
                day += dt.timedelta(days=1)
            self._years[year] = running
        return running

    def is_working(self, day: dt.date) -> bool:
        running, i = self._running(day.year), day.timetuple().tm_yday - 1
        return running[i] - (running[i - 1] if i else 0) == 1

    def upto(self, day: dt.date) -> int:
        """Working days from 1 January of `day`'s year to `day`, inclusive."""
        return self._running(day.year)[day.timetuple().tm_yday - 1]

    def between(self, start: dt.date, end: dt.date) -> int:
        if end < start:
            return 0
        count = self.upto(end) - self.upto(start) + self.is_working(start)
        for year in range(start.year, end.year):
            count += self._running(year)[-1]
        return count


def _working_days() -> _WorkingDays:
    overrides = _overrides()
    index = _state.get("index")
    if index is None or index.overrides is not overrides:
        index = _WorkingDays(overrides)
        _state["index"] = index
    return index


def is_working_day(day: dt.date) -> bool:
    """True when the office works on this day (Monday–Friday unless a holiday; make-up Saturdays).
    A local override always wins over the national calendar."""
    return _working_days().is_working(day)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The N-th working day counted from the day after `start` (0 → `start` itself)."""
    if days < 0:
        raise ValueError("days must not be negative")
    index = _working_days()
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if index.is_working(current):
            remaining -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in the closed range [start, end]; 0 when end is before start."""
    return _working_days().between(start, end)


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
