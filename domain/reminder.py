"""A person's reminders: the one they asked for, when the bot last offered one, and whether they
turned reminders off. When a reminder may go is domain/schedule.py's.

Rules, each a transition below:
- a reminder comes only when the person asks for one (after Pauze, or in the offer the bot
  sends when a round has stood still for 3 days); asking again replaces it;
- going on with the round, or saying no, cancels it;
- turning reminders off is for good: no reminder and no offer any more, until the person turns
  them on again (asking for a reminder turns them on, too);
- a standstill gets one offer at most: not when the person was already offered one (after
  Pauze, or at an earlier moment of the same standstill), and not while a reminder waits.

Times are stored as ISO text in UTC (services/clock.py), which sorts as the times do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Reminder:
    user_id: int
    due_at: str | None = None  # the reminder asked for, not sent yet (None: none waits)
    asked_at: str | None = None  # when the person asked for it
    offered_at: str | None = None  # the last time the bot offered a reminder
    off_at: str | None = None  # when the person turned reminders off (None: on)

    @property
    def on(self) -> bool:
        return self.off_at is None

    def offered(self, now: str) -> Reminder:
        return replace(self, offered_at=now)

    def asked(self, due_at: str, now: str) -> Reminder:
        return replace(self, due_at=due_at, asked_at=now, off_at=None)

    def cancelled(self) -> Reminder:
        """Gone on, said no, or sent: no reminder waits."""
        return replace(self, due_at=None, asked_at=None)

    def turned_off(self, now: str) -> Reminder:
        return replace(self.cancelled(), off_at=self.off_at or now)

    def turned_on(self) -> Reminder:
        return replace(self, off_at=None)

    def offers_at_standstill(self, since: str) -> bool:
        """Offer a reminder for a standstill that began at ``since``?"""
        return (
            self.on and self.due_at is None and (self.offered_at is None or self.offered_at < since)
        )
