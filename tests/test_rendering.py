"""The worker process: closing it leaves nothing running that could race Python's exit."""

from __future__ import annotations

import threading
from concurrent.futures.process import _ExecutorManagerThread

from bot.rendering import Renderer


def _pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]


async def test_closing_waits_until_the_pool_has_wound_down():
    renderer = Renderer()
    renderer.warm_up()  # starts the worker and the pool's managing thread
    assert _pool_threads()
    await renderer.close()
    assert not _pool_threads()
