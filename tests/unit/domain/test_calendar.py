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
