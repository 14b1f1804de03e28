"""Messages the bot sends on its own, each exactly once: what is due, claiming one before it is
sent, and settling it after, with what it showed.

Every kind of message (a reminder, the offer at a standstill, a team's weekly digest)
is a :class:`DueKind`: it says, from the database, what is due now. The scheduler (bot/jobs.py)
asks all kinds, then for each message: :meth:`Deliveries.claim` (asks its kind again and notes the
message in the ledger, in one transaction), sends it, and :meth:`Deliveries.settle` (notes how it
went and lets the kind update its own state, in one transaction).

Saying what is due is cheap, and stays so: it is asked at every wake-up (from a snapshot) and
again at each claim, inside a transaction that every tap waits for. Whether a message still has
something to say is decided by its sender, right before it sends (the weekly digest: the digest
is worked out right after the claim, and looked at again right before it is sent; not at the
claim and again at the settle). The sender returns what happened (:class:`Sent`): nothing to
send after all is settled as :attr:`Outcome.SKIPPED`, not as sent, and what the message showed
goes in the ledger (``shown``), so its kind compares later with what people were really shown,
not with what the database says by the time of the settle.

The ledger's key (kind, recipient, period) can be claimed once, so a message is never sent
twice by a running bot. A bot killed between claim and settle leaves the claim unsettled; at
start-up :meth:`Deliveries.release_unsettled` forgets those claims and the messages are due
again. That is right when the kill came before the request left the bot (while it waited in the
rate limiter, where a paced bot spends most of that time). It sends the message a second time
when the kill came after Telegram had taken it and before the settle was written (one HTTP
answer and one commit: milliseconds): the one case nobody can tell apart afterwards, as
sendMessage has no key to ask Telegram by. Treating an unsettled claim as sent instead would
lose the message in the far likelier first case. At most one message is in that window at a
time: messages are sent one by one, each claimed right before it is sent (a digest while the
message before it goes out, so it is worked out and its picture drawn meanwhile).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from services.clock import Clock, as_text
from storage import Database, Transaction


class Outcome(enum.StrEnum):
    SENT = "sent"  # Telegram took it
    BLOCKED = "blocked"  # the person blocked the bot: nothing more goes to them
    FAILED = "failed"  # Telegram refused it (a bad request); not tried again
    UNKNOWN = "unknown"  # timed out on the way: it may have arrived, so it is not sent again
    SKIPPED = "skipped"  # the sender found nothing to send after all (nothing new)


@dataclass(frozen=True)
class Sent:
    """What a sender says happened, when it is more than "sent, nothing to note" (None)."""

    outcome: Outcome = Outcome.SENT
    shown: str | None = None  # what the message showed, for its kind to compare with later


# A message claimed and worked out: sending it says what happened (bot/jobs.py).
Sending = Callable[[], Awaitable[Sent | None]]


@dataclass(frozen=True)
class Due:
    """One message due: the key that makes it once-only, and what its sender needs."""

    kind: str
    recipient: int  # a person's Telegram id: their private chat
    period: str  # which one of its kind: a reminder's time, a standstill's start, a week
    language: str
    first_name: str
    about: int | None = None  # what it is about: the round to go on with (a team, ...)


class DueKind(Protocol):
    """A kind of message the scheduler sends."""

    kind: str

    async def due(self, tx: Transaction, now: datetime, recipient: int | None = None) -> list[Due]:
        """What is due at ``now`` (for ``recipient`` only, when given: the check again at the
        claim). Leave out what was sent already, and people who blocked the bot. Reads only:
        the listing of every tick reads from a snapshot, which holds up nobody."""
        ...

    async def delivered(self, tx: Transaction, due: Due, outcome: Outcome, now: str) -> None:
        """The message is settled (its row in the ledger says so, with what it showed): update
        what this kind keeps (in the same transaction)."""
        ...


class Deliveries:
    def __init__(self, database: Database, clock: Clock, kinds: Iterable[DueKind]) -> None:
        self._db = database
        self._clock = clock
        self._kinds = {kind.kind: kind for kind in kinds}

    async def release_unsettled(self) -> int:
        """At start-up, before anything is sent: claims of a stopped bot are due again."""
        async with self._db.transaction() as tx:
            return await tx.deliveries.release_unsettled()

    async def due(self) -> list[Due]:
        """Everything due now, from a snapshot: with 200 teams whose digests fell due, listing
        them held the database 330 ms, and everybody's taps waited (benchmarks/digest_load.py).
        The claim checks each one again, in a transaction."""
        now = self._clock.now()
        async with self._db.snapshot() as tx:
            return [due for kind in self._kinds.values() for due in await kind.due(tx, now)]

    async def claim(self, due: Due) -> bool:
        """Right before sending: still due (the person may have gone on, or wiped their data,
        since :meth:`due`), not blocked, and not claimed before? Then note it as being sent."""
        now = self._clock.now()
        async with self._db.transaction() as tx:
            person = await tx.people.get(due.recipient)
            if person is None or person.blocked_at is not None:
                return False
            if due not in await self._kinds[due.kind].due(tx, now, due.recipient):
                return False
            return await tx.deliveries.claim(due.kind, due.recipient, due.period, as_text(now))

    async def settle(self, due: Due, outcome: Outcome, shown: str | None = None) -> None:
        now = self._clock.text()
        async with self._db.transaction() as tx:
            await tx.deliveries.settle(due.kind, due.recipient, due.period, outcome, now, shown)
            person = await tx.people.get(due.recipient)
            if outcome is Outcome.BLOCKED and person is not None:
                await tx.people.save(person.blocked(now))
            await self._kinds[due.kind].delivered(tx, due, outcome, now)

    async def release(self, due: Due) -> None:
        """The message did not go (the network failed): due again at the next tick."""
        async with self._db.transaction() as tx:
            await tx.deliveries.release(due.kind, due.recipient, due.period)
