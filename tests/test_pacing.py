"""Pacing: the order of turns, and when each one comes, on a clock the test moves.

No timings are measured here: the pace gets a fake clock, and the test lets time pass only when
the pace is asleep, so every expected time below is worked out by hand from the pace."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest
from telegram.error import RetryAfter

from bot.pacing import MAX_RETRIES, Lane, Pace, PacedRateLimiter

START = 100.0


async def _settle() -> None:
    """Let every task that can run, run (each step of the pace takes one)."""
    for _ in range(10):
        await asyncio.sleep(0)


class FakeTime:
    """The pace's clock: it stands still until the test lets time pass, and then jumps to
    when the pace asked to wake."""

    def __init__(self, late: float = 0.0) -> None:
        self.now = START
        self.late = late  # how much later than asked the pace wakes (a busy event loop)
        self._alarm: tuple[float, asyncio.Future[None]] | None = None

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        assert seconds > 0
        alarm = asyncio.get_running_loop().create_future()
        self._alarm = (self.now + seconds + self.late, alarm)
        try:
            await alarm
        finally:
            if self._alarm is not None and self._alarm[1] is alarm:
                self._alarm = None  # woken by something else: somebody new, an answer

    async def pass_time(self) -> None:
        await _settle()
        assert self._alarm is not None, "the pace is not waiting for the time"
        (self.now, alarm), self._alarm = self._alarm, None
        alarm.set_result(None)
        await _settle()


class Sender:
    """Asks ``pace`` for turns and notes who got one when."""

    def __init__(self, pace: Pace, time: FakeTime) -> None:
        self.pace, self.time = pace, time
        self.turns: list[tuple[str, float]] = []
        self.tasks: dict[str, asyncio.Task[None]] = {}
        # name: what the request waits for before Telegram answers it (nothing: at once)
        self.under_way: dict[str, Callable[[], Awaitable[object]]] = {}

    async def ask(self, *names: str) -> None:
        """One request per name, in this order; names starting with "b" are bulk."""
        for name in names:
            lane = Lane.BULK if name.startswith("b") else Lane.REPLY
            self.tasks[name] = asyncio.create_task(self._one(name, lane))
        await _settle()

    async def _one(self, name: str, lane: Lane) -> None:
        async with self.pace.turn(lane):
            self.turns.append((name, self.time.now))
            if name in self.under_way:
                await self.under_way[name]()

    async def until_all_had_a_turn(self) -> None:
        while not all(task.done() for task in self.tasks.values()):
            await self.time.pass_time()


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


def paced(time: FakeTime, per_second: float, bulk_every: int = 10) -> Sender:
    pace = Pace(per_second, bulk_every=bulk_every, clock=time.clock, sleep=time.sleep)
    return Sender(pace, time)


async def test_replies_go_at_once_and_before_waiting_bulk_which_is_spaced(time):
    sender = paced(time, 4)
    await sender.ask("b1", "b2", "r1", "r2")
    await sender.until_all_had_a_turn()
    assert sender.turns == [("r1", 100.0), ("r2", 100.0), ("b1", 100.0), ("b2", 100.25)]


async def test_a_reply_that_comes_in_while_bulk_waits_goes_at_once(time):
    sender = paced(time, 4)
    await sender.ask("b1", "b2", "b3")
    assert sender.turns == [("b1", 100.0)]  # the first turn is free: no waiting for nothing
    await sender.ask("r1")
    assert sender.turns == [("b1", 100.0), ("r1", 100.0)]
    await sender.until_all_had_a_turn()
    assert sender.turns == [("b1", 100.0), ("r1", 100.0), ("b2", 100.25), ("b3", 100.5)]


async def test_bulk_leaves_room_in_the_second_for_replies(time):
    sender = paced(time, 9)  # nine in a second; bulk takes eight, one every 1/8 s
    await sender.ask(*(f"b{n}" for n in range(1, 10)))
    for _ in range(7):
        await time.pass_time()
    assert sender.turns == [(f"b{n}", 100 + (n - 1) / 8) for n in range(1, 9)]
    await sender.ask("r1", "r2")  # at 100.875: room for one more in this second
    assert sender.turns[8:] == [("r1", 100.875)]
    await sender.until_all_had_a_turn()
    # r2 when b1 (100.0) leaves the second; b9 when the second holds fewer than eight again:
    # b2 leaves at 101.125, b3 at 101.25.
    assert sender.turns[9:] == [("r2", 101.0), ("b9", 101.25)]


async def test_after_a_quiet_spell_bulk_goes_at_once_and_then_spaced_again(time):
    sender = paced(time, 4)
    await sender.ask("b1", "b2")
    await sender.until_all_had_a_turn()
    time.now = 130.0
    await sender.ask("b3", "b4")
    await sender.until_all_had_a_turn()
    assert sender.turns == [("b1", 100.0), ("b2", 100.25), ("b3", 130.0), ("b4", 130.25)]


async def test_no_second_holds_more_turns_than_the_pace(time):
    sender = paced(time, 28)
    await sender.ask(*(f"{'br'[n % 2]}{n}" for n in range(100)))
    await sender.until_all_had_a_turn()
    times = [when for _, when in sender.turns]
    busiest = max(sum(start <= when < start + 1 for when in times) for start in times)
    assert busiest == 28
    # The fifty replies take the first two seconds (28 and 22 turns, bulk's share aside).
    assert max(when for name, when in sender.turns if name.startswith("r")) == 101.0


async def test_a_pace_woken_late_keeps_to_its_plan():
    time = FakeTime(late=0.1)  # every wake-up 0.1 s late, bulk planned 0.25 s apart
    sender = paced(time, 4)
    await sender.ask("b1", "b2", "b3", "b4", "b5")
    await sender.until_all_had_a_turn()
    # Planned 100.25, 100.5, 100.75, 101.0: each comes 0.1 late, and the next is still planned
    # from the plan (not from when the late one came), so the lateness does not add up.
    assert sender.turns == [
        ("b1", 100.0),
        ("b2", pytest.approx(100.35)),
        ("b3", pytest.approx(100.6)),
        ("b4", pytest.approx(100.85)),
        ("b5", pytest.approx(101.1)),
    ]


async def test_a_turn_much_later_than_planned_starts_the_plan_again():
    time = FakeTime(late=0.2)  # later than half a spacing (0.125 s): no making up
    sender = paced(time, 4)
    await sender.ask("b1", "b2", "b3")
    await sender.until_all_had_a_turn()
    assert sender.turns == [
        ("b1", 100.0),
        ("b2", pytest.approx(100.45)),
        ("b3", pytest.approx(100.9)),
    ]


async def test_requests_under_way_count_until_a_second_after_their_answer(time):
    sender = paced(time, 2)  # two a second, so at most two in any second
    answer = asyncio.Event()
    sender.under_way["r1"] = sender.under_way["r2"] = answer.wait  # Telegram is slow
    await sender.ask("r1", "r2", "r3")
    assert sender.turns == [("r1", 100.0), ("r2", 100.0)]
    # r1 and r2 may still reach Telegram: r3 waits, however much time passes.
    time.now = 105.0
    await _settle()
    assert len(sender.turns) == 2
    answer.set()  # both answered at 105.0: they count until 106.0
    await sender.until_all_had_a_turn()
    assert sender.turns == [("r1", 100.0), ("r2", 100.0), ("r3", 106.0)]


async def test_while_replies_fill_the_pace_bulk_still_gets_its_turn(time):
    sender = paced(time, 4, bulk_every=3)
    await sender.ask("b1", "b2", "r1", "r2", "r3", "r4", "r5", "r6")
    await sender.until_all_had_a_turn()
    # Two replies while b1 could have gone, then b1; r3 while b2 waits for its spacing, which
    # does not count; the second is full. At 101.0 the same again.
    assert sender.turns == [
        *(("r1", 100.0), ("r2", 100.0), ("b1", 100.0), ("r3", 100.0)),
        *(("r4", 101.0), ("r5", 101.0), ("b2", 101.0), ("r6", 101.0)),
    ]


async def test_replies_before_bulk_came_in_do_not_count_towards_its_turn(time):
    sender = paced(time, 4, bulk_every=3)
    await sender.ask("r1", "r2", "r3", "r4")  # the second is full
    await sender.ask("b1", "r5", "r6", "r7")
    await sender.until_all_had_a_turn()
    # Had r1 to r4 counted, b1 would go first at 101.0; it waits for r5 and r6.
    assert [name for name, _ in sender.turns] == [
        *("r1", "r2", "r3", "r4"),
        *("r5", "r6", "b1", "r7"),
    ]


async def test_a_request_given_up_while_it_waited_takes_no_turn(time):
    sender = paced(time, 4)
    await sender.ask("b1", "b2", "b3")
    sender.tasks.pop("b2").cancel()
    await sender.until_all_had_a_turn()
    assert sender.turns == [("b1", 100.0), ("b3", 100.25)]


# -- the bot's rate limiter: lanes from rate_limit_args, flood control --------------------


class Calls:
    """Requests through a limiter; each notes its name when it reaches "Telegram"."""

    def __init__(self, limiter: PacedRateLimiter) -> None:
        self.limiter = limiter
        self.made: list[str] = []

    def request(
        self, name: str, lane: Lane | None = None, chat_id: int | None = 7, fail_first: int = 0
    ) -> asyncio.Task:
        async def telegram(endpoint: str, data: dict) -> str:
            self.made.append(name)
            if self.made.count(name) <= fail_first:
                raise RetryAfter(0)  # flood control: "retry after 0 seconds"
            return name

        data = {} if chat_id is None else {"chat_id": chat_id}
        return asyncio.create_task(
            self.limiter.process_request(
                telegram, ("sendMessage", data), {}, "sendMessage", data, lane
            )
        )


async def test_the_lane_comes_from_rate_limit_args_and_reply_is_the_default():
    calls = Calls(PacedRateLimiter(28))
    await asyncio.gather(
        calls.request("photo", Lane.BULK),
        calls.request("document", Lane.BULK),
        calls.request("next statement"),
        calls.request("edit", Lane.REPLY),
    )
    assert calls.made == ["next statement", "edit", "photo", "document"]


async def test_a_bulk_message_waits_for_people_first_and_a_reply_does_not():
    people_done = asyncio.Event()
    calls = Calls(PacedRateLimiter(28, people_first=people_done.wait))
    digest = calls.request("digest", Lane.BULK)
    reply = calls.request("next statement")
    await reply
    await _settle()
    assert calls.made == ["next statement"]
    people_done.set()
    assert await digest == "digest"
    assert calls.made == ["next statement", "digest"]


async def test_what_goes_to_no_chat_is_not_paced():
    calls = Calls(PacedRateLimiter(0.01))  # a turn every 100 seconds
    first, second = calls.request("first"), calls.request("second")
    await first
    # answerCallbackQuery has no chat_id: it does not wait for the pace.
    assert await calls.request("answer the tap", chat_id=None) == "answer the tap"
    assert not second.done()
    second.cancel()


@pytest.mark.parametrize("per_second", [28, 0])
async def test_after_flood_control_a_request_is_tried_again(per_second):
    calls = Calls(PacedRateLimiter(per_second))
    assert await calls.request("photo", Lane.BULK, fail_first=2) == "photo"
    assert calls.made == ["photo", "photo", "photo"]


async def test_after_flood_control_too_often_the_request_fails():
    calls = Calls(PacedRateLimiter(28))
    with pytest.raises(RetryAfter):
        await calls.request("photo", fail_first=MAX_RETRIES + 1)
    assert calls.made == ["photo"] * (MAX_RETRIES + 1)


async def test_with_pacing_off_nothing_waits_for_a_turn():
    calls = Calls(PacedRateLimiter(0))
    requests = [calls.request(f"m{n}", Lane.BULK if n % 2 else None) for n in range(50)]
    await _settle()  # paced, only the first would be made by now
    assert calls.made == [f"m{n}" for n in range(50)]  # as asked: no lanes without a pace
    await asyncio.gather(*requests)
