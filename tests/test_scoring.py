"""The brochure's rule for a competency, including a 2-2 split and partly answered ones."""

from __future__ import annotations

import pytest

from domain.scoring import Verdict, score_competencies, verdict

ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4


@pytest.mark.parametrize(
    ("suiting", "not_suiting", "expected"),
    [
        (4, 0, Verdict.SUITS),
        (3, 1, Verdict.SUITS),
        (2, 2, Verdict.BETWEEN),
        (1, 3, Verdict.DEVELOP),
        (0, 4, Verdict.DEVELOP),
        # partly answered: decided once the rest cannot change the outcome
        (3, 0, Verdict.SUITS),
        (0, 3, Verdict.DEVELOP),
        (2, 1, Verdict.OPEN),
        (1, 2, Verdict.OPEN),
        (2, 0, Verdict.OPEN),
        (1, 0, Verdict.OPEN),
        (0, 1, Verdict.OPEN),
        (0, 0, Verdict.NOT_ANSWERED),
    ],
)
def test_verdict(suiting, not_suiting, expected):
    assert verdict(suiting, not_suiting, 4) is expected


def test_counts_must_fit():
    with pytest.raises(ValueError):
        verdict(3, 2, 4)


def _answers(competency, *values):
    return {s.id: v for s, v in zip(competency.statements, values, strict=False)}


def test_zeer_and_meestal_both_count_as_suiting(instrument):
    lef = instrument.competency("lef")
    (result,) = [
        r
        for r in score_competencies(instrument, _answers(lef, ZEER, MEESTAL, MEESTAL, NIET))
        if r.competency.id == "lef"
    ]
    assert result.verdict is Verdict.SUITS
    assert result.suiting == 3 and result.answered == 4


def test_every_beetje_or_niet_answer_is_a_learning_point(instrument):
    lef = instrument.competency("lef")
    results = score_competencies(instrument, _answers(lef, ZEER, BEETJE, MEESTAL, NIET))
    (result,) = [r for r in results if r.competency.id == "lef"]
    assert result.verdict is Verdict.BETWEEN
    assert [(p.statement.id, p.value) for p in result.learning_points] == [
        ("lef.2", BEETJE),
        ("lef.4", NIET),
    ]


def test_a_suiting_competency_can_still_have_a_learning_point(instrument):
    lef = instrument.competency("lef")
    (result,) = [
        r
        for r in score_competencies(instrument, _answers(lef, ZEER, ZEER, ZEER, BEETJE))
        if r.competency.id == "lef"
    ]
    assert result.suits
    assert len(result.learning_points) == 1


def test_unanswered_competencies_are_not_answered_and_never_suit(instrument):
    results = score_competencies(instrument, {})
    assert all(r.verdict is Verdict.NOT_ANSWERED and not r.suits for r in results)
    assert [r.competency.id for r in results] == [c.id for c in instrument.competencies]


def test_unknown_statement_ids_are_ignored(instrument):
    results = score_competencies(instrument, {"gone.1": ZEER})
    assert sum(r.answered for r in results) == 0
