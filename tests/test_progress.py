"""Order, position, Vorige and typed answers."""

from __future__ import annotations

import pytest

from domain.progress import (
    open_statement,
    ordered_selection,
    position,
    previous_statement,
    read_typed_answer,
    statement_order,
)

LABELS = {1: "Zeer waar", 2: "Meestal waar", 3: "Beetje waar", 4: "Niet waar"}


def test_selection_follows_brochure_order(instrument):
    assert ordered_selection(instrument, ["netwerken", "lef", "lef", "bestaat-niet"]) == (
        "lef",
        "netwerken",
    )


def test_position_reads_like_lef_2_of_4_total_14_of_48(instrument):
    order = statement_order(instrument, [c.id for c in instrument.competencies])
    where = position(instrument, order, instrument.statement("lef.2"))
    assert (where.competency.name, where.in_competency, where.of_competency) == ("Lef", 2, 4)
    assert (where.number, where.total) == (14, 48)
    assert not where.first_of_competency and where.has_previous


def test_position_within_a_partial_choice(instrument):
    order = statement_order(instrument, ["netwerken", "lef"])
    where = position(instrument, order, instrument.statement("netwerken.1"))
    assert (where.number, where.total, where.first_of_competency) == (5, 8, True)


def test_open_statement_is_the_first_unanswered_unless_reopened(instrument):
    order = statement_order(instrument, ["lef"])
    assert open_statement(order, {"lef.1", "lef.3"}).id == "lef.2"
    assert open_statement(order, {"lef.1", "lef.3"}, cursor="lef.1").id == "lef.1"
    assert open_statement(order, {"lef.1", "lef.2", "lef.3", "lef.4"}) is None


def test_previous_statement(instrument):
    order = statement_order(instrument, ["lef", "netwerken"])
    assert previous_statement(order, "netwerken.1").id == "lef.4"
    assert previous_statement(order, "lef.1") is None
    assert previous_statement(order, "politiek.1") is None


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1", 1),
        (" 4 ", 4),
        ("Meestal waar", 2),
        ("meestal waar", 2),
        ("BEETJE   WAAR", 3),
        ("niet waar.", 4),
        ("Zeer waar!", 1),
        ("5", None),
        ("0", None),
        ("waar", None),
        ("ja", None),
        ("", None),
        ("12", None),
    ],
)
def test_typed_answers(typed, value):
    assert read_typed_answer(typed, LABELS) == value
