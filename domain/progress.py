"""Where a statement stands in a round: the order of the chosen statements and a position in it.

Derived from the chosen competencies alone, so that a restarted bot finds every person exactly
where they were without remembering anything in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
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
