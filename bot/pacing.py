"""Pacing with two lanes: what answers a tap goes before pictures, files and long texts.

Telegram lets a bot send about 30 messages a second in all. The bot keeps under that with one
pace for everything it sends or edits (answering a tap does not count). Its one hard rule:

- Never more than ``messages_per_second`` requests in one second, counted the way Telegram can
  see them: a request counts from its turn until a second after its answer came back. Whenever
  Telegram received it, it was in that span, so no second at Telegram's side can hold more,
  however late requests leave or arrive.

Turns go to two lanes:

- REPLY, the default: the edit of the answered statement, the next statement, a short answer.
  Somebody is waiting for it, tap by tap, so a reply goes the moment the second has room.
- BULK: a picture, a file, a long detail text, a digest or reminder. Heavier for the person to
  take in anyway, and a few seconds later hurts nobody. Bulk messages go one by one, evenly
  spaced, and only while 6 of the 28 requests of a second stay free for replies: on a Monday
  morning, while the digests of 200 teams go out, a tap nearly always finds room for its answer
  at once (benchmarks/digest_load.py: with 3 of 28 free, five taps coming together waited up to
  a tenth of a second; with 5, the third of three taps within some 40 ms waited up to 60 ms
  for its turn, once or twice a run, the slowest taps of all; with 6 free that needs four taps
  together, and the digests take 50.5 s instead of 47; with 7, 55 s). Before, replies took turns
  1/28 s apart like everything else: a tap's two messages waited for each other even on a quiet
  bot, and five taps at once waited for ten turns behind the digests.

A waiting reply goes before a waiting bulk message. When replies alone fill the second (a
workshop answering at full speed), a bulk message that could go still gets its turn after
``bulk_every - 1`` replies went before it: it arrives later, but not never
(benchmarks/overview_load.py). A late turn of the bulk lane does not push the next one back (at
most half a spacing is made up): on a busy machine the lateness of every turn would otherwise
add up. Pacing never waits for nothing.

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
BULK_EVERY = 10  # bulk that could go gets its turn after this many replies, less one
ROOM_FOR_REPLIES = 0.22  # the share of a second that bulk leaves to replies: 6 of 28


class Lane(enum.Enum):
    """A bot method's ``rate_limit_args``. (Enum members are true: python-telegram-bot drops
    a false one.)"""

    REPLY = "reply"
    BULK = "bulk"


Granted = asyncio.Future["_Request"]


class Pace:
    """Turns for at most ``per_second`` requests in any second, a waiting reply first.

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
        self._most = max(1, math.floor(per_second * self.WINDOW))  # requests in one window
        self._bulk_most = self._most - math.floor(self._most * ROOM_FOR_REPLIES)
        self._bulk_interval = self.WINDOW / self._bulk_most
        self._bulk_every = bulk_every
        self._clock = clock
        self._sleep = sleep
        self._waiting: dict[Lane, deque[Granted]] = {lane: deque() for lane in Lane}
        self._bulk_free_at = float("-inf")  # the next bulk turn, as planned
        self._counted: list[_Request] = []  # requests that may still be in Telegram's window
        self._changed: asyncio.Future[None] | None = None  # set when somebody new waits or a
        # request is answered: the hand-out looks again
        self._replies_before_bulk = 0  # turns given to replies while bulk could have had one
        self._handing_out: asyncio.Task[None] | None = None

    @contextlib.asynccontextmanager
    async def turn(self, lane: Lane) -> AsyncIterator[None]:
        """Wait for ``lane``'s turn to send one message; the request is made inside, and counts
        towards the limit until a second after it ended."""
        granted: Granted = asyncio.get_running_loop().create_future()
        self._waiting[lane].append(granted)
        if self._handing_out is None or self._handing_out.done():
            self._handing_out = asyncio.create_task(self._hand_out())
        self._look_again()
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
        self._look_again()

    def _look_again(self) -> None:
        if self._changed is not None and not self._changed.done():
            self._changed.set_result(None)

    async def _hand_out(self) -> None:
        while self._drop_given_up():
            now = self._clock()
            replies, bulk = self._waiting[Lane.REPLY], self._waiting[Lane.BULK]
            # Bulk is owed a turn when replies took bulk_every - 1 while it could have gone.
            owed = bool(bulk) and self._replies_before_bulk >= self._bulk_every - 1
            reply_at = self._room_at(now, self._most) if replies else None
            bulk_at = None
            if bulk:
                room_at = self._room_at(now, self._most if owed else self._bulk_most)
                bulk_at = None if room_at is None else max(self._bulk_free_at, room_at)
            if (
                bulk_at is not None
                and bulk_at <= now
                and (owed or reply_at is None or reply_at > now)
            ):
                self._give(bulk.popleft())
                self._replies_before_bulk = 0
                self._keep_bulk_plan(now)
            elif reply_at is not None and reply_at <= now:
                self._give(replies.popleft())
                if bulk and self._bulk_free_at <= now:
                    self._replies_before_bulk += 1
            else:
                times = [t for t in (reply_at, bulk_at) if t is not None]
                await self._pause(min(times) - now if times else None)

    def _give(self, granted: Granted) -> None:
        request = _Request()
        self._counted.append(request)
        granted.set_result(request)

    def _keep_bulk_plan(self, now: float) -> None:
        """The next bulk turn a spacing later. A late turn keeps the plan (the next one comes
        sooner), unless it was so late that the plan is history: then it starts from now."""
        free_at = self._bulk_free_at
        planned = free_at if now - free_at <= self._bulk_interval / 2 else now
        self._bulk_free_at = planned + self._bulk_interval

    async def _pause(self, seconds: float | None) -> None:
        """Until ``seconds`` have passed (None: no time is known, a request under way must be
        answered first), or until somebody new waits or a request is answered."""
        self._changed = asyncio.get_running_loop().create_future()
        if seconds is None:
            await self._changed
            return
        sleeping = asyncio.ensure_future(self._sleep(seconds))
        try:
            await asyncio.wait((sleeping, self._changed), return_when=asyncio.FIRST_COMPLETED)
        finally:
            sleeping.cancel()

    def _room_at(self, now: float, most: int) -> float | None:
        """When the window holds fewer than ``most`` requests: -inf, now already; None, not
        before a request under way is answered."""
        self._counted = [
            r for r in self._counted if r.answered_at is None or r.answered_at > now - self.WINDOW
        ]
        to_leave = len(self._counted) - most + 1
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


@dataclasses.dataclass
class _Request:
    """A request that had its turn; ``answered_at`` is None while it is under way."""

    answered_at: float | None = None


class PacedRateLimiter(BaseRateLimiter[Lane]):
    """The bot's rate limiter: a :class:`Pace` for every message to a chat (none when
    ``messages_per_second`` is 0), inside python-telegram-bot's handling of flood control.
    A bulk message first awaits ``people_first`` (bot/processing.py): one the bot sends on its
    own waits until the people's updates being handled are done."""

    def __init__(
        self,
        messages_per_second: float,
        people_first: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self._pace = Pace(messages_per_second) if messages_per_second else None
        self._people_first = people_first
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
        lane = rate_limit_args or Lane.REPLY

        async def paced(*call_args: Any, **call_kwargs: Any) -> Any:
            if pace is None:
                return await callback(*call_args, **call_kwargs)
            if lane is Lane.BULK and self._people_first is not None:
                await self._people_first()
            async with pace.turn(lane):
                return await callback(*call_args, **call_kwargs)

        return await self._flood_control.process_request(
            paced, args, kwargs, endpoint, data, rate_limit_args=None
        )
