"""A colleague's reaction to a person's profile: the request's life, and the person beside it.

The brochure: "Een tip is dat u na het invullen ook om een reactie vraagt van vrienden of
vertrouwde collega's", and its team exercise: "Alle teamleden kiezen twee competenties die ze
vinden passen bij de kwaliteiten van het teamlid dat centraal staat ... Een mogelijke
vervolgstap is dat ieder teamlid een competentie kiest waarin hij zich zou willen ontwikkelen."
So a colleague answers: do you recognise this picture, which 2 competencies suit the person
best, optionally 1 they could grow in, and optionally a short remark (why).

A request's life::

    open --first colleague who opens the link--> claimed --send--> answered
    claimed, step by step: intro -> recognise -> picks -> grow -> remark -> review
    open or claimed --the colleague says no--> declined
    open or claimed --the person withdraws it--> withdrawn
    open or claimed, VALID_FOR after it was made (also halfway): expired (worked out, not stored)

The link's code is the service's and its hash storage's: the domain never sees either.

Every transition is pure: it returns a new request, or a :class:`Refusal` that means nothing
changed. Invariants (:func:`check_invariants`, tested with random sequences of actions):

- an open request has no colleague and nothing given; a declined or withdrawn one has neither
  any more (what a colleague gave halfway is not kept when they say no, or the link is taken
  back);
- a claimed request has a colleague and a step, and gives only what the steps before it asked:
  a recognition from picks on, exactly 2 picks from grow on, a remark only from review on;
- picks are at most 2 distinct competencies; the one to grow is not one of them; a remark is
  1 to REMARK_LIMIT characters;
- an answered request has a colleague, a recognition, 2 picks and the time it was sent, and no
  step or live message any more;
- a refused action changes nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.cards import Cards
from domain.scoring import CompetencyResult, Verdict

VALID_FOR = timedelta(days=30)
MAX_OPEN = 5  # open requests per person at once
PICKS = 2  # the brochure's team exercise: two competencies that suit the person
REMARK_LIMIT = 1000  # characters


class Status(enum.StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    ANSWERED = "answered"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Step(enum.StrEnum):
    """The colleague's steps, in order."""

    INTRO = "intro"  # who asks, what will be asked, Ja / Nee
    RECOGNISE = "recognise"  # "Herken je dit beeld?"
    PICKS = "picks"  # the 2 competencies that suit the person best
    GROW = "grow"  # optionally 1 they could grow in
    REMARK = "remark"  # optionally a short remark, typed
    REVIEW = "review"  # what will be sent; send or not


STEPS = tuple(Step)


class Recognition(enum.StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


class Refusal(enum.Enum):
    """Why an action was not applied. Nothing changed."""

    DEAD = "dead"  # forged, expired, withdrawn, declined, or another colleague's: one answer
    OWN_LINK = "own_link"  # the person opened their own link
    ALREADY_SENT = "already_sent"  # the colleague opened the link of a reaction they sent
    DUPLICATE = "duplicate"  # the same tap again: the first did the work
    STALE = "stale"  # a button of a message that is not the live one, or not this person's
    FULL = "full"  # a third pick
    TOO_FEW = "too_few"  # "next" with fewer than 2 picks
    TOO_LONG = "too_long"  # a remark over REMARK_LIMIT characters
    NOT_WAITING = "not_waiting"  # typed text while no remark is asked
    TOO_MANY = "too_many"  # a request over MAX_OPEN open ones
    NOTHING_TO_SHOW = "nothing_to_show"  # a request before anything is answered


@dataclass(frozen=True)
class Given:
    """What the colleague gives, as far as they got."""

    recognition: Recognition | None = None
    picks: tuple[str, ...] = ()  # competency ids, in brochure order
    grow: str | None = None
    remark: str | None = None


# -- the colleague's taps ---------------------------------------------------------------------


@dataclass(frozen=True)
class Accept:
    step = Step.INTRO


@dataclass(frozen=True)
class Recognise:
    recognition: Recognition
    step = Step.RECOGNISE


@dataclass(frozen=True)
class Pick:
    competency_id: str
    on: bool
    step = Step.PICKS


@dataclass(frozen=True)
class Grow:
    competency_id: str
    on: bool
    step = Step.GROW


@dataclass(frozen=True)
class Next:
    """Done with a step that has no answer of its own to tap: picks, grow, or no remark."""

    step: Step


@dataclass(frozen=True)
class Send:
    step = Step.REVIEW


Action = Accept | Recognise | Pick | Grow | Next | Send


@dataclass(frozen=True)
class ReactionRequest:
    request_id: int | None  # None until stored
    asker_id: int
    created_at: str  # ISO 8601, UTC, as services/clock.py writes it
    expires_at: str
    shares_answers: bool  # the colleague also sees the single answers and learning points
    status: Status = Status.OPEN
    colleague_id: int | None = None
    step: Step | None = None
    given: Given = field(default_factory=Given)
    message_id: int | None = None  # the colleague's message with the live buttons
    answered_at: str | None = None
    colleague_name: str | None = None  # read with it (the colleague's first name), not stored

    # -- reading ---------------------------------------------------------------------------

    def is_live(self, now: str) -> bool:
        """Open or being answered, and not expired: a link that still works."""
        return self.status in (Status.OPEN, Status.CLAIMED) and _at(now) < _at(self.expires_at)

    # -- the colleague ---------------------------------------------------------------------

    def open_by(self, colleague_id: int, now: str) -> ReactionRequest | Refusal:
        """The link is opened. The first colleague claims it; the same colleague opening it
        again goes on where they were."""
        if self.status is Status.ANSWERED and colleague_id == self.colleague_id:
            return Refusal.ALREADY_SENT
        if not self.is_live(now):
            return Refusal.DEAD
        if colleague_id == self.asker_id:
            return Refusal.OWN_LINK
        if self.status is Status.CLAIMED:
            return self if colleague_id == self.colleague_id else Refusal.DEAD
        return replace(self, status=Status.CLAIMED, colleague_id=colleague_id, step=Step.INTRO)

    def act(
        self,
        competencies: Sequence[str],
        colleague_id: int,
        action: Action,
        message_id: int,
        now: str,
    ) -> ReactionRequest | Refusal:
        """A tap of the colleague on their live message. Every tap names its step: a tap of a
        step already done is a double tap."""
        checked = self._check_tap(colleague_id, message_id, now)
        if checked is not None:
            return checked
        if action.step is not self.step:
            return Refusal.DUPLICATE if _before(action.step, self.step) else Refusal.STALE
        given = self.given
        if isinstance(action, Accept):
            return replace(self, step=Step.RECOGNISE)
        if isinstance(action, Recognise):
            return replace(
                self, step=Step.PICKS, given=replace(given, recognition=action.recognition)
            )
        if isinstance(action, Pick):
            if action.competency_id not in competencies:
                return Refusal.STALE
            if (action.competency_id in given.picks) == action.on:
                return Refusal.DUPLICATE
            if action.on and len(given.picks) >= PICKS:
                return Refusal.FULL
            others = set(given.picks) - {action.competency_id}
            picks = others | {action.competency_id} if action.on else others
            ordered = tuple(c for c in competencies if c in picks)
            return replace(self, given=replace(given, picks=ordered))
        if isinstance(action, Grow):
            if action.competency_id not in competencies or action.competency_id in given.picks:
                return Refusal.STALE
            if (given.grow == action.competency_id) == action.on:
                return Refusal.DUPLICATE
            return replace(
                self, given=replace(given, grow=action.competency_id if action.on else None)
            )
        if isinstance(action, Next):
            if self.step is Step.PICKS and len(given.picks) < PICKS:
                return Refusal.TOO_FEW
            if self.step not in (Step.PICKS, Step.GROW, Step.REMARK):
                return Refusal.STALE
            return replace(self, step=STEPS[STEPS.index(self.step) + 1])
        return replace(
            self,
            status=Status.ANSWERED,
            step=None,
            message_id=None,
            answered_at=now,
        )

    def decline(self, colleague_id: int, message_id: int, now: str) -> ReactionRequest | Refusal:
        """The colleague says no, at the start or before sending: nothing they gave is kept,
        and the link is used up."""
        checked = self._check_tap(colleague_id, message_id, now)
        if checked is not None:
            return checked
        return self._ended(Status.DECLINED)

    def write_remark(self, colleague_id: int, text: str, now: str) -> ReactionRequest | Refusal:
        """Typed text while the remark is asked, or while reviewing (a new remark replaces
        the old one)."""
        if (
            self.colleague_id != colleague_id
            or not self.is_live(now)
            or self.step not in (Step.REMARK, Step.REVIEW)
        ):
            return Refusal.NOT_WAITING
        remark = text.strip()
        if not remark:
            return Refusal.NOT_WAITING
        if len(remark) > REMARK_LIMIT:
            return Refusal.TOO_LONG
        return replace(self, step=Step.REVIEW, given=replace(self.given, remark=remark))

    def shown(self, colleague_id: int, message_id: int) -> ReactionRequest | Refusal:
        """The colleague's step was sent as ``message_id``: its buttons are the live ones now."""
        if self.status is not Status.CLAIMED or self.colleague_id != colleague_id:
            return Refusal.STALE
        return replace(self, message_id=message_id)

    def _check_tap(self, colleague_id: int, message_id: int, now: str) -> Refusal | None:
        if self.colleague_id != colleague_id:
            return Refusal.STALE  # another person's request, or forged
        if self.status is Status.ANSWERED:
            return Refusal.DUPLICATE  # "Versturen" tapped twice: the first one sent it
        if not self.is_live(now):
            return Refusal.DEAD
        if message_id != self.message_id:
            return Refusal.STALE
        return None

    # -- the person who asked --------------------------------------------------------------

    def withdraw(self, asker_id: int, now: str) -> ReactionRequest | Refusal:
        """Take the link back: it no longer works, and what a colleague gave halfway goes."""
        if asker_id != self.asker_id:
            return Refusal.STALE
        if self.status is Status.WITHDRAWN:
            return Refusal.DUPLICATE
        if not self.is_live(now):
            return Refusal.STALE
        return self._ended(Status.WITHDRAWN)

    def may_forget(self, asker_id: int) -> Refusal | None:
        """A reaction received can be deleted by the person it was for."""
        if asker_id != self.asker_id or self.status is not Status.ANSWERED:
            return Refusal.STALE
        return None

    def _ended(self, status: Status) -> ReactionRequest:
        return replace(
            self,
            status=status,
            colleague_id=None,
            colleague_name=None,
            step=None,
            given=Given(),
            message_id=None,
        )


def ask(
    asker_id: int,
    requests: Iterable[ReactionRequest],
    now: str,
    *,
    shares_answers: bool,
    has_answers: bool,
) -> ReactionRequest | Refusal:
    """A new request, unstored: allowed once something is answered (there is a profile to
    show), and while fewer than MAX_OPEN of the person's links work."""
    if not has_answers:
        return Refusal.NOTHING_TO_SHOW
    if sum(1 for r in requests if r.asker_id == asker_id and r.is_live(now)) >= MAX_OPEN:
        return Refusal.TOO_MANY
    expires = (_at(now) + VALID_FOR).isoformat(timespec="seconds")
    return ReactionRequest(None, asker_id, now, expires, shares_answers)


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


def _before(step: Step, other: Step) -> bool:
    return STEPS.index(step) < STEPS.index(other)


# -- the person beside the colleague ----------------------------------------------------------


@dataclass(frozen=True)
class Beside:
    """A reaction received, beside the person's own view of themself.

    The person's own qualities are the competencies that suit them by their answers, and the
    strengths they chose in the card exercise; where they would grow, the ones to develop or
    half om half, and the cards they chose to grow in."""

    request: ReactionRequest
    agree: tuple[str, ...]  # picks the person sees as a quality too
    new: tuple[str, ...]  # picks the person did not see as a quality: what the colleague adds
    grow_agrees: bool  # the person also sees room to grow where the colleague does


def beside(request: ReactionRequest, results: Sequence[CompetencyResult], cards: Cards) -> Beside:
    verdicts = {r.competency.id: r.verdict for r in results}
    own = {c for c, v in verdicts.items() if v is Verdict.SUITS} | set(cards.strong)
    grows = {c for c, v in verdicts.items() if v in (Verdict.DEVELOP, Verdict.BETWEEN)}
    picks = request.given.picks
    grow = request.given.grow
    return Beside(
        request,
        tuple(c for c in picks if c in own),
        tuple(c for c in picks if c not in own),
        grow is not None and (grow in grows or grow in cards.grow),
    )


def check_invariants(request: ReactionRequest, competencies: Sequence[str]) -> None:
    """Raise AssertionError when a request breaks a rule of the module docstring."""
    given, status = request.given, request.status
    assert len(set(given.picks)) == len(given.picks) <= PICKS
    assert set(given.picks) <= set(competencies)
    assert given.grow is None or (given.grow in competencies and given.grow not in given.picks)
    assert given.remark is None or 0 < len(given.remark) <= REMARK_LIMIT
    assert request.created_at < request.expires_at
    if status in (Status.OPEN, Status.DECLINED, Status.WITHDRAWN):
        assert request.colleague_id is None and given == Given()
        assert request.step is None and request.message_id is None
        assert request.answered_at is None
    if status is Status.CLAIMED:
        assert request.colleague_id is not None and request.step is not None
        assert request.answered_at is None
        index = STEPS.index(request.step)
        assert (given.recognition is not None) == (index > STEPS.index(Step.RECOGNISE))
        if index > STEPS.index(Step.PICKS):
            assert len(given.picks) == PICKS
        else:
            assert given.grow is None
        if index < STEPS.index(Step.PICKS):
            assert not given.picks
        assert given.remark is None or request.step is Step.REVIEW
    if status is Status.ANSWERED:
        assert request.colleague_id is not None and request.answered_at is not None
        assert given.recognition is not None and len(given.picks) == PICKS
        assert request.step is None and request.message_id is None
