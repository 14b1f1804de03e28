"""The brochure's rule for a competency, including a 2-2 split and partly answered ones."""

from __future__ import annotations

import pytest

from domain.scoring import Verdict, score_competencies, verdict

ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4


@pytest.mark.parametrize(
    ("suiting", "not_suiting", "expected"),
    [
        # all four answered
        (4, 0, Verdict.SUITS),
        (3, 1, Verdict.SUITS),
        (2, 2, Verdict.BETWEEN),
        (1, 3, Verdict.DEVELOP),
        (0, 4, Verdict.DEVELOP),
        # three answered: decided once the fourth cannot change the outcome
        (3, 0, Verdict.SUITS),
        (2, 1, Verdict.OPEN),
        (1, 2, Verdict.OPEN),
        (0, 3, Verdict.DEVELOP),
        # two answered
        (2, 0, Verdict.OPEN),
        (1, 1, Verdict.OPEN),
        (0, 2, Verdict.OPEN),
        # one answered
        (1, 0, Verdict.OPEN),
        (0, 1, Verdict.OPEN),
        # none answered
        (0, 0, Verdict.NOT_ANSWERED),
    ],
)
def test_verdict(suiting, not_suiting, expected):
    """Every split of the four statements of a competency, fully and partly answered."""
    assert verdict(suiting, not_suiting, 4) is expected


@pytest.mark.parametrize(
    ("suiting", "not_suiting"),
    [
        # negative counts, also where the sum would fit
        (-1, 0),
        (0, -1),
        (-1, -1),
        (-1, 4),
        (-1, 5),
        (4, -1),
        (5, -1),
        # more answers than statements
        (5, 0),
        (0, 5),
        (3, 2),
        (2, 3),
        (4, 1),
        (1, 4),
        (4, 4),
    ],
)
def test_counts_must_fit(suiting, not_suiting):
    with pytest.raises(ValueError):
        verdict(suiting, not_suiting, 4)


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


def test_learning_points_are_exactly_the_beetje_and_niet_answers(instrument):
    """Five competencies answered in different ways; every Beetje/Niet waar answer, and nothing
    else, is a learning point, in brochure order with the value given."""
    answers = {
        "signaleren.1": BEETJE,  # only one statement of Signaleren answered
        **_answers(instrument.competency("lef"), MEESTAL, BEETJE, ZEER, NIET),
        **_answers(instrument.competency("netwerken"), NIET, BEETJE, NIET, BEETJE),
        **_answers(instrument.competency("samenwerken"), ZEER, ZEER, ZEER, BEETJE),
        **_answers(instrument.competency("politiek"), ZEER, MEESTAL, ZEER, MEESTAL),
    }
    results = score_competencies(instrument, answers)
    assert [(p.statement.id, p.value) for r in results for p in r.learning_points] == [
        ("signaleren.1", BEETJE),
        ("lef.2", BEETJE),
        ("lef.4", NIET),
        ("netwerken.1", NIET),
        ("netwerken.2", BEETJE),
        ("netwerken.3", NIET),
        ("netwerken.4", BEETJE),
        ("samenwerken.4", BEETJE),
    ]
    answered = {r.competency.id: (r.answered, r.suiting, r.verdict) for r in results if r.answered}
    assert answered == {
        "signaleren": (1, 0, Verdict.OPEN),
        "lef": (4, 2, Verdict.BETWEEN),
        "netwerken": (4, 0, Verdict.DEVELOP),
        "samenwerken": (4, 3, Verdict.SUITS),
        "politiek": (4, 4, Verdict.SUITS),
    }


def test_zeer_and_meestal_answers_are_never_learning_points(instrument):
    answers = {s.id: ZEER if i % 2 else MEESTAL for i, s in enumerate(instrument.statements)}
    results = score_competencies(instrument, answers)
    assert all(r.learning_points == () and r.verdict is Verdict.SUITS for r in results)
