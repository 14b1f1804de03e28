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
    phase: Phase
    suiting: int
    needed: int

    @property
    def share(self) -> float:
        return self.suiting / self.needed if self.needed else 0.0


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


def cover_phases(instrument: Instrument, fits: Iterable[TaskFit]) -> tuple[PhaseCoverage, ...]:
    """Per phase of the cycle: of all competencies its tasks need (counted per task), how many
    suit you. This is the brochure's Voorbeeld 2: strong for the signalling tasks, less for the
    tasks of the execution phase."""
    by_task = {f.task.id: f for f in fits}
    return tuple(
        PhaseCoverage(
            phase=phase,
            suiting=sum(len(by_task[t.id].suiting) for t in phase.tasks),
            needed=sum(by_task[t.id].needed for t in phase.tasks),
        )
        for phase in instrument.phases
    )
