"""The team's picture: a row per sharing member, a column per competency, for a phone screen.

Each cell shows a member's verdict on a competency by colour AND by a sign (✓ suits, ½ half om
half, ↑ to grow), so nothing depends on seeing colour; the blue and orange are the profile
picture's (bot/picture.py), which stay apart for the common kinds of colour blindness. The
columns carry the brochure's numbers 1 to 12 with a key underneath, so names need no rotating;
a last row counts, per competency, the members it suits. Rows have stripes, so the eye can
follow a row of thirty members across. The digest's text says everything the picture shows.

Laid out in points on a 360-point-wide page and drawn at 2× (720 pixels), like bot/picture.py,
in its font (DejaVu Sans, the file matplotlib brings) and colours; pure (words and verdicts in,
PNG out), for the render worker. Drawn with Pillow, not matplotlib: the picture is squares and
words, no chart, and the scheduler draws one for each of a couple of hundred teams in a row on
the same two cores as the people who tap. Matplotlib lays out each of its ~100 words as an
artist and took 150 ms a picture of thirty members, most of it on the words; Pillow draws the
same in 13 ms (benchmarks/rendering.py), and other people's taps feel that
(benchmarks/digest_load.py).
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.picture import COLOURS, DPI, INK, MARGIN, PAGE_WIDTH, RULE, SOFT_INK, font, wrapped

if TYPE_CHECKING:
    from PIL import Image, ImageFont

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

SCALE = DPI / 72  # pixels a point
TITLE_SIZE = 18
TEXT_SIZE = 13  # names, legend, key
NUMBER_SIZE = 11  # the column numbers, and the counts under them
SIGN_SIZE = 12
CELL = 18
PITCH = 20  # a cell and the gap after it: "13" fits over a cell
ROW = 21
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
    from PIL import Image, ImageDraw

    def width(words: str, size: float, bold: bool = False) -> float:
        return _font(size, bold).getlength(words) / SCALE

    def clipped(words: str, bold: bool = False) -> str:
        """A name that fits its column; a long one ends in "…" (the text has it whole)."""
        if width(words, TEXT_SIZE, bold) <= NAME_ROOM:
            return words
        while len(words) > 1 and width(f"{words}…", TEXT_SIZE, bold) > NAME_ROOM:
            words = words[:-1]
        return f"{words.rstrip()}…"

    grid_left = PAGE_WIDTH - MARGIN - COLUMNS * PITCH + (PITCH - CELL)
    drawings: list[tuple[str, float, Any]] = []
    y = MARGIN
    title_lines = wrapped(
        text.title, functools.partial(width, size=TITLE_SIZE, bold=True), PAGE_WIDTH - 2 * MARGIN
    )
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

    key_width = functools.partial(width, size=TEXT_SIZE)
    for number, name in enumerate(text.competencies, 1):
        lines = wrapped(name, key_width, PAGE_WIDTH - 2 * MARGIN - 28)
        drawings.append(("key", y, (number, lines)))
        y += TEXT_SIZE * 1.3 * len(lines)

    height = math.ceil((y + MARGIN) / 9) * 9  # whole eighths of an inch, as the profile's
    picture = Image.new("RGB", (_pixels(PAGE_WIDTH), _pixels(height)), "white")
    draw = ImageDraw.Draw(picture)

    def write(
        x: float, y: float, words: str, size: float, anchor: str = "la", bold: bool = False
    ) -> None:
        """Words at (x, y) in points, anchored as Pillow's `anchor` says ("la": left, top)."""
        draw.text((_pixels(x), _pixels(y)), words, font=_font(size, bold), fill=INK, anchor=anchor)

    def cell(x: float, y: float, verdict: str) -> None:
        picture.paste(_cell(verdict), (_pixels(x), _pixels(y)))

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
                write(x + CELL + 6, y + CELL / 2, text.verdicts[verdict], TEXT_SIZE, "lm")
                x += (PAGE_WIDTH - 2 * MARGIN) / 2
        elif kind == "numbers":
            for column in range(COLUMNS):
                write(column_x(column) + CELL / 2, y, str(column + 1), NUMBER_SIZE, "ma", bold=True)
        elif kind == "row":
            index, row = what
            if index % 2 == 0:
                draw.rectangle(
                    _box(MARGIN - 4, y - 2, PAGE_WIDTH - 2 * MARGIN + 8, ROW), fill=STRIPE
                )
            write(MARGIN, y + CELL / 2, clipped(row.name), TEXT_SIZE, "lm")
            for column, verdict in enumerate(row.verdicts):
                cell(column_x(column), y, verdict)
        elif kind == "counts":
            rule = _pixels(y - 4)
            draw.line((_pixels(MARGIN), rule, _pixels(PAGE_WIDTH - MARGIN), rule), INK, _pixels(1))
            write(MARGIN, y + CELL / 2, clipped(text.count, True), TEXT_SIZE, "lm", bold=True)
            for column, count in enumerate(counts):
                middle = column_x(column) + CELL / 2
                write(middle, y + CELL / 2, str(count), NUMBER_SIZE + 1, "mm", bold=True)
        else:
            number, name_lines = what
            write(MARGIN + 22, y, str(number), TEXT_SIZE, "ra", bold=True)
            for line_number, line in enumerate(name_lines):
                write(MARGIN + 28, y + line_number * TEXT_SIZE * 1.3, line, TEXT_SIZE)
    png = io.BytesIO()
    # A byte a pixel instead of three, in the picture's own colours (_palette): for thirty
    # members the PNG is made in 6 ms instead of 24, and is 67 KB instead of 161 to send and
    # to take in, while the weekly digests of 200 teams go out (benchmarks/digest_load.py).
    # It looks the same: only the soft edges of words and signs shift, by 11 of 255 at most.
    # zlib's level 3 instead of 6: the PNG is made in half the time, and is hardly larger.
    paletted = picture.quantize(palette=_palette(), dither=Image.Dither.NONE)
    paletted.save(png, format="png", dpi=(DPI, DPI), compress_level=3)
    return png.getvalue()


# Each colour of words, signs and lines, with what it is drawn on: their anti-aliased edges
# take the colours in between.
_DRAWN_ON = (
    (INK, "#ffffff"),
    (INK, STRIPE),
    (SOFT_INK, "#ffffff"),
    (RULE, "#ffffff"),
    *((ink, fill) for fill, ink, sign in STYLES.values() if sign and fill != "#ffffff"),
)
EDGE_STEPS = 16  # colours between the two of a pair: a step is under 1/16 of their difference


@functools.cache
def _palette() -> Image.Image:
    """The picture's colours, and up to EDGE_STEPS - 1 steps from each colour in _DRAWN_ON to
    what it is drawn on: some hundred colours of the 256 a palette can hold.

    Pillow finds a pixel's colour in the palette by the colour's top six bits: a step that
    close to a colour of the picture would take that colour's place (white would turn
    (252, 252, 252)), so such a step is left out."""
    from PIL import Image, ImageColor

    pairs = [(ImageColor.getrgb(ink), ImageColor.getrgb(ground)) for ink, ground in _DRAWN_ON]
    colours = dict.fromkeys(colour for pair in pairs for colour in pair)
    taken = {_top_bits(colour) for colour in colours}
    for front, back in pairs:
        for step in range(1, EDGE_STEPS):
            mix = tuple(
                round(b + (f - b) * step / EDGE_STEPS) for f, b in zip(front, back, strict=True)
            )
            if _top_bits(mix) not in taken:
                colours[mix] = None
    palette = Image.new("P", (1, 1))
    palette.putpalette([value for colour in colours for value in colour])
    return palette


def _top_bits(colour: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(value >> 2 for value in colour)


def _pixels(points: float) -> int:
    """Whole pixels, so that every cell of a verdict gets the very same pixels."""
    return round(points * SCALE)


def _box(x: float, y: float, wide: float, high: float) -> tuple[int, int, int, int]:
    """Pillow's box: the first and the last pixel it covers, both ways."""
    return (_pixels(x), _pixels(y), _pixels(x + wide) - 1, _pixels(y + high) - 1)


@functools.cache
def _font(size: float, bold: bool) -> ImageFont.FreeTypeFont:
    """The profile picture's DejaVu Sans, at `size` points. Pillow's basic layout, not
    libraqm's: these words need no shaping, and it is the same on every machine."""
    from matplotlib.font_manager import findfont
    from PIL import ImageFont

    return ImageFont.truetype(
        findfont(font(size, bold)), size * SCALE, layout_engine=ImageFont.Layout.BASIC
    )


@functools.cache
def _cell(verdict: str) -> Image.Image:
    """A cell, drawn once for each verdict and pasted wherever it shows: the fill, a frame
    where the fill is white, and the sign in the middle."""
    from PIL import Image, ImageDraw

    fill, ink, sign = STYLES[verdict]
    side = _pixels(CELL)
    tile = Image.new("RGB", (side, side), fill)
    draw = ImageDraw.Draw(tile)
    if fill == "#ffffff":
        draw.rectangle((0, 0, side - 1, side - 1), outline=RULE, width=_pixels(1))
    if sign:
        draw.text((side / 2, side / 2), sign, font=_font(SIGN_SIZE, True), fill=ink, anchor="mm")
    return tile
