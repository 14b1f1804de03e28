"""Pictures and PDFs are made in a separate process, so other people's taps never wait for
one: rendering is CPU work that would hold the event loop (and, in a thread, Python's lock).

One worker process, started at the first picture (start-up stays fast) with "spawn", so it
shares nothing with the bot's threads and sockets. Its first render imports matplotlib.

A process of its own is not enough where cores are few: at the same priority the worker takes
an equal share of a core the bot needs. While ten pictures rendered at once, the p99 of other
people's taps rose 1.5 to 2.7 times; with the worker at the lowest priority (nice 19) 1.1 to 1.5
times, and their median hardly (benchmarks/overview_load.py --unpaced, on two shared cores).
The price: on a busy machine a picture waits for the taps, the first one (the worker's start and
matplotlib's import) longest.

The scheduler sends the weekly digests of many teams one after the other; it asks for the next
team's picture ahead (:meth:`Renderer.heatmap_ahead`), so the worker draws it while the
messages of the one before go out, instead of after them (benchmarks/digest_load.py).

The worker ends with the bot, also when the bot is killed (kill -9) and cannot stop it: it
watches the bot's process, since nothing else would end it (its task queue never closes, as the
worker holds both ends).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import multiprocessing.connection
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from bot.heatmap import HeatmapText, MemberRow, render_heatmap
from bot.picture import CompetencyBar, PictureText, render_profile
from bot.printout import Printout, render_printout

WORKER_NICENESS = 19
AHEAD = 2  # pictures asked for ahead and not taken yet: the one being sent, and the next


def _start_worker() -> None:
    """In the worker, before its first render: let every other process go first, and end
    when the bot's process does."""
    if hasattr(os, "nice"):  # not on Windows, where the demo may run; it renders all the same
        with contextlib.suppress(OSError):
            os.nice(WORKER_NICENESS)
    threading.Thread(target=_exit_with_the_bot, daemon=True).start()


def _exit_with_the_bot() -> None:
    bot = multiprocessing.parent_process()
    if bot is not None:
        multiprocessing.connection.wait([bot.sentinel])
        os._exit(0)


class Renderer:
    def __init__(self, workers: int = 1) -> None:
        self._workers = workers
        self._pool: ProcessPoolExecutor | None = None
        # (rows, text, the picture being drawn), oldest first
        self._ahead: list[tuple[tuple[MemberRow, ...], HeatmapText, asyncio.Future[bytes]]] = []

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
            )
        return self._pool

    def warm_up(self) -> None:
        """Start the worker and load its libraries now, in the background, so that the first
        person to ask for an overview does not wait for that (about a second)."""
        self._executor().submit(_load_libraries)

    async def picture(self, bars: Sequence[CompetencyBar], text: PictureText) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_profile, tuple(bars), text)

    async def heatmap(self, rows: Sequence[MemberRow], text: HeatmapText) -> bytes:
        """The picture, taken from those asked for ahead when it is one of them (the drawing
        is pure: the same words and verdicts give the same picture); those asked for before it
        were not needed after all."""
        rows = tuple(rows)
        for index, (their_rows, their_text, picture) in enumerate(self._ahead):
            if their_rows == rows and their_text == text:
                for _, _, unused in self._ahead[:index]:
                    unused.cancel()  # not drawn if the worker has not begun it
                del self._ahead[: index + 1]
                return await picture
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_heatmap, rows, text)

    def heatmap_ahead(self, rows: Sequence[MemberRow], text: HeatmapText) -> None:
        """Start drawing a picture that :meth:`heatmap` is about to be asked for."""
        rows = tuple(rows)
        loop = asyncio.get_running_loop()
        picture = loop.run_in_executor(self._executor(), render_heatmap, rows, text)
        picture.add_done_callback(_quiet)
        self._ahead.append((rows, text, picture))
        for _, _, unused in self._ahead[:-AHEAD]:
            unused.cancel()
        del self._ahead[:-AHEAD]

    async def printout(self, page: Printout) -> bytes:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_printout, page)

    async def close(self) -> None:
        """Stop the worker: pictures not begun are dropped, one being drawn is finished. Waits
        (in a thread) until the pool has wound down, or Python's exit may find its wake-up pipe
        half closed and print a traceback (a race in Python 3.11's ProcessPoolExecutor)."""
        if self._pool is not None:
            await asyncio.to_thread(self._pool.shutdown, wait=True, cancel_futures=True)


def _quiet(picture: asyncio.Future[bytes]) -> None:
    """A picture drawn ahead that nobody takes: its failure is nobody's (the one who asks for
    the picture again meets it then), and not logged as never retrieved."""
    if not picture.cancelled():
        picture.exception()


def _load_libraries() -> None:
    """In the worker: the imports the first picture and page would otherwise pay for."""
    import matplotlib.backends.backend_agg
    import matplotlib.figure  # noqa: F401
    import PIL.ImageDraw  # the team's heatmap
    import PIL.ImageFont  # noqa: F401
    import reportlab.platypus  # noqa: F401
