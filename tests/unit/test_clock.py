"""The program's clock: stored timestamps are naive UTC, "today" is the force's local date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from app.services import clock


def test_today_is_the_local_date_between_midnight_and_one_in_summer() -> None:
    clock.pin(datetime(2026, 7, 13, 23, 30))  # 00:30 BST on 14 July
    assert clock.now() == datetime(2026, 7, 13, 23, 30) and clock.now().tzinfo is None
    assert clock.today() == date(2026, 7, 14)
    assert clock.local_now().isoformat() == "2026-07-14T00:30:00+01:00"
    clock.pin(datetime(2026, 7, 13, 22, 59))  # 23:59 BST on 13 July
    assert clock.today() == date(2026, 7, 13)


def test_in_winter_the_local_date_is_the_utc_date() -> None:
    clock.pin(datetime(2026, 1, 13, 23, 59))
    assert clock.today() == date(2026, 1, 13)
    assert clock.local_now().utcoffset() is not None and clock.local_now().utcoffset().total_seconds() == 0


def test_an_aware_moment_is_pinned_as_utc() -> None:
    clock.pin(datetime(2026, 7, 14, 0, 30, tzinfo=ZoneInfo("Europe/London")))
    assert clock.now() == datetime(2026, 7, 13, 23, 30)
    assert clock.today() == date(2026, 7, 14)


def test_stored_moments_become_local_dates_and_days_start_at_local_midnight() -> None:
    assert clock.local_date(datetime(2026, 7, 13, 23, 30)) == date(2026, 7, 14)
    assert clock.local(datetime(2026, 7, 13, 23, 30)).hour == 0
    assert clock.start_of(date(2026, 7, 14)) == datetime(2026, 7, 13, 23, 0)


def test_the_real_clock_is_back_after_unpinning() -> None:
    clock.pin(datetime(2000, 1, 1))
    clock.pin(None)
    assert abs((clock.now() - datetime.now(UTC).replace(tzinfo=None)).total_seconds()) < 60
