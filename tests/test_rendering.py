"""The worker process: closing it leaves nothing running that could race Python's exit; a
picture asked for ahead is drawn once."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures.process import _ExecutorManagerThread

import pytest

from bot import rendering
from bot.heatmap import HeatmapText, MemberRow
from bot.rendering import Renderer


def _pool_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, _ExecutorManagerThread)]


async def test_closing_waits_until_the_pool_has_wound_down():
    renderer = Renderer()
    renderer.warm_up()  # starts the worker and the pool's managing thread
    assert _pool_threads()
    await renderer.close()
    assert not _pool_threads()


# -- pictures asked for ahead ------------------------------------------------------------------

WORDS = HeatmapText("Team", tuple(f"C{n}" for n in range(1, 13)), {"suits": "Sterk"}, "Aantal")


def rows(name: str) -> tuple[MemberRow, ...]:
    return (MemberRow(name, ("suits",) * 12),)


class Drawings(list):
    """The pictures drawn (by their first member's name), one after the other in a thread
    instead of the worker process, so the test sees each; a picture is that name's bytes.
    While ``go`` is clear, a drawing begun waits for it."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.go.set()

    def __call__(self, rows: tuple[MemberRow, ...], text: HeatmapText) -> bytes:
        self.append(rows[0].name)
        self.go.wait()
        return rows[0].name.encode()


@pytest.fixture
def drawn(monkeypatch) -> Drawings:
    drawings, worker = Drawings(), ThreadPoolExecutor(1)
    monkeypatch.setattr(rendering, "render_heatmap", drawings)
    monkeypatch.setattr(Renderer, "_executor", lambda self: worker)
    yield drawings
    drawings.go.set()
    worker.shutdown()


async def test_a_picture_asked_for_ahead_is_not_drawn_again(drawn):
    renderer = Renderer()
    renderer.heatmap_ahead(rows("Ali"), WORDS)
    renderer.heatmap_ahead(rows("Bo"), WORDS)
    assert await renderer.heatmap(rows("Ali"), WORDS) == b"Ali"
    assert await renderer.heatmap(rows("Bo"), WORDS) == b"Bo"
    assert drawn == ["Ali", "Bo"]
    # taken: asked for again, it is drawn again
    assert await renderer.heatmap(rows("Ali"), WORDS) == b"Ali"
    assert drawn == ["Ali", "Bo", "Ali"]


async def test_other_words_or_verdicts_are_another_picture(drawn):
    renderer = Renderer()
    renderer.heatmap_ahead(rows("Ali"), WORDS)
    changed = (MemberRow("Ali", ("develop",) + ("suits",) * 11),)
    assert await renderer.heatmap(changed, WORDS) == b"Ali"
    other_words = HeatmapText("Ander team", WORDS.competencies, WORDS.verdicts, WORDS.count)
    assert await renderer.heatmap(rows("Ali"), other_words) == b"Ali"
    assert drawn == ["Ali", "Ali", "Ali"]  # the one ahead is still there, for its own input
    assert await renderer.heatmap(rows("Ali"), WORDS) == b"Ali"
    assert drawn == ["Ali", "Ali", "Ali"]


async def test_pictures_asked_for_before_the_one_taken_are_dropped(drawn):
    renderer = Renderer()
    drawn.go.clear()
    renderer.heatmap_ahead(rows("Ali"), WORDS)
    while drawn != ["Ali"]:
        await asyncio.sleep(0.01)  # Ali's is being drawn
    renderer.heatmap_ahead(rows("Bo"), WORDS)
    renderer.heatmap_ahead(rows("Cem"), WORDS)  # at most two wait: Ali's is dropped
    cem = asyncio.ensure_future(renderer.heatmap(rows("Cem"), WORDS))  # Bo's: not needed
    await asyncio.sleep(0.01)
    drawn.go.set()
    assert await cem == b"Cem"
    assert drawn == ["Ali", "Cem"]  # Ali's was begun, so finished; Bo's never
