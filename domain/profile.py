"""A person's living profile: for each competency the newest answers, across rounds.

A round asks only what the person chooses; the rest of the profile stays as it was. For each
competency the profile takes the newest round in which all its statements are answered (a
competency being answered again right now keeps its earlier, complete answers until the new
ones are complete too); a competency never completed shows its newest partial answers. Rounds
themselves stay snapshots, so a round can be compared with the profile before it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from content.model import Competency, Instrument
from domain.round import Round
from domain.scoring import CompetencyResult, Verdict, score_competencies


@dataclass(frozen=True)
class Entry:
    """Where a competency's answers in the profile come from."""

    competency_id: str
    round_number: int
    filled_in_at: str  # the time of its newest answer
    complete: bool


@dataclass(frozen=True)
class Profile:
    answers: Mapping[str, int]  # statement id -> value
    entries: Mapping[str, Entry]  # competency id -> where its answers come from


def living_profile(instrument: Instrument, rounds: Iterable[Round]) -> Profile:
    """The newest answers per competency over ``rounds`` (any order)."""
    answers: dict[str, int] = {}
    entries: dict[str, Entry] = {}
    for competency, chosen, given in _newest(instrument, rounds):
        given_answers = [chosen.answers[sid] for sid in given]
        answers.update(zip(given, [a.value for a in given_answers], strict=True))
        entries[competency.id] = Entry(
            competency.id,
            chosen.number,
            max([a.answered_at for a in given_answers]),
            len(given) == len(competency.statements),
        )
    return Profile(answers, entries)


def living_answers(instrument: Instrument, rounds: Iterable[Round]) -> dict[str, int]:
    """The living profile's answers alone: a team's digest takes them of every member, and
    where they come from is most of the cost of ``living_profile``."""
    return {
        sid: chosen.answers[sid].value
        for _, chosen, given in _newest(instrument, rounds)
        for sid in given
    }


def _newest(
    instrument: Instrument, rounds: Iterable[Round]
) -> Iterator[tuple[Competency, Round, list[str]]]:
    """Per competency with answers: the round the profile takes them from, and the ids of the
    statements that round answered (all of them, unless no round completed the competency)."""
    newest_first = sorted(rounds, key=lambda r: r.number)[::-1]
    for competency in instrument.competencies:
        ids = [s.id for s in competency.statements]
        chosen: tuple[Round, list[str]] | None = None
        for round_ in newest_first:
            given = [sid for sid in ids if sid in round_.answers]
            if len(given) == len(ids):
                chosen = round_, given
                break
            if given and chosen is None:
                chosen = round_, given  # partial; a complete one further back still wins
        if chosen is not None:
            yield competency, *chosen


@dataclass(frozen=True)
class Change:
    """One competency answered completely both before and in the newest round."""

    competency_id: str
    verdict_then: Verdict
    verdict_now: Verdict
    suiting_then: int  # statements answered Zeer or Meestal waar
    suiting_now: int

    @property
    def changed(self) -> bool:
        """Answered completely both times, a competency's verdict follows from its suiting
        count, so the count alone says whether anything changed."""
        return self.suiting_then != self.suiting_now


def changes(
    instrument: Instrument, before: Mapping[str, int], now: Mapping[str, int]
) -> tuple[Change, ...]:
    """Per competency answered completely in both, the verdict and suiting count then and now,
    in brochure order. Competencies answered in only one of them are not compared."""
    then_results = {r.competency.id: r for r in score_competencies(instrument, before)}
    result = []
    for now_result in score_competencies(instrument, now):
        then_result = then_results[now_result.competency.id]
        if _complete(now_result) and _complete(then_result):
            result.append(
                Change(
                    now_result.competency.id,
                    then_result.verdict,
                    now_result.verdict,
                    then_result.suiting,
                    now_result.suiting,
                )
            )
    return tuple(result)


def _complete(result: CompetencyResult) -> bool:
    return result.answered == len(result.competency.statements)


def before_round(instrument: Instrument, rounds: Sequence[Round], number: int) -> Profile:
    """The profile as it was before round ``number``: what that round is compared with."""
    return living_profile(instrument, [r for r in rounds if r.number < number])
