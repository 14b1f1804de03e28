"""The brochure's rule for reading a competency (chapter 3), written down once.

"Antwoordt u bij de vier stellingen vooral zeer waar of meestal waar, dan ligt de competentie u
goed. De vragen waar u niet waar of beetje waar aankruist, zijn leerpunten."

We read "vooral" as "most of the four": at least 3 of 4 statements. So:

- 3 or 4 answers Zeer/Meestal waar: the competency suits you ("ligt je goed");
- 3 or 4 answers Beetje/Niet waar: a competency to develop ("om te ontwikkelen");
- a 2-2 split of all four: in between ("ertussenin");
- a partly answered competency gets a verdict as soon as the outcome can no longer change
  (3 suiting answers out of 3 answered already is "ligt je goed"); until then it is "open";
- no answers: "not answered". Such a competency is never counted as suiting.

Every Beetje/Niet waar answer is a learning point, whatever the verdict of its competency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from content.model import Competency, Instrument, Statement


class Verdict(Enum):
    SUITS = "suits"
    BETWEEN = "between"
    DEVELOP = "develop"
    OPEN = "open"
    NOT_ANSWERED = "not_answered"


def verdict(suiting: int, not_suiting: int, statements: int) -> Verdict:
    """Apply the rule to counts of one competency; see the module docstring."""
    if suiting < 0 or not_suiting < 0 or suiting + not_suiting > statements:
        raise ValueError("counts do not fit the number of statements")
    if suiting + not_suiting == 0:
        return Verdict.NOT_ANSWERED
    if 2 * suiting > statements:
        return Verdict.SUITS
    if 2 * not_suiting > statements:
        return Verdict.DEVELOP
    if suiting + not_suiting == statements:
        return Verdict.BETWEEN
    return Verdict.OPEN


@dataclass(frozen=True)
class LearningPoint:
    statement: Statement
    value: int


@dataclass(frozen=True)
class CompetencyResult:
    competency: Competency
    answered: int
    suiting: int
    verdict: Verdict
    learning_points: tuple[LearningPoint, ...]

    @property
    def suits(self) -> bool:
        return self.verdict is Verdict.SUITS


def score_competencies(
    instrument: Instrument, answers: Mapping[str, int]
) -> tuple[CompetencyResult, ...]:
    """One result per competency of the instrument, in brochure order.

    ``answers`` maps statement ids to answer values; ids the instrument does not know are ignored.
    A team's digest scores every member, so each answer is looked at once.
    """
    suits = {a.value: a.suits for a in instrument.answers}  # an unknown value is a KeyError
    results = []
    for competency in instrument.competencies:
        given = [(s, answers[s.id]) for s in competency.statements if s.id in answers]
        learning_points = tuple([LearningPoint(s, value) for s, value in given if not suits[value]])
        suiting = len(given) - len(learning_points)
        results.append(
            CompetencyResult(
                competency=competency,
                answered=len(given),
                suiting=suiting,
                verdict=verdict(suiting, len(learning_points), len(competency.statements)),
                learning_points=learning_points,
            )
        )
    return tuple(results)
