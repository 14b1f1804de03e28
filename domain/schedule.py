"""When the bot may send a message of its own, and when one is due.

Pure rules: times come in, a decision comes out. The clock and the database are the caller's,
so a restarted bot works out the same answers from what is stored. Every moment is an aware
datetime; rules about the time of day are in Amsterdam time (Europe/Amsterdam, with its summer
time), whatever the server's time zone is.

- Quiet hours: nothing of the bot's own between 21:00 and 09:00; a message due then waits
  until 09:00.
- At most one reminder a week: a week (7 × 24 hours) after the last one at the earliest.
- A round that has stood still for 3 days may get an offer of a reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
QUIET_FROM = time(21, 0)
QUIET_UNTIL = time(9, 0)
ONCE_A_WEEK = timedelta(days=7)
STANDSTILL = timedelta(days=3)
# "Remind me in 1 day, in 3 days, in a week."
REMINDER_DAYS = (1, 3, 7)


def is_quiet(moment: datetime) -> bool:
    """Between 21:00 and 09:00 in Amsterdam: 21:00 is quiet, 09:00 is not."""
    local = moment.astimezone(AMSTERDAM).time()
    return local >= QUIET_FROM or local < QUIET_UNTIL


def after_quiet_hours(moment: datetime) -> datetime:
    """``moment`` itself outside quiet hours, else the 09:00 (Amsterdam) that ends them."""
    if not is_quiet(moment):
        return moment
    local = moment.astimezone(AMSTERDAM)
    day = local.date() if local.time() < QUIET_UNTIL else local.date() + timedelta(days=1)
    # 09:00 exists every day in Amsterdam: the clocks change at 02:00 and 03:00.
    return datetime.combine(day, QUIET_UNTIL, tzinfo=AMSTERDAM).astimezone(UTC)


def days_later(moment: datetime, days: int) -> datetime:
    """The same time on the clock in Amsterdam, ``days`` days later: "in 1 day" at 10:00 is
    10:00 the next day, also when the clocks change in between (then it is 23 or 25 hours)."""
    local = moment.astimezone(AMSTERDAM)
    wall = local.replace(tzinfo=None) + timedelta(days=days)
    # A time the clocks skip (02:30 on the last Sunday of March) lies in quiet hours, so it is
    # moved to 09:00 anyway; which way it is read does not matter.
    return wall.replace(tzinfo=AMSTERDAM).astimezone(UTC)


@dataclass(frozen=True)
class Moment:
    """When a message may go, and why that is later than asked (so the bot can say so)."""

    at: datetime
    later_for_week: bool = False  # a week after the last one
    later_for_quiet: bool = False  # not between 21:00 and 09:00


def first_allowed(wanted: datetime, last_sent: datetime | None) -> Moment:
    """The first moment at or after ``wanted`` that is at least a week after ``last_sent`` (the
    last message of the same sort; None: there was none) and outside quiet hours."""
    at, week = wanted, False
    if last_sent is not None and last_sent + ONCE_A_WEEK > at:
        at, week = last_sent + ONCE_A_WEEK, True
    moved = after_quiet_hours(at)
    return Moment(moved, later_for_week=week, later_for_quiet=moved != at)


def may_send(now: datetime, wanted: datetime, last_sent: datetime | None) -> bool:
    """Due now: the moment ``wanted`` has come, and now is an allowed moment."""
    return wanted <= now and first_allowed(now, last_sent).at == now


def reminder_moment(asked_at: datetime, days: int, last_reminder: datetime | None) -> Moment:
    """When the reminder asked for at ``asked_at`` "in ``days`` days" goes."""
    if days not in REMINDER_DAYS:
        raise ValueError(f"a reminder comes in {REMINDER_DAYS} days, not {days}")
    return first_allowed(days_later(asked_at, days), last_reminder)


def standstill_offer_wanted(since: datetime) -> datetime:
    """A round that has not moved since ``since`` has stood still for 3 days at this moment."""
    return since + STANDSTILL
