"""The overview in words: the caption and every detail stay within their limits in the worst
cases, and say what the profile says, in both languages."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from bot.overview_view import CAPTION_LIMIT, DETAIL_LIMIT, PARTS, caption, detail, picture_input
from bot.reaction_view import colleague_caption
from content import load_content
from domain.cards import Cards
from domain.profile import before_round, changes, living_profile
from domain.reaction import Given, ReactionRequest, Recognition, Status, Step, beside
from domain.round import GivenAnswer, Round, RoundStatus
from domain.summary import summarise
from services.profiles import Overview
from services.reactions import ColleagueView

AT = "2026-11-29T12:00:00+00:00"


def _overview(instrument, *rounds_values: dict[str, int]) -> Overview:
    rounds = [
        Round(
            round_id=n,
            user_id=1,
            number=n,
            status=RoundStatus.COMPLETE,
            started_at=AT,
            selection=tuple(sorted({sid.split(".")[0] for sid in values})),
            answers={sid: GivenAnswer(v, AT) for sid, v in values.items()},
            completed_at=AT,
        )
        for n, values in enumerate(rounds_values, 1)
    ]
    profile = living_profile(instrument, rounds)
    before = before_round(instrument, rounds, rounds[-1].number)
    return Overview(
        "Anna",
        rounds[-1],
        profile,
        summarise(instrument, profile.answers),
        before,
        changes(instrument, before.answers, rounds[-1].values()),
    )


@pytest.mark.parametrize("code", ["nl", "en"])
@pytest.mark.parametrize("value", [1, 2, 3, 4])
def test_every_text_fits_its_limit_whatever_was_answered(code, value):
    language = load_content().language(code)
    instrument, texts = language.instrument, language.texts
    everything = {s.id: value for s in instrument.statements}
    overview = _overview(instrument, everything, everything)
    assert len(caption(texts, instrument, overview)) <= CAPTION_LIMIT
    for part in PARTS:
        assert len(detail(texts, instrument, overview, part)) <= DETAIL_LIMIT, part


def test_all_niet_waar_lists_learning_points_until_the_limit_and_says_how_many_more(
    instrument, texts
):
    """48 learning points do not fit 1,500 characters: whole competencies are shown, then how
    many statements are left (all are on the page to print)."""
    overview = _overview(instrument, {s.id: 4 for s in instrument.statements})
    text = detail(texts, instrument, overview, "learning")
    shown = text.count("<i>(Niet waar)</i>")
    assert shown % 4 == 0 and 0 < shown < 48
    assert text.endswith(
        f"En nog {48 - shown} zinnen. Ze staan allemaal op de pagina om te printen."
    )


def test_what_changed_in_words(instrument, texts):
    """Lef first 1 of 4 (Zeer, then Niet ×3: to develop), now 3 of 4 (suits); Netwerken 4 of 4
    both times."""
    first = {
        "lef.1": 1,
        "lef.2": 4,
        "lef.3": 4,
        "lef.4": 4,
        **{f"netwerken.{n}": 1 for n in range(1, 5)},
    }
    second = {
        "lef.1": 1,
        "lef.2": 2,
        "lef.3": 1,
        "lef.4": 3,
        **{f"netwerken.{n}": 2 for n in range(1, 5)},
    }
    text = detail(texts, instrument, _overview(instrument, first, second), "changes")
    assert "<b>Lef</b>: eerst om te groeien (1 van 4), nu ligt je goed (3 van 4)." in text
    assert text.endswith("Gelijk gebleven: Netwerken.")


def test_the_picture_has_an_outline_only_where_a_competency_was_answered_again(instrument, texts):
    first = {**{f"lef.{n}": 4 for n in range(1, 5)}, **{f"netwerken.{n}": 1 for n in range(1, 5)}}
    second = {f"lef.{n}": 2 for n in range(1, 5)}
    bars, _ = picture_input(texts, instrument, _overview(instrument, first, second))
    by_name = {b.name: b for b in bars}
    assert by_name["Lef"].previous_suiting == 0
    assert by_name["Lef"].counts == (0, 4, 0, 0)
    assert by_name["Netwerken"].previous_suiting is None
    assert by_name["Netwerken"].counts == (4, 0, 0, 0)
    assert by_name["Lef"].verdict == "suits" and by_name["Sensitiviteit"].verdict == "not_answered"


# -- reactions beside the profile -----------------------------------------------------------

NAME64 = "Maximiliaan-Alexander " * 2 + "van der Heijden-Oosterhuis"  # long first names happen


def _received(instrument, overview: Overview, name: str, picks, grow, remark, at=AT) -> Overview:
    """``overview`` with one more answered reaction from ``name``, newest first."""
    request = ReactionRequest(
        len(overview.reactions) + 1,
        1,
        AT,
        "2026-12-29T12:00:00+00:00",
        False,
        status=Status.ANSWERED,
        colleague_id=2,
        given=Given(Recognition.PARTLY, tuple(picks), grow, remark),
        answered_at=at,
        colleague_name=name,
    )
    reaction = beside(request, overview.summary.results, overview.round.cards)
    return replace(overview, reactions=(*overview.reactions, reaction))


def _balanced(html: str) -> bool:
    """Every <b> and <i> closed, in order: what Telegram needs to parse the text."""
    open_tags = []
    for closing, tag in re.findall(r"<(/?)([bi])>", html):
        if not closing:
            open_tags.append(tag)
        elif not open_tags or open_tags.pop() != tag:
            return False
    return not open_tags


def test_the_colleagues_picks_are_marked_and_said_in_the_caption(instrument, texts):
    netwerken = {f"netwerken.{n}": 1 for n in range(1, 5)}
    overview = _received(
        instrument,
        _overview(instrument, netwerken),
        "Bo",
        ["lef", "netwerken"],
        "samenwerken",
        None,
    )
    overview = _received(instrument, overview, "Chris", ["netwerken", "politiek"], None, None)
    bars, text = picture_input(texts, instrument, overview)
    marked = {b.name: (b.marked, b.grow_marked) for b in bars if b.marked or b.grow_marked}
    assert marked == {
        "Lef": (True, False),
        "Netwerken": (True, False),
        "Samenwerken": (False, True),
        "Politiek/bestuurlijk inzicht": (True, False),
    }
    assert text.grow_marked == "kan groeien, zegt een collega"
    said = caption(texts, instrument, overview)
    assert (
        "★ <b>Volgens Bo en Chris past dit het best bij je:</b> Lef, Netwerken en"
        " Politiek/bestuurlijk inzicht." in said
    )
    assert "↗ <b>Hierin kun je volgens Bo nog groeien:</b> Samenwerken." in said
    # Netwerken suits Anna: she and Bo agree on it; Lef she did not answer: Bo adds it
    text = detail(texts, instrument, overview, "reactions")
    assert "Daarover zijn jullie het eens: Netwerken." in text
    assert "Dit ziet Bo in je, en jij zelf nog niet zo: Lef." in text
    assert text.index("<b>Bo</b>") < text.index("<b>Chris</b>")


def test_the_reactions_detail_fits_with_the_longest_names_and_remarks(instrument, texts):
    everything = {s.id: 2 for s in instrument.statements}
    overview = _overview(instrument, everything)
    remark = ("<b>Lang & breed</b>\n" * 60)[:1000]
    for n in range(5):
        overview = _received(
            instrument, overview, f"{NAME64[:60]} {n}", ["lef", "netwerken"], "politiek", remark
        )
    text = detail(texts, instrument, overview, "reactions")
    assert len(text) <= DETAIL_LIMIT and _balanced(text)
    # the newest shows, its remark shortened and still escaped; the others are counted
    assert f"<b>{NAME64[:60]} 0</b>" in text and "&lt;b&gt;Lang &amp; breed" in text
    assert text.endswith("…</i>\nEn nog 4 oudere reacties.")
    assert len(caption(texts, instrument, overview)) <= CAPTION_LIMIT


@pytest.mark.parametrize("code", ["nl", "en"])
def test_what_the_colleague_sees_fits_with_the_longest_name(code):
    """Every verdict present, the longest names as cards and Telegram's longest first name:
    1,048 characters in Dutch, 1,050 in English, before the caption is cut at a line."""
    language = load_content().language(code)
    instrument, texts = language.instrument, language.texts
    answers = {}
    for i, competency in enumerate(instrument.competencies):
        values = (1, 1, 1, 1) if i < 4 else (4, 4, 4, 4) if i < 8 else (1, 1, 4, 4)
        values = values if i < 10 else (1,) if i == 10 else ()  # open, not answered
        answers |= {s.id: v for s, v in zip(competency.statements, values, strict=False)}
    overview = _overview(instrument, answers)
    longest = sorted(instrument.competencies, key=lambda c: -len(c.name))
    cards = Cards(tuple(c.id for c in longest[:3]), tuple(c.id for c in longest[3:6]))
    overview = replace(overview, round=replace(overview.round, cards=cards))
    request = ReactionRequest(1, 1, AT, AT, True, Status.CLAIMED, 2, Step.RECOGNISE)
    said = colleague_caption(texts, instrument, ColleagueView(request, NAME64, overview))
    assert len(said) <= CAPTION_LIMIT and _balanced(said)
    assert said.startswith(texts("reactions.caption_title", name=NAME64))
