"""The profile as one picture: a diverging bar per competency, made for a phone screen.

People see at a glance which qualities suit them (bars to the right of the centre line) and
where they can grow (to the left), with the verdict in words at the end of each row, so nothing
depends on seeing colour. Everything is laid out in points on a 360-point-wide page, the width a
phone shows the picture at, and drawn at 2× (720 pixels) so text stays sharp: a font size in
points here is the size in screen pixels on the phone.

This module is pure: it gets words and counts, never the domain or Telegram. Matplotlib is
imported inside `render_profile` because it takes about a second to import and the bot must
start fast; the function uses its own `Figure`, never pyplot's global state, so the bot can call
it from several threads (`asyncio.to_thread`) at once.
"""

from __future__ import annotations

import functools
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Rectangle

VERDICTS = ("suits", "between", "develop", "open", "not_answered")

# Blue for the answers that say "this is me", orange for the ones that do not: the pair stays
# apart for the common kinds of colour blindness (ColorBrewer's Blues and Oranges), and within
# each side the stronger answer is the darker one. Order: Zeer, Meestal, Beetje, Niet waar.
COLOURS = ("#08519c", "#6baed6", "#fdae6b", "#d94801")
INK = "#111111"
SOFT_INK = "#4d4d4d"  # still 8:1 on white: for what is not there yet, never for what is
TRACK = "#ececec"
RULE = "#c8c8c8"

PAGE_WIDTH = 360  # points; one point is one pixel on a phone showing the picture 360 wide
DPI = 144  # 2 pixels per point: a 720-pixel PNG
MARGIN = 12
TITLE_SIZE = 20
NAME_SIZE = 15
VERDICT_SIZE = 14
HEADING_SIZE = 15
LEGEND_SIZE = 13
BAR_HEIGHT = 18
UNITS = 4  # statements per competency: the longest a bar can be on either side
MIN_BAR_WIDTH = 168  # points for both sides together; the verdict words get the rest
MARKER = "★"  # a colleague sees this quality in the person
GROW_MARKER = "↗"  # a colleague sees room to grow here


@dataclass(frozen=True)
class CompetencyBar:
    """One competency's row: names and words already in the person's language."""

    name: str
    counts: tuple[int, int, int, int]  # statements answered Zeer, Meestal, Beetje, Niet waar
    verdict: str  # one of VERDICTS
    # Zeer+Meestal in the previous round, drawn as an outline from the centre line (so 0 shows
    # nothing beyond the line itself); None: no earlier answers.
    previous_suiting: int | None = None
    marked: bool = False  # a colleague picked this one: a marker next to the name
    grow_marked: bool = False  # a colleague picked this one to grow in: another marker

    def __post_init__(self) -> None:
        """A wrong count would draw a bar past the frame; better to fail where it is made."""
        if any(c < 0 for c in self.counts) or sum(self.counts) > UNITS:
            raise ValueError(f"counts must be 0..{UNITS} answers in all: {self.counts}")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}: {self.verdict!r}")
        if self.previous_suiting is not None and not 0 <= self.previous_suiting <= UNITS:
            raise ValueError(f"previous_suiting must be 0..{UNITS}: {self.previous_suiting}")


@dataclass(frozen=True)
class PictureText:
    """Every word in the picture, so that the picture speaks the person's language."""

    title: str
    answers: tuple[str, str, str, str]  # Zeer, Meestal, Beetje, Niet waar: for the legend
    verdicts: dict[str, str]  # verdict -> the short word at the end of the row
    previous: str  # legend for the outline of the previous round
    marked: str  # legend for the marker of a colleague's choice
    grow_marked: str = ""  # legend for the marker of a colleague's choice to grow in
    groups: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (heading, bar indexes); empty: in order


def font(size: float, bold: bool = False) -> FontProperties:
    """DejaVu Sans, named, not taken from rcParams, so a change elsewhere in the process cannot
    touch it. (In the render worker, where matplotlib is imported.)"""
    from matplotlib.font_manager import FontProperties

    return FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")


class Lettering:
    """Text measured as the renderer draws it, in points."""

    def __init__(self, renderer: RendererAgg) -> None:
        self._renderer = renderer

    def width(self, words: str, properties: FontProperties) -> float:
        pixels, _, _ = self._renderer.get_text_width_height_descent(words, properties, ismath=False)
        return pixels * 72 / DPI

    def wrap(self, words: str, properties: FontProperties, room: float) -> list[str]:
        return wrapped(words, functools.partial(self.width, properties=properties), room)


def wrapped(words: str, width: Callable[[str], float], room: float) -> list[str]:
    """Lines that fit `room` points, broken between words, and inside a word only when it is
    wider than a line by itself: words past the edge of the picture would be lost. For the
    profile picture and the team's heatmap (bot/heatmap.py), which measure their words each
    with their own library."""
    if width(words) <= room:  # most names: one measurement, not one per word
        return [" ".join(words.split())]
    lines: list[str] = []
    for word in words.split():
        if lines and width(f"{lines[-1]} {word}") <= room:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while len(word) > 1 and width(word) > room:
            cut = len(word) - 1
            while cut > 1 and width(word[:cut]) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        lines.append(word)
    return lines or [""]


def render_profile(bars: Sequence[CompetencyBar], text: PictureText) -> bytes:
    """The profile as a PNG, 720 pixels wide and as tall as the rows need."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection, PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.transforms import Affine2D

    figure = Figure(figsize=(PAGE_WIDTH / 72, 1), dpi=DPI, facecolor="white")
    canvas = FigureCanvasAgg(figure)
    lettering = Lettering(canvas.get_renderer())
    width, wrap = lettering.width, lettering.wrap

    name_font = font(NAME_SIZE)
    legend_font = font(LEGEND_SIZE)
    # Sized for every verdict word, not just the ones in this profile, so the centre line is in
    # the same place on each picture in a language and two rounds can be laid side by side.
    verdict_column = min(
        PAGE_WIDTH - 2 * MARGIN - MIN_BAR_WIDTH - 8,
        max(width(words, font(VERDICT_SIZE, bold=True)) for words in text.verdicts.values()),
    )
    bar_right = PAGE_WIDTH - MARGIN - verdict_column - 8
    centre = (MARGIN + bar_right) / 2
    unit = (bar_right - MARGIN) / (2 * UNITS)
    name_line = NAME_SIZE * 1.25
    verdict_line = VERDICT_SIZE * 1.2

    drawings: list[tuple[str, float, Any]] = []  # (kind, y, what): placed once the height is known
    y = MARGIN
    title_lines = wrap(text.title, font(TITLE_SIZE, bold=True), PAGE_WIDTH - 2 * MARGIN)
    drawings.append(("title", y, title_lines))
    y += TITLE_SIZE * (1.25 * len(title_lines) + 0.25)

    # The legend mirrors the bars: orange answers left of a centre line, blue ones right of it,
    # under the bars' centre line unless the words on its left need more room.
    legend_centre = max(
        centre, MARGIN + 26 + max(width(text.answers[a], legend_font) for a in (2, 3))
    )
    legend_rows = ((2, 0), (3, 1))  # (left answer, right answer): Beetje|Zeer, Niet|Meestal
    for left, right in legend_rows:
        drawings.append(("legend_answers", y, (left, right)))
        y += LEGEND_SIZE * 1.5
    extras = []
    if any(bar.previous_suiting is not None for bar in bars):
        extras.append(("previous", text.previous))
    if any(bar.marked for bar in bars):
        extras.append(("marked", text.marked))
    if any(bar.grow_marked for bar in bars):
        extras.append(("grow_marked", text.grow_marked))
    extra_widths = [26 + width(words, legend_font) for _, words in extras]
    if sum(extra_widths) + 16 * (len(extras) - 1) <= PAGE_WIDTH - 2 * MARGIN:
        rows_of_extras = [extras] if extras else []
    else:
        rows_of_extras = [[extra] for extra in extras]
    for row in rows_of_extras:
        drawings.append(("legend_extras", y, row))
        y += LEGEND_SIZE * 1.5
    y += 4

    for heading, indexes in _grouped(len(bars), text.groups):
        if heading:
            y += 8
            heading_lines = wrap(heading, font(HEADING_SIZE, bold=True), PAGE_WIDTH - 2 * MARGIN)
            drawings.append(("heading", y, heading_lines))
            y += HEADING_SIZE * (1.25 * len(heading_lines) + 0.25)
        for position, index in enumerate(indexes):
            bar = bars[index]
            markers = MARKER * bar.marked + GROW_MARKER * bar.grow_marked
            name = f"{markers} {bar.name}" if markers else bar.name
            lines = wrap(name, name_font, PAGE_WIDTH - 2 * MARGIN)
            verdict_bold = bar.verdict == "suits"
            verdict_lines = wrap(
                text.verdicts[bar.verdict], font(VERDICT_SIZE, verdict_bold), verdict_column
            )
            if position or not heading:  # a heading has its own line above the first row
                drawings.append(("rule", y, None))
            y += 5
            drawings.append(("name", y, lines))
            y += name_line * len(lines)
            bar_block = max(BAR_HEIGHT + 8, verdict_line * len(verdict_lines))
            drawings.append(("bar", y + bar_block / 2, (bar, verdict_lines, verdict_bold)))
            y += bar_block + 3
    # A height in whole multiples of 9 points is a whole number of eighths of an inch, so the
    # pixel height comes out exact instead of one short through rounding.
    height = math.ceil((y + MARGIN) / 9) * 9
    figure.set_size_inches(PAGE_WIDTH / 72, height / 72)
    # Points on the page, y growing downwards like reading, to the figure's pixels. No Axes:
    # building one (ticks, spines, limits) took as long as drawing everything else.
    points = Affine2D().scale(DPI / 72, -DPI / 72).translate(0, height * DPI / 72)
    shapes: list[Rectangle] = []  # drawn first, in this order
    lines: list[tuple[tuple[tuple[float, float], tuple[float, float]], str, float]] = []

    def write(x: float, y: float, words: str, size: float, **style: Any) -> None:
        style.setdefault("color", INK)
        style.setdefault("va", "top")
        bold = style.pop("bold", False)
        # parse_math=False: a "$" in a name is a dollar sign, not the start of a formula.
        figure.text(
            x,
            y,
            words,
            fontproperties=font(size, bold),
            parse_math=False,
            transform=points,
            **style,
        )

    def rule(x0: float, x1: float, y0: float, y1: float, colour: str, weight: float) -> None:
        lines.append((((x0, y0), (x1, y1)), colour, weight))

    def swatch(x: float, y: float, answer: int) -> None:
        shapes.append(_rectangle(x, y - 7, 14, 14, COLOURS[answer], edge=INK))

    for kind, y, what in drawings:
        if kind == "title":
            for number, line in enumerate(what):
                write(MARGIN, y + number * TITLE_SIZE * 1.25, line, TITLE_SIZE, bold=True)
        elif kind == "legend_answers":
            left, right = what
            middle = y + LEGEND_SIZE * 0.6
            x = legend_centre
            swatch(x - 20, middle, left)
            write(x - 26, middle, text.answers[left], LEGEND_SIZE, ha="right", va="center")
            swatch(x + 6, middle, right)
            write(x + 26, middle, text.answers[right], LEGEND_SIZE, va="center")
            rule(x, x, y - 2, y + LEGEND_SIZE * 1.5, INK, 1.2)
        elif kind == "legend_extras":
            middle = y + LEGEND_SIZE * 0.6
            x = MARGIN
            for extra, words in what:
                if extra == "previous":
                    shapes.append(_outline(x, middle - 8, 18, 16))
                else:
                    marker = MARKER if extra == "marked" else GROW_MARKER
                    write(x + 9, middle, marker, LEGEND_SIZE + 2, ha="center", va="center")
                write(x + 26, middle, words, LEGEND_SIZE, va="center")
                x += 26 + width(words, legend_font) + 16
        elif kind == "heading":
            for number, line in enumerate(what):
                write(MARGIN, y + number * HEADING_SIZE * 1.25, line, HEADING_SIZE, bold=True)
            below = y + HEADING_SIZE * (1.25 * len(what) + 0.1)
            rule(MARGIN, PAGE_WIDTH - MARGIN, below, below, INK, 1)
        elif kind == "rule":
            rule(MARGIN, PAGE_WIDTH - MARGIN, y, y, RULE, 0.8)
        elif kind == "name":
            for number, line in enumerate(what):
                write(MARGIN, y + number * name_line, line, NAME_SIZE)
        else:
            bar, verdict_lines, verdict_bold = what
            shapes.extend(_bar(bar, y, centre, unit))
            rule(centre, centre, y - BAR_HEIGHT / 2 - 5, y + BAR_HEIGHT / 2 + 5, INK, 1.5)
            colour = SOFT_INK if bar.verdict in ("open", "not_answered") else INK
            top = y - verdict_line * len(verdict_lines) / 2
            for number, line in enumerate(verdict_lines):
                write(
                    bar_right + 8,
                    top + number * verdict_line,
                    line,
                    VERDICT_SIZE,
                    bold=verdict_bold,
                    color=colour,
                )
    # One collection each for the shapes and the lines: far quicker than an artist apiece.
    figure.add_artist(PatchCollection(shapes, match_original=True, transform=points))
    segments, colours, weights = zip(*lines, strict=True) if lines else ((), (), ())
    figure.add_artist(
        LineCollection(segments, colors=colours, linewidths=weights, transform=points)
    )

    png = io.BytesIO()
    # No "Software" entry, so the same profile gives the same bytes with the same libraries.
    canvas.print_png(png, metadata={"Software": None})
    return png.getvalue()


def _grouped(
    count: int, groups: tuple[tuple[str, tuple[int, ...]], ...]
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The rows under their headings. Groups must name every bar: a bar left over would show
    under the last heading, which says something untrue, or be left out, which says less."""
    if not groups:
        return (("", tuple(range(count))),)
    named = {index for _, indexes in groups for index in indexes}
    if named != set(range(count)):
        raise ValueError(f"groups must name each of the {count} bars, and only those: {groups}")
    return groups


def _bar(bar: CompetencyBar, middle: float, centre: float, unit: float) -> list[Rectangle]:
    """A block per answer, so the answers can be counted: Meestal then Zeer going right from
    the centre, Beetje then Niet going left; the previous round as a dashed outline on top."""
    top = middle - BAR_HEIGHT / 2
    shapes = [_rectangle(centre - UNITS * unit, top, 2 * UNITS * unit, BAR_HEIGHT, TRACK)]
    zeer, meestal, beetje, niet = bar.counts
    x = centre
    for answer, count in ((1, meestal), (0, zeer)):
        for _ in range(count):
            shapes.append(_rectangle(x, top, unit, BAR_HEIGHT, COLOURS[answer], edge="white"))
            x += unit
    x = centre
    for answer, count in ((2, beetje), (3, niet)):
        for _ in range(count):
            x -= unit
            shapes.append(_rectangle(x, top, unit, BAR_HEIGHT, COLOURS[answer], edge="white"))
    if bar.previous_suiting:
        shapes.append(_outline(centre, top - 4, bar.previous_suiting * unit, BAR_HEIGHT + 8))
    return shapes


def _rectangle(
    x: float, y: float, w: float, h: float, colour: str, edge: str = "none"
) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, facecolor=colour, edgecolor=edge, linewidth=1.2)


def _outline(x: float, y: float, w: float, h: float) -> Rectangle:
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x, y), w, h, facecolor="none", edgecolor=INK, linewidth=1.6, linestyle=(0, (3, 2))
    )
