"""Pacing with two lanes: what answers a tap goes before pictures, files and long texts.

Telegram lets a bot send about 30 messages a second in all. The bot keeps under that with one
pace for everything it sends or edits (answering a tap does not count), with two rules:

- A turn every 1/``messages_per_second`` seconds, with no bursts. A turn the event loop gets to
  late does not push the next one back (at most half a turn is made up): on a busy machine the
  lateness of every turn would otherwise add up, and 28 a second became 26.8.
- Never more than ``messages_per_second`` requests in one second, counted the way Telegram can
  see them: a request counts from its turn until a second after its answer came back. Whenever
  Telegram received it, it was in that span, so no second at Telegram's side can hold more.
  Making up lateness can never break the limit, however late requests leave or arrive.

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
import contextlib
import dataclasses
import enum
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

MAX_RETRIES = 3  # times a request is tried again after flood control
BULK_EVERY = 10  # while replies fill the pace, one turn in this many goes to bulk


class Lane(enum.Enum):
    """A bot method's ``rate_limit_args``. (Enum members are true: python-telegram-bot drops
    a false one.)"""

    REPLY = "reply"
    BULK = "bulk"


Granted = asyncio.Future["_Request"]


class Pace:
    """Turns at most ``per_second`` a second, a waiting reply first.

    One task hands out the turns while anybody waits; ``clock`` and ``sleep`` are only its, so
    a test can give it a clock of its own."""

    WINDOW = 1.0  # seconds: the span Telegram's limit counts in

    def __init__(
        self,
        per_second: float,
        *,
        bulk_every: int = BULK_EVERY,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = 1 / per_second
        self._most = max(1, math.floor(per_second * self.WINDOW))  # requests in one window
        self._bulk_every = bulk_every
        self._clock = clock
        self._sleep = sleep
        self._waiting: dict[Lane, deque[Granted]] = {lane: deque() for lane in Lane}
        self._free_at = float("-inf")  # the clock's time of the next free turn, as planned
        self._counted: list[_Request] = []  # requests that may still be in Telegram's window
        self._answered: asyncio.Future[None] | None = None  # set when a request is answered
        self._replies_before_bulk = 0  # turns given to replies while bulk waited
        self._handing_out: asyncio.Task[None] | None = None

    @contextlib.asynccontextmanager
    async def turn(self, lane: Lane) -> AsyncIterator[None]:
        """Wait for ``lane``'s turn to send one message; the request is made inside, and counts
        towards the limit until a second after it ended."""
        granted: Granted = asyncio.get_running_loop().create_future()
        self._waiting[lane].append(granted)
        if self._handing_out is None or self._handing_out.done():
            self._handing_out = asyncio.create_task(self._hand_out())
        try:
            request = await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():  # given up just as its turn came
                self._ended(granted.result())
            raise
        try:
            yield
        finally:
            self._ended(request)

    def _ended(self, request: _Request) -> None:
        request.answered_at = self._clock()
        if self._answered is not None and not self._answered.done():
            self._answered.set_result(None)

    async def _hand_out(self) -> None:
        while self._drop_given_up():
            now = self._clock()
            window_frees_at = self._window_frees_at(now)
            if window_frees_at is None:
                self._answered = asyncio.get_running_loop().create_future()
                await self._answered
                continue
            delay = max(self._free_at, window_frees_at) - now
            if delay > 0:
                await self._sleep(delay)
                continue  # a reply may have come in meanwhile
            request = _Request()
            self._counted.append(request)
            self._next_in_line().set_result(request)
            # A late turn keeps the plan (the next one comes sooner), unless it was so late
            # that the plan is history: then the pace starts again from now.
            planned = self._free_at if now - self._free_at <= self._interval / 2 else now
            self._free_at = planned + self._interval

    def _window_frees_at(self, now: float) -> float | None:
        """When the window has room for one more request: -inf, it has room now; None, not
        before a request under way is answered."""
        self._counted = [
            r for r in self._counted if r.answered_at is None or r.answered_at > now - self.WINDOW
        ]
        to_leave = len(self._counted) - self._most + 1
        if to_leave <= 0:
            return float("-inf")
        answered = sorted(r.answered_at for r in self._counted if r.answered_at is not None)
        return answered[to_leave - 1] + self.WINDOW if len(answered) >= to_leave else None

    def _drop_given_up(self) -> bool:
        """Forget requests cancelled while they waited; whether anybody still waits."""
        for waiting in self._waiting.values():
            while waiting and waiting[0].done():
                waiting.popleft()
        return any(self._waiting.values())

    def _next_in_line(self) -> Granted:
        replies, bulk = self._waiting[Lane.REPLY], self._waiting[Lane.BULK]
        if bulk and (not replies or self._replies_before_bulk >= self._bulk_every - 1):
            self._replies_before_bulk = 0
            return bulk.popleft()
        if bulk:
            self._replies_before_bulk += 1
        return replies.popleft()


@dataclasses.dataclass
class _Request:
    """A request that had its turn; ``answered_at`` is None while it is under way."""

    answered_at: float | None = None


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
            if pace is None:
                return await callback(*call_args, **call_kwargs)
            async with pace.turn(rate_limit_args or Lane.REPLY):
                return await callback(*call_args, **call_kwargs)

        return await self._flood_control.process_request(
            paced, args, kwargs, endpoint, data, rate_limit_args=None
        )
