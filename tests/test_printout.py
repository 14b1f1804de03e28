"""The printout: an A4 PDF that prints every word right, on one page when the profile is normal."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from pypdf import PdfReader

from bot.picture import CompetencyBar, PictureText, render_profile
from bot.printout import Printout, render_printout

QUESTIONS = ("Waar ben je goed in?", "Wat wil je leren?", "Wie kan je daarbij helpen?")
LEARNING_POINT = (
    "Samenwerken: Ik deel mijn netwerk met andere belangenbehartigers; ik creëer toegang voor "
    "anderen."
)
A_TASK = "Taak 2.4: sluiten van coalities – 4 van de 4 competenties liggen je goed."


@pytest.fixture(scope="module")
def picture() -> bytes:
    text = PictureText(
        title="Jouw competenties",
        answers=("Zeer waar", "Meestal waar", "Beetje waar", "Niet waar"),
        verdicts={
            "suits": "ligt je goed",
            "between": "half om half",
            "develop": "om te groeien",
            "open": "nog niet af",
            "not_answered": "niet ingevuld",
        },
        previous="vorige keer",
        marked="gekozen door je collega",
    )
    counts = ((2, 2, 0, 0), (1, 2, 1, 0), (0, 2, 2, 0), (0, 0, 3, 1)) * 3
    verdicts = ("suits", "suits", "between", "develop") * 3
    bars = [
        CompetencyBar(f"Competentie {number}", count, verdict, previous_suiting=2)
        for number, (count, verdict) in enumerate(zip(counts, verdicts, strict=True))
    ]
    return render_profile(bars, text)


@pytest.fixture
def printout(picture) -> Printout:
    """A normal profile after a whole round, as the talk with a supervisor would use it."""
    return Printout(
        title="Scorelijst van Anna",
        subtitle="Ronde 2 · 29 november 2026",
        picture_png=picture,
        sections=(
            (
                "Dit ligt je goed",
                ("Signaleren en analyseren", "Sensitiviteit", "Creativiteit", "Samenwerken"),
            ),
            (
                "Je leerpunten",
                (
                    "Lef: Ik durf risico te nemen door een nieuwe aanpak uit te proberen.",
                    LEARNING_POINT,
                    "Zelfreflectie: Ik ben me bewust van mijn eigen sterke en zwakke kanten.",
                    "Stressbestendigheid: Ik ben in staat het bij mijn collega’s aan te geven "
                    "als taken mij teveel worden.",
                ),
            ),
            (
                "Taken die bij je passen",
                (
                    "Taak 1.1: delen van signalen en afstemmen met de achterban – 3 van de 4 "
                    "competenties liggen je goed.",
                    A_TASK,
                ),
            ),
            ("Gekozen kaarten", ("Creativiteit", "Netwerken")),
            ("Om over na te denken", QUESTIONS),
        ),
        footer="Gemaakt met Scorelijst · naar MOVISIE, Taken en kwaliteiten van "
        "belangenbehartigers",
    )


def _read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def _text(reader: PdfReader) -> str:
    """All words of all pages, with each run of spaces and line breaks made one space."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_normal_profile_is_one_a4_page(printout):
    reader = _read(render_printout(printout))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    # A4 is 210 × 297 mm: 595.3 × 841.9 points.
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_words_print_as_written_with_their_accents_and_dashes(printout):
    text = _text(_read(render_printout(printout)))
    assert "Scorelijst van Anna" in text
    assert "Ronde 2 · 29 november 2026" in text
    assert "Creativiteit" in text
    assert LEARNING_POINT in text
    assert "bij mijn collega’s aan te geven" in text
    assert A_TASK in text
    for question in QUESTIONS:
        assert question in text
    assert "Gemaakt met Scorelijst · naar MOVISIE" in text


def test_every_font_is_dejavu_sans_and_embedded(printout):
    """An embedded font prints ë, é, ’ and – the same on every printer."""
    page = _read(render_printout(printout)).pages[0]
    fonts = page["/Resources"]["/Font"]
    assert len(fonts) >= 1
    for reference in fonts.values():
        font = reference.get_object()
        assert "DejaVuSans" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_a_long_profile_goes_on_to_more_pages_and_keeps_every_line(printout):
    learning_points = tuple(f"Leerpunt {n}: ik creëer toegang voor anderen." for n in range(40))
    long = dataclasses.replace(
        printout,
        sections=(printout.sections[0], ("Je leerpunten", learning_points), *printout.sections[2:]),
    )
    reader = _read(render_printout(long))
    assert len(reader.pages) > 1
    text = _text(reader)
    for line in (*learning_points, A_TASK, *QUESTIONS):
        assert line in text


def test_markup_characters_in_words_print_as_themselves(printout):
    named = dataclasses.replace(printout, title="Scorelijst van Renée & Zoë <b>")
    assert "Scorelijst van Renée & Zoë <b>" in _text(_read(render_printout(named)))


def test_a_printout_without_sections_is_refused_where_it_is_made(picture):
    with pytest.raises(ValueError, match="sections"):
        Printout("Scorelijst van Anna", "Ronde 1", picture, (), "Gemaakt met Scorelijst")


def test_printouts_made_in_threads_at_once_are_the_same_as_one_made_alone(printout):
    """ReportLab is not thread-safe; the bot renders with asyncio.to_thread."""
    alone = render_printout(printout)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _: render_printout(printout), range(6)))
    assert all(pdf == alone for pdf in together)


def test_importing_the_module_does_not_import_reportlab():
    code = "import sys, bot.printout; print('reportlab' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
