"""The brochure's card exercise (chapter 3), on screen.

"Maak twaalf kaartjes met op ieder kaartje een competentie ... kies de drie competenties die het
meest bij je passen: dat zijn je kwaliteiten. En kies drie competenties die verder van je af
staan, maar waarin je je wel wilt ontwikkelen." The bot suggests three of each from the scores;
the person decides.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from domain.scoring import CompetencyResult, Verdict

PER_KIND = 3


@dataclass(frozen=True)
class Cards:
    strong: tuple[str, ...] = ()  # the qualities that suit you most
    grow: tuple[str, ...] = ()  # the ones you want to develop

    @property
    def empty(self) -> bool:
        return not self.strong and not self.grow


def suggest(results: Iterable[CompetencyResult]) -> Cards:
    """Three strengths: the suiting competencies with the most Zeer/Meestal answers; three to
    grow: the ones to develop (then half om half) with the fewest. Ties in brochure order."""
    results = list(results)
    strong = [r for r in results if r.verdict is Verdict.SUITS]
    strong.sort(key=lambda r: -r.suiting)
    grow = [r for r in results if r.verdict in (Verdict.DEVELOP, Verdict.BETWEEN)]
    grow.sort(key=lambda r: (r.verdict is not Verdict.DEVELOP, r.suiting))
    return Cards(
        tuple(r.competency.id for r in strong[:PER_KIND]),
        tuple(r.competency.id for r in grow[:PER_KIND]),
    )
