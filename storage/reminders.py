"""People's reminders, and the people the scheduler may have to write to about going on.

The rules are domain/reminder.py's and domain/schedule.py's; these queries only narrow down
whom to ask them about: people not blocked, whose newest round is half done.
"""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from domain.reminder import Reminder

_COLUMNS = "user_id, due_at, asked_at, offered_at, off_at"

# The person's newest round, when it is half done: the one a reminder is about.
_HALF_DONE_ROUND = """
    JOIN rounds r ON r.user_id = u.user_id AND r.status = 'answering'
        AND r.number = (SELECT MAX(number) FROM rounds WHERE user_id = u.user_id)"""


@dataclass(frozen=True)
class Waiting:
    """Somebody the scheduler may write to about going on with ``round_id``."""

    reminder: Reminder
    language: str
    first_name: str
    round_id: int
    since: str  # the round's last answer, or the person's last visit when that came later


class ReminderRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def get(self, user_id: int) -> Reminder:
        rows = await self._db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM reminders WHERE user_id = ?", (user_id,)
        )
        return Reminder(*rows[0]) if rows else Reminder(user_id)

    async def save(self, reminder: Reminder) -> None:
        await self._db.execute(
            f"INSERT INTO reminders ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id)"
            " DO UPDATE SET due_at = excluded.due_at, asked_at = excluded.asked_at,"
            " offered_at = excluded.offered_at, off_at = excluded.off_at",
            (
                reminder.user_id,
                reminder.due_at,
                reminder.asked_at,
                reminder.offered_at,
                reminder.off_at,
            ),
        )

    async def asked_for(self, until: str, recipient: int | None = None) -> list[Waiting]:
        """People with a reminder asked for at ``until`` or before."""
        return await self._waiting(
            f"FROM reminders m JOIN users u ON u.user_id = m.user_id {_HALF_DONE_ROUND}"
            " WHERE m.due_at <= ?",
            until,
            recipient,
        )

    async def standing_still(self, cutoff: str, recipient: int | None = None) -> list[Waiting]:
        """People whose half-done round has not moved after ``cutoff``, nor they been seen."""
        return await self._waiting(
            f"FROM users u {_HALF_DONE_ROUND} LEFT JOIN reminders m ON m.user_id = u.user_id"
            " WHERE u.last_seen_at <= ? AND NOT EXISTS"
            " (SELECT 1 FROM answers a WHERE a.round_id = r.round_id AND a.answered_at > ?)",
            cutoff,
            recipient,
            extra=(cutoff,),
        )

    async def _waiting(
        self, source: str, until: str, recipient: int | None, extra: tuple = ()
    ) -> list[Waiting]:
        where = " AND u.blocked_at IS NULL"
        args: tuple = (until, *extra)
        if recipient is not None:
            where += " AND u.user_id = ?"
            args += (recipient,)
        rows = await self._db.execute_fetchall(
            "SELECT u.user_id, m.due_at, m.asked_at, m.offered_at, m.off_at, u.language,"
            " u.first_name, r.round_id, MAX(u.last_seen_at, COALESCE((SELECT MAX(answered_at)"
            "   FROM answers WHERE round_id = r.round_id), ''))"
            f" {source}{where} ORDER BY u.user_id",
            args,
        )
        return [Waiting(Reminder(*row[:5]), *row[5:]) for row in rows]
