"""The team's picture: a row per sharing member, a column per competency, for a phone screen.

Each cell shows a member's verdict on a competency by colour AND by a sign (✓ suits, ½ half om
half, ↑ to grow), so nothing depends on seeing colour; the blue and orange are the profile
picture's (bot/picture.py), which stay apart for the common kinds of colour blindness. The
columns carry the brochure's numbers 1 to 12 with a key underneath, so names need no rotating;
a last row counts, per competency, the members it suits. Rows have stripes, so the eye can
follow a row of thirty members across. The digest's text says everything the picture shows.

Like bot/picture.py: laid out in points on a 360-point-wide page and drawn at 2× (720 pixels),
pure (words and verdicts in, PNG out), matplotlib imported inside and no pyplot, so it runs in
the render worker.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.picture import COLOURS, DPI, INK, MARGIN, PAGE_WIDTH, RULE, SOFT_INK, Lettering, font

if TYPE_CHECKING:
    import numpy as np

VERDICTS = ("suits", "between", "develop", "open", "not_answered")
# verdict -> (fill, colour of the sign, sign): dark blue for "suits", light blue for half om
# half, light orange for "to grow"; white with a frame where nothing is decided yet.
STYLES = {
    "suits": (COLOURS[0], "#ffffff", "✓"),
    "between": (COLOURS[1], INK, "½"),
    "develop": (COLOURS[2], INK, "↑"),
    "open": ("#ffffff", SOFT_INK, "…"),
    "not_answered": ("#ffffff", SOFT_INK, ""),
}
ALWAYS_IN_LEGEND = ("suits", "between", "develop")
STRIPE = "#f0f0f0"
Point = tuple[float, float]  # in points, from the page's top left

TITLE_SIZE = 18
TEXT_SIZE = 13  # names, legend, key
NUMBER_SIZE = 11  # the column numbers, and the counts under them
SIGN_SIZE = 12
CELL = 18
PITCH = 20  # a cell and the gap after it: "13" fits over a cell
ROW = 21
INSET = 3  # pixels at a cell's edge, frame and smoothing, that are never copied to another cell
REPEAT_NUMBERS = 12  # more rows than this: the column numbers also under the last row
COLUMNS = 12
NAME_ROOM = PAGE_WIDTH - 2 * MARGIN - COLUMNS * PITCH - 6


@dataclass(frozen=True)
class MemberRow:
    name: str
    verdicts: tuple[str, ...]  # one of VERDICTS per competency, brochure order

    def __post_init__(self) -> None:
        if len(self.verdicts) != COLUMNS or any(v not in VERDICTS for v in self.verdicts):
            raise ValueError(f"{COLUMNS} verdicts, each one of {VERDICTS}: {self.verdicts}")


@dataclass(frozen=True)
class HeatmapText:
    """Every word in the picture, in the coordinator's language."""

    title: str
    competencies: tuple[str, ...]  # the 12 names, brochure order: the key under the columns
    verdicts: dict[str, str]  # verdict -> its word in the legend
    count: str  # the label of the last row: how many members it suits

    def __post_init__(self) -> None:
        if len(self.competencies) != COLUMNS:
            raise ValueError(f"{COLUMNS} competency names: {self.competencies}")


def render_heatmap(rows: Sequence[MemberRow], text: HeatmapText) -> bytes:
    """The team as a PNG, 720 pixels wide and as tall as its rows need."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.transforms import Affine2D
    from PIL import Image

    figure = Figure(figsize=(PAGE_WIDTH / 72, 1), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    lettering = Lettering(canvas.get_renderer())
    width, wrap = lettering.width, lettering.wrap

    def clipped(words: str, properties: FontProperties, room: float) -> str:
        """A name that fits its column; a long one ends in "…" (the text has it whole)."""
        if width(words, properties) <= room:
            return words
        while len(words) > 1 and width(f"{words}…", properties) > room:
            words = words[:-1]
        return f"{words.rstrip()}…"

    text_font = font(TEXT_SIZE)
    grid_left = PAGE_WIDTH - MARGIN - COLUMNS * PITCH + (PITCH - CELL)
    drawings: list[tuple[str, float, Any]] = []
    y = MARGIN
    title_lines = wrap(text.title, font(TITLE_SIZE, bold=True), PAGE_WIDTH - 2 * MARGIN)
    drawings.append(("title", y, title_lines))
    y += TITLE_SIZE * 1.25 * len(title_lines) + 8

    present = {v for row in rows for v in row.verdicts}
    legend = [v for v in VERDICTS if v in ALWAYS_IN_LEGEND or v in present]
    for first in range(0, len(legend), 2):
        drawings.append(("legend", y, legend[first : first + 2]))
        y += TEXT_SIZE * 1.6
    y += 6

    drawings.append(("numbers", y, None))
    y += NUMBER_SIZE * 1.5
    for index, row in enumerate(rows):
        drawings.append(("row", y, (index, row)))
        y += ROW
    if len(rows) > REPEAT_NUMBERS:  # far from the top: the numbers again, over the counts
        drawings.append(("numbers", y + 2, None))
        y += NUMBER_SIZE * 1.5
    drawings.append(("counts", y + 4, None))
    y += ROW + 14

    key_font = font(TEXT_SIZE)
    for number, name in enumerate(text.competencies, 1):
        lines = wrap(name, key_font, PAGE_WIDTH - 2 * MARGIN - 28)
        drawings.append(("key", y, (number, lines)))
        y += TEXT_SIZE * 1.3 * len(lines)

    height = math.ceil((y + MARGIN) / 9) * 9  # whole eighths of an inch: exact pixels
    figure.set_size_inches(PAGE_WIDTH / 72, height / 72)
    points = Affine2D().scale(DPI / 72, -DPI / 72).translate(0, height * DPI / 72)
    corners: list[tuple[tuple[float, float], ...]] = []
    fills: list[str] = []
    edges: list[str] = []

    def box(x: float, y: float, wide: float, high: float, fill: str, edge: str = "none") -> None:
        corners.append(((x, y), (x + wide, y), (x + wide, y + high), (x, y + high)))
        fills.append(fill)
        edges.append(edge)

    lines: list[tuple[tuple[tuple[float, float], tuple[float, float]], str, float]] = []

    def write(x: float, y: float, words: str, size: float, **style: Any) -> None:
        style.setdefault("color", INK)
        style.setdefault("va", "top")
        bold = style.pop("bold", False)
        figure.text(
            x,
            y,
            words,
            fontproperties=font(size, bold),
            parse_math=False,
            transform=points,
            **style,
        )

    drawn: dict[tuple[str, float, float], Point] = {}
    copies: list[tuple[Point, Point]] = []  # (from, to): a cell's top left corner

    def cell(x: float, y: float, verdict: str) -> None:
        """Only the first cell of a verdict on each fraction of a pixel gets its sign as text: a
        cell a whole number of pixels away from it gets the same pixels inside, so it is a copy
        (see `copied`), and most of the 360 signs need no text of their own."""
        fill, ink, sign = STYLES[verdict]
        edge = RULE if fill == "#ffffff" else "none"
        box(x, y, CELL, CELL, fill, edge)
        look = (verdict, round(x * DPI / 72 % 1, 3), round(y * DPI / 72 % 1, 3))
        if look in drawn:
            copies.append((drawn[look], (x, y)))
        elif sign:
            drawn[look] = (x, y)
            write(
                x + CELL / 2,
                y + CELL / 2,
                sign,
                SIGN_SIZE,
                bold=True,
                color=ink,
                ha="center",
                va="center_baseline",
            )

    def column_x(column: int) -> float:
        return grid_left + column * PITCH

    counts = [sum(1 for row in rows if row.verdicts[c] == "suits") for c in range(COLUMNS)]
    for kind, y, what in drawings:
        if kind == "title":
            for number, line in enumerate(what):
                write(MARGIN, y + number * TITLE_SIZE * 1.25, line, TITLE_SIZE, bold=True)
        elif kind == "legend":
            x = MARGIN
            for verdict in what:
                cell(x, y, verdict)
                write(x + CELL + 6, y + CELL / 2, text.verdicts[verdict], TEXT_SIZE, va="center")
                x += (PAGE_WIDTH - 2 * MARGIN) / 2
        elif kind == "numbers":
            for column in range(COLUMNS):
                write(
                    column_x(column) + CELL / 2,
                    y,
                    str(column + 1),
                    NUMBER_SIZE,
                    ha="center",
                    bold=True,
                )
        elif kind == "row":
            index, row = what
            if index % 2 == 0:
                box(MARGIN - 4, y - 2, PAGE_WIDTH - 2 * MARGIN + 8, ROW, STRIPE)
            write(
                MARGIN,
                y + CELL / 2,
                clipped(row.name, text_font, NAME_ROOM),
                TEXT_SIZE,
                va="center",
            )
            for column, verdict in enumerate(row.verdicts):
                cell(column_x(column), y, verdict)
        elif kind == "counts":
            lines.append((((MARGIN, y - 4), (PAGE_WIDTH - MARGIN, y - 4)), INK, 1.0))
            write(
                MARGIN,
                y + CELL / 2,
                clipped(text.count, text_font, NAME_ROOM),
                TEXT_SIZE,
                va="center",
                bold=True,
            )
            for column, count in enumerate(counts):
                write(
                    column_x(column) + CELL / 2,
                    y + CELL / 2,
                    str(count),
                    NUMBER_SIZE + 1,
                    ha="center",
                    va="center",
                    bold=True,
                )
        else:
            number, name_lines = what
            write(MARGIN + 22, y, str(number), TEXT_SIZE, ha="right", bold=True)
            for line_number, line in enumerate(name_lines):
                write(MARGIN + 28, y + line_number * TEXT_SIZE * 1.3, line, TEXT_SIZE)
    figure.add_artist(
        PolyCollection(corners, facecolors=fills, edgecolors=edges, linewidths=1, transform=points)
    )
    if lines:
        segments, colours, weights = zip(*lines, strict=True)
        figure.add_artist(
            LineCollection(segments, colors=colours, linewidths=weights, transform=points)
        )
    canvas.draw()
    png = io.BytesIO()
    # The picture is opaque: without the alpha channel, and with zlib's level 3 instead of 6, the
    # PNG is made in half the time and is still 6 % smaller than matplotlib's own.
    picture = Image.fromarray(copied(np.asarray(canvas.buffer_rgba()), copies)).convert("RGB")
    picture.save(png, format="png", dpi=(DPI, DPI), compress_level=3)
    return png.getvalue()


def copied(pixels: np.ndarray, copies: list[tuple[Point, Point]]) -> np.ndarray:
    """The picture with the inside of each cell in `copies` copied from the cell drawn before it
    with the same verdict on the same fraction of a pixel: the very pixels its own sign would get,
    as nothing but the fill and the sign is drawn inside a cell. Laying out and rasterising some
    360 signs one by one took over half of a picture's time."""
    side = round(CELL * DPI / 72) - 2 * INSET
    for (x, y), (to_x, to_y) in copies:
        top, left = math.floor(y * DPI / 72) + INSET, math.floor(x * DPI / 72) + INSET
        to_top, to_left = top + round((to_y - y) * DPI / 72), left + round((to_x - x) * DPI / 72)
        pixels[to_top : to_top + side, to_left : to_left + side] = pixels[
            top : top + side, left : left + side
        ]
    return pixels
