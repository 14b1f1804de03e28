"""Where a person is in a round: the order of the statements, what comes next, what came before.

Derived from the round's chosen competencies and its saved answers alone, so that a restarted bot
finds every person exactly where they were without remembering anything in memory.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from content.model import Competency, Instrument, Statement


@dataclass(frozen=True)
class Position:
    """A statement in its place: "Lef · 2 van 4 · totaal 14 van 48"."""

    statement: Statement
    competency: Competency
    in_competency: int
    of_competency: int
    number: int
    total: int
    first_of_competency: bool
    has_previous: bool


def ordered_selection(instrument: Instrument, selection: Iterable[str]) -> tuple[str, ...]:
    """The chosen competency ids in brochure order, unknown ids and doubles left out."""
    chosen = set(selection)
    return tuple(c.id for c in instrument.competencies if c.id in chosen)


def statement_order(instrument: Instrument, selection: Iterable[str]) -> tuple[Statement, ...]:
    return tuple(
        s
        for cid in ordered_selection(instrument, selection)
        for s in instrument.competency(cid).statements
    )


def open_statement(
    order: tuple[Statement, ...], answered: Collection[str], cursor: str | None = None
) -> Statement | None:
    """The statement to show now: the one re-opened with "Vorige", else the first unanswered."""
    if cursor is not None:
        for statement in order:
            if statement.id == cursor:
                return statement
    return next((s for s in order if s.id not in answered), None)


def previous_statement(order: tuple[Statement, ...], statement_id: str) -> Statement | None:
    ids = [s.id for s in order]
    if statement_id not in ids:
        return None
    index = ids.index(statement_id)
    return order[index - 1] if index > 0 else None


def position(
    instrument: Instrument, order: tuple[Statement, ...], statement: Statement
) -> Position:
    competency = instrument.competency(statement.competency_id)
    in_competency = competency.statements.index(statement) + 1
    number = order.index(statement) + 1
    return Position(
        statement=statement,
        competency=competency,
        in_competency=in_competency,
        of_competency=len(competency.statements),
        number=number,
        total=len(order),
        first_of_competency=in_competency == 1,
        has_previous=number > 1,
    )


def read_typed_answer(text: str, labels: dict[int, str]) -> int | None:
    """A typed answer: the label in any case ("meestal waar", "Meestal waar!") or its number.

    ``labels`` maps answer values to labels; the numbers are the values themselves (1 = the first
    answer, Zeer waar).
    """
    cleaned = " ".join(text.strip().strip(".!?").split()).casefold()
    if cleaned.isdigit() and int(cleaned) in labels:
        return int(cleaned)
    for value, label in labels.items():
        if cleaned == label.casefold():
            return value
    return None
