"""How two recorded dates of birth agree: exactly, day/month swapped, one slip, or not at all."""

from __future__ import annotations

from datetime import date
from enum import Enum
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA


class DobAgreement(Enum):
    EXACT = "exact"
    SWAPPED = "swapped"  # day and month exchanged (12/03 for 03/12)
    SLIP = "slip"  # one digit wrong, or two neighbouring digits transposed
    MISSING = "missing"  # one side has no date of birth
    DIFFERENT = "different"


class DobKey(NamedTuple):
    """A date of birth in the forms comparison needs, computed once per date."""

    value: int  # YYYYMMDD as a number
    swapped: int  # the same with day and month exchanged (0 when that is no other valid date)
    text: str  # YYYYMMDD, the form in which digit slips are counted


def dob_text(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def swapped(value: date) -> date | None:
    """The date with day and month exchanged, when that is a different valid date."""
    if value.day > 12 or value.day == value.month:
        return None
    return value.replace(month=value.day, day=value.month)


@lru_cache(maxsize=100_000)
def dob_key(value: date | None) -> DobKey | None:
    if value is None:
        return None
    other = swapped(value)
    text = dob_text(value)
    return DobKey(int(text), int(dob_text(other)) if other else 0, text)


def compare(a: DobKey | None, b: DobKey | None) -> DobAgreement:
    if a is None or b is None:
        return DobAgreement.MISSING
    if a.value == b.value:
        return DobAgreement.EXACT
    if a.swapped == b.value:
        return DobAgreement.SWAPPED
    if OSA.distance(a.text, b.text, score_cutoff=1) <= 1:
        return DobAgreement.SLIP
    return DobAgreement.DIFFERENT


def agreement(a: date | None, b: date | None) -> DobAgreement:
    return compare(dob_key(a), dob_key(b))


def describe(level: DobAgreement) -> str:
    return {
        DobAgreement.EXACT: "DOB identical",
        DobAgreement.SWAPPED: "DOB day/month swapped",
        DobAgreement.SLIP: "DOB one digit different or transposed",
        DobAgreement.MISSING: "DOB not recorded on one side, not compared",
        DobAgreement.DIFFERENT: "DOB differs",
    }[level]
