"""Order, position and Vorige."""

from __future__ import annotations

import pytest

from domain.progress import ordered_selection, position, statement_order


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


def _where(instrument, selection, statement_id):
    """(in_competency, of_competency, number, total, first_of_competency, has_previous)."""
    order = statement_order(instrument, selection)
    w = position(instrument, order, instrument.statement(statement_id))
    return (
        w.in_competency,
        w.of_competency,
        w.number,
        w.total,
        w.first_of_competency,
        w.has_previous,
    )


ALL = [
    *("signaleren", "sensitiviteit", "communicatie", "lef", "creativiteit", "onderhandelen"),
    *("overtuigingskracht", "netwerken", "samenwerken", "zelfreflectie", "stressbestendigheid"),
    "politiek",
]


@pytest.mark.parametrize(
    ("statement_id", "expected"),
    [
        # (in_competency, of_competency, number, total, first_of_competency, has_previous)
        ("signaleren.1", (1, 4, 1, 48, True, False)),  # the very first: no Vorige
        ("signaleren.2", (2, 4, 2, 48, False, True)),
        ("signaleren.4", (4, 4, 4, 48, False, True)),
        ("sensitiviteit.1", (1, 4, 5, 48, True, True)),  # first of the second competency
        ("lef.2", (2, 4, 14, 48, False, True)),
        ("politiek.1", (1, 4, 45, 48, True, True)),
        ("politiek.4", (4, 4, 48, 48, False, True)),  # the last
    ],
)
def test_positions_in_a_full_round(instrument, statement_id, expected):
    """A round of all twelve competencies: 48 statements in brochure order."""
    assert _where(instrument, ALL, statement_id) == expected


@pytest.mark.parametrize(
    ("statement_id", "expected"),
    [
        # (in_competency, of_competency, number, total, first_of_competency, has_previous)
        ("lef.1", (1, 4, 1, 8, True, False)),  # the round starts at Lef: no Vorige
        ("lef.2", (2, 4, 2, 8, False, True)),
        ("lef.4", (4, 4, 4, 8, False, True)),
        ("netwerken.1", (1, 4, 5, 8, True, True)),  # first of the second competency
        ("netwerken.4", (4, 4, 8, 8, False, True)),
    ],
)
def test_positions_in_a_round_of_lef_and_netwerken(instrument, statement_id, expected):
    """A round of Netwerken and Lef, chosen in that order: Lef comes first (brochure order)."""
    assert _where(instrument, ["netwerken", "lef"], statement_id) == expected


def test_no_vorige_on_the_first_statement_of_any_round(instrument):
    """Whichever competency a round starts with, its first statement has no Vorige."""
    for competency in instrument.competencies:
        first = competency.statements[0]
        order = statement_order(instrument, [competency.id, "politiek"])
        assert order[0] == first
        assert not position(instrument, order, first).has_previous, competency.id


def test_positions_in_a_round_of_one_competency(instrument):
    order = statement_order(instrument, ["stressbestendigheid"])
    assert [s.id for s in order] == [
        "stressbestendigheid.1",
        "stressbestendigheid.2",
        "stressbestendigheid.3",
        "stressbestendigheid.4",
    ]
    assert _where(instrument, ["stressbestendigheid"], "stressbestendigheid.3") == (
        3,
        4,
        3,
        4,
        False,
        True,
    )
