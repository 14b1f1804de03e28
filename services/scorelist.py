"""Filling in the score list: rounds, choices, answers, going back, summary, a person's data."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from content.model import Competency, Instrument
from domain.progress import (
    Position,
    open_statement,
    ordered_selection,
    position,
    previous_statement,
    statement_order,
)
from domain.summary import Summary, summarise
from storage import Round, RoundStatus, Storage


@dataclass(frozen=True)
class Prompt:
    """A statement to show, with the answer saved for it when it was re-opened with "Vorige"."""

    round_id: int
    position: Position
    current: int | None


@dataclass(frozen=True)
class Answered:
    position: Position
    value: int
    prompt_message_id: int | None
    finished_competency: Competency | None
    next: Prompt | None  # None: that was the last one, the round is complete


class Refusal(enum.Enum):
    """Why a tap or typed answer was not applied. Nothing is ever applied to another statement."""

    EXPIRED = "expired"  # the round is gone (/wis), is not this person's, or is an old round
    DUPLICATE = "duplicate"  # the same answer again: a double tap
    NOT_OPEN = "not_open"  # a statement that is not the one open now
    NOTHING_OPEN = "nothing_open"  # no statement is waiting for an answer
    EMPTY_CHOICE = "empty_choice"  # "start" with no competency chosen


@dataclass(frozen=True)
class Situation:
    """Where a person is: no round yet (round is None), choosing, answering or done."""

    round: Round | None
    prompt: Prompt | None = None


class ScoreList:
    def __init__(self, storage: Storage, instrument: Instrument) -> None:
        self._storage = storage
        self._instrument = instrument

    async def close(self) -> None:
        await self._storage.close()

    async def register(self, user_id: int, first_name: str, language: str) -> None:
        await self._storage.save_user(user_id, first_name, language)

    async def situation(self, user_id: int) -> Situation:
        round_ = await self._storage.current_round(user_id)
        if round_ is None or round_.status is not RoundStatus.ANSWERING:
            return Situation(round_)
        return Situation(round_, await self._prompt(round_))

    async def first_round(self, user_id: int) -> Round:
        """The round a new person starts with; the existing one when /start is sent twice."""
        return await self._storage.current_round(user_id) or await self._storage.new_round(user_id)

    async def new_round(self, user_id: int, from_round_id: int | None) -> Round | None:
        """Start a new round, keeping the old ones. ``from_round_id`` is the round the person saw
        when asking; a second tap on the same button finds a newer round and changes nothing."""
        current = await self._storage.current_round(user_id)
        if current is not None and from_round_id is not None and current.round_id != from_round_id:
            return None
        unused = (
            current is not None
            and current.status is RoundStatus.CHOOSING
            and not await self._storage.answers(current.round_id)
        )
        return current if unused else await self._storage.new_round(user_id)

    async def choosing_round(self, user_id: int, round_id: int) -> Round | None:
        """The round if it is this person's current one and open for a choice."""
        round_ = await self._own_current(user_id, round_id)
        if round_ is None or round_.status is RoundStatus.ANSWERING:
            return None
        return round_

    async def done_competencies(self, round_: Round) -> tuple[str, ...]:
        """Competencies of a round whose four statements are all answered: they stay chosen."""
        answered = await self._storage.answers(round_.round_id)
        return tuple(
            c.id
            for c in self._instrument.competencies
            if all(s.id in answered for s in c.statements)
        )

    async def set_chosen(
        self, user_id: int, round_id: int, competency_id: str, chosen: bool
    ) -> Round | None:
        round_ = await self.choosing_round(user_id, round_id)
        if round_ is None or not self._instrument.has_competency(competency_id):
            return None
        if competency_id in await self.done_competencies(round_):
            return round_
        selection = set(round_.selection)
        if chosen:
            selection.add(competency_id)
        else:
            selection.discard(competency_id)
        ordered = ordered_selection(self._instrument, selection)
        await self._storage.update_round(round_id, selection=ordered, status=RoundStatus.CHOOSING)
        return await self._storage.get_round(round_id)

    async def start(
        self, user_id: int, round_id: int, *, everything: bool = False
    ) -> Prompt | Refusal:
        """Begin answering the chosen competencies (all twelve with ``everything``)."""
        round_ = await self._own_current(user_id, round_id)
        if round_ is None:
            return Refusal.EXPIRED
        if round_.status is RoundStatus.ANSWERING:
            return Refusal.DUPLICATE  # the start button tapped twice
        selection = (
            tuple(c.id for c in self._instrument.competencies)
            if everything
            else ordered_selection(self._instrument, round_.selection)
        )
        if not selection:
            return Refusal.EMPTY_CHOICE
        answered = await self._storage.answers(round_id)
        order = statement_order(self._instrument, selection)
        if open_statement(order, answered) is None:
            return Refusal.EMPTY_CHOICE
        await self._storage.update_round(
            round_id, selection=selection, status=RoundStatus.ANSWERING, cursor=None
        )
        started = await self._storage.get_round(round_id)
        assert started is not None
        prompt = await self._prompt(started)
        assert prompt is not None
        return prompt

    async def answer(
        self, user_id: int, value: int, round_id: int | None = None, statement_id: str | None = None
    ) -> Answered | Refusal:
        """Save an answer to the open statement.

        A tapped button names its round and statement; it is applied only when that is exactly
        the statement open now. A typed answer (no ids) goes to the open statement.
        """
        if not self._instrument.has_answer(value):
            return Refusal.EXPIRED
        round_ = await self._storage.current_round(user_id)
        if round_ is None or (round_id is not None and round_.round_id != round_id):
            return Refusal.EXPIRED
        answered = await self._storage.answers(round_.round_id)
        if (
            statement_id is not None
            and answered.get(statement_id) == value
            and round_.cursor != statement_id
        ):
            return Refusal.DUPLICATE
        if round_.status is not RoundStatus.ANSWERING:
            return Refusal.NOTHING_OPEN if round_id is None else Refusal.NOT_OPEN
        order = statement_order(self._instrument, round_.selection)
        current = open_statement(order, answered, round_.cursor)
        if current is None:
            return Refusal.NOTHING_OPEN
        if statement_id is not None and statement_id != current.id:
            return Refusal.NOT_OPEN
        answered[current.id] = value
        following = open_statement(order, answered)
        await self._storage.save_answer(
            round_.round_id, current.id, value, completes_round=following is None
        )
        competency = self._instrument.competency(current.competency_id)
        finished = all(s.id in answered for s in competency.statements)
        return Answered(
            position=position(self._instrument, order, current),
            value=value,
            prompt_message_id=round_.prompt_message_id,
            finished_competency=competency if finished and following is not None else None,
            next=None
            if following is None
            else Prompt(round_.round_id, position(self._instrument, order, following), None),
        )

    async def go_back(self, user_id: int, round_id: int, statement_id: str) -> Prompt | Refusal:
        """Re-open the statement before the open one, to change its answer."""
        opened = await self._open(user_id, round_id, statement_id)
        if isinstance(opened, Refusal):
            return opened
        round_, _ = opened
        order = statement_order(self._instrument, round_.selection)
        earlier = previous_statement(order, statement_id)
        if earlier is None:
            return Refusal.NOT_OPEN
        await self._storage.update_round(round_id, cursor=earlier.id)
        answers = await self._storage.answers(round_id)
        return Prompt(round_id, position(self._instrument, order, earlier), answers.get(earlier.id))

    async def open_prompt(self, user_id: int, round_id: int, statement_id: str) -> Prompt | Refusal:
        """The open statement again (for "Uitleg" and "Pauze"), if the button is for it."""
        opened = await self._open(user_id, round_id, statement_id)
        return opened if isinstance(opened, Refusal) else opened[1]

    async def _open(
        self, user_id: int, round_id: int, statement_id: str
    ) -> tuple[Round, Prompt] | Refusal:
        """The round and its open statement, if a button names exactly those."""
        round_ = await self._own_current(user_id, round_id)
        if round_ is None or round_.status is not RoundStatus.ANSWERING:
            return Refusal.EXPIRED
        prompt = await self._prompt(round_)
        if prompt is None or prompt.position.statement.id != statement_id:
            return Refusal.NOT_OPEN
        return round_, prompt

    async def set_prompt_message(self, round_id: int, message_id: int | None) -> None:
        await self._storage.update_round(round_id, prompt_message_id=message_id)

    async def summary(self, user_id: int) -> tuple[Round, Summary] | None:
        """The summary over what has been answered so far in the newest round with answers."""
        round_ = await self._storage.latest_answered_round(user_id)
        if round_ is None:
            return None
        return round_, summarise(self._instrument, await self._storage.answers(round_.round_id))

    async def export(self, user_id: int) -> dict | None:
        person, rounds = await self._storage.export(user_id)
        if person is None:
            return None
        return {
            "person": person,
            "rounds": [
                {
                    "number": round_.number,
                    "status": str(round_.status),
                    "started_at": round_.started_at,
                    "completed_at": round_.completed_at,
                    "chosen_competencies": [
                        self._instrument.competency(c).name
                        for c in round_.selection
                        if self._instrument.has_competency(c)
                    ],
                    "answers": [
                        {
                            "statement_id": a.statement_id,
                            "statement": self._instrument.statement(a.statement_id).text
                            if self._instrument.has_statement(a.statement_id)
                            else None,
                            "answer": self._instrument.answer(a.value).label,
                            "answered_at": a.answered_at,
                        }
                        for a in answers
                    ],
                }
                for round_, answers in rounds
            ],
        }

    async def delete(self, user_id: int) -> bool:
        return await self._storage.delete_user(user_id)

    async def _own_current(self, user_id: int, round_id: int) -> Round | None:
        """Only the person's newest round can be acted on; ids of old or foreign rounds (stale
        buttons, forged callback data) get None."""
        round_ = await self._storage.current_round(user_id)
        return round_ if round_ is not None and round_.round_id == round_id else None

    async def _prompt(self, round_: Round) -> Prompt | None:
        answered = await self._storage.answers(round_.round_id)
        order = statement_order(self._instrument, round_.selection)
        current = open_statement(order, answered, round_.cursor)
        if current is None:
            return None
        return Prompt(
            round_.round_id, position(self._instrument, order, current), answered.get(current.id)
        )
