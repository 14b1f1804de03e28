"""A round of the score list and every rule of its life, in one place.

A round is one time of filling in the list. It is *choosing* until the person starts, then
*answering* one statement at a time, and *complete* when every chosen statement has an answer.
A complete round can grow: the person picks more competencies (they wait in ``picked``, the round
stays complete) and starts them, which opens the round again.

Every transition is pure: it takes the round (and the instrument, and the time where it records
one) and returns either a :class:`Refusal`, which means nothing changed, or a new round with an
outcome that says what happened. The repository only loads and stores rounds; nobody else sets a
status.

Invariants (checked by :func:`check_invariants`, tested with random sequences of actions):

- a complete round has every chosen statement answered and a completion time; a round that is
  not complete has no completion time;
- an answering round has at least one chosen statement without an answer, unless one was
  re-opened with "Vorige" (the cursor);
- a choosing round has no chosen competencies and no answers yet; it only has picked ones;
- picking never loses an answer and never reopens or closes a round by itself;
- a refused action changes nothing (a refusal is returned instead of a round).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from content.model import Competency, Instrument, Statement
from domain.progress import Position, ordered_selection, position, statement_order


class RoundStatus(enum.StrEnum):
    CHOOSING = "choosing"
    ANSWERING = "answering"
    COMPLETE = "complete"


class Refusal(enum.Enum):
    """Why an action was not applied. Nothing is ever applied to another statement instead."""

    EXPIRED = "expired"  # an old round, another person's, or data the bot never made
    DUPLICATE = "duplicate"  # the same action again: a double tap; the first one did the work
    NOT_OPEN = "not_open"  # a statement that is not the one open now
    NOTHING_OPEN = "nothing_open"  # no statement is waiting for an answer
    EMPTY_CHOICE = "empty_choice"  # "start" with no competency picked
    NOTHING_NEW = "nothing_new"  # "start" with only competencies that are done already
    ALREADY_DONE = "already_done"  # picking a competency whose statements are all answered


@dataclass(frozen=True)
class GivenAnswer:
    value: int
    answered_at: str


@dataclass(frozen=True)
class Round:
    round_id: int
    user_id: int
    number: int
    status: RoundStatus
    started_at: str
    selection: tuple[str, ...] = ()  # competencies being (or done) answered, brochure order
    picked: tuple[str, ...] = ()  # competencies picked in the list, not started yet
    answers: Mapping[str, GivenAnswer] = field(default_factory=dict)
    cursor: str | None = None  # the statement re-opened with "Vorige"
    prompt_message_id: int | None = None  # the message that carries the live buttons
    completed_at: str | None = None

    # -- reading ---------------------------------------------------------------------------

    def values(self) -> dict[str, int]:
        """Statement id to answer value, for scoring."""
        return {sid: given.value for sid, given in self.answers.items()}

    def order(self, instrument: Instrument) -> tuple[Statement, ...]:
        return statement_order(instrument, self.selection)

    def open_statement(self, instrument: Instrument) -> Statement | None:
        """The statement to answer now: the one re-opened with "Vorige", else the first
        unanswered one; None when the round is not answering."""
        if self.status is not RoundStatus.ANSWERING:
            return None
        if self.cursor is not None:
            return instrument.statement(self.cursor)
        return _first_unanswered(self.order(instrument), self.answers)

    def done_competencies(self, instrument: Instrument) -> tuple[str, ...]:
        """Competencies whose statements are all answered in this round, brochure order."""
        return tuple(
            c.id for c in instrument.competencies if all(s.id in self.answers for s in c.statements)
        )

    @property
    def is_unused(self) -> bool:
        """Nothing answered and nothing started: a new round can reuse it."""
        return self.status is RoundStatus.CHOOSING and not self.answers

    # -- transitions -----------------------------------------------------------------------

    def pick(self, instrument: Instrument, competency_id: str, on: bool) -> Round | Refusal:
        """Switch a competency on or off in the list to choose from (set, not toggle, so a
        double tap changes nothing). Allowed before starting and in a complete round."""
        if self.status is RoundStatus.ANSWERING or not instrument.has_competency(competency_id):
            return Refusal.EXPIRED
        if competency_id in self.done_competencies(instrument):
            return Refusal.ALREADY_DONE
        picked = set(self.picked)
        if (competency_id in picked) == on:
            return Refusal.DUPLICATE
        if on:
            picked.add(competency_id)
        else:
            picked.discard(competency_id)
        return replace(self, picked=ordered_selection(instrument, picked))

    def start(self, instrument: Instrument, *, everything: bool = False) -> Started | Refusal:
        """Begin answering what was picked (all twelve with ``everything``)."""
        if self.status is RoundStatus.ANSWERING:
            return Refusal.DUPLICATE
        wanted = (c.id for c in instrument.competencies) if everything else self.picked
        selection = ordered_selection(instrument, (*self.selection, *wanted))
        order = statement_order(instrument, selection)
        first = _first_unanswered(order, self.answers)
        if first is None:
            return Refusal.NOTHING_NEW if self.picked or self.selection else Refusal.EMPTY_CHOICE
        started = replace(
            self,
            status=RoundStatus.ANSWERING,
            selection=selection,
            picked=(),
            cursor=None,
            completed_at=None,
        )
        new = tuple(c for c in selection if c not in self.selection)
        return Started(started, new, position(instrument, order, first))

    def answer(
        self, instrument: Instrument, value: int, statement_id: str | None, now: str
    ) -> Answered | Refusal:
        """Save an answer to the open statement. A tapped button names its statement and is
        applied only to exactly that statement; a typed answer (None) goes to the open one."""
        if not instrument.has_answer(value):
            return Refusal.EXPIRED
        if statement_id is not None and statement_id != self.cursor:
            given = self.answers.get(statement_id)
            if given is not None and given.value == value:
                return Refusal.DUPLICATE
        current = self.open_statement(instrument)
        if current is None:
            return Refusal.NOTHING_OPEN
        if statement_id is not None and statement_id != current.id:
            return self._not_this(statement_id)
        answers = {**self.answers, current.id: GivenAnswer(value, now)}
        order = self.order(instrument)
        following = _first_unanswered(order, answers)
        # prompt_message_id stays: that message has live buttons until the bot has shown the
        # answer on it (see released) or sent the next statement (see shown).
        answered = replace(
            self,
            answers=answers,
            cursor=None,
            status=RoundStatus.ANSWERING if following is not None else RoundStatus.COMPLETE,
            completed_at=None if following is not None else now,
        )
        competency = instrument.competency(current.competency_id)
        finished = following is not None and all(s.id in answers for s in competency.statements)
        return Answered(
            round=answered,
            position=position(instrument, order, current),
            value=value,
            replaced_message_id=self.prompt_message_id,
            finished_competency=competency if finished else None,
            next=None if following is None else position(instrument, order, following),
        )

    def go_back(self, instrument: Instrument, statement_id: str) -> Reopened | Refusal:
        """Re-open the statement before the open one, to change its answer."""
        current = self.open_statement(instrument)
        if current is None:
            return Refusal.NOTHING_OPEN
        order = self.order(instrument)
        index = order.index(current)
        if current.id != statement_id:
            tapped_again = (
                self.cursor == current.id
                and index + 1 < len(order)
                and order[index + 1].id == statement_id
            )
            return Refusal.DUPLICATE if tapped_again else self._not_this(statement_id)
        if index == 0:
            return Refusal.EXPIRED  # no Vorige button on the first statement: forged
        earlier = order[index - 1]
        return Reopened(
            replace(self, cursor=earlier.id),
            position(instrument, order, earlier),
            self.answers[earlier.id].value,
        )

    def check_control(
        self, instrument: Instrument, statement_id: str, message_id: int | None
    ) -> Position | Refusal:
        """A control button (Uitleg, Pauze) on a statement message: only the live statement
        message counts, so a second tap on the same old message is a double tap."""
        current = self.open_statement(instrument)
        if current is None:
            return Refusal.NOTHING_OPEN
        if current.id != statement_id:
            return self._not_this(statement_id)
        if message_id is None or message_id != self.prompt_message_id:
            return Refusal.DUPLICATE
        return position(instrument, self.order(instrument), current)

    def pause(self, instrument: Instrument, statement_id: str, message_id: int) -> Round | Refusal:
        """Stop for now: the statement message loses its buttons, the round remembers it has
        no live message."""
        checked = self.check_control(instrument, statement_id, message_id)
        if isinstance(checked, Refusal):
            return checked
        return replace(self, prompt_message_id=None)

    def released(self, message_id: int) -> Round | Refusal:
        """The buttons of ``message_id`` are gone (the answer is shown on it): it is no longer
        the live statement message."""
        if self.prompt_message_id != message_id:
            return Refusal.DUPLICATE
        return replace(self, prompt_message_id=None)

    def _not_this(self, statement_id: str) -> Refusal:
        """A button for another statement than the open one: an answered one can be changed
        with Vorige; any other (not asked yet, or made up) was never sent as live."""
        return Refusal.NOT_OPEN if statement_id in self.answers else Refusal.EXPIRED

    def without_live_message(self) -> Round:
        """The round left behind for a new one: its statement message is stale now."""
        return replace(self, prompt_message_id=None)

    def shown(self, instrument: Instrument, statement_id: str, message_id: int) -> Round | Refusal:
        """The open statement was sent as ``message_id``: that message now has the live
        buttons. Refused when the person moved on meanwhile (the message is stale already)."""
        current = self.open_statement(instrument)
        if current is None or current.id != statement_id:
            return Refusal.NOT_OPEN
        return replace(self, prompt_message_id=message_id)

    def prompt(self, instrument: Instrument) -> Prompt | None:
        """The open statement, where it stands, and its answer when re-opened."""
        current = self.open_statement(instrument)
        if current is None:
            return None
        given = self.answers.get(current.id) if self.cursor == current.id else None
        return Prompt(
            self.round_id,
            position(instrument, self.order(instrument), current),
            given.value if given is not None else None,
        )


@dataclass(frozen=True)
class Prompt:
    """A statement to show, with the answer saved for it when it was re-opened with "Vorige"."""

    round_id: int
    position: Position
    current: int | None = None


@dataclass(frozen=True)
class Started:
    round: Round
    new: tuple[str, ...]  # the competencies this start added
    first: Position


@dataclass(frozen=True)
class Answered:
    round: Round
    position: Position
    value: int
    replaced_message_id: int | None  # the statement message that had the live buttons
    finished_competency: Competency | None
    next: Position | None  # None: that was the last one, the round is complete


@dataclass(frozen=True)
class Reopened:
    round: Round
    position: Position
    current: int


def _first_unanswered(
    order: Iterable[Statement], answers: Mapping[str, GivenAnswer]
) -> Statement | None:
    return next((s for s in order if s.id not in answers), None)


def check_invariants(round_: Round, instrument: Instrument) -> None:
    """Raise AssertionError when a round breaks one of the rules in the module docstring."""
    chosen = round_.order(instrument)
    unanswered = [s for s in chosen if s.id not in round_.answers]
    assert set(round_.answers) <= {s.id for s in instrument.statements}
    assert not set(round_.selection) & set(round_.picked)
    if round_.status is RoundStatus.COMPLETE:
        assert not unanswered and round_.completed_at is not None and round_.cursor is None
    else:
        assert round_.completed_at is None
    if round_.status is RoundStatus.ANSWERING:
        assert unanswered or round_.cursor is not None
        assert not round_.picked
    if round_.status is RoundStatus.CHOOSING:
        assert not round_.selection and not round_.answers
    if round_.cursor is not None:
        assert round_.status is RoundStatus.ANSWERING and round_.cursor in round_.answers
