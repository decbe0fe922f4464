"""How a notice's date of birth agrees with a register person's (levels.Dob).

The evidence is asymmetric on purpose: a slip in the day or the month and a slip in the year are
different levels, with their own m and u, because they are not equally likely between two
different people (day and month agree for about 1 pair in 365; a year one digit away is far
commoner among namesakes in a national extract than a day one digit away).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA

from app.domain.matching.levels import Dob

NEAR_DAYS = 61  # a date shifted by up to two months (a keying or transcription slip)


class DobKey(NamedTuple):
    """A date of birth in the forms comparison needs, computed once per date."""

    value: int  # YYYYMMDD as a number
    swapped: int  # the same with day and month exchanged (0 when that is no other valid date)
    text: str  # YYYYMMDD, the form in which digit slips are counted
    year: int
    month: int
    day: int
    ordinal: int
    year_only: bool  # only the year is known (the date is 1 January of it)


def dob_text(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def swapped(value: date) -> date | None:
    """The date with day and month exchanged, when that is a different valid date."""
    if value.day > 12 or value.day == value.month:
        return None
    return value.replace(month=value.day, day=value.month)


@lru_cache(maxsize=100_000)
def dob_key(value: date | None, year_only: bool = False) -> DobKey | None:
    if value is None:
        return None
    other = None if year_only else swapped(value)
    text = dob_text(value)
    return DobKey(int(text), int(dob_text(other)) if other else 0, text, value.year, value.month, value.day,
                  value.toordinal(), year_only)


def compare(notice: DobKey | None, person: DobKey | None) -> Dob:
    """The level of agreement of a notice's date of birth with a person's (in that order)."""
    if notice is None or person is None:
        return Dob.MISSING
    if notice.year_only:
        return Dob.YEAR_ONLY if notice.year == person.year else Dob.DIFFERENT
    if notice.value == person.value:
        return Dob.EXACT
    if notice.swapped == person.value:
        return Dob.SWAPPED
    if notice.year == person.year:
        if notice.month == person.month:
            return Dob.DAY
        if notice.day == person.day:
            return Dob.MONTH
        if notice.month == 1 and notice.day == 1:
            return Dob.YEAR_ONLY  # 1 January: the usual placeholder for an unknown day and month
    elif notice.month == person.month and notice.day == person.day:
        slip = year_slip(notice.year, person.year)
        if slip is not None:
            return slip
    if OSA.distance(notice.text, person.text, score_cutoff=1) <= 1:
        return Dob.ONE_EDIT
    if abs(notice.ordinal - person.ordinal) <= NEAR_DAYS:
        return Dob.NEAR
    return Dob.DIFFERENT


@lru_cache(maxsize=10_000)
def year_slip(a: int, b: int) -> Dob | None:
    """YEAR_DIGIT for years one apart, differing in the last digit or with the last two swapped
    (1978/1987); YEAR_DECADE for another single differing digit (1961/1991); else None."""
    x, y = f"{a:04d}", f"{b:04d}"
    if abs(a - b) == 1 or x[:3] == y[:3] or (x[:2] == y[:2] and x[2:] == y[3] + y[2]):
        return Dob.YEAR_DIGIT
    if sum(p != q for p, q in zip(x, y, strict=True)) == 1:
        return Dob.YEAR_DECADE
    return None


def agreement(a: date | None, b: date | None) -> Dob:
    return compare(dob_key(a), dob_key(b))
