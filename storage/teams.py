"""Teams with their members, invite links (as hashes) and the weekly digest's bookkeeping.

Loaded whole and stored whole, like rounds; the rules are domain/team.py's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import aiosqlite

from domain.digest_schedule import DigestSchedule
from domain.team import Invite, Member, Role, Sharing, Team

_TEAM = "team_id, name, created_at, digest_on, digest_weekday, digest_hour"


@dataclass(frozen=True)
class DigestState:
    """A team's weekly digest: when it comes, and what was sent last."""

    team_id: int
    created_at: str
    schedule: DigestSchedule
    sent_period: str | None
    sent_fingerprint: str | None


class TeamRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def get(self, team_id: int) -> Team | None:
        teams = await self._teams("team_id = ?", team_id)
        return teams[0] if teams else None

    async def of_person(self, user_id: int) -> list[Team]:
        """The teams the person is in, oldest first."""
        return await self._teams(
            "team_id IN (SELECT team_id FROM team_members WHERE user_id = ?) ORDER BY team_id",
            user_id,
        )

    async def _teams(self, where: str, *args: object) -> list[Team]:
        rows = await self._db.execute_fetchall(f"SELECT {_TEAM} FROM teams WHERE {where}", args)
        teams = []
        for team_id, name, created_at, on, weekday, hour in rows:
            found = await self._db.execute_fetchall(
                "SELECT m.user_id, u.first_name, m.role, m.sharing, m.joined_at, m.consent_at"
                " FROM team_members m JOIN users u USING (user_id)"
                " WHERE m.team_id = ? ORDER BY m.joined_at, m.rowid",
                (team_id,),
            )
            members = [
                Member(uid, first, Role(role), Sharing(sharing), joined, consent)
                for uid, first, role, sharing, joined, consent in found
            ]
            schedule = DigestSchedule(bool(on), weekday, hour)
            teams.append(Team(team_id, name, created_at, tuple(members), schedule))
        return teams

    async def add(self, team: Team) -> Team:
        """Store a new team with its members; returns it with its id."""
        schedule = team.schedule
        [(team_id,)] = await self._db.execute_fetchall(
            "INSERT INTO teams (name, created_at, digest_on, digest_weekday, digest_hour)"
            " VALUES (?, ?, ?, ?, ?) RETURNING team_id",
            (team.name, team.created_at, int(schedule.on), schedule.weekday, schedule.hour),
        )
        await self._write_members(team_id, team.members)
        return replace(team, team_id=team_id)

    async def save(self, team: Team, before: Team) -> None:
        """Store what a transition changed: the schedule, and members new, changed or gone."""
        if team.schedule != before.schedule:
            schedule = team.schedule
            await self._db.execute(
                "UPDATE teams SET digest_on = ?, digest_weekday = ?, digest_hour = ?"
                " WHERE team_id = ?",
                (int(schedule.on), schedule.weekday, schedule.hour, team.team_id),
            )
        now = {m.user_id: m for m in team.members}
        gone = [(team.team_id, m.user_id) for m in before.members if m.user_id not in now]
        if gone:
            await self._db.executemany(
                "DELETE FROM team_members WHERE team_id = ? AND user_id = ?", gone
            )
        was = {m.user_id: m for m in before.members}
        await self._write_members(
            team.team_id, [m for m in team.members if was.get(m.user_id) != m]
        )

    async def _write_members(self, team_id: int, members: Iterable[Member]) -> None:
        await self._db.executemany(
            "INSERT INTO team_members (team_id, user_id, role, sharing, joined_at, consent_at)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (team_id, user_id) DO UPDATE SET"
            " role = excluded.role, sharing = excluded.sharing, consent_at = excluded.consent_at",
            [(team_id, m.user_id, m.role, m.sharing, m.joined_at, m.consent_at) for m in members],
        )

    async def delete(self, team_id: int) -> None:
        """The team, its memberships and its links."""
        await self._db.execute("DELETE FROM teams WHERE team_id = ?", (team_id,))

    # -- invite links -----------------------------------------------------------------------

    async def set_invite(self, team_id: int, role: Role, code_hash: str, now: str) -> None:
        """The team's link of this kind from now on; the one before it opens nothing."""
        await self.drop_invite(team_id, role)
        await self._db.execute(
            "INSERT INTO team_invites (code_hash, team_id, role, created_at) VALUES (?, ?, ?, ?)",
            (code_hash, team_id, role, now),
        )

    async def invite(self, code_hash: str) -> Invite | None:
        rows = await self._db.execute_fetchall(
            "SELECT team_id, role, claimed_by FROM team_invites WHERE code_hash = ?", (code_hash,)
        )
        if not rows:
            return None
        team_id, role, claimed_by = rows[0]
        return Invite(team_id, Role(role), claimed_by)

    async def claimed_invite(self, team_id: int, role: Role, user_id: int) -> bool:
        rows = await self._db.execute_fetchall(
            "SELECT 1 FROM team_invites WHERE team_id = ? AND role = ? AND claimed_by = ?",
            (team_id, role, user_id),
        )
        return bool(rows)

    async def claim_invite(self, code_hash: str, user_id: int | None) -> None:
        await self._db.execute(
            "UPDATE team_invites SET claimed_by = ? WHERE code_hash = ?", (user_id, code_hash)
        )

    async def release_invite(self, team_id: int, role: Role) -> None:
        await self._db.execute(
            "UPDATE team_invites SET claimed_by = NULL WHERE team_id = ? AND role = ?",
            (team_id, role),
        )

    async def drop_invite(self, team_id: int, role: Role) -> None:
        await self._db.execute(
            "DELETE FROM team_invites WHERE team_id = ? AND role = ?", (team_id, role)
        )

    # -- the weekly digest ------------------------------------------------------------------

    async def digest_states(
        self, team_id: int | None = None, *, coordinator: int | None = None
    ) -> list[DigestState]:
        """Every team's digest bookkeeping (or one team's, or the teams ``coordinator``
        coordinates), teams with the digest on only."""
        where, args = "digest_on = 1", []
        if team_id is not None:
            where, args = f"{where} AND team_id = ?", [*args, team_id]
        if coordinator is not None:
            where += (
                " AND team_id IN (SELECT team_id FROM team_members WHERE user_id = ? AND role = ?)"
            )
            args += [coordinator, Role.COORDINATOR]
        rows = await self._db.execute_fetchall(
            "SELECT team_id, created_at, digest_weekday, digest_hour, digest_sent_period,"
            f" digest_sent_fingerprint FROM teams WHERE {where} ORDER BY team_id",
            args,
        )
        return [
            DigestState(tid, created, DigestSchedule(True, weekday, hour), period, print_)
            for tid, created, weekday, hour, period, print_ in rows
        ]

    async def digest_sent(self, team_id: int, period: str, fingerprint: str | None) -> None:
        """The week ``period`` is handled; ``fingerprint``: the digest the coordinators saw
        last (None: none yet)."""
        await self._db.execute(
            "UPDATE teams SET digest_sent_period = ?, digest_sent_fingerprint = ?"
            " WHERE team_id = ?",
            (period, fingerprint, team_id),
        )

    # -- a team name to be typed ------------------------------------------------------------

    async def ask_name(self, user_id: int, now: str) -> None:
        await self._db.execute(
            "INSERT INTO team_name_requests (user_id, asked_at) VALUES (?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET asked_at = excluded.asked_at",
            (user_id, now),
        )

    async def name_asked_at(self, user_id: int) -> str | None:
        rows = await self._db.execute_fetchall(
            "SELECT asked_at FROM team_name_requests WHERE user_id = ?", (user_id,)
        )
        return rows[0][0] if rows else None

    async def forget_name_request(self, user_id: int) -> None:
        await self._db.execute("DELETE FROM team_name_requests WHERE user_id = ?", (user_id,))
