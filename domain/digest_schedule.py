"""When a team's weekly digest is due: a day of the week and an hour, Dutch time.

Weekly on Monday at 09:00 (Europe/Amsterdam) unless a coordinator chooses another day or hour,
or switches it off. Each week is one period, named by its ISO week ("2026-W49"): a digest is
sent at most once per period, also when the coordinator moves the day within the week after
this week's digest went out, and a bot that was down at the moment sends it when it is back,
within the same week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The hours a coordinator can choose. Each exists once on every day of the year: summer time
# starts and ends in the night, at 02:00 and 03:00.
HOURS = tuple(range(7, 22))
WEEKDAYS = tuple(range(7))  # Monday 0 to Sunday 6, as datetime.weekday()


@dataclass(frozen=True)
class DigestSchedule:
    on: bool = True
    weekday: int = 0
    hour: int = 9

    def __post_init__(self) -> None:
        if self.weekday not in WEEKDAYS or self.hour not in HOURS:
            raise ValueError(f"no such moment in the week: day {self.weekday}, {self.hour}:00")


def last_due(schedule: DigestSchedule, now: datetime) -> datetime | None:
    """The latest scheduled moment at or before ``now``; None when switched off."""
    if not schedule.on:
        return None
    local = now.astimezone(AMSTERDAM)
    day = local.date() - timedelta(days=(local.weekday() - schedule.weekday) % 7)
    moment = _at(day, schedule.hour)
    if moment > now:
        moment = _at(day - timedelta(days=7), schedule.hour)
    return moment


def period(moment: datetime) -> str:
    """The week a scheduled moment belongs to, in Dutch time: "2026-W49"."""
    year, week, _ = moment.astimezone(AMSTERDAM).isocalendar()
    return f"{year}-W{week:02d}"


def _at(day: date, hour: int) -> datetime:
    """That day at that hour in Amsterdam: the same clock time in winter and in summer."""
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)
