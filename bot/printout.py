"""The profile on paper: an A4 PDF to take to a talk with a supervisor (begeleidingsgesprek).

The picture sits on the left with the words beside it, so a normal profile fits on one page;
when there is more, the text flows on to the next page instead of being cut. The brochure's
questions come last, each with lines to write the answer on during the talk. The type is large
for paper (12 points) because many of our readers read with effort.

DejaVu Sans (the font matplotlib ships) is embedded, so ë, é, ’ and – print the same on every
printer and viewer; PDF's standard fonts are not embedded and are drawn with whatever font the
reader has. ReportLab is imported inside the functions, so importing this module costs nothing
at start-up.
"""

from __future__ import annotations

import importlib.util
import io
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path

FONT = "DejaVuSans"
BOLD_FONT = "DejaVuSans-Bold"
INK = "#111111"
SOFT_INK = "#4d4d4d"
MARGIN_MM = 18
PICTURE_WIDTH_MM = 78  # the picture's 15-point names print at about 9 points
PICTURE_MAX_HEIGHT_MM = 175  # leaves room under the title for a taller picture (with headings)
WRITING_LINES = 3  # under each question: room for a few words
LINE_GAP_MM = 8  # handwriting height
QUESTIONS_PER_ROW = 3  # the brochure's three questions, side by side

# ReportLab says of itself that it is not thread-safe (module-level caches, and a TrueType font
# keeps per-document state). The bot renders off the event loop in threads, and a printout is
# made a few times a day, so one at a time is simple and costs nothing that matters.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Printout:
    """Everything on the printout, already in the person's language.

    The last section is the brochure's questions: each of its lines gets lines to write on."""

    title: str  # "Scorelijst van Anna"
    subtitle: str  # "Ronde 2 · 29 november 2026"
    picture_png: bytes  # the profile picture (bot.picture.render_profile)
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines); questions last
    footer: str  # on every page

    def __post_init__(self) -> None:
        """Without a last section there are no questions; say so here, not deep in ReportLab."""
        if not self.sections:
            raise ValueError("a printout needs its sections, the questions last")


def render_printout(printout: Printout) -> bytes:
    """The printout as PDF bytes: A4, one page when it fits, never a line cut off."""
    with _LOCK:
        _register_fonts()
        return _build(printout)


def _build(printout: Printout) -> bytes:
    """The PDF itself; only under `_LOCK`, with the fonts registered."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        HRFlowable,
        Image,
        ImageAndFlowables,
        Paragraph,
        SimpleDocTemplate,
        Table,
    )

    def style(
        name: str, size: float, bold: bool = False, colour: str = INK, **more: object
    ) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=BOLD_FONT if bold else FONT,
            bulletFontName=FONT,
            fontSize=size,
            leading=size * 1.3,
            textColor=colors.HexColor(colour),
            **more,
        )

    title_style = style("title", 22, bold=True, spaceAfter=4)
    subtitle_style = style("subtitle", 13, spaceAfter=12)
    # keepWithNext: a heading never ends a page or a column without its first line.
    heading_style = style("heading", 14, bold=True, spaceBefore=8, spaceAfter=3, keepWithNext=1)
    line_style = style("line", 12, leftIndent=12, bulletIndent=0, spaceAfter=2)
    question_style = style("question", 12)
    footer_style = style("footer", 9, colour=SOFT_INK)

    def paragraph(words: str, paragraph_style: ParagraphStyle, **more: object) -> Paragraph:
        # Words are text, not markup: "&" or "<" in a name must print as they are.
        return Paragraph(escape(words, quote=False), paragraph_style, **more)

    page_width, page_height = A4
    # SimpleDocTemplate's frame pads its text 6 points on each side; the footer and the table of
    # questions use the same width, so everything lines up on the left.
    text_left = MARGIN_MM * mm + 6
    text_width = page_width - 2 * text_left
    footer = paragraph(printout.footer, footer_style)
    _, footer_height = footer.wrap(text_width, page_height)

    def draw_footer(canvas, document) -> None:
        footer.drawOn(canvas, text_left, MARGIN_MM * mm)

    picture = Image(io.BytesIO(printout.picture_png))
    scale = min(
        PICTURE_WIDTH_MM * mm / picture.imageWidth,
        PICTURE_MAX_HEIGHT_MM * mm / picture.imageHeight,
    )
    picture.drawWidth = picture.imageWidth * scale
    picture.drawHeight = picture.imageHeight * scale

    *sections, (question_heading, questions) = printout.sections
    beside_picture = []
    for heading, lines in sections:
        beside_picture.append(paragraph(heading, heading_style))
        beside_picture += [paragraph(line, line_style, bulletText="•") for line in lines]

    # The questions side by side across the page, each above its own writing lines: three
    # questions with room to write take a strip of the page instead of a page of their own.
    # Questions and lines are separate table rows, so the lines line up when a question wraps.
    def writing() -> list[HRFlowable]:
        # New lines for each cell: a flowable keeps the size of the cell it was laid out in.
        return [
            HRFlowable(
                width="100%",
                thickness=0.6,
                color=colors.HexColor(SOFT_INK),
                spaceBefore=LINE_GAP_MM * mm,
            )
            for _ in range(WRITING_LINES)
        ]

    cells: list[list[object]] = []
    table_style: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # for the empty cells: else Helvetica, unembedded
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]
    for start in range(0, len(questions), QUESTIONS_PER_ROW):
        row = questions[start : start + QUESTIONS_PER_ROW]
        empty = [""] * (QUESTIONS_PER_ROW - len(row))
        # NOSPLIT: a question is never on another page than its lines.
        table_style += [
            ("NOSPLIT", (0, len(cells)), (-1, len(cells) + 1)),
            ("BOTTOMPADDING", (0, len(cells) + 1), (-1, len(cells) + 1), 5 * mm),
        ]
        cells += [[paragraph(q, question_style) for q in row] + empty]
        cells += [[writing() for _ in row] + empty]
    story = [
        paragraph(printout.title, title_style),
        paragraph(printout.subtitle, subtitle_style),
        ImageAndFlowables(picture, beside_picture, imageSide="left", imageRightPadding=6 * mm),
        paragraph(question_heading, heading_style),
    ]
    if cells:
        column = text_width / QUESTIONS_PER_ROW
        story.append(Table(cells, colWidths=[column] * QUESTIONS_PER_ROW, style=table_style))
    pdf = io.BytesIO()
    document = SimpleDocTemplate(
        pdf,
        pagesize=A4,
        leftMargin=MARGIN_MM * mm,
        rightMargin=MARGIN_MM * mm,
        topMargin=MARGIN_MM * mm,
        bottomMargin=MARGIN_MM * mm + footer_height + 4 * mm,
        title=printout.title,
        creator="Scorelijst",
        invariant=True,  # no creation time or random id: the same printout, the same bytes
        initialFontName=FONT,  # else every page names Helvetica, a font that is not embedded
    )
    document.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return pdf.getvalue()


def _register_fonts() -> None:
    """Registers DejaVu Sans with ReportLab once per process; the caller holds `_LOCK`."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    fonts = _matplotlib_fonts()
    pdfmetrics.registerFont(TTFont(FONT, fonts / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD_FONT, fonts / "DejaVuSans-Bold.ttf"))


def _matplotlib_fonts() -> Path:
    """The folder of matplotlib's fonts, found without importing matplotlib (which is slow)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("matplotlib is not installed; the printout uses its DejaVu Sans font")
    return Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
