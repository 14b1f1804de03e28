"""Reminders: a person asks for one, says no, or turns them off or on again; and the two kinds of
message the scheduler sends about going on with a half-done round: the reminder asked for, and
the offer of one when a round has stood still for 3 days.

The rules are domain/reminder.py's (what a person wants) and domain/schedule.py's (when). Going
on cancels a reminder: that is part of the round's use cases (services/rounds.py), in their
transaction.
"""

from __future__ import annotations

from datetime import datetime

from domain.reminder import Reminder
from domain.round import Refusal, RoundStatus
from domain.schedule import (
    STANDSTILL,
    Moment,
    may_send,
    reminder_moment,
    standstill_offer_wanted,
)
from services.clock import Clock, as_text, from_text
from services.deliveries import Due, Outcome
from storage import Database, Transaction

REMINDER = "reminder"  # the reminder a person asked for
STANDSTILL_OFFER = "standstill"  # the offer of a reminder when a round has stood still
# A standstill's offer waits a week after either; a reminder a week after the last reminder.
_BEFORE_AN_OFFER = (REMINDER, STANDSTILL_OFFER)
_BEFORE_A_REMINDER = (REMINDER,)


class Reminders:
    def __init__(self, database: Database, clock: Clock) -> None:
        self._db = database
        self._clock = clock

    async def ask(self, user_id: int, round_id: int, days: int) -> Moment | Refusal:
        """ "Remind me in ``days`` days" in an offer about round ``round_id``: when it comes."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            if not await _half_done(tx, user_id, round_id):
                return Refusal.EXPIRED
            last = await tx.deliveries.last_sent(user_id, _BEFORE_A_REMINDER)
            moment = reminder_moment(now, days, from_text(last))
            reminder = await tx.reminders.get(user_id)
            await tx.reminders.save(reminder.asked(as_text(moment.at), as_text(now)))
            return moment

    async def decline(self, user_id: int) -> Refusal | None:
        """ "No, thank you": no reminder waits."""
        async with self._db.transaction() as tx:
            if await tx.people.get(user_id) is None:
                return Refusal.EXPIRED
            await tx.reminders.save((await tx.reminders.get(user_id)).cancelled())
            return None

    async def turn_off(self, user_id: int) -> Refusal | None:
        """No reminders and no offers any more, until the person turns them on again."""
        async with self._db.transaction() as tx:
            if await tx.people.get(user_id) is None:
                return Refusal.EXPIRED
            reminder = await tx.reminders.get(user_id)
            await tx.reminders.save(reminder.turned_off(self._clock.text()))
            return None

    async def turn_on(self, user_id: int, round_id: int) -> bool | Refusal:
        """Reminders on again. True when round ``round_id`` is half done, so the offer of a
        reminder follows (and counts as offered)."""
        async with self._db.transaction() as tx:
            if await tx.people.get(user_id) is None:
                return Refusal.EXPIRED
            reminder = (await tx.reminders.get(user_id)).turned_on()
            offer = await _half_done(tx, user_id, round_id)
            if offer:
                reminder = reminder.offered(self._clock.text())
            await tx.reminders.save(reminder)
            return offer


async def _half_done(tx: Transaction, user_id: int, round_id: int) -> bool:
    """Round ``round_id`` is the person's newest and is half done: what a reminder is about."""
    current = await tx.rounds.current(user_id)
    return (
        current is not None
        and current.round_id == round_id
        and current.status is RoundStatus.ANSWERING
    )


class DueReminders:
    """The reminders people asked for whose time has come."""

    kind = REMINDER

    async def due(self, tx: Transaction, now: datetime, recipient: int | None = None) -> list[Due]:
        found = []
        for waiting in await tx.reminders.asked_for(as_text(now), recipient):
            user_id, due_at = waiting.reminder.user_id, waiting.reminder.due_at
            # The week since the last reminder was counted when it was asked (reminder_moment);
            # now only quiet hours can hold it up.
            if may_send(now, from_text(due_at), None):
                found.append(
                    Due(
                        REMINDER,
                        user_id,
                        due_at,
                        waiting.language,
                        waiting.first_name,
                        waiting.round_id,
                    )
                )
        return found

    async def delivered(self, tx: Transaction, due: Due, outcome: Outcome, now: str) -> None:
        reminder = await tx.reminders.get(due.recipient)
        if reminder.due_at == due.period:
            await tx.reminders.save(reminder.cancelled())


class DueStandstillOffers:
    """The offer of a reminder, once for each time a half-done round stands still for 3 days."""

    kind = STANDSTILL_OFFER

    async def due(self, tx: Transaction, now: datetime, recipient: int | None = None) -> list[Due]:
        found = []
        for waiting in await tx.reminders.standing_still(as_text(now - STANDSTILL), recipient):
            user_id, since = waiting.reminder.user_id, waiting.since
            if not waiting.reminder.offers_at_standstill(since):
                continue
            last = await tx.deliveries.last_sent(user_id, _BEFORE_AN_OFFER)
            if may_send(now, standstill_offer_wanted(from_text(since)), from_text(last)):
                period = f"{waiting.round_id}@{since}"
                found.append(
                    Due(
                        STANDSTILL_OFFER,
                        user_id,
                        period,
                        waiting.language,
                        waiting.first_name,
                        waiting.round_id,
                    )
                )
        return found

    async def delivered(self, tx: Transaction, due: Due, outcome: Outcome, now: str) -> None:
        if await tx.people.get(due.recipient) is not None:
            await tx.reminders.save((await tx.reminders.get(due.recipient)).offered(now))


def reminders_export(reminder: Reminder, sent: list[tuple[str, str, str | None]]) -> dict:
    """A person's reminders for /mijngegevens: the settings, and every message about going on
    the bot sent them (from ``sent``: kind, time, outcome)."""
    return {
        "reminder_asked_for": reminder.due_at,
        "asked_at": reminder.asked_at,
        "last_offered_at": reminder.offered_at,
        "turned_off_at": reminder.off_at,
        "sent": [
            {"message": kind, "at": at, "outcome": outcome}
            for kind, at, outcome in sent
            if kind in _BEFORE_AN_OFFER
        ],
    }
