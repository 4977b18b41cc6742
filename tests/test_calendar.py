"""Working-day calendar: Vietnamese holidays, Tết, substituted days, overrides (Foundation §4)."""

import datetime as dt

import pytest

from office.models import CalendarOverride
from office.services import calendar

D = dt.date


@pytest.mark.parametrize(
    "day",
    [
        # Tết Ất Tỵ 2025: 27/01–01/02 (Mon–Sat)
        D(2025, 1, 27), D(2025, 1, 28), D(2025, 1, 29), D(2025, 1, 30), D(2025, 1, 31),
        # Tết Bính Ngọ 2026: 16/02–20/02
        D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18), D(2026, 2, 19), D(2026, 2, 20),
        # Tết Đinh Mùi 2027: 04/02–10/02
        D(2027, 2, 4), D(2027, 2, 5), D(2027, 2, 8), D(2027, 2, 9), D(2027, 2, 10),
        # fixed holidays, Giỗ Tổ and observed days
        D(2026, 1, 1), D(2026, 4, 27), D(2026, 4, 30), D(2026, 5, 1), D(2026, 9, 1), D(2026, 9, 2),
        D(2027, 4, 16), D(2027, 5, 3),
        # substituted days off: 02/05/2025 (made up 26/04), 31/08/2026 (made up 22/08)
        D(2025, 5, 2), D(2026, 8, 31),
    ],
)  # fmt: skip
def test_public_holidays_and_tet_are_not_working_days(db, day):
    assert not calendar.is_working_day(day)


@pytest.mark.parametrize("day", [D(2025, 4, 26), D(2026, 8, 22)])
def test_make_up_saturdays_are_working_days(db, day):
    assert day.weekday() == 5
    assert calendar.is_working_day(day)


def test_weekends_are_not_working_days_and_weekdays_are(db):
    assert not calendar.is_working_day(D(2026, 3, 7))  # Saturday
    assert not calendar.is_working_day(D(2026, 3, 8))  # Sunday
    assert calendar.is_working_day(D(2026, 3, 9))  # Monday


def test_coordination_reply_due_two_working_days_after_receipt_across_tet_2026(db):
    # Received Friday 13/02/2026; Tết 16–20/02 and the weekends are skipped.
    assert calendar.add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_period_starts_the_day_after_the_event(db):
    # Received Monday: 2 working days end on Wednesday (Civil Code art. 147).
    assert calendar.add_working_days(D(2026, 3, 9), 2) == D(2026, 3, 11)
    assert calendar.add_working_days(D(2026, 3, 9), 0) == D(2026, 3, 9)


def test_event_on_a_non_working_day_counts_from_the_next_working_day(db):
    # Received Saturday 07/03/2026: Monday is day 1, Tuesday day 2.
    assert calendar.add_working_days(D(2026, 3, 7), 2) == D(2026, 3, 10)


def test_three_working_days_across_tet_2025_and_2027(db):
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert calendar.add_working_days(D(2027, 2, 3), 3) == D(2027, 2, 15)


def test_working_days_between_counts_the_closed_range(db):
    assert calendar.working_days_between(D(2026, 3, 9), D(2026, 3, 13)) == 5
    assert calendar.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 3
    assert calendar.working_days_between(D(2026, 3, 13), D(2026, 3, 9)) == 0


def test_due_at_is_the_end_of_the_last_working_day_in_vietnam_time(db):
    due = calendar.due_at(D(2026, 3, 9), 2)
    assert due.date() == D(2026, 3, 11)
    assert (due.hour, due.minute) == (23, 59)
    assert str(due.tzinfo) == "Asia/Ho_Chi_Minh"


def test_province_day_off_override_is_skipped_and_audited(db):
    assert calendar.add_working_days(D(2026, 3, 9), 2) == D(2026, 3, 11)
    CalendarOverride.objects.create(date=D(2026, 3, 10), kind="day_off", reason="Tỉnh cho nghỉ")
    assert not calendar.is_working_day(D(2026, 3, 10))
    assert calendar.add_working_days(D(2026, 3, 9), 2) == D(2026, 3, 12)
    assert CalendarOverride.history.count() == 1


def test_make_up_working_saturday_override_counts(db):
    CalendarOverride.objects.create(date=D(2026, 3, 14), kind="working_day", reason="Làm bù")
    assert calendar.is_working_day(D(2026, 3, 14))
    assert calendar.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 14)
    CalendarOverride.objects.filter(date=D(2026, 3, 14)).delete()  # queryset delete sends signals too
    assert not calendar.is_working_day(D(2026, 3, 14))


def test_counting_absence_in_calendar_or_working_days(db):
    assert calendar.count_days(D(2026, 3, 13), D(2026, 3, 16), "calendar") == 4
    assert calendar.count_days(D(2026, 3, 13), D(2026, 3, 16), "working") == 2


def test_counting_by_running_totals_matches_walking_day_by_day_across_years_and_overrides(db):
    """working_days_between reads per-year running totals; it must give what a walk over the days
    gives, across year ends (Tết 2026, 2027), with a local day off and a make-up Saturday."""
    import random

    CalendarOverride.objects.create(date=dt.date(2026, 12, 31), kind="day_off", reason="Nghỉ bù của tỉnh")
    CalendarOverride.objects.create(date=dt.date(2027, 1, 9), kind="working_day", reason="Làm bù")
    national = calendar._national()
    overrides = {dt.date(2026, 12, 31): False, dt.date(2027, 1, 9): True}

    def works(day):
        return overrides.get(day, national.is_working_day(day))

    assert not calendar.is_working_day(dt.date(2026, 12, 31))
    assert calendar.is_working_day(dt.date(2027, 1, 9))
    rng = random.Random(7)
    first = dt.date(2024, 12, 1)
    for _ in range(300):
        start = first + dt.timedelta(days=rng.randrange(1200))
        end = start + dt.timedelta(days=rng.randrange(-5, 500))
        walked = sum(works(start + dt.timedelta(days=i)) for i in range((end - start).days + 1))
        assert calendar.working_days_between(start, end) == walked, (start, end)
