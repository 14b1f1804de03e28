"""The weekly team digest, as a kind of message the scheduler sends (services/deliveries.py):
one to each current coordinator of a team, at the team's moment in the week
(domain/digest_schedule.py), only when something changed since the digest the coordinators saw
last, and never an empty one.

A week of a team is one period in the ledger ("2026-W50:7": a coordinator of two teams gets
both). Working out the digest takes every sharing member's rounds and a few milliseconds of
Python for a team of thirty (benchmarks/digest_compute.py), on the event loop, so it is worked
out once per message, right after its claim (:meth:`WeeklyDigests.to_send`, while the message
before it goes out, so its picture is drawn meanwhile; bot/jobs.py), and not while the database
is held: 200 teams falling due at once made everybody's taps wait (benchmarks/digest_load.py).
Right before sending, the sender looks again: the digest goes as it was worked out only while
the same members share, so one who stopped sharing in between is not in it. The digest that is
sent is the one compared and noted. :class:`DueDigests` only says which digests are due (the
week not handled, a current coordinator who has not blocked the bot, not in the ledger yet), at
each tick and at each claim, without working any digest out. The sender says what happened:
the digest it sent, with its fingerprint as ``shown`` in the ledger, or nothing to send after
all ('skipped': nothing new, or nobody shares), which handles the team's week at once.

The week is handled (recorded on the team, so no tick looks at it again) when every coordinator
the bot can reach has their digest settled. The team then keeps the fingerprint of what the
coordinators were shown (:func:`_seen`), taken from the ledger, not worked out again: a change
made between the sending and the settle has not been seen, and makes next week's digest. A week
in which the bot can reach no coordinator at all (they all blocked it) is not handled: nothing
is sent, and a coordinator who writes again that week gets it then.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from content.model import Instrument
from domain.digest import Digest
from domain.digest_schedule import last_due, period
from domain.team import Team
from services.deliveries import Due, Outcome
from services.teams import Pause, digest_of, next_turn
from storage import Database, Transaction
from storage.deliveries import Entry
from storage.teams import DigestState

DIGEST = "digest"

# Outcomes of a digest that may have reached its coordinator.
_SHOWN = (Outcome.SENT, Outcome.UNKNOWN)


@dataclass(frozen=True)
class WeeklyDigest:
    """This week's digest, as one coordinator is to be shown it."""

    team: Team
    digest: Digest
    fingerprint: str  # what it shows (domain/digest.py), for the ledger


class WeeklyDigests:
    """The sender's side: whether a claimed digest still has something to show, and what."""

    def __init__(
        self, database: Database, instrument: Instrument, pause: Pause = next_turn
    ) -> None:
        self._db = database
        self._instrument = instrument  # the coordinator's language
        # Between two pieces of working the digest out: the scheduler's waits for the people's
        # updates too. Not while reading the rounds: that holds the snapshot, which a
        # coordinator's digest on demand (an update) may be waiting for.
        self._pause = pause

    async def to_send(
        self, due: Due, worked_out: WeeklyDigest | None = None
    ) -> WeeklyDigest | None:
        """The digest of ``due`` to send now; None: nothing to send after all. That is when the
        recipient is no longer a coordinator (or the team is gone), when nobody shares, and when
        it shows the same as the last digest the coordinators saw. Read from a snapshot, which
        holds up nobody's transaction (the claim, made before, is what makes it once-only), and
        worked out after it.

        ``worked_out``: the digest worked out for ``due`` a moment ago (while the message before
        it went out, bot/jobs.py). It is taken as it is when the team still has the same sharing
        members, with the same consent, so a member who stopped sharing meanwhile is not in
        it; an answer given meanwhile may be missing, as from any digest just sent."""
        async with self._db.snapshot() as tx:
            team = await tx.teams.get(due.about)
            if team is None or not team.is_coordinator(due.recipient):
                return None
            states = await tx.teams.digest_states(team.team_id)
            if worked_out is None or worked_out.team.sharing != team.sharing:
                worked_out = None
                rounds = await tx.rounds.of_people([m.user_id for m in team.sharing])
        if worked_out is None:
            digest = await digest_of(self._instrument, team.sharing, rounds, self._pause)
            worked_out = WeeklyDigest(team, digest, digest.fingerprint)
        seen = states[0].sent_fingerprint if states else None
        if not worked_out.digest.members or worked_out.fingerprint == seen:
            return None
        return WeeklyDigest(team, worked_out.digest, worked_out.fingerprint)


class DueDigests:
    """Each team's digest of this week, to each of its coordinators."""

    kind = DIGEST

    async def due(self, tx: Transaction, now: datetime, recipient: int | None = None) -> list[Due]:
        found = []
        for state in await tx.teams.digest_states(coordinator=recipient):
            week = _week(state, now)
            team = await tx.teams.get(state.team_id) if week is not None else None
            if team is None or recipient not in (None, *(c.user_id for c in team.coordinators)):
                continue
            key = _period(week, team.team_id)
            ledger = await tx.deliveries.of_period(DIGEST, key)
            waiting = await _waiting(tx, team, key, ledger)
            found.extend(due for due in waiting if recipient in (None, due.recipient))
        return found

    async def delivered(self, tx: Transaction, due: Due, outcome: Outcome, now: str) -> None:
        """The week is handled when every coordinator the bot can reach has had it settled, or
        at once when a coordinator's sender found nothing to send: nothing new, or nobody
        shares, holds for the team's other coordinators too. (Somebody who stopped being a
        coordinator between the claim and the sending is skipped for themselves only.)"""
        team = await tx.teams.get(due.about)
        states = await tx.teams.digest_states(due.about)
        week = due.period.split(":")[0]
        if team is None or not states or states[0].sent_period == week:
            return
        ledger = await tx.deliveries.of_period(DIGEST, due.period)
        skipped = outcome is Outcome.SKIPPED and team.is_coordinator(due.recipient)
        if skipped or (_settled(ledger) and not await _waiting(tx, team, due.period, ledger)):
            await _handled(tx, team, states[0], week, ledger)


async def _handled(
    tx: Transaction, team: Team, state: DigestState, week: str, ledger: Mapping[int, Entry]
) -> None:
    """The team gets no other digest this week, nor one that shows what its coordinators saw."""
    seen = _seen(team, state.sent_fingerprint, ledger)
    await tx.teams.digest_sent(team.team_id, week, seen)


def _seen(team: Team, before: str | None, ledger: Mapping[int, Entry]) -> str | None:
    """The fingerprint of the digest the team's coordinators saw last, after this week's
    ``ledger``; ``before``: what it was before this week.

    A coordinator whose digest was sent (or may have arrived) saw what its row shows; one whose
    sender found nothing to send still has the one before. When every such coordinator saw the
    same, that is it. When they saw different ones (the members changed something between two
    coordinators' digests; or one may have arrived without our knowing which), the one before
    stays: next week's digest then differs from it and goes to all of them, also to the one who
    saw the newest already. The other way round, one of them would never see a change the
    others saw. We rather send one digest too many than keep one back. Nobody shown anything
    (all blocked, or refused) leaves the one before too. A coordinator the bot could not reach
    (blocked, or refused by Telegram) does not count: else the one before would stay for as
    long as they are blocked, and the others would get the same digest every week."""
    versions = {
        entry.shown if entry.outcome in _SHOWN else before
        for recipient, entry in ledger.items()
        if team.is_coordinator(recipient) and entry.outcome in (*_SHOWN, Outcome.SKIPPED)
    }
    if len(versions) == 1:
        (seen,) = versions
        if seen is not None:
            return seen
    return before


def _settled(ledger: Mapping[int, Entry]) -> bool:
    """No digest of the week is being sent."""
    return all(entry.outcome is not None for entry in ledger.values())


def _week(state: DigestState, now: datetime) -> str | None:
    """The week whose digest is due at ``now`` and not handled yet; None: none is."""
    moment = last_due(state.schedule, now)
    if moment is None or moment < datetime.fromisoformat(state.created_at):
        return None
    week = period(moment)
    return None if state.sent_period == week else week


def _period(week: str, team_id: int) -> str:
    return f"{week}:{team_id}"


async def _waiting(tx: Transaction, team: Team, key: str, ledger: Mapping[int, Entry]) -> list[Due]:
    """The digests still to send: to each coordinator who has none in the ledger and has not
    blocked the bot."""
    waiting = []
    for coordinator in team.coordinators:
        person = await tx.people.get(coordinator.user_id)
        if coordinator.user_id in ledger or person is None or person.blocked_at is not None:
            continue
        waiting.append(
            Due(DIGEST, person.user_id, key, person.language, person.first_name, team.team_id)
        )
    return waiting
