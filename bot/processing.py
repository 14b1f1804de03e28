"""Updates of different people are handled at the same time; one person's updates in order.

A workshop fills in the list together: one slow chat must not hold up the others. But two quick
taps of one person must be handled one after the other, or the second could be checked against
a statement the first is still saving.

People go before what the bot does on its own (:meth:`PerUserUpdateProcessor.people_first`).
The event loop gives every task its turn in order, so while 200 teams' digests went out, each
step of a tap (every database call, every request) waited for a piece of the scheduler's work.
Cutting that work into smaller pieces did not help: a tap then waited for a small piece at each
step instead of a larger one at a few. Now the scheduler waits, before each step and each
message it sends, until no update is being handled: the taps' p99 rose 1.17 to 1.62 times
(median 1.33, 5 runs) instead of 1.40 to 2.05 (median 1.83, 8 runs; benchmarks/digest_load.py).
Its longest step, working a team's digest out, is cut into pieces, and between two pieces it
waits the same way: a tap that comes in the middle waits for one piece, and then the work stops
until the tap is answered (services/teams.py digest_of).
An update never waits for this itself: what it sends is part of somebody's turn.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

PEOPLE_FIRST_AT_MOST = 0.5  # seconds the bot's own work waits at one step, however busy it is

# True in the task that handles a person's update (and in the tasks it starts).
_HANDLING_AN_UPDATE = contextvars.ContextVar("handling_an_update", default=False)


class PerUserUpdateProcessor(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        # Lock per person, kept only while that person has updates in flight.
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}
        self._nobody_waiting = asyncio.Event()  # set while no update is in flight
        self._nobody_waiting.set()

    async def people_first(self, at_most: float = PEOPLE_FIRST_AT_MOST) -> None:
        """Wait until no person's update is being handled, but not longer than ``at_most``:
        on a bot that is never quiet, the bot's own work still goes on, a step at a time. At
        once inside an update.

        Always gives the event loop a turn first, so an update that has just come in can
        start; this also serves as the pause between two pieces of a long piece of work (a
        team's digest, services/teams.py digest_of), which then stops while a person's
        update is handled instead of taking a turn between each of that update's steps."""
        if _HANDLING_AN_UPDATE.get():
            return
        await asyncio.sleep(0)
        if self._nobody_waiting.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._nobody_waiting.wait(), at_most)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _key(update)
        if key is None:
            await coroutine
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        self._nobody_waiting.clear()
        handling = _HANDLING_AN_UPDATE.set(True)
        try:
            async with lock:
                await coroutine
        finally:
            _HANDLING_AN_UPDATE.reset(handling)
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key]
                del self._locks[key]
            if not self._waiting:
                self._nobody_waiting.set()

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _key(update: object) -> int | None:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None
