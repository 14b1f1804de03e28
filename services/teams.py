"""Teams: making one, inviting members and a co-coordinator, sharing or not, and the
coordinator's digest (the weekly one the scheduler sends is services/digests.py's). One
transaction per use case; the team decides (domain/team.py), the digest is domain/digest.py's.

Every use case that acts on a team by its id first checks that the person is in it (or is its
coordinator): a forged or old button names a team, never proves a right to it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, replace

from content.model import Instrument
from domain.digest import Digest, MemberLine, build_digest, shared_profile
from domain.person import Person
from domain.round import Round
from domain.team import (
    Ended,
    Member,
    NameProblem,
    Role,
    Team,
    TeamRefusal,
    found,
    waiting_for_name,
)
from services.clock import Clock
from services.codes import code_hash, new_code
from services.rounds import Visitor
from storage import Database, Transaction

CODE_LENGTH = 22  # services/codes.py: 16 bytes in URL-safe base64
MEMBERS_AT_A_TIME = 5  # digest_of: some 0.3 ms of Python between two turns of the event loop

# What digest_of awaits between two pieces of its work.
Pause = Callable[[], Awaitable[None]]


async def next_turn() -> None:
    """One turn of the event loop for everybody else."""
    await asyncio.sleep(0)


@dataclass(frozen=True)
class Recipient:
    """Somebody the bot tells something on its own, in their language."""

    user_id: int
    language: str


@dataclass(frozen=True)
class TeamView:
    """A team as one person in it sees it."""

    team: Team
    me: Member
    # For a coordinator: the digest of the sharing members (who joined, who finished, ...).
    digest: Digest | None
    # What the person shares, or would share, exactly as the coordinators see it.
    mine: MemberLine


@dataclass(frozen=True)
class Invitation:
    team: Team
    code: str  # shown once, in the link; only its hash is kept


@dataclass(frozen=True)
class CoordinatorOffer:
    """Somebody opened a co-coordinator link: to be answered Ja or Nee."""

    team: Team


@dataclass(frozen=True)
class Appointed:
    view: TeamView
    told: tuple[Recipient, ...]  # members who share: somebody new sees what they share


@dataclass(frozen=True)
class Farewell:
    """A team has ended: everybody who was in it is told, once."""

    team_name: str
    told: tuple[Recipient, ...]


class Teams:
    def __init__(self, database: Database, instrument: Instrument, clock: Clock) -> None:
        self._db = database
        self._instrument = instrument
        self._clock = clock

    # -- the person's teams -----------------------------------------------------------------

    async def home(self, user_id: int) -> tuple[tuple[Team, Member], ...]:
        """The teams the person is in, with their place in each."""
        async with self._db.transaction() as tx:
            teams = await tx.teams.of_person(user_id)
        return tuple((team, team.member(user_id)) for team in teams)

    async def team(self, user_id: int, team_id: int) -> TeamView | TeamRefusal:
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None or team.member(user_id) is None:
                return TeamRefusal.NOT_ALLOWED
            return await self._view(tx, team, user_id)

    async def digest(self, user_id: int, team_id: int) -> TeamView | TeamRefusal:
        """The digest on demand: for the team's coordinators only. A long read that decides
        nothing, so from a snapshot: nobody's tap waits for it."""
        async with self._db.snapshot() as tx:
            team = await tx.teams.get(team_id)
            if team is None or not team.is_coordinator(user_id):
                return TeamRefusal.NOT_ALLOWED
            return await self._view(tx, team, user_id)

    # -- making a team ----------------------------------------------------------------------

    async def ask_name(self, visitor: Visitor) -> None:
        """ "Nieuw team": the next text the person types is the team's name."""
        async with self._db.transaction() as tx:
            await self._person(tx, visitor)
            await tx.teams.ask_name(visitor.user_id, self._clock.text())

    async def cancel_name(self, user_id: int) -> None:
        async with self._db.transaction() as tx:
            await tx.teams.forget_name_request(user_id)

    async def typed_name(self, user_id: int, text: str) -> Invitation | NameProblem | None:
        """A typed text while a team name is asked: the new team, with its invite link, and
        its maker as coordinator. None when no name is asked (the text means something else)."""
        now = self._clock.text()
        async with self._db.transaction() as tx:
            asked_at = await tx.teams.name_asked_at(user_id)
            if asked_at is None:
                return None
            person = await tx.people.get(user_id)
            if person is None or not waiting_for_name(asked_at, now):
                await tx.teams.forget_name_request(user_id)
                return None
            made = found(text, user_id, person.first_name, now)
            if isinstance(made, NameProblem):
                return made  # still asked: they can type it again
            await tx.teams.forget_name_request(user_id)
            team = await tx.teams.add(made)
            return await self._new_invite(tx, team, Role.MEMBER)

    # -- invites ----------------------------------------------------------------------------

    async def renew_invite(self, user_id: int, team_id: int) -> Invitation | TeamRefusal:
        """A new member link; the old one opens nothing from now on."""
        return await self._invite(user_id, team_id, Role.MEMBER)

    async def invite_coordinator(self, user_id: int, team_id: int) -> Invitation | TeamRefusal:
        """A link for one more coordinator (a new one replaces an unused one)."""
        return await self._invite(user_id, team_id, Role.COORDINATOR)

    async def _invite(self, user_id: int, team_id: int, role: Role) -> Invitation | TeamRefusal:
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None or not team.is_coordinator(user_id):
                return TeamRefusal.NOT_ALLOWED
            return await self._new_invite(tx, team, role)

    async def _new_invite(self, tx: Transaction, team: Team, role: Role) -> Invitation:
        code = new_code()
        await tx.teams.set_invite(team.team_id, role, code_hash(code), self._clock.text())
        return Invitation(team, code)

    async def open_invite(self, visitor: Visitor, code: str) -> TeamView | CoordinatorOffer | None:
        """Somebody opened a team link. A member link puts them in the team, asked but not
        sharing, and shows what they would share; a co-coordinator link is theirs to answer
        from now on. None for a code that opens nothing (made up, renewed, used, or of a team
        that ended): the person learns nothing about any team."""
        if len(code) != CODE_LENGTH:
            return None
        async with self._db.transaction() as tx:
            invite = await tx.teams.invite(code_hash(code))
            if invite is None or not invite.opens_for(visitor.user_id):
                return None
            team = await tx.teams.get(invite.team_id)
            person = await self._person(tx, visitor)
            if invite.role is Role.MEMBER:
                joined = team.join(person.user_id, person.first_name, self._clock.text())
                await tx.teams.save(joined, team)
                return await self._view(tx, joined, person.user_id)
            if team.is_coordinator(person.user_id):
                return await self._view(tx, team, person.user_id)
            await tx.teams.claim_invite(code_hash(code), person.user_id)
            return CoordinatorOffer(team)

    async def answer_offer(
        self, user_id: int, team_id: int, accept: bool
    ) -> Appointed | TeamRefusal | None:
        """Ja or Nee to becoming a coordinator, from the link this person opened. Ja uses the
        link up; Nee gives it free for somebody else (None)."""
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None:
                return TeamRefusal.NOT_ALLOWED
            if not await tx.teams.claimed_invite(team_id, Role.COORDINATOR, user_id):
                # A second tap on Ja finds the link used up by the first.
                return (
                    TeamRefusal.SAME if team.is_coordinator(user_id) else (TeamRefusal.NOT_ALLOWED)
                )
            if not accept:
                await tx.teams.release_invite(team_id, Role.COORDINATOR)
                return None
            person = await tx.people.get(user_id)
            appointed = team.appoint(user_id, person.first_name, self._clock.text())
            if isinstance(appointed, TeamRefusal):
                return appointed
            await tx.teams.save(appointed, team)
            await tx.teams.drop_invite(team_id, Role.COORDINATOR)
            told = [m for m in appointed.sharing if m.user_id != user_id]
            return Appointed(await self._view(tx, appointed, user_id), await _recipients(tx, told))

    # -- what a person shares ---------------------------------------------------------------

    async def decide(self, user_id: int, team_id: int, share: bool) -> TeamView | TeamRefusal:
        """Ja or Nee to sharing with the team's coordinators; at once, for everything they
        ask from now on. The same answer again changes nothing."""
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None:
                return TeamRefusal.NOT_ALLOWED
            decided = team.decide(user_id, share, self._clock.text())
            if decided is TeamRefusal.NOT_ALLOWED:
                return decided
            if isinstance(decided, Team):
                await tx.teams.save(decided, team)
                team = decided
            return await self._view(tx, team, user_id)

    # -- a coordinator's decisions ----------------------------------------------------------

    async def plan(
        self,
        user_id: int,
        team_id: int,
        *,
        on: bool | None = None,
        weekday: int | None = None,
        hour: int | None = None,
    ) -> TeamView | TeamRefusal:
        """The weekly digest: another day or hour (which also switches it on), or off."""
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None:
                return TeamRefusal.NOT_ALLOWED
            schedule = team.schedule
            if weekday is not None:
                schedule = replace(schedule, weekday=weekday, on=True)
            if hour is not None:
                schedule = replace(schedule, hour=hour, on=True)
            if on is not None:
                schedule = replace(schedule, on=on)
            planned = team.plan(user_id, schedule)
            if planned is TeamRefusal.NOT_ALLOWED:
                return planned
            if isinstance(planned, Team):
                await tx.teams.save(planned, team)
                team = planned
            return await self._view(tx, team, user_id)

    async def step_down(self, user_id: int, team_id: int) -> TeamView | TeamRefusal:
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None:
                return TeamRefusal.NOT_ALLOWED
            stepped = team.step_down(user_id)
            if isinstance(stepped, TeamRefusal):
                return stepped
            await tx.teams.save(stepped, team)
            return await self._view(tx, stepped, user_id)

    async def end(self, user_id: int, team_id: int) -> Farewell | TeamRefusal:
        """A coordinator ends the team: it is gone, with its links and who shared what."""
        async with self._db.transaction() as tx:
            team = await tx.teams.get(team_id)
            if team is None:
                return TeamRefusal.NOT_ALLOWED
            ended = team.end(user_id)
            if isinstance(ended, TeamRefusal):
                return ended
            return await _farewell(tx, ended)

    # -- helpers ----------------------------------------------------------------------------

    async def _person(self, tx: Transaction, visitor: Visitor) -> Person:
        """The person as we know them; somebody new is known from now on."""
        person = await tx.people.get(visitor.user_id)
        if person is None:
            now = self._clock.text()
            person = Person(visitor.user_id, visitor.first_name, visitor.language, now, now)
            await tx.people.save(person)
        return person

    async def _view(self, tx: Transaction, team: Team, user_id: int) -> TeamView:
        """The person's own line, and for a coordinator the digest: of the members who share,
        and of nobody else."""
        me = team.member(user_id)
        sharing = team.sharing if me.is_coordinator else ()
        rounds = await tx.rounds.of_people(sorted({user_id, *(m.user_id for m in sharing)}))
        mine = (await digest_of(self._instrument, [me], rounds)).members[0]
        digest = await digest_of(self._instrument, sharing, rounds) if me.is_coordinator else None
        return TeamView(team, me, digest, mine)


async def digest_of(
    instrument: Instrument,
    members: Iterable[Member],
    rounds: dict[int, list[Round]],
    pause: Pause = next_turn,
) -> Digest:
    """The digest of ``members`` (with each one's ``rounds``), as the coordinators see it.

    Worked out on the event loop, some 2 ms of Python for a team of thirty: in one piece, every
    tap that came meanwhile waited for all of it, and with the weekly digests of 200 teams
    that was the longest wait a tap could meet (benchmarks/digest_load.py). So it awaits
    ``pause`` after every few members: by default a turn for others; the scheduler's pause
    also waits while a person's update is handled (bot/processing.py people_first)."""
    profiles = []
    for number, m in enumerate(members, 1):
        profiles.append(shared_profile(instrument, m.user_id, m.first_name, rounds[m.user_id]))
        if number % MEMBERS_AT_A_TIME == 0:
            await pause()
    return build_digest(instrument, profiles)


async def _recipients(tx: Transaction, members) -> tuple[Recipient, ...]:
    """Whom to tell: not somebody who blocked the bot, who gets nothing of the bot's own until
    they write again (domain/person.py)."""
    recipients = []
    for member in members:
        person = await tx.people.get(member.user_id)
        if person is not None and person.blocked_at is None:
            recipients.append(Recipient(person.user_id, person.language))
    return tuple(recipients)


async def _farewell(tx: Transaction, ended: Ended) -> Farewell:
    told = await _recipients(tx, ended.told)
    await tx.teams.delete(ended.team.team_id)
    return Farewell(ended.team.name, told)


async def leave_all(tx: Transaction, user_id: int) -> tuple[Farewell, ...]:
    """The person leaves every team (/wis, retention); a team whose last coordinator they were
    ends. Inside the caller's transaction, before the person is deleted."""
    farewells = []
    for team in await tx.teams.of_person(user_id):
        left = team.leave(user_id)
        if isinstance(left, Ended):
            farewells.append(await _farewell(tx, left))
        else:
            await tx.teams.save(left, team)
    return tuple(farewells)


async def exported(tx: Transaction, user_id: int) -> list[dict]:
    """The person's teams for /mijngegevens: their place in each, and what they decided."""
    result = []
    for team in await tx.teams.of_person(user_id):
        me = team.member(user_id)
        entry = {
            "team": team.name,
            "role": str(me.role),
            "sharing": str(me.sharing),
            "joined_at": me.joined_at,
            "consent_answered_at": me.consent_at,
        }
        if me.is_coordinator:
            entry["weekly_digest"] = {
                "on": team.schedule.on,
                "weekday": team.schedule.weekday,
                "hour": team.schedule.hour,
                "time_zone": "Europe/Amsterdam",
            }
        result.append(entry)
    return result
