"""The ledger of messages the bot sends on its own: each one claimed before it is sent and
settled after, under a key (kind, recipient, period) that can be claimed only once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aiosqlite


@dataclass(frozen=True)
class Entry:
    """One message in the ledger: how it went (None: being sent), and what it showed."""

    outcome: str | None
    shown: str | None


class DeliveriesRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def claim(self, kind: str, recipient: int, period: str, now: str) -> bool:
        """Note the message as being sent; False when it was claimed before (sent, or being
        sent)."""
        cursor = await self._db.execute(
            "INSERT INTO deliveries (kind, recipient, period, claimed_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (kind, recipient, period, now),
        )
        return cursor.rowcount == 1

    async def settle(
        self, kind: str, recipient: int, period: str, outcome: str, now: str, shown: str | None
    ) -> None:
        await self._db.execute(
            "UPDATE deliveries SET outcome = ?, settled_at = ?, shown = ?"
            " WHERE kind = ? AND recipient = ? AND period = ? AND outcome IS NULL",
            (outcome, now, shown, kind, recipient, period),
        )

    async def release(self, kind: str, recipient: int, period: str) -> None:
        """Forget a claim whose message did not go, so it is due again."""
        await self._db.execute(
            "DELETE FROM deliveries"
            " WHERE kind = ? AND recipient = ? AND period = ? AND outcome IS NULL",
            (kind, recipient, period),
        )

    async def release_unsettled(self) -> int:
        """At start-up: forget the claims a stopped bot never settled."""
        cursor = await self._db.execute("DELETE FROM deliveries WHERE outcome IS NULL")
        return cursor.rowcount

    async def of_period(self, kind: str, period: str) -> dict[int, Entry]:
        """Who has a message of ``kind`` for ``period``, with how it went and what it showed."""
        rows = await self._db.execute_fetchall(
            "SELECT recipient, outcome, shown FROM deliveries WHERE kind = ? AND period = ?",
            (kind, period),
        )
        return {recipient: Entry(outcome, shown) for recipient, outcome, shown in rows}

    async def last_sent(self, recipient: int, kinds: Iterable[str]) -> str | None:
        """When the last message of one of ``kinds`` went to ``recipient`` (or may have gone, or
        is going); None: never."""
        kinds = tuple(kinds)
        marks = ", ".join("?" * len(kinds))
        [(last,)] = await self._db.execute_fetchall(
            f"SELECT MAX(claimed_at) FROM deliveries WHERE recipient = ? AND kind IN ({marks})"
            " AND (outcome IS NULL OR outcome IN ('sent', 'unknown'))",
            (recipient, *kinds),
        )
        return last

    async def of(self, recipient: int) -> list[tuple[str, str, str | None]]:
        """(kind, claimed_at, outcome) of every message sent to ``recipient``, oldest first."""
        rows = await self._db.execute_fetchall(
            "SELECT kind, claimed_at, outcome FROM deliveries WHERE recipient = ?"
            " ORDER BY claimed_at, kind",
            (recipient,),
        )
        return [tuple(row) for row in rows]
