"""People: who uses the bot, in which language, and when they were last seen."""

from __future__ import annotations

import aiosqlite

from domain.person import Person

_COLUMNS = "user_id, first_name, language, created_at, last_seen_at, blocked_at"


class PeopleRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def get(self, user_id: int) -> Person | None:
        rows = await self._db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM users WHERE user_id = ?", (user_id,)
        )
        return Person(*rows[0]) if rows else None

    async def save(self, person: Person) -> None:
        await self._db.execute(
            f"INSERT INTO users ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (user_id)"
            " DO UPDATE SET first_name = excluded.first_name, language = excluded.language,"
            " last_seen_at = excluded.last_seen_at, blocked_at = excluded.blocked_at",
            (
                person.user_id,
                person.first_name,
                person.language,
                person.created_at,
                person.last_seen_at,
                person.blocked_at,
            ),
        )

    async def delete(self, user_id: int) -> bool:
        """Remove the person and, through the foreign keys, everything of theirs."""
        cursor = await self._db.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
        return cursor.rowcount > 0

    async def not_seen_since(self, cutoff: str) -> list[int]:
        rows = await self._db.execute_fetchall(
            "SELECT user_id FROM users WHERE last_seen_at < ? ORDER BY user_id", (cutoff,)
        )
        return [user_id for (user_id,) in rows]
