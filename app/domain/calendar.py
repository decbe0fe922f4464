"""The force's calendar: its local date, working days and month arithmetic for deadlines
(DOMAIN.md §3.5).

Dates are the force's local dates (Europe/London: GMT in winter, BST in summer). Every stored
timestamp is a naive UTC datetime (see app/services/clock.py); `local_date` turns one into the date
a person in the force would give it, so a decision recorded at 00:30 BST on 14 July (23:30 UTC on
13 July) is dated 14 July.

A working day is Monday to Friday and not a bank holiday in England and Wales (the `holidays`
library, country GB, subdivision ENG: England and Wales share the same bank holidays, including
substitute days such as "Boxing Day (observed)").

Deadlines in working days count the days *after* the starting date: a decision due "within
2 working days" of a Friday threshold is due on the following Tuesday (if neither Monday nor
Tuesday is a bank holiday). A due date is inclusive: the item is overdue from the day after it.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import holidays

_ONE_DAY = timedelta(days=1)
FORCE_TIME_ZONE = "Europe/London"  # every force of England and Wales


@lru_cache(maxsize=1)
def force_time_zone() -> tzinfo:
    # The IANA database comes from the system or, where there is none (Windows), the tzdata package.
    return ZoneInfo(FORCE_TIME_ZONE)


def local_time(moment: datetime) -> datetime:
    """`moment` as the force's local time (aware). A naive moment is UTC, as stored timestamps are."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(force_time_zone())


def local_date(moment: datetime) -> date:
    """The force's local date at `moment` (a naive moment is UTC)."""
    return local_time(moment).date()


def utc_start_of_day(day: date) -> datetime:
    """The naive UTC moment at which the force's local day `day` begins (00:00 in Europe/London).

    A local day is [utc_start_of_day(day), utc_start_of_day(day + 1 day)): 23 hours on the day
    the clocks go forward, 25 on the day they go back.
    """
    start = datetime.combine(day, time(0), tzinfo=force_time_zone())
    return start.astimezone(UTC).replace(tzinfo=None)


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # The object fills in further years lazily when a date of a new year is looked up. Imported
    # here, on first use, to keep it out of the program's start-up.
    import holidays

    return holidays.country_holidays("GB", subdiv="ENG")


def is_bank_holiday(day: date) -> bool:
    """Whether `day` is a bank holiday in England and Wales."""
    return day in _bank_holidays()


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    candidate = day + _ONE_DAY
    while not is_working_day(candidate):
        candidate += _ONE_DAY
    return candidate


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (`day` itself is not counted).

    `count` 0 returns `day` unchanged. A negative count is a programming error.
    """
    if count < 0:
        raise ValueError(f"working-day count must not be negative: {count}")
    result = day
    for _ in range(count):
        result = next_working_day(result)
    return result


def end_of_next_working_day(day: date) -> date:
    """The due date of a deadline "by the end of the next working day" after `day`."""
    return next_working_day(day)


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end <= start).

    For compliance figures: a decision made `working_days_between(trigger, decided)` working
    days after its trigger.
    """
    count = 0
    day = start
    while day < end:
        day += _ONE_DAY
        if is_working_day(day):
            count += 1
    return count


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months; a day past the end of the month is clamped.

    31 August + 6 months is 28 (or 29) February.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = _stdlib_calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)
