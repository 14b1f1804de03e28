"""Which of the thirteen tasks fit a person, from Bijlage 1 and the competency verdicts.

A task fits when most of the competencies Bijlage 1 lists for it suit you (more than half, the
same "vooral" as the scoring rule): 2 of 3, 3 of 4, 3 of 5. A task comes within reach when one
more suiting competency would make it fit.
"""

from __future__ import annotations

from collections.abc import Iterable
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
        return 2 * len(self.suiting) > self.needed

    @property
    def within_reach(self) -> bool:
        return not self.fits and 2 * (len(self.suiting) + 1) > self.needed


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
    that needs more competencies first (3 of 3 says more than 1 of 1), then in brochure order."""
    by_id = {r.competency.id: r for r in results}
    fits = []
    for task in instrument.tasks:
        needed = task.competency_ids
        fits.append(
            TaskFit(
                task=task,
                suiting=tuple(c for c in needed if by_id[c].suits),
                missing=tuple(c for c in needed if not by_id[c].suits),
                undecided=tuple(
                    c for c in needed if by_id[c].verdict in (Verdict.NOT_ANSWERED, Verdict.OPEN)
                ),
            )
        )
    order = {t.id: i for i, t in enumerate(instrument.tasks)}
    return tuple(sorted(fits, key=lambda f: (-f.share, -f.needed, order[f.task.id])))


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
