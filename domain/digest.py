"""What a team's coordinators see: the team's digest, made from the shared profiles only.

Built from the members who said Ja and nobody else: a member who said Nee or stopped sharing is
not in it in any way, not even in a count. Of each member it uses what they agreed to share and
nothing more: the verdict per competency, how many competencies they have filled in, and their
card choices; never a single answer or a learning point.

- **Strengths**: per competency, which members it suits.
- **Phases**: per phase of the work, the members who fit at least one of its tasks, and which of
  its tasks fit somebody. A coordinator asks "who can do this work?", and tasks answer that
  (``domain/task_fit.py`` decides when a task fits). A phase that at most ``FEW`` members cover
  is named with those members.
- **Tasks without a fit**: the tasks no member fits yet; something the team can look for.
- **Duos** (the brochure: "een duo maken met een teamlid dat die competentie al heeft"): a member
  who wants to grow in a competency, with a member it suits. *Wants to grow* is what the member
  chose on their cards to grow in; without cards, the three the bot would lay out for them
  (``domain/cards.py``: the competencies to develop, then half om half). Each wish gets the
  coach with the fewest duos so far, so no one member coaches everybody.
- **A line per member**: verdicts, progress and cards.

The fingerprint says whether anything a coordinator would see has changed since a digest that
was sent: everything above follows from the member lines, so it is their hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from content.model import Instrument
from domain.cards import Cards, suggest
from domain.profile import living_answers
from domain.round import Round
from domain.scoring import CompetencyResult, Verdict, score_competencies
from domain.task_fit import fitting_task_ids

FEW = 3  # a phase covered by this many members or fewer is named with them
FINGERPRINT_VERSION = "team-digest-1"  # change it when the digest shows something new


@dataclass(frozen=True)
class MemberProfile:
    """One sharing member's profile, as far as the team may see it."""

    user_id: int
    first_name: str
    results: tuple[CompetencyResult, ...]  # the living profile, brochure order
    cards: Cards  # their newest card choices


def shared_profile(
    instrument: Instrument, user_id: int, first_name: str, rounds: Iterable[Round]
) -> MemberProfile:
    """A member's living profile (``domain/profile.py``) and the cards they chose last."""
    rounds = sorted(rounds, key=lambda r: r.number)
    with_cards = [r.cards for r in rounds if not r.cards.empty]
    return MemberProfile(
        user_id,
        first_name,
        score_competencies(instrument, living_answers(instrument, rounds)),
        with_cards[-1] if with_cards else Cards(),
    )


@dataclass(frozen=True)
class MemberLine:
    user_id: int
    label: str  # the first name; a second "Sam" in the team is "Sam (2)"
    verdicts: tuple[Verdict, ...]  # per competency, brochure order
    complete: int  # competencies with all their statements answered
    cards: Cards

    @property
    def finished(self) -> bool:
        return self.complete == len(self.verdicts)


@dataclass(frozen=True)
class Strength:
    competency_id: str
    members: tuple[int, ...]  # user ids, in the team's order


@dataclass(frozen=True)
class PhaseCover:
    phase_id: str
    members: tuple[int, ...]  # members who fit at least one task of the phase
    tasks: tuple[str, ...]  # the phase's tasks that fit at least one member

    @property
    def few(self) -> bool:
        return len(self.members) <= FEW


@dataclass(frozen=True)
class Duo:
    competency_id: str
    learner: int  # wants to grow in it
    coach: int  # it suits them


@dataclass(frozen=True)
class Digest:
    members: tuple[MemberLine, ...]  # the sharing members, in the order they joined
    strengths: tuple[Strength, ...]  # one per competency, brochure order
    phases: tuple[PhaseCover, ...]  # one per phase
    tasks_without_fit: tuple[str, ...]  # task ids, chapter 1's order
    duos: tuple[Duo, ...]  # by competency, then learner

    @property
    def joined(self) -> int:
        return len(self.members)

    @property
    def finished(self) -> int:
        return sum(1 for m in self.members if m.finished)

    def label(self, user_id: int) -> str:
        return next(m.label for m in self.members if m.user_id == user_id)

    @property
    def fingerprint(self) -> str:
        lines = [
            [
                m.user_id,
                m.label,
                [v.value for v in m.verdicts],
                m.complete,
                m.cards.strong,
                m.cards.grow,
            ]
            for m in self.members
        ]
        data = json.dumps([FINGERPRINT_VERSION, lines], ensure_ascii=False)
        return hashlib.sha256(data.encode()).hexdigest()


def build_digest(instrument: Instrument, profiles: Sequence[MemberProfile]) -> Digest:
    """The digest of the sharing members ``profiles``, in the order they joined.

    It runs on the bot's event loop for every team, so each member's strengths and fitting
    tasks are found once, and each phase's tasks collected once."""
    suits = {p.user_id: {r.competency.id for r in p.results if r.suits} for p in profiles}
    suited_by = {
        c.id: tuple(p.user_id for p in profiles if c.id in suits[p.user_id])
        for c in instrument.competencies
    }  # per competency, the members it suits, in the team's order
    fits = {uid: fitting_task_ids(instrument, suiting) for uid, suiting in suits.items()}
    fitting_somebody = set().union(*fits.values())
    phases = []
    for phase in instrument.phases:
        task_ids = {t.id for t in phase.tasks}
        phases.append(
            PhaseCover(
                phase.id,
                tuple(p.user_id for p in profiles if not fits[p.user_id].isdisjoint(task_ids)),
                tuple(t.id for t in phase.tasks if t.id in fitting_somebody),
            )
        )
    return Digest(
        members=_lines(profiles),
        strengths=tuple(Strength(cid, members) for cid, members in suited_by.items()),
        phases=tuple(phases),
        tasks_without_fit=tuple(t.id for t in instrument.tasks if t.id not in fitting_somebody),
        duos=_duos(profiles, suited_by),
    )


def wants_to_grow(profile: MemberProfile) -> tuple[str, ...]:
    """The competencies a member wants to grow in: their cards, else the bot's suggestion."""
    return profile.cards.grow or suggest(profile.results).grow


def _duos(
    profiles: Sequence[MemberProfile], suited_by: dict[str, tuple[int, ...]]
) -> tuple[Duo, ...]:
    """``suited_by``: per competency in brochure order, the members it suits in team order."""
    coached = {p.user_id: 0 for p in profiles}
    duos = []
    for learner in profiles:
        wishes = set(wants_to_grow(learner))
        for cid in (c for c in suited_by if c in wishes):
            coaches = [uid for uid in suited_by[cid] if uid != learner.user_id]
            if not coaches:
                continue
            coach = min(coaches, key=coached.__getitem__)  # min keeps the first of equals
            coached[coach] += 1
            duos.append(Duo(cid, learner.user_id, coach))
    position = {cid: i for i, cid in enumerate(suited_by)}
    return tuple(sorted(duos, key=lambda d: position[d.competency_id]))  # stable: learner order


def _lines(profiles: Sequence[MemberProfile]) -> tuple[MemberLine, ...]:
    seen: dict[str, int] = {}
    lines = []
    for p in profiles:
        seen[p.first_name] = count = seen.get(p.first_name, 0) + 1
        label = p.first_name if count == 1 else f"{p.first_name} ({count})"
        lines.append(
            MemberLine(
                p.user_id,
                label,
                tuple(r.verdict for r in p.results),
                sum(1 for r in p.results if r.answered == len(r.competency.statements)),
                p.cards,
            )
        )
    return tuple(lines)
