"""The clock: the real time in UTC by default, and stored times in UTC whatever the machine's
own time zone is."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.clock import Clock

# Central European Time with summer time, as a POSIX rule: no time zone files needed.
AMSTERDAM = "CET-1CEST,M3.5.0,M10.5.0/3"
SUMMER_NOON_UTC = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def machine_in_amsterdam(monkeypatch):
    """The machine's local time zone is Amsterdam's for the test, and is put back after it."""
    monkeypatch.setenv("TZ", AMSTERDAM)
    time.tzset()
    # the setting took: noon UTC in summer is 14:00 here, so the checks below are not vacuous
    assert SUMMER_NOON_UTC.astimezone().utcoffset() == timedelta(hours=2)
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_default_clock_tells_the_time_in_utc():
    assert Clock().now().utcoffset() == timedelta(0)
    assert Clock().text().endswith("+00:00")


def test_times_are_written_in_utc_to_the_second(machine_in_amsterdam):
    clock = Clock(lambda: SUMMER_NOON_UTC)
    assert clock.text() == "2026-07-01T12:00:00+00:00"
    # 16:30:05.9 at UTC+4 is 12:30:05 UTC; the fraction of the second is dropped
    dubai = datetime(2026, 7, 1, 16, 30, 5, 900_000, tzinfo=timezone(timedelta(hours=4)))
    assert clock.text(dubai) == "2026-07-01T12:30:05+00:00"
    assert Clock().text().endswith("+00:00")


def test_a_clock_ahead_by_file_adds_the_seconds_written_in_it(tmp_path):
    shift = tmp_path / "clock"
    clock = Clock.ahead_by_file(shift)
    # no file yet: the real time, not a second off
    before, now, after = datetime.now(UTC), clock.now(), datetime.now(UTC)
    assert before <= now <= after
    shift.write_text(str(30 * 24 * 3600))
    ahead = clock.now() - datetime.now(UTC)
    assert timedelta(days=30) - timedelta(seconds=5) < ahead <= timedelta(days=30)
    shift.write_text("")  # emptied: the real time again, not a second off
    before, now, after = datetime.now(UTC), clock.now(), datetime.now(UTC)
    assert before <= now <= after
