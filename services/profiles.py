"""A person's profile and what they do with it: the overview, what changed since last time, and
the card exercise. One transaction per use case, like the rounds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from content.model import Instrument
from domain.cards import suggest
from domain.profile import Change, Profile, before_round, changes, living_profile
from domain.reaction import Beside, ReactionRequest, Status, beside
from domain.round import Refusal, Round
from domain.scoring import score_competencies
from domain.summary import Summary, summarise
from storage import Database


@dataclass(frozen=True)
class Overview:
    """Everything a summary shows. ``round`` is the newest round with answers (its cards, its
    counts); ``summary`` is over the living profile; ``before`` is the profile before this
    round, for the outline in the picture and for what changed."""

    first_name: str
    round: Round
    profile: Profile
    summary: Summary
    before: Profile
    changes: tuple[Change, ...]
    reactions: tuple[Beside, ...] = ()  # reactions received, newest first, beside the person


def profile_overview(
    instrument: Instrument,
    first_name: str,
    rounds: list[Round],
    received: Iterable[ReactionRequest] = (),
) -> Overview | None:
    """The overview of a person's rounds; None while nothing is answered. ``received``: the
    person's reaction requests; the answered ones are set beside the profile."""
    with_answers = [r for r in rounds if r.answers]
    if not with_answers:
        return None
    newest = with_answers[-1]
    profile = living_profile(instrument, rounds)
    before = before_round(instrument, rounds, newest.number)
    summary = summarise(instrument, profile.answers)
    answered = [r for r in received if r.status is Status.ANSWERED]
    answered.sort(key=lambda r: (r.answered_at, r.request_id), reverse=True)
    return Overview(
        first_name=first_name,
        round=newest,
        profile=profile,
        summary=summary,
        before=before,
        changes=changes(instrument, before.answers, newest.values()),
        reactions=tuple(beside(r, summary.results, newest.cards) for r in answered),
    )


class Profiles:
    def __init__(self, database: Database, instrument: Instrument) -> None:
        self._db = database
        self._instrument = instrument

    async def overview(
        self, user_id: int, round_id: int | None = None
    ) -> Overview | Refusal | None:
        """The overview of the person's profile; None when nothing is answered yet. From a
        button (``round_id``), only while that round is still the one summarised."""
        async with self._db.transaction() as tx:
            person = await tx.people.get(user_id)
            rounds = await tx.rounds.all_of(user_id)
            received = await tx.reactions.asked_by(user_id)
        name = person.first_name if person else ""
        overview = profile_overview(self._instrument, name, rounds, received)
        if round_id is not None and (overview is None or overview.round.round_id != round_id):
            return Refusal.EXPIRED
        return overview

    async def open_cards(self, user_id: int, round_id: int, *, lay_out: bool) -> Round | Refusal:
        """The card exercise of the summarised round. Opening it (``lay_out``) with no cards
        down lays out the bot's suggestion; the next steps show the cards as the person left
        them, also when they picked every card up."""
        async with self._db.transaction() as tx:
            round_ = await self._summarised(tx, user_id, round_id)
            if isinstance(round_, Refusal) or not lay_out or not round_.cards.empty:
                return round_
            results = score_competencies(self._instrument, round_.values())
            laid_out = round_.with_cards(suggest(results))
            await tx.rounds.save(laid_out, round_)
            return laid_out

    async def choose_card(
        self, user_id: int, round_id: int, kind: str, competency_id: str, on: bool
    ) -> Round | Refusal:
        async with self._db.transaction() as tx:
            round_ = await self._summarised(tx, user_id, round_id)
            if isinstance(round_, Refusal):
                return round_
            chosen = round_.choose_card(self._instrument, kind, competency_id, on)
            if not isinstance(chosen, Refusal):
                await tx.rounds.save(chosen, round_)
            return chosen

    async def _summarised(self, tx, user_id: int, round_id: int) -> Round | Refusal:
        """The person's newest round with answers, if the button names it."""
        round_ = await tx.rounds.latest_with_answers(user_id)
        if round_ is None or round_.round_id != round_id:
            return Refusal.EXPIRED
        return round_
