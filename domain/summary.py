"""Everything the summary shows, computed from one round's answers (no wording here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from content.model import Instrument
from domain.scoring import CompetencyResult, LearningPoint, score_competencies
from domain.task_fit import PhaseCoverage, TaskFit, cover_phases, fit_tasks

# The best few tasks are shown with their reason; further fitting tasks by name only.
MAX_FITTING_TASKS = 5


@dataclass(frozen=True)
class Summary:
    answered: int
    results: tuple[CompetencyResult, ...]
    fitting_tasks: tuple[TaskFit, ...]
    more_fitting_tasks: tuple[TaskFit, ...]
    tasks_within_reach: tuple[TaskFit, ...]
    phases: tuple[PhaseCoverage, ...]

    @property
    def learning_points(self) -> tuple[LearningPoint, ...]:
        return tuple(p for r in self.results for p in r.learning_points)

    @property
    def phases_complete(self) -> bool:
        """Enough is answered to compare the phases: every competency any phase needs."""
        return all(p.complete for p in self.phases)

    @property
    def strongest_phase(self) -> PhaseCoverage | None:
        """The phase best covered, or None when too little is answered to say, or no phase
        stands out above the others."""
        if not self.phases_complete:
            return None
        best = max(self.phases, key=lambda p: p.share)
        return best if best.share > min(p.share for p in self.phases) else None

    @property
    def weakest_phase(self) -> PhaseCoverage | None:
        if not self.phases_complete:
            return None
        worst = min(self.phases, key=lambda p: p.share)
        return worst if worst.share < max(p.share for p in self.phases) else None


def summarise(instrument: Instrument, answers: Mapping[str, int]) -> Summary:
    results = score_competencies(instrument, answers)
    fits = fit_tasks(instrument, results)
    fitting = tuple(f for f in fits if f.fits)
    return Summary(
        answered=sum(r.answered for r in results),
        results=results,
        fitting_tasks=fitting[:MAX_FITTING_TASKS],
        more_fitting_tasks=fitting[MAX_FITTING_TASKS:],
        tasks_within_reach=tuple(f for f in fits if f.within_reach),
        phases=cover_phases(instrument, results),
    )
