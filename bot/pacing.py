"""Pacing with two lanes: what answers a tap goes before pictures, files and long texts.

Telegram lets a bot send about 30 messages a second in all. The bot keeps under that with one
pace for everything it sends or edits (answering a tap does not count): a turn at most every
1/``messages_per_second`` seconds, with no bursts, so no second ever holds more than the pace.
Turns go to two lanes:

- REPLY, the default: the edit of the answered statement, the next statement, a short answer.
  Somebody is waiting for it, tap by tap.
- BULK: a picture, a file, a long detail text, later a digest or reminder. Heavier for the
  person to take in anyway, and a few seconds later hurts nobody.

A waiting reply goes before a waiting bulk message, so that while ten pictures go out, other
people's taps are answered as fast as without them. When replies alone fill the pace (a workshop
answering at full speed), a bulk message still gets one turn in ``bulk_every``: it arrives later,
but not never, and the taps wait about a tenth longer (benchmarks/overview_load.py). A turn that
is free goes to whoever asks first; pacing never waits for nothing.

Flood control (Telegram's "retry after N seconds") and the limit of 20 messages a minute to a
group stay with python-telegram-bot's AIORateLimiter, which this wraps: it halts all sending for
the time Telegram asks and then tries again. A request tried again takes a new turn.
"""

from __future__ import annotations

import asyncio
import enum
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

MAX_RETRIES = 3  # times a request is tried again after flood control
BULK_EVERY = 10  # while replies fill the pace, one turn in this many goes to bulk


class Lane(enum.Enum):
    """A bot method's ``rate_limit_args``. (Enum members are true: python-telegram-bot drops
    a false one.)"""

    REPLY = "reply"
    BULK = "bulk"


class Pace:
    """Turns at most ``per_second`` a second, a waiting reply first.

    One task hands out the turns while anybody waits; ``clock`` and ``sleep`` are only its, so
    a test can give it a clock of its own."""

    def __init__(
        self,
        per_second: float,
        *,
        bulk_every: int = BULK_EVERY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1 / per_second
        self._bulk_every = bulk_every
        self._clock = clock
        self._sleep = sleep
        self._waiting: dict[Lane, deque[asyncio.Future[None]]] = {lane: deque() for lane in Lane}
        self._free_at = float("-inf")  # the clock's time of the next free turn
        self._replies_before_bulk = 0  # turns given to replies while bulk waited
        self._handing_out: asyncio.Task[None] | None = None

    async def turn(self, lane: Lane) -> None:
        """Return when it is ``lane``'s turn to send one message."""
        granted = asyncio.get_running_loop().create_future()
        self._waiting[lane].append(granted)
        if self._handing_out is None or self._handing_out.done():
            self._handing_out = asyncio.create_task(self._hand_out())
        await granted

    async def _hand_out(self) -> None:
        while self._drop_given_up():
            delay = self._free_at - self._clock()
            if delay > 0:
                await self._sleep(delay)
                continue  # a reply may have come in meanwhile
            self._next_in_line().set_result(None)
            # The next turn counts from this turn's planned time, not from when the loop got
            # to it: otherwise every turn's lateness is lost and the pace falls (26.8 a second
            # for 28, measured). A turn more than half a turn late (after a quiet spell) starts
            # a new plan, so no burst follows a pause.
            now = self._clock()
            planned = self._free_at if now - self._free_at <= self._interval / 2 else now
            self._free_at = planned + self._interval

    def _drop_given_up(self) -> bool:
        """Forget requests cancelled while they waited; whether anybody still waits."""
        for waiting in self._waiting.values():
            while waiting and waiting[0].done():
                waiting.popleft()
        return any(self._waiting.values())

    def _next_in_line(self) -> asyncio.Future[None]:
        replies, bulk = self._waiting[Lane.REPLY], self._waiting[Lane.BULK]
        if bulk and (not replies or self._replies_before_bulk >= self._bulk_every - 1):
            self._replies_before_bulk = 0
            return bulk.popleft()
        if bulk:
            self._replies_before_bulk += 1
        return replies.popleft()


class PacedRateLimiter(BaseRateLimiter[Lane]):
    """The bot's rate limiter: a :class:`Pace` for every message to a chat (none when
    ``messages_per_second`` is 0), inside python-telegram-bot's handling of flood control."""

    def __init__(self, messages_per_second: float) -> None:
        self._pace = Pace(messages_per_second) if messages_per_second else None
        # No overall limit of its own: that is the pace's. Its group limit and retries stay.
        self._flood_control = AIORateLimiter(overall_max_rate=0, max_retries=MAX_RETRIES)

    async def initialize(self) -> None:
        await self._flood_control.initialize()

    async def shutdown(self) -> None:
        await self._flood_control.shutdown()

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: Lane | None,
    ) -> Any:
        pace = self._pace if data.get("chat_id") is not None else None

        async def paced(*call_args: Any, **call_kwargs: Any) -> Any:
            if pace is not None:
                await pace.turn(rate_limit_args or Lane.REPLY)
            return await callback(*call_args, **call_kwargs)

        return await self._flood_control.process_request(
            paced, args, kwargs, endpoint, data, rate_limit_args=None
        )
