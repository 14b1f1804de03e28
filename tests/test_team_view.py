"""The team in words and in a picture: within Telegram's limits for a team of thirty, in both
languages; the picture readable at phone width; nothing but what a member agreed to share."""

from __future__ import annotations

import io
import random
import re
import struct
from dataclasses import replace
from datetime import UTC, datetime
from html import unescape

import pytest
from PIL import Image

from bot.callbacks import parse
from bot.heatmap import COLUMNS, VERDICTS, HeatmapText, MemberRow, render_heatmap
from bot.team_view import (
    MESSAGE_LIMIT,
    consent,
    digest_caption,
    digest_messages,
    ended,
    heatmap_input,
    home,
    member_block,
    member_line,
    members_button,
    members_messages,
    split,
)
from content import load_content
from domain.cards import Cards
from domain.digest import MemberProfile, build_digest
from domain.scoring import score_competencies
from domain.team import found
from services.teams import Farewell, Recipient, TeamView
from tests.test_digest import member

NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
LONGEST_NAME = "Cliëntenraad Sociaal Domein Zwolle-Noord"  # 40 characters, the most allowed
FIRST_NAMES = ["Anne-Marie", "Bram", "Chantal", "Daan", "Eva", "Fatima", "Gerrit-Jan", "Ilse"]


def plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def thirty(instrument, seed: int = 8) -> list[MemberProfile]:
    """Thirty members with answers drawn at random (every verdict occurs) and full cards."""
    rnd = random.Random(seed)
    ids = [c.id for c in instrument.competencies]
    profiles = []
    for n in range(30):
        answers = {
            s.id: rnd.choice((1, 2, 3, 4)) for s in instrument.statements if rnd.random() < 0.9
        }
        cards = Cards(tuple(rnd.sample(ids, 3)), tuple(rnd.sample(ids, 3)))
        name = f"{FIRST_NAMES[n % len(FIRST_NAMES)]}{'' if n < 8 else n}"
        profiles.append(
            MemberProfile(100 + n, name, score_competencies(instrument, answers), cards)
        )
    return profiles


@pytest.mark.parametrize("code", ["nl", "en"])
def test_a_team_of_thirty_fits_telegrams_limits_and_names_everyone(code):
    language = load_content().language(code)
    instrument, texts = language.instrument, language.texts
    digest = build_digest(instrument, thirty(instrument))
    caption = digest_caption(texts, instrument, LONGEST_NAME, digest, NOW)
    assert len(caption) <= 1024
    messages = members_messages(texts, instrument, digest)
    assert len(messages) >= 2
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    text = "\n".join(plain(m) for m in messages)
    for line in digest.members:
        assert f"{line.label} · " in text
    # every tag closed within its message: a cut never falls inside <b>...</b>
    for message in messages:
        assert message.count("<b>") == message.count("</b>")


@pytest.mark.parametrize("code", ["nl", "en"])
def test_the_weekly_digest_of_a_team_of_thirty_is_two_messages_with_a_line_per_member(code):
    """The picture and at most two texts, however many duos thirty members make (here 90):
    what a coordinator reads on a phone each week, and what Telegram's pace allows for 200
    teams. A member in one line; everything per member is behind the button."""
    language = load_content().language(code)
    instrument, texts = language.instrument, language.texts
    digest = build_digest(instrument, thirty(instrument))
    assert len(digest.duos) == 90
    messages = digest_messages(texts, instrument, digest)
    assert len(messages) <= 2
    assert all(len(m) <= MESSAGE_LIMIT and m.count("<b>") == m.count("</b>") for m in messages)
    lines = [line for line in plain(messages[-1]).split("\n") if " · " in line]
    assert [line.split(" · ")[0] for line in lines] == [m.label for m in digest.members]
    card_words = {"nl": "Kaartjes:", "en": "Cards:"}[code]
    assert not any(card_words in m for m in messages)


def test_a_member_line_counts_the_competencies_per_verdict(instrument, texts):
    answers = {f"lef.{n}": 1 for n in range(1, 5)} | {f"politiek.{n}": 4 for n in range(1, 5)}
    answers |= {f"sensitiviteit.{n}": 1 for n in range(1, 5)} | {"netwerken.1": 2}
    profile = MemberProfile(1, "Ali <3", score_competencies(instrument, answers), Cards())
    (line,) = build_digest(instrument, [profile]).members
    assert member_line(texts, line) == (
        "<b>Ali &lt;3</b> · 3 van 12 ingevuld · sterk: 2 · om te groeien: 1 · nog niet af: 1"
    )
    nothing = MemberProfile(2, "Bo", score_competencies(instrument, {}), Cards())
    (line,) = build_digest(instrument, [nothing]).members
    assert member_line(texts, line) == "<b>Bo</b> · 0 van 12 ingevuld"


def test_the_duos_of_one_coach_share_a_line_per_competency(instrument, texts):
    grow_lef = Cards(grow=("lef",))
    team = [
        member(instrument, 10, "Ann", strong=("lef",)),
        member(instrument, 11, "Ben", strong=("lef",)),
        member(instrument, 12, "Cor", grow_lef),
        member(instrument, 13, "Dan", grow_lef),
        member(instrument, 14, "Eef", grow_lef),
    ]
    # Cor and Eef get Ann, Dan gets Ben (test_digest.py: the coach with fewest duos so far)
    text = plain(digest_messages(texts, instrument, build_digest(instrument, team))[0])
    assert "• Lef: Cor en Eef kunnen leren van Ann. Dan kan leren van Ben." in text.split("\n")


def test_the_button_under_the_digest_names_its_team(texts):
    (row,) = members_button(texts, 42).inline_keyboard
    assert [b.text for b in row] == ["📋 Alles per lid"]
    callback = parse(row[0].callback_data)
    assert (callback.team_id, callback.item) == (42, "members")
    assert parse("tm|42|members|1") is None and parse("tm|x|members") is None


def test_split_cuts_between_paragraphs_then_lines_and_keeps_every_line():
    paragraphs = [
        f"<b>Lid {n}</b>\n" + "\n".join(f"regel {n}.{k}" for k in range(8)) for n in range(60)
    ]
    text = "\n\n".join(paragraphs)
    messages = split(text, 300)
    assert all(len(m) <= 300 for m in messages)
    assert [line for m in messages for line in m.split("\n") if line] == [
        line for line in text.split("\n") if line
    ]
    # one paragraph longer than a message goes on between its lines
    long = "\n".join(f"regel {k}" for k in range(100))
    pieces = split(long, 100)
    assert all(len(p) <= 100 for p in pieces)
    assert "\n".join(pieces).split("\n") == long.split("\n")
    assert split("kort", 100) == ["kort"]


def test_a_member_block_says_verdicts_progress_and_cards_and_no_answer(instrument, texts):
    answers = {f"lef.{n}": 1 for n in range(1, 5)} | {f"politiek.{n}": 4 for n in range(1, 5)}
    answers |= {"netwerken.1": 2}
    cards = Cards(("lef",), ("politiek", "netwerken"))
    profile = MemberProfile(1, "Ali <3", score_competencies(instrument, answers), cards)
    (line,) = build_digest(instrument, [profile]).members
    block = member_block(texts, instrument, line)
    assert block.split("\n") == [
        "<b>Ali &lt;3</b> · 2 van de 12 competenties ingevuld",
        "Sterk: Lef",
        "Om te groeien: Politiek/bestuurlijk inzicht",
        "Nog niet af: Netwerken",
        "Kaartjes: kwaliteiten Lef · groeien in Netwerken en Politiek/bestuurlijk inzicht",
    ]
    statements = [s.text for s in instrument.statements]
    assert not any(statement in block for statement in statements)


def test_the_consent_screen_names_the_team_and_every_coordinator(instrument, texts):
    team = found("Wmo <raad>", 1, "Carla", "2026-12-02T10:00:00+00:00")
    team = replace(team.appoint(5, "Dirk", "t").join(2, "Ali", "t"), team_id=7)
    nothing = MemberProfile(2, "Ali", score_competencies(instrument, {}), Cards())
    view = TeamView(team, team.member(2), None, build_digest(instrument, [nothing]).members[0])
    text, markup = consent(texts, instrument, view)
    assert "Uitnodiging van team Wmo &lt;raad&gt;" in text
    assert "Coördinatoren: Carla en Dirk." in text
    assert "Ali · 0 van de 12 competenties ingevuld" in plain(text)
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [
        ["Ja, ik deel dit"],
        ["Nee, liever niet"],
    ]
    assert markup.inline_keyboard[0][0].callback_data == "ts|7|m|1"


def test_home_lists_the_teams_with_the_persons_place_in_each(texts):
    team = replace(found("Eerste", 1, "Carla", "t").join(2, "Ali", "t"), team_id=3)
    _, markup = home(texts, [(team, team.member(1))])
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [
        ["Eerste · coördinator"],
        ["➕ Nieuw team maken"],
    ]
    _, markup = home(texts, [(team, team.member(2))])
    assert markup.inline_keyboard[0][0].text == "Eerste · nog niet gekozen"
    text, markup = home(texts, [])
    assert "Ben je coördinator?" in text
    assert [[b.text for b in row] for row in markup.inline_keyboard] == [["➕ Nieuw team maken"]]


# -- the picture -----------------------------------------------------------------------------


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", png[16:24])


def test_the_heatmap_is_720_wide_and_grows_a_row_per_member(instrument, texts):
    profiles = thirty(instrument)
    sizes = {}
    for count in (1, 2, 30):
        rows, words = heatmap_input(
            texts, instrument, LONGEST_NAME, build_digest(instrument, profiles[:count])
        )
        sizes[count] = _size(render_heatmap(rows, words))
    assert {width for width, _ in sizes.values()} == {720}
    row = sizes[2][1] - sizes[1][1]
    assert 36 <= row <= 54  # 21 points at 2×, rounded to whole eighths of an inch
    # thirty members and the key still within Telegram's photo limits (sides summing to at
    # most 10000 pixels, at most 20 times as high as wide)
    assert sizes[30][1] < 20 * 720 and sum(sizes[30]) <= 10000


def test_the_same_team_gives_the_same_picture(instrument, texts):
    rows, words = heatmap_input(
        texts, instrument, "Team", build_digest(instrument, thirty(instrument)[:4])
    )
    assert render_heatmap(rows, words) == render_heatmap(rows, words)


def test_every_cell_shows_its_own_verdict(instrument):
    """A cell is drawn once for each verdict and pasted wherever it shows: each must land in a
    cell of its verdict, whole, on any row."""
    rows = [
        MemberRow(f"Lid {r}", tuple(VERDICTS[(c + r) % len(VERDICTS)] for c in range(COLUMNS)))
        for r in range(3)
    ]
    words = HeatmapText(
        "Team",
        tuple(c.name for c in instrument.competencies),
        dict.fromkeys(VERDICTS, "x"),
        "Sterk",
    )
    picture = Image.open(io.BytesIO(render_heatmap(rows, words)))
    # By hand, in pixels (2 a point): the first row's cells start 255 down (254.8 rounded:
    # margin 12, title 22.5 + 8, three legend lines of 20.8, 6, the numbers 16.5) and 220 across
    # (360 - 12 - 12 columns of 20, + 2); a row is 42 down, a column 40 across, a cell 36 square
    # with a frame of 2 pixels when white. Looked at: the inside of a cell, within the frame.
    insides = {
        (
            rows[r].verdicts[c],
            picture.crop((222 + 40 * c, 257 + 42 * r, 254 + 40 * c, 289 + 42 * r)).tobytes(),
        )
        for r in range(3)
        for c in range(COLUMNS)
    }
    assert sorted(verdict for verdict, _ in insides) == sorted(VERDICTS)  # one look a verdict
    assert len({inside for _, inside in insides}) == len(VERDICTS)  # and they all differ


def test_the_picture_is_a_palette_png_that_keeps_every_colour_of_the_picture_exact(instrument):
    """A byte a pixel (bot/heatmap.py _palette): the fills, the stripes and white stay exactly
    themselves; only the soft edges of words and signs may shift a little."""
    rows = [MemberRow("Lid", tuple(VERDICTS[c % len(VERDICTS)] for c in range(COLUMNS)))]
    competencies = tuple(c.name for c in instrument.competencies)
    words = HeatmapText("Team", competencies, dict.fromkeys(VERDICTS, "x"), "Sterk")
    picture = Image.open(io.BytesIO(render_heatmap(rows, words)))
    assert picture.mode == "P"
    rgb = picture.convert("RGB")
    # Pixels worked out as in the test above: the first row's cells start 255 down and 220
    # across; 4 pixels in is inside the frame and away from the sign. The stripe of the first
    # row starts 2 points (4 pixels) above it, 8 points (16 pixels) from the left.
    fills = {
        "suits": (8, 81, 156),  # #08519c
        "between": (107, 174, 214),  # #6baed6
        "develop": (253, 174, 107),  # #fdae6b
        "open": (255, 255, 255),
        "not_answered": (255, 255, 255),
    }
    for column, verdict in enumerate(rows[0].verdicts):
        assert rgb.getpixel((224 + 40 * column, 259)) == fills[verdict], verdict
    assert rgb.getpixel((18, 253)) == (240, 240, 240)  # the stripe, #f0f0f0
    assert rgb.getpixel((2, 2)) == (255, 255, 255)


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param((), id="nobody"),
        pytest.param(
            (MemberRow("Donaudampfschifffahrtskapitänin", ("open",) * COLUMNS),), id="a long name"
        ),
        pytest.param((MemberRow("$x$ & <b>", VERDICTS[:2] * 6),), id="markup in a name"),
    ],
)
def test_every_kind_of_team_gives_a_picture(rows, instrument):
    words = HeatmapText(
        "Team",
        tuple(c.name for c in instrument.competencies),
        dict.fromkeys(VERDICTS, "x"),
        "Sterk",
    )
    assert _size(render_heatmap(rows, words))[0] == 720


@pytest.mark.parametrize(
    "verdicts", [("suits",) * 11, ("suits",) * 13, ("suits",) * 11 + ("great",)]
)
def test_a_row_needs_twelve_known_verdicts(verdicts):
    with pytest.raises(ValueError):
        MemberRow("Ali", verdicts)


def test_a_team_with_no_strength_yet_is_told_so_once(instrument, texts):
    nothing = MemberProfile(1, "Sam", score_competencies(instrument, {}), Cards())
    digest = build_digest(instrument, [nothing])
    caption = plain(digest_caption(texts, instrument, "Team", digest, NOW))
    assert caption.split("\n") == [
        "📊 Team Team · 7 december 2026",
        "Leden die delen: 1. Klaar met invullen: 0.",
        "Nog niemand in het team is ergens sterk in. Dat kan nog komen.",
        "Op het plaatje: een rij per lid, een kolom per competentie (nummer 1 tot 12). ✓ is"
        " sterk, ½ is half om half, ↑ is om te groeien. Hieronder staat het kort in woorden. Alles"
        " per lid in woorden krijg je met de knop Alles per lid.",
    ]
    first = plain(digest_messages(texts, instrument, digest)[0])
    assert first.count("past nog bij niemand.") == 4
    assert first.count("kunnen jullie samen oppakken") == 1


@pytest.mark.parametrize(
    ("told", "words"),
    [
        (0, "🗑 Team Wmo-raad is opgeheven."),
        (1, "🗑 Team Wmo-raad is opgeheven. We sturen 1 persoon uit het team een bericht."),
        (3, "🗑 Team Wmo-raad is opgeheven. We sturen 3 mensen uit het team een bericht."),
    ],
)
def test_the_end_of_a_team_says_how_many_people_are_told(texts, told, words):
    farewell = Farewell("Wmo-raad", tuple(Recipient(n, "nl") for n in range(told)))
    assert plain(ended(texts, farewell)) == words


def test_a_section_with_nothing_to_list_says_so_right_under_its_title(instrument, texts):
    everything_fits = build_digest(instrument, thirty(instrument))
    first = plain(digest_messages(texts, instrument, everything_fits)[0])
    assert "Taken die nog bij niemand passen\nElke taak past bij minstens één lid." in first
    nothing = build_digest(
        instrument, [MemberProfile(1, "Sam", score_competencies(instrument, {}), Cards())]
    )
    first = plain(digest_messages(texts, instrument, nothing)[0])
    assert first.endswith(
        "Duo's\nNog geen duo's. Er is nog niemand die sterk is waarin een ander wil groeien."
    )
