"""When a team's weekly digest is due, in Dutch time through winter and summer, and its week."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import pytest

from domain.digest_schedule import DigestSchedule, last_due, period

MONDAY_9 = DigestSchedule()  # the default: Monday 09:00, Europe/Amsterdam


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_the_default_is_monday_at_nine():
    assert (MONDAY_9.on, MONDAY_9.weekday, MONDAY_9.hour) == (True, 0, 9)


@pytest.mark.parametrize(("weekday", "hour"), [(7, 9), (-1, 9), (0, 6), (0, 22), (0, 2)])
def test_only_a_day_of_the_week_and_an_hour_from_7_to_21(weekday, hour):
    with pytest.raises(ValueError, match=f"^no such moment in the week: day {weekday}, {hour}:00$"):
        DigestSchedule(True, weekday, hour)


def test_the_first_and_last_hour_are_allowed():
    assert DigestSchedule(True, 6, 7).hour == 7
    assert DigestSchedule(True, 6, 21).hour == 21


def test_monday_nine_in_winter_is_eight_utc():
    # Monday 7 December 2026; Amsterdam is UTC+1.
    assert last_due(MONDAY_9, utc(2026, 12, 7, 8, 0)) == utc(2026, 12, 7, 8, 0)  # at the moment
    assert last_due(MONDAY_9, utc(2026, 12, 7, 7, 59, 59)) == utc(2026, 11, 30, 8, 0)
    assert last_due(MONDAY_9, utc(2026, 12, 10, 15, 0)) == utc(2026, 12, 7, 8, 0)


def test_monday_nine_in_summer_is_seven_utc_also_across_the_change():
    # Summer time starts on Sunday 28 March 2027: Monday the 22nd is still UTC+1, the 29th UTC+2.
    assert last_due(MONDAY_9, utc(2027, 4, 1, 12, 0)) == utc(2027, 3, 29, 7, 0)
    assert last_due(MONDAY_9, utc(2027, 3, 29, 6, 30)) == utc(2027, 3, 22, 8, 0)
    assert last_due(MONDAY_9, utc(2027, 3, 29, 7, 0)) == utc(2027, 3, 29, 7, 0)
    # and back: winter time from Sunday 31 October 2027
    assert last_due(MONDAY_9, utc(2027, 11, 3, 7, 0)) == utc(2027, 11, 1, 8, 0)


def test_a_day_late_on_sunday_in_utc_is_already_monday_in_amsterdam():
    # Sunday 6 December 2026 23:30 UTC is Monday 00:30 in Amsterdam: Monday 09:00 is ahead,
    # the last one is a week before.
    assert last_due(MONDAY_9, utc(2026, 12, 6, 23, 30)) == utc(2026, 11, 30, 8, 0)


@pytest.fixture
def machine_in_honolulu():
    """The machine's own time zone ten hours behind UTC: it must play no part."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Pacific/Honolulu"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def test_the_machines_time_zone_plays_no_part(machine_in_honolulu):
    # Monday 7 December 2026 09:00 UTC is still Sunday in Honolulu, Monday 10:00 in Amsterdam.
    assert last_due(MONDAY_9, utc(2026, 12, 7, 9, 0)) == utc(2026, 12, 7, 8, 0)
    assert period(utc(2026, 12, 7, 9, 0)) == "2026-W50"


def test_another_day_and_hour():
    friday_16 = DigestSchedule(True, 4, 16)
    assert last_due(friday_16, utc(2026, 12, 10, 12, 0)) == utc(2026, 12, 4, 15, 0)
    assert last_due(friday_16, utc(2026, 12, 11, 15, 0)) == utc(2026, 12, 11, 15, 0)
    sunday_21 = DigestSchedule(True, 6, 21)
    assert last_due(sunday_21, utc(2026, 12, 13, 19, 59)) == utc(2026, 12, 6, 20, 0)
    assert last_due(sunday_21, utc(2026, 12, 13, 20, 0)) == utc(2026, 12, 13, 20, 0)


def test_switched_off_is_never_due():
    off = DigestSchedule(on=False)
    assert last_due(off, utc(2026, 12, 7, 8, 0)) is None


@pytest.mark.parametrize(
    ("moment", "week"),
    [
        (utc(2026, 12, 7, 8, 0), "2026-W50"),
        (utc(2026, 12, 13, 22, 59), "2026-W50"),  # Sunday 23:59 in Amsterdam
        (utc(2026, 12, 13, 23, 0), "2026-W51"),  # Monday 00:00 in Amsterdam
        (utc(2026, 12, 28, 8, 0), "2026-W53"),  # 2026 has 53 ISO weeks (1 January a Thursday)
        (utc(2027, 1, 3, 20, 0), "2026-W53"),
        (utc(2027, 1, 4, 8, 0), "2027-W01"),
    ],
)
def test_a_week_is_named_by_its_iso_week_in_dutch_time(moment, week):
    assert period(moment) == week
