"""The summary in words: the right sections, the reasons, and Telegram's length limit."""

from __future__ import annotations

import pytest

from bot.summary_view import MESSAGE_LIMIT, pack, summary_messages
from domain.summary import summarise

ZEER, BEETJE = 1, 3


def test_a_full_summary_has_every_part(instrument, texts):
    answers = {s.id: ZEER if i % 4 else BEETJE for i, s in enumerate(instrument.statements)}
    messages = summary_messages(texts, instrument, summarise(instrument, answers), 1, complete=True)
    text = "\n".join(messages)
    for part in ("Dit ligt je goed", "Je leerpunten", "Taken die bij je passen", "De vier fases"):
        assert part in text
    assert "Waar ben je goed in?" in text and "Wie kan je daarbij helpen?" in text
    assert "van de 5 competenties voor deze taak liggen je goed" in text
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)


def test_nothing_answered(instrument, texts):
    assert summary_messages(texts, instrument, summarise(instrument, {}), 1, complete=False) == [
        texts("summary.nothing")
    ]


def test_partial_summary_says_so(instrument, texts):
    answers = {s.id: ZEER for s in instrument.competency("lef").statements[:3]}
    messages = summary_messages(
        texts, instrument, summarise(instrument, answers), 2, complete=False
    )
    assert "3 van de 48 zinnen" in messages[0]
    assert "(ronde 2)" in messages[0]


def test_pack_keeps_parts_whole_and_cuts_long_ones_between_lines():
    assert pack(["a", "b"], limit=10) == ["a\n\nb"]
    assert pack(["aaaa", "bbbb"], limit=8) == ["aaaa", "bbbb"]
    long = "\n".join(["line"] * 5)
    assert pack([long], limit=10) == ["line\nline", "line\nline", "line"]
    with pytest.raises(ValueError):
        pack(["x" * 11], limit=10)


def test_phases_say_the_picture_can_change_while_competencies_are_missing(instrument, texts):
    some = {s.id: ZEER for s in instrument.competency("lef").statements}
    partial = "\n".join(
        summary_messages(texts, instrument, summarise(instrument, some), 1, complete=True)
    )
    assert texts("summary.phases_partial") in partial
    everything = {s.id: ZEER for s in instrument.statements}
    full = "\n".join(
        summary_messages(texts, instrument, summarise(instrument, everything), 1, complete=True)
    )
    assert texts("summary.phases_partial") not in full
