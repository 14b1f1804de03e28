"""Per-person ordering: one person's updates one after the other, different people at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.processing import PerUserUpdateProcessor


def update_from(update_id: int, user_id: int) -> Update:
    user = User(user_id, "x", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime.now(UTC), chat, from_user=user))


async def test_one_persons_updates_run_in_order_and_others_are_not_held_up():
    processor = PerUserUpdateProcessor(16)
    log: list[str] = []
    slow_started = asyncio.Event()
    release = asyncio.Event()

    async def slow(name: str) -> None:
        log.append(f"{name} start")
        slow_started.set()
        await release.wait()
        log.append(f"{name} end")

    async def quick(name: str) -> None:
        log.append(name)

    tasks = [
        asyncio.create_task(processor.process_update(update_from(1, 7), slow("anna 1"))),
        asyncio.create_task(processor.process_update(update_from(2, 7), quick("anna 2"))),
        asyncio.create_task(processor.process_update(update_from(3, 8), quick("bo 1"))),
    ]
    await slow_started.wait()
    await asyncio.sleep(0.05)
    # Bo is served while Anna's first update is still busy; Anna's second waits for her first.
    assert log == ["anna 1 start", "bo 1"]
    release.set()
    await asyncio.gather(*tasks)
    assert log == ["anna 1 start", "bo 1", "anna 1 end", "anna 2"]
    assert processor._locks == {}  # nothing kept for people with nothing in flight


# -- people first: what the bot does on its own waits for the updates being handled -----------


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_the_bots_own_work_waits_until_no_update_is_being_handled():
    processor = PerUserUpdateProcessor(16)
    await asyncio.wait_for(processor.people_first(), 0.1)  # nobody in flight: at once
    release = asyncio.Event()
    taps = [
        asyncio.create_task(processor.process_update(update_from(n, user), release.wait()))
        for n, user in ((1, 7), (2, 8))
    ]
    await _settle()
    own_work = asyncio.create_task(processor.people_first())
    await _settle()
    assert not own_work.done()
    release.set()
    await asyncio.gather(*taps)
    await asyncio.wait_for(own_work, 0.1)


async def test_the_bots_own_work_gives_others_a_turn_even_when_nobody_is_in_flight():
    """people_first is also the pause between two pieces of the bot's own work (a digest):
    an update that has just come in must get the event loop, to be seen as in flight."""
    processor = PerUserUpdateProcessor(16)
    turns: list[str] = []

    async def other() -> None:
        turns.append("other")

    task = asyncio.create_task(other())
    await processor.people_first()
    assert turns == ["other"]
    await task


async def test_an_update_never_waits_for_people_first_itself():
    processor = PerUserUpdateProcessor(16)
    other = asyncio.Event()
    waited: list[str] = []

    async def anna() -> None:
        await processor.people_first()  # Bo's update is in flight, and so is her own
        waited.append("anna went on")

    bo = asyncio.create_task(processor.process_update(update_from(1, 8), other.wait()))
    await _settle()
    await asyncio.wait_for(processor.process_update(update_from(2, 7), anna()), 0.1)
    assert waited == ["anna went on"]
    other.set()
    await bo


async def test_on_a_bot_that_is_never_quiet_its_own_work_waits_at_most_so_long():
    processor = PerUserUpdateProcessor(16)
    never = asyncio.Event()
    busy = asyncio.create_task(processor.process_update(update_from(1, 7), never.wait()))
    await _settle()
    await asyncio.wait_for(processor.people_first(at_most=0.01), 1.0)  # not the full second
    busy.cancel()
