"""When the bot may send a message of its own (domain/schedule.py), with times worked out by hand.

Amsterdam is UTC+1 in winter (CET) and UTC+2 in summer (CEST). In 2026 the clocks go forward on
Sunday 29 March (02:00 CET becomes 03:00 CEST, at 01:00 UTC) and back on Sunday 25 October
(03:00 CEST becomes 02:00 CET, at 01:00 UTC). 14 January 2026 is a Wednesday.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from domain.schedule import (
    Moment,
    after_quiet_hours,
    days_later,
    first_allowed,
    is_quiet,
    may_send,
    reminder_moment,
    standstill_offer_wanted,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# -- quiet hours: 21:00 to 09:00 in Amsterdam ----------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (utc(2026, 1, 14, 19, 59), False),  # 20:59 CET
        (utc(2026, 1, 14, 20, 0), True),  # 21:00 CET
        (utc(2026, 1, 14, 23, 30), True),  # 00:30 CET, the next day
        (utc(2026, 1, 15, 7, 59), True),  # 08:59 CET
        (utc(2026, 1, 15, 8, 0), False),  # 09:00 CET
        (utc(2026, 1, 15, 7, 59, 59), True),  # 08:59:59 CET
        (utc(2026, 7, 1, 18, 59), False),  # 20:59 CEST
        (utc(2026, 7, 1, 19, 0), True),  # 21:00 CEST
        (utc(2026, 7, 2, 6, 59), True),  # 08:59 CEST
        (utc(2026, 7, 2, 7, 0), False),  # 09:00 CEST
    ],
)
def test_quiet_hours_begin_at_21_and_end_at_9_amsterdam_time(moment, quiet):
    assert is_quiet(moment) is quiet


@pytest.mark.parametrize(
    ("moment", "moved"),
    [
        (utc(2026, 1, 14, 11, 0), utc(2026, 1, 14, 11, 0)),  # 12:00 CET: not quiet
        (utc(2026, 1, 14, 19, 59), utc(2026, 1, 14, 19, 59)),  # 20:59 CET: not quiet
        (utc(2026, 1, 14, 20, 0), utc(2026, 1, 15, 8, 0)),  # 21:00 CET: to 09:00 the next day
        (utc(2026, 1, 14, 21, 30), utc(2026, 1, 15, 8, 0)),  # 22:30 CET
        (utc(2026, 1, 15, 2, 0), utc(2026, 1, 15, 8, 0)),  # 03:00 CET: to 09:00 that day
        (utc(2026, 1, 15, 7, 59), utc(2026, 1, 15, 8, 0)),  # 08:59 CET
        (utc(2026, 1, 15, 8, 0), utc(2026, 1, 15, 8, 0)),  # 09:00 CET: not quiet
        # the night the clocks go forward: 23:00 CET, then 09:00 CEST is 07:00 UTC
        (utc(2026, 3, 28, 22, 0), utc(2026, 3, 29, 7, 0)),
        # the night they go back: 22:00 CEST, then 09:00 CET is 08:00 UTC
        (utc(2026, 10, 24, 20, 0), utc(2026, 10, 25, 8, 0)),
    ],
)
def test_a_quiet_moment_moves_to_9_in_the_morning(moment, moved):
    assert after_quiet_hours(moment) == moved


def test_a_day_later_is_the_same_time_on_the_clock_also_when_the_clocks_change():
    # Wednesday 10:00 CET to Thursday 10:00 CET: 24 hours
    assert days_later(utc(2026, 1, 14, 9, 0), 1) == utc(2026, 1, 15, 9, 0)
    # Saturday 28 March 10:00 CET (09:00 UTC) to Sunday 10:00 CEST (08:00 UTC): 23 hours
    assert days_later(utc(2026, 3, 28, 9, 0), 1) == utc(2026, 3, 29, 8, 0)
    # Saturday 24 October 10:00 CEST (08:00 UTC) to Sunday 10:00 CET (09:00 UTC): 25 hours
    assert days_later(utc(2026, 10, 24, 8, 0), 1) == utc(2026, 10, 25, 9, 0)
    # a week from Saturday 21 March 10:00 CET is Saturday 28 March 10:00 CET
    assert days_later(utc(2026, 3, 21, 9, 0), 7) == utc(2026, 3, 28, 9, 0)


# -- at most one a week, never in quiet hours -------------------------------------------------


def test_first_allowed_is_what_was_wanted_when_nothing_stands_in_the_way():
    wanted = utc(2026, 1, 14, 11, 0)  # 12:00 CET
    assert first_allowed(wanted, None) == Moment(wanted)
    # the last one went 7 days and 1 second before: allowed
    assert first_allowed(wanted, utc(2026, 1, 7, 10, 59, 59)) == Moment(wanted)
    # exactly 7 days before: allowed
    assert first_allowed(wanted, utc(2026, 1, 7, 11, 0)) == Moment(wanted)


def test_a_week_after_the_last_one_at_the_earliest():
    # last: Monday 12 January 10:00 CET; wanted: Tuesday 10:00 CET; so Monday 19 January 10:00
    last = utc(2026, 1, 12, 9, 0)
    assert first_allowed(utc(2026, 1, 13, 9, 0), last) == Moment(
        utc(2026, 1, 19, 9, 0), later_for_week=True
    )


def test_a_week_later_that_falls_in_quiet_hours_moves_to_9():
    # last: Sunday 22 March 20:30 CET (19:30 UTC). A week of 7 × 24 hours later is Sunday 29
    # March 19:30 UTC, which after the clocks went forward is 21:30 CEST: quiet. So Monday 30
    # March 09:00 CEST, 07:00 UTC.
    last = utc(2026, 3, 22, 19, 30)
    assert first_allowed(utc(2026, 3, 23, 10, 0), last) == Moment(
        utc(2026, 3, 30, 7, 0), later_for_week=True, later_for_quiet=True
    )


def test_quiet_hours_alone_move_it_too():
    # 21:00 CET exactly is quiet: 09:00 CET the next day
    assert first_allowed(utc(2026, 1, 14, 20, 0), None) == Moment(
        utc(2026, 1, 15, 8, 0), later_for_quiet=True
    )


def test_may_send_once_the_time_has_come_and_only_at_an_allowed_moment():
    wanted = utc(2026, 1, 14, 9, 0)  # 10:00 CET
    assert not may_send(utc(2026, 1, 14, 8, 59, 59), wanted, None)  # a second early
    assert may_send(wanted, wanted, None)
    assert may_send(utc(2026, 1, 14, 19, 59), wanted, None)  # 20:59 CET, later that day
    assert not may_send(utc(2026, 1, 14, 20, 0), wanted, None)  # 21:00 CET
    assert not may_send(utc(2026, 1, 15, 7, 59), wanted, None)  # 08:59 CET the next day
    assert may_send(utc(2026, 1, 15, 8, 0), wanted, None)  # 09:00 CET
    last = utc(2026, 1, 8, 9, 0)  # 6 days before wanted
    assert not may_send(wanted, wanted, last)
    assert not may_send(utc(2026, 1, 15, 8, 59, 59), wanted, last)
    assert may_send(utc(2026, 1, 15, 9, 0), wanted, last)  # a week after the last one


# -- the moments of a reminder and of a standstill --------------------------------------------


def test_remind_me_in_1_3_or_7_days():
    asked = utc(2026, 1, 14, 9, 0)  # Wednesday 10:00 CET
    assert reminder_moment(asked, 1, None) == Moment(utc(2026, 1, 15, 9, 0))
    assert reminder_moment(asked, 3, None) == Moment(utc(2026, 1, 17, 9, 0))
    assert reminder_moment(asked, 7, None) == Moment(utc(2026, 1, 21, 9, 0))
    for days in (0, 2, 14):
        with pytest.raises(ValueError, match=f"in \\(1, 3, 7\\) days, not {days}"):
            reminder_moment(asked, days, None)


def test_a_reminder_asked_for_late_in_the_evening_comes_at_9():
    # Wednesday 22:30 CET: in 1 day is Thursday 22:30, quiet: Friday 09:00 CET
    assert reminder_moment(utc(2026, 1, 14, 21, 30), 1, None) == Moment(
        utc(2026, 1, 16, 8, 0), later_for_quiet=True
    )
    # Saturday 28 March 02:30 CET: Sunday 02:30 does not exist (the clocks skip it); it is
    # quiet either way, so Sunday 09:00 CEST, 07:00 UTC
    assert reminder_moment(utc(2026, 3, 28, 1, 30), 1, None) == Moment(
        utc(2026, 3, 29, 7, 0), later_for_quiet=True
    )


def test_a_reminder_in_1_day_a_few_days_after_the_last_one_waits_for_the_week():
    last = utc(2026, 1, 12, 12, 0)  # Monday 13:00 CET
    # asked Wednesday 10:00 CET for Thursday: Monday 19 January 13:00 CET it is
    assert reminder_moment(utc(2026, 1, 14, 9, 0), 1, last) == Moment(
        utc(2026, 1, 19, 12, 0), later_for_week=True
    )


def test_a_round_has_stood_still_for_3_days_72_hours_after_it_last_moved():
    assert standstill_offer_wanted(utc(2026, 1, 12, 15, 0)) == utc(2026, 1, 15, 15, 0)
    # across the change to summer time it is still 72 hours: from Friday 10:00 CET to Monday
    # 11:00 CEST on the clock
    assert standstill_offer_wanted(utc(2026, 3, 27, 9, 0)) == utc(2026, 3, 30, 9, 0)


@pytest.fixture
def server_in_new_zealand(monkeypatch):
    """The server's own time zone far from Amsterdam (UTC+13 in January)."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_servers_time_zone_does_not_matter(server_in_new_zealand):
    # 00:30 CET on Thursday 15 January (23:30 UTC; 12:30 in Auckland): 09:00 CET that Thursday
    assert after_quiet_hours(utc(2026, 1, 14, 23, 30)) == utc(2026, 1, 15, 8, 0)
    assert is_quiet(utc(2026, 1, 14, 23, 30))
    # Wednesday 22:30 CET, in 1 day: Friday 09:00 CET
    assert reminder_moment(utc(2026, 1, 14, 21, 30), 1, None).at == utc(2026, 1, 16, 8, 0)
