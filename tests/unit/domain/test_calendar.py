"""Working days skip weekends and England & Wales bank holidays."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.domain.calendar import (
    add_months,
    add_working_days,
    add_years,
    end_of_next_working_day,
    is_working_day,
    next_working_day,
    working_days_between,
)


def test_weekdays_are_working_days_and_weekends_are_not() -> None:
    assert is_working_day(date(2025, 3, 12))  # Wednesday
    assert not is_working_day(date(2025, 3, 15))  # Saturday
    assert not is_working_day(date(2025, 3, 16))  # Sunday


def test_bank_holidays_of_england_and_wales_are_not_working_days() -> None:
    assert not is_working_day(date(2025, 4, 18))  # Good Friday
    assert not is_working_day(date(2025, 4, 21))  # Easter Monday
    assert not is_working_day(date(2025, 8, 25))  # Late Summer (not a Scottish bank holiday)
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day (substitute day)
    assert is_working_day(date(2025, 8, 4))  # Scotland's summer holiday, not England's


def test_two_working_days_after_a_friday_is_the_tuesday() -> None:
    assert add_working_days(date(2025, 3, 14), 2) == date(2025, 3, 18)


def test_working_days_skip_the_easter_weekend() -> None:
    # Thursday before Good Friday + 1 working day = Tuesday after Easter Monday.
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_end_of_next_working_day_over_christmas() -> None:
    assert end_of_next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert end_of_next_working_day(date(2025, 3, 12)) == date(2025, 3, 13)


def test_zero_working_days_is_the_same_day() -> None:
    assert add_working_days(date(2025, 3, 15), 0) == date(2025, 3, 15)


def test_working_days_between_counts_days_after_the_start() -> None:
    assert working_days_between(date(2025, 3, 14), date(2025, 3, 18)) == 2
    assert working_days_between(date(2025, 3, 18), date(2025, 3, 14)) == 0


def test_months_are_clamped_to_the_end_of_the_month() -> None:
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 8, 31), 6) == date(2024, 2, 29)
    assert add_months(date(2024, 11, 15), 2) == date(2025, 1, 15)
    assert add_years(date(2024, 2, 29), 6) == date(2030, 2, 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(0, 40))
def test_adding_working_days_lands_on_a_working_day_counted_exactly(start: date, n: int) -> None:
    result = add_working_days(start, n)
    assert result >= start
    assert working_days_between(start, result) == n
    if n:
        assert is_working_day(result)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_next_working_day_has_no_working_day_in_between(start: date) -> None:
    nxt = next_working_day(start)
    day = start + timedelta(days=1)
    while day < nxt:
        assert not is_working_day(day)
        day += timedelta(days=1)


def test_a_working_day_deadline_skips_new_year_and_the_substitute_boxing_day() -> None:
    # 2026: Christmas on a Friday, Boxing Day on a Saturday (substitute Monday 28 December).
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)  # New Year's Day, then a weekend
    assert not is_working_day(date(2026, 12, 28)) and is_working_day(date(2026, 12, 29))
    assert add_working_days(date(2025, 5, 2), 1) == date(2025, 5, 6)  # early May bank holiday


def test_working_days_between_on_each_side_of_a_boundary() -> None:
    friday = date(2025, 3, 7)
    assert [working_days_between(friday, friday + timedelta(days=n)) for n in range(5)] == [0, 0, 0, 1, 2]
    assert working_days_between(friday, friday) == 0
    assert working_days_between(date(2025, 4, 17), date(2025, 4, 22)) == 1  # Easter


def test_adding_months_lands_on_the_same_day_or_the_last_of_the_month() -> None:
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 30), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 28), 1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 27), 1) == date(2025, 2, 27)
    assert add_months(date(2025, 12, 31), 2) == date(2026, 2, 28)
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)
    assert add_months(date(2025, 1, 15), -1) == date(2024, 12, 15)
    assert add_years(date(2025, 3, 1), -1) == date(2024, 3, 1)


def test_a_negative_working_day_count_is_a_programming_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="must not be negative: -1"):
        add_working_days(date(2025, 3, 7), -1)


# ---- the force's local date (Europe/London) ------------------------------------------------------

def test_the_local_date_of_a_utc_moment_follows_british_summer_time() -> None:
    from datetime import UTC, datetime

    from app.domain.calendar import local_date, local_time

    assert local_date(datetime(2026, 7, 13, 22, 59, 59)) == date(2026, 7, 13)
    assert local_date(datetime(2026, 7, 13, 23, 0)) == date(2026, 7, 14)
    assert local_date(datetime(2026, 12, 13, 23, 59)) == date(2026, 12, 13)
    assert local_date(datetime(2026, 7, 13, 23, 30, tzinfo=UTC)) == date(2026, 7, 14)  # aware works too
    assert local_time(datetime(2026, 7, 13, 23, 30)).isoformat() == "2026-07-14T00:30:00+01:00"
    assert local_time(datetime(2026, 1, 13, 23, 30)).isoformat() == "2026-01-13T23:30:00+00:00"


def test_a_local_day_starts_at_local_midnight_and_lasts_23_or_25_hours_when_the_clocks_change() -> None:
    from datetime import datetime

    from app.domain.calendar import utc_start_of_day

    assert utc_start_of_day(date(2026, 7, 14)) == datetime(2026, 7, 13, 23, 0)
    assert utc_start_of_day(date(2026, 1, 14)) == datetime(2026, 1, 14, 0, 0)
    spring, autumn = date(2026, 3, 29), date(2026, 10, 25)
    assert utc_start_of_day(spring + timedelta(days=1)) - utc_start_of_day(spring) == timedelta(hours=23)
    assert utc_start_of_day(autumn + timedelta(days=1)) - utc_start_of_day(autumn) == timedelta(hours=25)
