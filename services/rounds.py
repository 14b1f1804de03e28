"""Filling in the score list: starting, picking, answering, going back, pausing, new rounds.

Each method is one use case: it loads what it needs, lets the round (domain/round.py) decide,
and saves the result, all in one transaction. It returns a plain result for the handler to
show; nothing here knows Telegram.
"""

from __future__ import annotations

from dataclasses import dataclass

from content.model import Instrument
from domain.person import Person
from domain.round import (
    Answered,
    Prompt,
    Refusal,
    Reopened,
    Round,
    RoundStatus,
    Started,
)
from services.clock import Clock
from storage import Database, Transaction


@dataclass(frozen=True)
class Visitor:
    """Who sent an update, as Telegram tells it."""

    user_id: int
    first_name: str
    language: str  # the content language for a person we do not know yet


@dataclass(frozen=True)
class Situation:
    """Where a person is. ``round`` is None for somebody unknown (never started, or wiped);
    ``prompt`` is the open statement while answering."""

    person: Person | None
    round: Round | None
    prompt: Prompt | None = None
    done: tuple[str, ...] = ()  # competencies of the round whose statements are all answered

    @property
    def status(self) -> RoundStatus | None:
        return self.round.status if self.round is not None else None


@dataclass(frozen=True)
class NewRound:
    round: Round
    stale_message_id: int | None  # the old round's statement message that had live buttons


@dataclass(frozen=True)
class Paused:
    round: Round
    offer_reminder: bool  # reminders are on: offer one (else: offer to turn them on)


@dataclass(frozen=True)
class ConfirmNewRound:
    """A round is half done: ask before starting a new one."""

    round: Round


class Rounds:
    def __init__(self, database: Database, instrument: Instrument, clock: Clock) -> None:
        self._db = database
        self._instrument = instrument
        self._clock = clock

    def _situation(self, person: Person | None, round_: Round | None) -> Situation:
        if round_ is None:
            return Situation(person, None)
        return Situation(
            person,
            round_,
            round_.prompt(self._instrument),
            round_.done_competencies(self._instrument),
        )

    async def begin(self, visitor: Visitor) -> tuple[Situation, bool]:
        """/start: know the person (the only way in, also after /wis) and give them a round.
        Also says whether the person is new."""
        now = self._clock.text()
        async with self._db.transaction() as tx:
            person = await tx.people.get(visitor.user_id)
            new = person is None
            person = Person(
                visitor.user_id,
                visitor.first_name,
                visitor.language if person is None else person.language,
                now if person is None else person.created_at,
                now,
            )
            await tx.people.save(person)
            round_ = await tx.rounds.current(visitor.user_id)
            if round_ is None:
                round_ = await tx.rounds.create(visitor.user_id, now)
            await _going_on(tx, visitor.user_id)
            return self._situation(person, round_), new

    async def situation(self, user_id: int) -> Situation:
        async with self._db.transaction() as tx:
            return self._situation(await tx.people.get(user_id), await tx.rounds.current(user_id))

    async def resume(self, user_id: int) -> Situation:
        """/verder: where the person is, and going on from there."""
        async with self._db.transaction() as tx:
            await _going_on(tx, user_id)
            return self._situation(await tx.people.get(user_id), await tx.rounds.current(user_id))

    async def ask_new_round(self, user_id: int) -> NewRound | ConfirmNewRound | Refusal:
        """/opnieuw: a new round at once, or a question first when one is half done."""
        async with self._db.transaction() as tx:
            current = await tx.rounds.current(user_id)
            if current is None:
                return Refusal.EXPIRED
            if current.status is RoundStatus.ANSWERING:
                return ConfirmNewRound(current)
            return await self._new_round(tx, current)

    async def new_round(self, user_id: int, from_round_id: int) -> NewRound | Refusal:
        """The "new round" button of round ``from_round_id``. A second tap finds the round the
        first tap made and changes nothing."""
        async with self._db.transaction() as tx:
            current = await tx.rounds.current(user_id)
            if current is None:
                return Refusal.EXPIRED
            if current.round_id != from_round_id:
                earlier = await tx.rounds.get(from_round_id)
                double_tap = (
                    earlier is not None
                    and earlier.user_id == user_id
                    and current.is_unused
                    and current.number == earlier.number + 1
                )
                return Refusal.DUPLICATE if double_tap else Refusal.EXPIRED
            return await self._new_round(tx, current)

    async def _new_round(self, tx: Transaction, current: Round) -> NewRound:
        await _going_on(tx, current.user_id)
        if current.is_unused:
            return NewRound(current, None)
        stale = current.prompt_message_id
        if stale is not None:
            await tx.rounds.save(current.without_live_message(), current)
        return NewRound(await tx.rounds.create(current.user_id, self._clock.text()), stale)

    async def go_on(self, user_id: int, round_id: int) -> Situation | Refusal:
        """ "Nee, ga verder": back to where the person was in this round."""
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            await _going_on(tx, user_id)
            return self._situation(await tx.people.get(user_id), current)

    async def pick_list(self, user_id: int, round_id: int) -> Situation | Refusal:
        """The list to pick from: before starting, or for more in a complete round."""
        async with self._db.transaction() as tx:
            current = await tx.rounds.current(user_id)
            if (
                current is None
                or current.round_id != round_id
                or current.status is RoundStatus.ANSWERING
            ):
                return Refusal.EXPIRED
            return self._situation(None, current)

    async def pick(
        self, user_id: int, round_id: int, competency_id: str, on: bool
    ) -> Situation | Refusal:
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            picked = current.pick(self._instrument, competency_id, on)
            if isinstance(picked, Refusal):
                return picked
            await tx.rounds.save(picked, current)
            return self._situation(None, picked)

    async def start(
        self, user_id: int, round_id: int, *, everything: bool = False
    ) -> Started | Refusal:
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            started = current.start(self._instrument, everything=everything)
            if isinstance(started, Refusal):
                return started
            await tx.rounds.save(started.round, current)
            return started

    async def answer(
        self,
        user_id: int,
        value: int,
        round_id: int | None = None,
        statement_id: str | None = None,
    ) -> Answered | Refusal:
        """A tapped answer names its round and statement; a typed one (no ids) goes to the
        statement open now."""
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            answered = current.answer(self._instrument, value, statement_id, self._clock.text())
            if isinstance(answered, Refusal):
                return answered
            await tx.rounds.save(answered.round, current)
            await _going_on(tx, user_id)
            return answered

    async def go_back(self, user_id: int, round_id: int, statement_id: str) -> Reopened | Refusal:
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            reopened = current.go_back(self._instrument, statement_id)
            if isinstance(reopened, Refusal):
                return reopened
            await tx.rounds.save(reopened.round, current)
            return reopened

    async def explain(
        self, user_id: int, round_id: int, statement_id: str, message_id: int
    ) -> Prompt | Refusal:
        """ "Uitleg" on the live statement message; changes nothing."""
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            checked = current.check_control(self._instrument, statement_id, message_id)
            if isinstance(checked, Refusal):
                return checked
            return current.prompt(self._instrument)

    async def pause(
        self, user_id: int, round_id: int, statement_id: str, message_id: int
    ) -> Paused | Refusal:
        """ "Pauze": the round waits, and the person is offered a reminder (when they have not
        turned reminders off); the offer counts for this standstill (domain/reminder.py)."""
        async with self._db.transaction() as tx:
            current = await _own_current(tx, user_id, round_id)
            if isinstance(current, Refusal):
                return current
            paused = current.pause(self._instrument, statement_id, message_id)
            if isinstance(paused, Refusal):
                return paused
            await tx.rounds.save(paused, current)
            reminder = await tx.reminders.get(user_id)
            if reminder.on:
                await tx.reminders.save(reminder.offered(self._clock.text()))
            return Paused(paused, reminder.on)

    async def shown(self, prompt: Prompt, message_id: int) -> None:
        """The statement of ``prompt`` was sent as ``message_id``: remember that message as the
        one with the live buttons (unless the person has moved on meanwhile)."""
        async with self._db.transaction() as tx:
            round_ = await tx.rounds.get(prompt.round_id)
            if round_ is None:
                return
            shown = round_.shown(self._instrument, prompt.position.statement.id, message_id)
            if not isinstance(shown, Refusal):
                await tx.rounds.save(shown, round_)

    async def released(self, round_id: int, message_id: int) -> None:
        """The statement message ``message_id`` shows its answer now and has no buttons, but
        no next statement could be sent: forget it as the live one, so nobody tries to take
        its buttons away again."""
        async with self._db.transaction() as tx:
            round_ = await tx.rounds.get(round_id)
            if round_ is None:
                return
            released = round_.released(message_id)
            if not isinstance(released, Refusal):
                await tx.rounds.save(released, round_)


async def _own_current(tx: Transaction, user_id: int, round_id: int | None) -> Round | Refusal:
    """The person's newest round: the only one a button can act on. A button names its round,
    so one of an older round, another person's or a made-up one is refused (None: a typed
    answer, for whatever round is current)."""
    current = await tx.rounds.current(user_id)
    if current is None or round_id not in (None, current.round_id):
        return Refusal.EXPIRED
    return current


async def _going_on(tx: Transaction, user_id: int) -> None:
    """The person goes on with their round (an answer, /verder, /start, a "go on" button, a new
    round): a reminder they asked for is not needed any more."""
    reminder = await tx.reminders.get(user_id)
    if reminder.due_at is not None:
        await tx.reminders.save(reminder.cancelled())
