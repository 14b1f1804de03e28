"""All reads and writes of the bot's state, on one long-lived aiosqlite connection.

Every write is one short transaction that is committed before the method returns, so a bot that
is killed at any moment loses nothing it has confirmed to a user.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import EllipsisType

import aiosqlite

from storage.schema import MIGRATIONS


class RoundStatus(enum.StrEnum):
    CHOOSING = "choosing"
    ANSWERING = "answering"
    COMPLETE = "complete"


@dataclass(frozen=True)
class Round:
    round_id: int
    user_id: int
    number: int
    status: RoundStatus
    selection: tuple[str, ...]
    cursor: str | None
    prompt_message_id: int | None
    started_at: str
    completed_at: str | None


@dataclass(frozen=True)
class SavedAnswer:
    statement_id: str
    value: int
    answered_at: str


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_ROUND_COLUMNS = (
    "round_id, user_id, number, status, selection, cursor, prompt_message_id, started_at,"
    " completed_at"
)


def _round(row: aiosqlite.Row | tuple | None) -> Round | None:
    if row is None:
        return None
    rid, uid, number, status, selection, cursor, prompt, started, completed = row
    return Round(
        round_id=rid,
        user_id=uid,
        number=number,
        status=RoundStatus(status),
        selection=tuple(s for s in selection.split(",") if s),
        cursor=cursor,
        prompt_message_id=prompt,
        started_at=started,
        completed_at=completed,
    )


class Storage:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        # One connection is shared by all chats; the lock keeps one chat's transaction from
        # interleaving with another's.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Storage:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        storage = cls(connection)
        try:
            await connection.execute("PRAGMA journal_mode = WAL")
            # FULL: an answer the bot has confirmed survives a power cut too, not only a crash.
            await connection.execute("PRAGMA synchronous = FULL")
            await connection.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten, so /wis leaves no answers behind in free pages.
            await connection.execute("PRAGMA secure_delete = ON")
            await connection.execute("PRAGMA busy_timeout = 5000")
            await storage._migrate()
        except BaseException:
            await connection.close()
            raise
        return storage

    async def close(self) -> None:
        await self._db.close()

    async def _migrate(self) -> None:
        async with self._db.execute("PRAGMA user_version") as cursor:
            (version,) = await cursor.fetchone()
        for number, statements in enumerate(MIGRATIONS[version:], version + 1):
            async with self._transaction():
                for statement in statements:
                    await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {number}")

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[None]:
        async with self._write_lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    async def _write(self, sql: str, args: tuple = ()) -> aiosqlite.Cursor:
        """One statement: atomic on its own in autocommit mode, so no BEGIN/COMMIT round trips."""
        async with self._write_lock:
            return await self._db.execute(sql, args)

    async def _fetch_round(self, where: str, *args: object) -> Round | None:
        async with self._db.execute(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE {where}", args
        ) as c:
            return _round(await c.fetchone())

    # People

    async def save_user(self, user_id: int, first_name: str, language: str) -> None:
        await self._write(
            "INSERT INTO users (user_id, first_name, language, created_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET first_name = excluded.first_name",
            (user_id, first_name, language, _now()),
        )

    async def delete_user(self, user_id: int) -> bool:
        """Remove the person and, through the foreign keys, all their rounds and answers."""
        cursor = await self._write("DELETE FROM users WHERE user_id = ?", (user_id,))
        deleted = cursor.rowcount > 0
        # Move the deleted pages out of the write-ahead log as well.
        await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return deleted

    # Rounds

    async def current_round(self, user_id: int) -> Round | None:
        return await self._fetch_round("user_id = ? ORDER BY number DESC LIMIT 1", user_id)

    async def get_round(self, round_id: int) -> Round | None:
        return await self._fetch_round("round_id = ?", round_id)

    async def latest_answered_round(self, user_id: int) -> Round | None:
        return await self._fetch_round(
            "user_id = ? AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = rounds.round_id)"
            " ORDER BY number DESC LIMIT 1",
            user_id,
        )

    async def new_round(self, user_id: int) -> Round:
        cursor = await self._write(
            "INSERT INTO rounds (user_id, number, status, started_at)"
            " SELECT ?, COALESCE(MAX(number), 0) + 1, 'choosing', ? FROM rounds"
            " WHERE user_id = ?",
            (user_id, _now(), user_id),
        )
        created = await self.get_round(cursor.lastrowid)
        assert created is not None
        return created

    async def update_round(
        self,
        round_id: int,
        *,
        status: RoundStatus | None = None,
        selection: Iterable[str] | None = None,
        cursor: str | EllipsisType | None = ...,
        prompt_message_id: int | EllipsisType | None = ...,
    ) -> None:
        """Change some fields of a round; ``...`` (the default) leaves a nullable field as it is."""
        changes: dict[str, object] = {}
        if status is not None:
            changes["status"] = str(status)
            changes["completed_at"] = _now() if status is RoundStatus.COMPLETE else None
        if selection is not None:
            changes["selection"] = ",".join(selection)
        if cursor is not ...:
            changes["cursor"] = cursor
        if prompt_message_id is not ...:
            changes["prompt_message_id"] = prompt_message_id
        if not changes:
            return
        assignments = ", ".join(f"{column} = ?" for column in changes)
        await self._write(
            f"UPDATE rounds SET {assignments} WHERE round_id = ?", (*changes.values(), round_id)
        )

    # Answers

    async def save_answer(
        self, round_id: int, statement_id: str, value: int, *, completes_round: bool
    ) -> None:
        """Store (or change) one answer, close a re-opened statement and, with the last answer,
        the round: one transaction. The answered statement's message no longer carries live
        buttons, so the round forgets it."""
        now = _now()
        async with self._transaction():
            await self._db.execute(
                "INSERT INTO answers (round_id, statement_id, value, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, statement_id)"
                " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                (round_id, statement_id, value, now),
            )
            await self._db.execute(
                "UPDATE rounds SET cursor = NULL, prompt_message_id = NULL, status = ?,"
                " completed_at = ? WHERE round_id = ?",
                (
                    RoundStatus.COMPLETE if completes_round else RoundStatus.ANSWERING,
                    now if completes_round else None,
                    round_id,
                ),
            )

    async def answers(self, round_id: int) -> dict[str, int]:
        async with self._db.execute(
            "SELECT statement_id, value FROM answers WHERE round_id = ?", (round_id,)
        ) as cursor:
            return {sid: value async for sid, value in cursor}

    # Export

    async def export(
        self, user_id: int
    ) -> tuple[dict | None, list[tuple[Round, list[SavedAnswer]]]]:
        """The person and every round with every answer, for /mijngegevens."""
        async with self._db.execute(
            "SELECT user_id, first_name, language, created_at FROM users WHERE user_id = ?",
            (user_id,),
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None, []
        person = dict(zip(("user_id", "first_name", "language", "created_at"), row, strict=True))
        async with self._db.execute(
            f"SELECT {_ROUND_COLUMNS} FROM rounds WHERE user_id = ? ORDER BY number", (user_id,)
        ) as cursor:
            rounds = [_round(r) async for r in cursor]
        result = []
        for round_ in rounds:
            async with self._db.execute(
                "SELECT statement_id, value, answered_at FROM answers WHERE round_id = ?"
                " ORDER BY answered_at, statement_id",
                (round_.round_id,),
            ) as cursor:
                result.append((round_, [SavedAnswer(*r) async for r in cursor]))
        return person, result
