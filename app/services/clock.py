"""The one place the services read the time (tests and demonstrations can pin it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

_now: Callable[[], datetime] = lambda: datetime.now(UTC).replace(tzinfo=None)  # noqa: E731


def now() -> datetime:
    """Naive UTC, microsecond precision: the form stored in every timestamp column."""
    return _now()


def today() -> date:
    return now().date()


def pin(moment: datetime | None) -> None:
    """Pin the clock to `moment` (None restores the real clock)."""
    global _now
    if moment is None:
        _now = lambda: datetime.now(UTC).replace(tzinfo=None)  # noqa: E731
    else:
        _now = lambda: moment  # noqa: E731
