"""Asking a trusted colleague for a reaction, and the colleague's side of it. One transaction
per use case; the request decides (domain/reaction.py), storage keeps it, and the link's code
is made here, shown once to the person who asked, and stored only as its hash."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from content.model import Instrument
from domain.person import Person
from domain.reaction import (
    MAX_OPEN,
    Action,
    Beside,
    ReactionRequest,
    Refusal,
    Status,
    Step,
    ask,
    beside,
)
from services.clock import Clock
from services.codes import code_hash, new_code
from services.profiles import Overview, profile_overview
from services.rounds import Visitor
from storage import Database, Transaction


@dataclass(frozen=True)
class NewLink:
    code: str  # for the link; never stored
    request: ReactionRequest


@dataclass(frozen=True)
class Requests:
    """What /reactie lists."""

    open: tuple[ReactionRequest, ...]  # links that still work, oldest first
    received: tuple[ReactionRequest, ...]  # reactions received, newest first
    has_answers: bool  # there is a profile to show

    @property
    def can_ask(self) -> bool:
        return self.has_answers and len(self.open) < MAX_OPEN


@dataclass(frozen=True)
class ColleagueView:
    """Where the colleague is. ``overview`` is the asker's profile as the colleague sees it
    (no earlier round, nobody else's reaction), where a step shows it; ``stale_message_id``
    is the colleague's earlier message whose buttons must go."""

    request: ReactionRequest
    asker_name: str
    overview: Overview | None = None
    stale_message_id: int | None = None


@dataclass(frozen=True)
class Sent:
    request: ReactionRequest  # answered
    asker: Person
    beside: Beside
    round_id: int  # the asker's summarised round, for the button to their overview
    colleague_has_rounds: bool


@dataclass(frozen=True)
class Declined:
    asker: Person


class Reactions:
    def __init__(self, database: Database, instrument: Instrument, clock: Clock) -> None:
        self._db = database
        self._instrument = instrument
        self._clock = clock

    @property
    def _competencies(self) -> tuple[str, ...]:
        return tuple(c.id for c in self._instrument.competencies)

    # -- the person who asks ---------------------------------------------------------------

    async def requests(self, user_id: int) -> Requests:
        async with self._db.transaction() as tx:
            return await self._requests(tx, user_id)

    async def _requests(self, tx: Transaction, user_id: int) -> Requests:
        now = self._clock.text()
        asked = await tx.reactions.asked_by(user_id)
        answered = [r for r in asked if r.status is Status.ANSWERED]
        answered.sort(key=lambda r: (r.answered_at, r.request_id), reverse=True)
        return Requests(
            tuple(r for r in asked if r.is_live(now)),
            tuple(answered),
            await tx.rounds.latest_with_answers(user_id) is not None,
        )

    async def ask(self, user_id: int, *, shares_answers: bool) -> NewLink | Refusal:
        """A new personal link, when the person has something to show and fewer than
        MAX_OPEN links open."""
        async with self._db.transaction() as tx:
            request = ask(
                user_id,
                await tx.reactions.asked_by(user_id),
                self._clock.text(),
                shares_answers=shares_answers,
                has_answers=await tx.rounds.latest_with_answers(user_id) is not None,
            )
            if isinstance(request, Refusal):
                return request
            code = new_code()
            return NewLink(code, await tx.reactions.create(request, code_hash(code)))

    async def withdraw(self, user_id: int, request_id: int) -> Requests | Refusal:
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if request is None:
                return Refusal.STALE
            withdrawn = request.withdraw(user_id, self._clock.text())
            if isinstance(withdrawn, Refusal):
                return withdrawn
            await tx.reactions.save(withdrawn)
            return await self._requests(tx, user_id)

    async def received(self, user_id: int, request_id: int) -> ReactionRequest | Refusal:
        """A reaction the person received: to ask before deleting it."""
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
        if request is None:
            return Refusal.STALE
        return request.may_forget(user_id) or request

    async def forget(self, user_id: int, request_id: int) -> Requests | Refusal:
        """Delete a reaction the person received."""
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if request is None:
                return Refusal.DUPLICATE  # gone: the first tap deleted it
            refused = request.may_forget(user_id)
            if refused is not None:
                return refused
            await tx.reactions.delete(request_id)
            return await self._requests(tx, user_id)

    # -- the colleague ---------------------------------------------------------------------

    async def open_link(self, visitor: Visitor, code: str) -> ColleagueView | Refusal:
        """The colleague opens the link: the first one claims it (and becomes known to the
        bot, also without ever having used it), the same one goes on where they were."""
        now = self._clock.text()
        async with self._db.transaction() as tx:
            request = await tx.reactions.by_code(code_hash(code))
            if request is None:
                return Refusal.DEAD
            opened = request.open_by(visitor.user_id, now)
            if isinstance(opened, Refusal):
                return opened
            person = await tx.people.get(visitor.user_id)
            await tx.people.save(
                Person(
                    visitor.user_id,
                    visitor.first_name,
                    visitor.language if person is None else person.language,
                    now if person is None else person.created_at,
                    now,
                )
            )
            if opened is not request:
                await tx.reactions.save(opened)
            view = await self._view(tx, opened, with_overview=opened.step is not Step.INTRO)
            return replace(view, stale_message_id=request.message_id)

    async def act(
        self, user_id: int, request_id: int, action: Action, message_id: int
    ) -> ColleagueView | Sent | Refusal:
        """A tap of the colleague on their live message."""
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if request is None:
                return Refusal.STALE
            acted = request.act(self._competencies, user_id, action, message_id, self._clock.text())
            if isinstance(acted, Refusal):
                return acted
            await tx.reactions.save(acted)
            if acted.status is Status.ANSWERED:
                return await self._sent(tx, acted)
            return await self._view(tx, acted, with_overview=request.step is Step.INTRO)

    async def decline(self, user_id: int, request_id: int, message_id: int) -> Declined | Refusal:
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if request is None:
                return Refusal.STALE
            declined = request.decline(user_id, message_id, self._clock.text())
            if isinstance(declined, Refusal):
                return declined
            await tx.reactions.save(declined)
            return Declined(await tx.people.get(request.asker_id))

    async def remark(self, user_id: int, text: str) -> ColleagueView | Refusal:
        """Typed text: the remark, when the person is asked for one as a colleague (of the
        newest such message, if they answer more than one request at once)."""
        now = self._clock.text()
        async with self._db.transaction() as tx:
            waiting = [
                r
                for r in await tx.reactions.given_by(user_id)
                if r.is_live(now) and r.step in (Step.REMARK, Step.REVIEW)
            ]
            if not waiting:
                return Refusal.NOT_WAITING
            request = max(waiting, key=lambda r: r.message_id or 0)
            written = request.write_remark(user_id, text, now)
            if isinstance(written, Refusal):
                return written
            await tx.reactions.save(written)
            view = await self._view(tx, written)
            return replace(view, stale_message_id=request.message_id)

    async def shown(self, user_id: int, request_id: int, message_id: int) -> None:
        """The colleague's step was sent as ``message_id``: its buttons are the live ones."""
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if request is None:
                return
            shown = request.shown(user_id, message_id)
            if not isinstance(shown, Refusal):
                await tx.reactions.save(shown)

    async def their_answers(self, user_id: int, request_id: int) -> ColleagueView | Refusal:
        """The asker's single answers, for the colleague, when the asker shares them."""
        async with self._db.transaction() as tx:
            request = await tx.reactions.get(request_id)
            if (
                request is None
                or request.colleague_id != user_id
                or not request.shares_answers
                or not request.is_live(self._clock.text())
            ):
                return Refusal.STALE
            view = await self._view(tx, request, with_overview=True)
            return replace(view, stale_message_id=request.message_id)

    async def _view(
        self, tx: Transaction, request: ReactionRequest, *, with_overview: bool = False
    ) -> ColleagueView:
        """The asker is there and has answers: a request goes with its asker (foreign key),
        and is made only once something is answered; answers are never taken back."""
        asker = await tx.people.get(request.asker_id)
        overview = None
        if with_overview:
            rounds = await tx.rounds.all_of(request.asker_id)
            full = profile_overview(self._instrument, asker.first_name, rounds)
            # Only the profile as it is now: the earlier round stays the person's own.
            overview = replace(full, changes=())
        return ColleagueView(request, asker.first_name, overview)

    async def _sent(self, tx: Transaction, request: ReactionRequest) -> Sent:
        asker = await tx.people.get(request.asker_id)
        rounds = await tx.rounds.all_of(request.asker_id)
        overview = profile_overview(self._instrument, asker.first_name, rounds)
        return Sent(
            request,
            asker,
            beside(request, overview.summary.results, overview.round.cards),
            overview.round.round_id,
            await tx.rounds.current(request.colleague_id) is not None,
        )


def exported(
    instrument: Instrument,
    asked: Iterable[ReactionRequest],
    given: Iterable[ReactionRequest],
    now: str,
) -> dict:
    """A person's reaction requests and the reactions they gave, for /mijngegevens."""

    def names(ids: Iterable[str | None]) -> list[str]:
        """Names in the person's language; none, or one the content no longer has, is left out."""
        return [instrument.competency(c).name for c in ids if instrument.has_competency(c)]

    def status(request: ReactionRequest) -> str:
        expired = request.status in (Status.OPEN, Status.CLAIMED) and not request.is_live(now)
        return "expired" if expired else str(request.status)

    def reaction(request: ReactionRequest) -> dict:
        given = request.given
        return {
            "recognises_the_picture": str(given.recognition) if given.recognition else None,
            "suits_best": names(given.picks),
            "could_grow_in": names([given.grow]),
            "remark": given.remark,
            "sent_at": request.answered_at,
        }

    return {
        "reaction_requests": [
            {
                "made_at": r.created_at,
                "valid_until": r.expires_at,
                "status": status(r),
                "shares_single_answers": r.shares_answers,
                "reaction": (
                    {"from": r.colleague_name, **reaction(r)}
                    if r.status is Status.ANSWERED
                    else None
                ),
            }
            for r in asked
        ],
        "reactions_given": [
            {"status": status(r), "for_request_made_at": r.created_at, **reaction(r)} for r in given
        ],
    }
