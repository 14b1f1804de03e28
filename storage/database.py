"""The SQLite database: one long-lived aiosqlite connection, migrations, and transactions.

Every use case runs inside one :meth:`Database.transaction`: it loads, decides and saves while
holding the connection alone, so two updates of one person, or a scheduled job and a person,
can never interleave into a wrong state, and a bot killed at any moment loses nothing it has
confirmed. One connection means one transaction at a time; each is a few small statements.
A long read that decides nothing (a team's digest) takes a :meth:`Database.snapshot` on a
second, read-only connection instead, so nobody's transaction waits for it; and a third
connection copies the write-ahead log into the database file (:meth:`Database.checkpoint`), so
no commit has to.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from storage.deliveries import DeliveriesRepository
from storage.people import PeopleRepository
from storage.reactions import ReactionRepository
from storage.reminders import ReminderRepository
from storage.rounds import RoundRepository
from storage.schema import MIGRATIONS
from storage.teams import TeamRepository


@dataclass(frozen=True)
class Transaction:
    """The repositories, bound to one open transaction."""

    people: PeopleRepository
    rounds: RoundRepository
    reactions: ReactionRepository
    teams: TeamRepository
    reminders: ReminderRepository
    deliveries: DeliveriesRepository


class Database:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection
        # The connection is shared by all chats; while one transaction is open nobody else may
        # read or write through it (they would see its uncommitted rows).
        self._lock = asyncio.Lock()
        self._repositories = _repositories(connection)
        # A second connection for long reads, with its repositories (see snapshot); None:
        # they take a transaction.
        self._reader: tuple[aiosqlite.Connection, Transaction] | None = None
        self._reading = asyncio.Lock()
        self._checkpointer: aiosqlite.Connection | None = None  # see checkpoint
        # One checkpoint at a time: a TRUNCATE (after /wis) that meets the background one
        # running stops at once and leaves the log as it is (SQLite answers "busy").
        self._checkpointing = asyncio.Lock()

    @classmethod
    async def open(cls, path: str | Path) -> Database:
        in_memory = str(path) == ":memory:"
        if not in_memory:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        connection = await aiosqlite.connect(path, isolation_level=None)
        database = cls(connection)
        try:
            await connection.execute("PRAGMA journal_mode = WAL")
            # FULL: an answer the bot has confirmed survives a power cut too, not only a crash.
            await connection.execute("PRAGMA synchronous = FULL")
            await connection.execute("PRAGMA foreign_keys = ON")
            # Deleted rows are overwritten, so /wis leaves no answers behind in free pages.
            await connection.execute("PRAGMA secure_delete = ON")
            await connection.execute("PRAGMA busy_timeout = 5000")
            await database._migrate()
            if not in_memory:  # an in-memory database is seen by its own connection only
                await database._open_reader(Path(path))
                database._checkpointer = await aiosqlite.connect(path, isolation_level=None)
        except BaseException:
            await database.close()
            raise
        return database

    async def _open_reader(self, path: Path) -> None:
        reader = await aiosqlite.connect(
            f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
        self._reader = reader, _repositories(reader)
        await reader.execute("PRAGMA busy_timeout = 5000")

    async def close(self) -> None:
        async with self._lock, self._reading, self._checkpointing:
            if self._checkpointer is not None:
                await self._checkpointer.close()
            if self._reader is not None:
                await self._reader[0].close()
            await self._db.close()

    async def _migrate(self) -> None:
        [(version,)] = await self._db.execute_fetchall("PRAGMA user_version")
        for number, statements in enumerate(MIGRATIONS[version:], version + 1):
            async with self.transaction():
                for statement in statements:
                    await self._db.execute(statement)
                await self._db.execute(f"PRAGMA user_version = {number}")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """Load, decide and save in one go; an exception rolls everything back."""
        async with self._lock:
            await self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._repositories
            except BaseException:
                await self._db.execute("ROLLBACK")
                raise
            await self._db.execute("COMMIT")

    @asynccontextmanager
    async def snapshot(self) -> AsyncIterator[Transaction]:
        """Read what was committed, without holding up anybody's transaction: for a long read,
        such as the rounds of every member of a team for its weekly digest (thirty members'
        answers: 4 to 15 ms, all of which the taps of everybody else waited for when 200 teams'
        digests went out; benchmarks/digest_load.py). A connection of its own, opened read-only,
        in one read transaction, so what it reads belongs together."""
        if self._reader is None:
            async with self.transaction() as tx:
                yield tx
            return
        reader, repositories = self._reader
        async with self._reading:
            await reader.execute("BEGIN")
            try:
                yield repositories
            finally:
                await reader.execute("COMMIT")

    async def checkpoint(self) -> None:
        """Copy what the write-ahead log holds into the database file, on a connection of its
        own, without waiting for anybody's transaction (PASSIVE) and without any transaction
        waiting for it. Left to SQLite, the commit that takes the log past 1000 pages does it,
        and the person whose answer that was waits while the pages are written and the file
        synced: 6 to 9 ms on a quiet disk, tens of milliseconds on a busy one, several times a
        minute while the weekly digests go out (benchmarks/digest_load.py). Done every few
        seconds (bot/jobs.py), the log does not get that long, and SQLite's own stays for a
        burst."""
        if self._checkpointer is not None:
            async with self._checkpointing:
                await self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    async def truncate_wal(self) -> None:
        """Copy the write-ahead log into the database file and empty it, so deleted rows are
        gone from the log too (after /wis). Needs no transaction open, so it takes the lock."""
        async with self._lock, self._checkpointing:
            await self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _repositories(connection: aiosqlite.Connection) -> Transaction:
    return Transaction(
        PeopleRepository(connection),
        RoundRepository(connection),
        ReactionRepository(connection),
        TeamRepository(connection),
        ReminderRepository(connection),
        DeliveriesRepository(connection),
    )
