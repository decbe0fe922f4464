"""Small-number suppression for published (aggregate) figures: counts of 1 to 4 are shown as "<5".

A rate or a statistic is withheld when it would reveal a suppressed count: its numerator, its
denominator or their difference is 1 to 4, or it summarises fewer than 5 allegations.
"""

from __future__ import annotations

SUPPRESSED = "<5"
WITHHELD = "–"
"""Shown instead of a percentage or statistic that would reveal a suppressed count."""
THRESHOLD = 5


def is_suppressed(count: int) -> bool:
    return 0 < count < THRESHOLD


def show_count(count: int) -> str:
    """`<5` for 1 to 4, otherwise the count with thousands separators."""
    return SUPPRESSED if is_suppressed(count) else f"{count:,}"


def chart_value(count: int) -> int | None:
    """The value a chart may draw: None for a suppressed count (drawn as a "<5" label only)."""
    return None if is_suppressed(count) else count


def show_rate(part: int, whole: int, places: int = 1) -> str:
    """`part / whole` as a percentage, withheld when it would reveal a small count."""
    if whole == 0:
        return WITHHELD
    if is_suppressed(part) or is_suppressed(whole) or is_suppressed(whole - part):
        return WITHHELD
    return f"{part * 100 / whole:.{places}f}%"


def show_statistic(value: float | None, based_on: int, unit: str = "") -> str:
    """A mean, median or similar, withheld when it summarises fewer than 5 items."""
    if value is None or based_on < THRESHOLD:
        return WITHHELD
    return f"{value:,.0f}{unit}"
