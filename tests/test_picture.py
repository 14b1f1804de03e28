"""The profile picture: a PNG of the intended size for every profile, made safely in threads."""

from __future__ import annotations

import dataclasses
import struct
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.picture import CompetencyBar, PictureText, render_profile, wrapped

TEXT = PictureText(
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

NAMES = (
    "Signaleren en analyseren",
    "Sensitiviteit",
    "Communicatie",
    "Lef",
    "Creativiteit",
    "Onderhandelen",
    "Overtuigingskracht",
    "Netwerken",
    "Samenwerken",
    "Zelfreflectie",
    "Stressbestendigheid",
    "Politiek/bestuurlijk inzicht",
)

# A whole round: counts (Zeer, Meestal, Beetje, Niet) and the verdict worked out by hand.
PROFILE = (
    CompetencyBar(NAMES[0], (2, 2, 0, 0), "suits", previous_suiting=3),
    CompetencyBar(NAMES[1], (1, 2, 1, 0), "suits", previous_suiting=2, marked=True),
    CompetencyBar(NAMES[2], (0, 2, 2, 0), "between", previous_suiting=1),
    CompetencyBar(NAMES[3], (0, 0, 3, 1), "develop", previous_suiting=0),
    CompetencyBar(NAMES[4], (4, 0, 0, 0), "suits", previous_suiting=4),
    CompetencyBar(NAMES[5], (0, 1, 1, 0), "open"),
    CompetencyBar(NAMES[6], (1, 1, 1, 1), "between", previous_suiting=2, marked=True),
    CompetencyBar(NAMES[7], (0, 0, 0, 0), "not_answered"),
    CompetencyBar(NAMES[8], (3, 1, 0, 0), "suits", previous_suiting=3),
    CompetencyBar(NAMES[9], (0, 1, 2, 1), "develop", previous_suiting=1),
    CompetencyBar(NAMES[10], (0, 0, 1, 3), "develop", previous_suiting=2),
    CompetencyBar(NAMES[11], (1, 2, 0, 1), "suits"),
)


def _size(png: bytes) -> tuple[int, int]:
    """Width and height from the PNG header, checking on the way that it is a PNG."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def test_a_whole_profile_is_720_pixels_wide_and_fits_a_phone_screen_at_full_width():
    """720 pixels is 360 at 2×; a phone of 360 × 800 shows up to 1600 pixels high at once."""
    width, height = _size(render_profile(PROFILE, TEXT))
    assert width == 720
    assert 720 < height <= 1600


@pytest.mark.parametrize(
    "bars",
    [
        pytest.param((), id="no competencies"),
        pytest.param(
            tuple(CompetencyBar(name, (0, 0, 0, 0), "not_answered") for name in NAMES),
            id="all 12 not answered",
        ),
        pytest.param(
            (
                CompetencyBar("Political/administrative insight", (1, 2, 0, 0), "open", 3),
                CompetencyBar("Overtuigingskracht", (0, 0, 0, 4), "develop", 0, marked=True),
                CompetencyBar("Politiek/bestuurlijk inzicht " * 4, (2, 2, 0, 0), "suits"),
                CompetencyBar(
                    "Donaudampfschifffahrtsgesellschaftskapitän" * 2, (0, 0, 0, 0), "open"
                ),
            ),
            id="long names",
        ),
        pytest.param(PROFILE, id="a previous round"),
        pytest.param((CompetencyBar("$x$ & <b>", (1, 0, 0, 0), "open"),), id="markup in a name"),
    ],
)
def test_every_kind_of_profile_gives_a_720_pixel_png(bars):
    width, _ = _size(render_profile(bars, TEXT))
    assert width == 720


def test_a_name_too_long_for_one_line_wraps_instead_of_running_off_the_picture():
    short = (CompetencyBar("Lef", (4, 0, 0, 0), "suits"),)
    long = (CompetencyBar("Lef " + "en nog veel meer woorden " * 3, (4, 0, 0, 0), "suits"),)
    assert _size(render_profile(long, TEXT))[1] > _size(render_profile(short, TEXT))[1]


@pytest.mark.parametrize(
    "words, room, lines",
    [
        ("  Lef  en  moed ", 40, ["Lef en moed"]),
        ("Signaleren en analyseren", 12, ["Signaleren", "en", "analyseren"]),
        ("Signaleren en analyseren", 13, ["Signaleren en", "analyseren"]),
        ("Donaudampfschiff", 6, ["Donaud", "ampfsc", "hiff"]),
        ("", 10, [""]),
    ],
)
def test_words_wrap_between_words_and_inside_a_word_only_when_it_is_wider_than_a_line(
    words, room, lines
):
    """Measured one point a letter, so each break can be counted by hand."""
    assert wrapped(words, len, room) == lines


def test_phase_headings_add_rows_above_their_competencies():
    grouped = dataclasses.replace(
        TEXT,
        groups=(
            ("Signaleren", (0, 1, 2, 11)),
            ("Strategie en plan van aanpak", (3, 4, 5, 6)),
            ("Uitvoering", (7, 8, 9)),
            ("Evaluatie", (10,)),
        ),
    )
    width, height = _size(render_profile(PROFILE, grouped))
    assert width == 720
    assert height > _size(render_profile(PROFILE, TEXT))[1]


def test_groups_that_leave_out_a_competency_are_refused():
    """A left-over row would show under the last heading, as if it belonged to that phase."""
    grouped = dataclasses.replace(TEXT, groups=(("Signaleren", (0, 1)),))
    with pytest.raises(ValueError, match="groups"):
        render_profile(PROFILE[:3], grouped)


@pytest.mark.parametrize(
    "counts, verdict, previous",
    [
        ((2, 2, 1, 0), "suits", None),  # five answers to four statements
        ((0, -1, 0, 0), "open", None),
        ((4, 0, 0, 0), "great", None),
        ((4, 0, 0, 0), "suits", 5),
    ],
)
def test_a_bar_that_cannot_be_drawn_is_refused_where_it_is_made(counts, verdict, previous):
    with pytest.raises(ValueError):
        CompetencyBar("Lef", counts, verdict, previous)


def test_pictures_made_in_threads_at_once_are_the_same_as_one_made_alone():
    """The bot renders with asyncio.to_thread, so several pictures can be made at once."""
    alone = render_profile(PROFILE, TEXT)
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda _: render_profile(PROFILE, TEXT), range(8)))
    assert all(png == alone for png in together)


def test_importing_the_module_does_not_import_matplotlib():
    """Matplotlib takes about a second to import; the bot must start fast."""
    code = "import sys, bot.picture; print('matplotlib' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
