"""The one place the program reads the time (tests and demonstrations can pin it).

Two conventions, used everywhere:
- **Stored timestamps are naive UTC.** `now()` is the current moment in UTC without a tzinfo, the
  form of every DateTime column (decided_at, recorded_at, the access log's `at`...): unambiguous
  across the clock changes, and the same on SQLite and PostgreSQL.
- **Dates are the force's local dates** (Europe/London). `today()` and every default date shown in
  a form or taken by a command are the local date, so between 00:00 and 01:00 BST it is already the
  new day. A stored timestamp becomes a date with `local_date(moment)`, and is shown to a person as
  `local(moment)`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from app.domain.calendar import local_date as _local_date
from app.domain.calendar import local_time, utc_start_of_day


def _utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


_now: Callable[[], datetime] = _utc_now


def now() -> datetime:
    """Naive UTC, microsecond precision: the form stored in every timestamp column."""
    return _now()


def today() -> date:
    """The force's local date now (Europe/London), not the UTC date."""
    return _local_date(now())


def local(moment: datetime) -> datetime:
    """A stored (naive UTC) or aware moment as the force's local time, aware (for showing it)."""
    return local_time(moment)


def local_now() -> datetime:
    """Now as the force's local time, aware: for a person to read (`2026-07-14T00:30:00+01:00`)."""
    return local_time(now())


def local_date(moment: datetime) -> date:
    """The force's local date of a stored (naive UTC) moment."""
    return _local_date(moment)


def start_of(day: date) -> datetime:
    """The stored (naive UTC) moment at which the force's local day `day` begins."""
    return utc_start_of_day(day)


def pin(moment: datetime | None) -> None:
    """Pin the clock to `moment` (None restores the real clock). A naive moment is UTC; an aware
    one (e.g. a local time in Europe/London) is converted to UTC."""
    global _now
    if moment is None:
        _now = _utc_now
        return
    fixed = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo is not None else moment
    _now = lambda: fixed  # noqa: E731
