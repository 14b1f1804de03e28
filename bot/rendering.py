"""Pictures and PDFs are made in a separate process, so other people's taps never wait for
one: rendering is CPU work that would hold the event loop (and, in a thread, Python's lock).

One worker process, started at the first picture (start-up stays fast) with "spawn", so it
shares nothing with the bot's threads and sockets. Its first render imports matplotlib.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.picture import CompetencyBar, PictureText, render_profile
from bot.printout import Printout, render_printout


class Renderer:
    def __init__(self, workers: int = 1) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self._workers, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def warm_up(self) -> None:
        """Start the worker and load its libraries now, in the background, so that the first
        person to ask for an overview does not wait for that (about a second)."""
        self._executor().submit(_load_libraries)

    async def picture(self, bars: Sequence[CompetencyBar], text: PictureText) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_profile, tuple(bars), text)

    async def printout(self, page: Printout) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_printout, page)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)


def _load_libraries() -> None:
    """In the worker: the imports the first picture and page would otherwise pay for."""
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401
    import reportlab.platypus  # noqa: F401
