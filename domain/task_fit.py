"""Which of the thirteen tasks fit a person, from Bijlage 1 and the competency verdicts.

A task fits when most of the competencies Bijlage 1 lists for it suit you (more than half, the
same "vooral" as the scoring rule): 2 of 3, 3 of 4, 3 of 5. A task comes within reach when one
more suiting competency would make it fit.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass

from content.model import Instrument, Phase, Task
from domain.scoring import CompetencyResult, Verdict


@dataclass(frozen=True)
class TaskFit:
    task: Task
    suiting: tuple[str, ...]
    missing: tuple[str, ...]
    undecided: tuple[str, ...]  # missing ones whose statements are not (all) answered yet

    @property
    def needed(self) -> int:
        return len(self.task.competency_ids)

    @property
    def share(self) -> float:
        return len(self.suiting) / self.needed

    @property
    def fits(self) -> bool:
        return most_suit(len(self.suiting), self.needed)

    @property
    def within_reach(self) -> bool:
        return not self.fits and most_suit(len(self.suiting) + 1, self.needed)


def most_suit(suiting: int, needed: int) -> bool:
    """The rule: a task fits when more than half of the competencies it needs suit you."""
    return 2 * suiting > needed


@dataclass(frozen=True)
class PhaseCoverage:
    """A phase (a step of the work) and the competencies its tasks need, each counted once, so
    the figures add up for a person: at most 12."""

    phase: Phase
    needed: tuple[str, ...]  # brochure order
    answered: tuple[str, ...]  # of those, the ones with a verdict (all statements answered)
    suiting: tuple[str, ...]

    @property
    def share(self) -> float:
        """Suiting of the answered ones: unanswered competencies say nothing yet."""
        return len(self.suiting) / len(self.answered) if self.answered else 0.0

    @property
    def complete(self) -> bool:
        return len(self.answered) == len(self.needed)


def fit_tasks(instrument: Instrument, results: Iterable[CompetencyResult]) -> tuple[TaskFit, ...]:
    """All tasks, best fit first: by the share of suiting competencies; on equal shares the task
    that needs more competencies first (3 of 3 says more than 1 of 1), then in brochure order.

    A team's digest asks this of every member, so each verdict is looked up once per task."""
    verdicts = {r.competency.id: r.verdict for r in results}
    fits = []
    for task in instrument.tasks:
        needed = task.competency_ids
        suiting = tuple([c for c in needed if verdicts[c] is Verdict.SUITS])
        fits.append(
            TaskFit(
                task=task,
                suiting=suiting,
                missing=tuple([c for c in needed if verdicts[c] is not Verdict.SUITS]),
                undecided=tuple([c for c in needed if verdicts[c] in UNDECIDED]),
            )
        )
    # sorted() is stable and the tasks come in brochure order, which settles equal keys.
    return tuple(sorted(fits, key=lambda f: (-f.share, -f.needed)))


def fitting_task_ids(instrument: Instrument, suiting: Container[str]) -> set[str]:
    """The tasks that fit somebody whom the competencies ``suiting`` (ids) suit: what a team's
    digest asks of every member, without fit_tasks' detail and order, which cost it most."""
    return {
        task.id
        for task in instrument.tasks
        if most_suit(
            len([c for c in task.competency_ids if c in suiting]), len(task.competency_ids)
        )
    }


UNDECIDED = (Verdict.NOT_ANSWERED, Verdict.OPEN)
DECIDED = (Verdict.SUITS, Verdict.BETWEEN, Verdict.DEVELOP)


def cover_phases(
    instrument: Instrument, results: Iterable[CompetencyResult]
) -> tuple[PhaseCoverage, ...]:
    """Per phase of the cycle: the distinct competencies its tasks need, which of them are
    answered, and which suit you. This is the brochure's Voorbeeld 2: strong for the
    signalling tasks, less for the tasks of the execution phase."""
    by_id = {r.competency.id: r for r in results}
    order = [c.id for c in instrument.competencies]
    coverage = []
    for phase in instrument.phases:
        wanted = {c for t in phase.tasks for c in t.competency_ids}
        needed = tuple(c for c in order if c in wanted)
        answered = tuple(c for c in needed if by_id[c].verdict in DECIDED)
        suiting = tuple(c for c in answered if by_id[c].suits)
        coverage.append(PhaseCoverage(phase, needed, answered, suiting))
    return tuple(coverage)
