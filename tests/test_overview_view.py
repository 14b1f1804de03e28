"""The overview in words: the caption and every detail stay within their limits in the worst
cases, and say what the profile says, in both languages."""

from __future__ import annotations

import pytest

from bot.overview_view import CAPTION_LIMIT, DETAIL_LIMIT, PARTS, caption, detail, picture_input
from content import load_content
from domain.profile import before_round, changes, living_profile
from domain.round import GivenAnswer, Round, RoundStatus
from domain.summary import summarise
from services.profiles import Overview

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
