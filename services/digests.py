"""The weekly team digest, as a kind of message the scheduler sends (services/deliveries.py):
one to each current coordinator of a team, at the team's moment in the week
(domain/digest_schedule.py), only when something changed since the digest sent last, and never
an empty one.

A week of a team is one period in the ledger ("2026-W50:7": a coordinator of two teams gets
both). Working out the digest takes every sharing member's rounds (some 16 ms for a team of
thirty), so it is not done for every team at every tick, nor for all teams in one transaction:
that held the database, and so everybody's taps, for seconds when 200 teams fell due at once
(benchmarks/digest_load.py). A tick lists each team whose week is not handled; whether there is
anything new to send is decided at the claim of the week's first digest, one team at a time
(nothing new: the week is handled there and nothing is claimed), then by the sender, and once
when the week is done. The week is handled (recorded on the team, so no tick looks at it again)
when every coordinator the bot can reach has their digest settled.
"""

from __future__ import annotations

from datetime import datetime

from content.model import Instrument
from domain.digest_schedule import last_due, period
from domain.team import Team
from services.deliveries import Due, Outcome
from services.teams import sharing_digest
from storage import Transaction
from storage.teams import DigestState

DIGEST = "digest"


class DueDigests:
    """Each team's digest of this week, to each of its coordinators."""

    kind = DIGEST

    def __init__(self, instrument: Instrument) -> None:
        # Only for the fingerprint, which is the same in every language; the sender writes it
        # in the coordinator's.
        self._instrument = instrument

    async def due(self, tx: Transaction, now: datetime, recipient: int | None = None) -> list[Due]:
        found = []
        for state in await tx.teams.digest_states(coordinator=recipient):
            week = _week(state, now)
            team = await tx.teams.get(state.team_id) if week is not None else None
            if team is None or recipient not in (None, *(c.user_id for c in team.coordinators)):
                continue
            key = _period(week, team.team_id)
            ledger = await tx.deliveries.of_period(DIGEST, key)
            fingerprint = None
            if not ledger and recipient is not None:
                # The claim of this week's first digest (or the first after a failed send was
                # released): is there anything to send?
                digest = await sharing_digest(tx, self._instrument, team)
                fingerprint = digest.fingerprint
                if not digest.members or fingerprint == state.sent_fingerprint:
                    await tx.teams.digest_sent(team.team_id, week, fingerprint)
                    continue
            waiting = await _waiting(tx, team, key, ledger)
            if recipient is None and not waiting and None not in ledger.values():
                await self._handled(tx, team, week, fingerprint)  # nobody left to send it to
            found.extend(due for due in waiting if recipient in (None, due.recipient))
        return found

    async def delivered(self, tx: Transaction, due: Due, outcome: Outcome, now: str) -> None:
        team = await tx.teams.get(due.about)
        states = await tx.teams.digest_states(due.about)
        week = due.period.split(":")[0]
        if team is None or not states or states[0].sent_period == week:
            return
        ledger = await tx.deliveries.of_period(DIGEST, due.period)
        if None not in ledger.values() and not await _waiting(tx, team, due.period, ledger):
            await self._handled(tx, team, week, None)

    async def _handled(
        self, tx: Transaction, team: Team, week: str, fingerprint: str | None
    ) -> None:
        """Every coordinator the bot can reach has had this week's digest: the team gets no
        other one this week, nor one that shows the same as what they saw."""
        if fingerprint is None:
            fingerprint = (await sharing_digest(tx, self._instrument, team)).fingerprint
        await tx.teams.digest_sent(team.team_id, week, fingerprint)


def _week(state: DigestState, now: datetime) -> str | None:
    """The week whose digest is due at ``now`` and not handled yet; None: none is."""
    moment = last_due(state.schedule, now)
    if moment is None or moment < datetime.fromisoformat(state.created_at):
        return None
    week = period(moment)
    return None if state.sent_period == week else week


def _period(week: str, team_id: int) -> str:
    return f"{week}:{team_id}"


async def _waiting(
    tx: Transaction, team: Team, key: str, ledger: dict[int, str | None]
) -> list[Due]:
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
