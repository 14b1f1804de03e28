"""Per-person ordering: one person's updates one after the other, different people at once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.processing import PerUserUpdateProcessor


def _update(update_id: int, user_id: int) -> Update:
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
        asyncio.create_task(processor.process_update(_update(1, 7), slow("anna 1"))),
        asyncio.create_task(processor.process_update(_update(2, 7), quick("anna 2"))),
        asyncio.create_task(processor.process_update(_update(3, 8), quick("bo 1"))),
    ]
    await slow_started.wait()
    await asyncio.sleep(0.05)
    # Bo is served while Anna's first update is still busy; Anna's second waits for her first.
    assert log == ["anna 1 start", "bo 1"]
    release.set()
    await asyncio.gather(*tasks)
    assert log == ["anna 1 start", "bo 1", "anna 1 end", "anna 2"]
    assert processor._locks == {}  # nothing kept for people with nothing in flight
