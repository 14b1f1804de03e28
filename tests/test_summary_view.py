"""The summary in words: the right sections, the reasons, and Telegram's length limit."""

from __future__ import annotations

import pytest

from bot.summary_view import MESSAGE_LIMIT, pack, summary_messages
from domain.round import GivenAnswer, Round, RoundStatus
from domain.summary import summarise

ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4


def _answers(instrument, competency_id, *values):
    statements = instrument.competency(competency_id).statements
    return {s.id: v for s, v in zip(statements, values, strict=False)}


def _short(instrument, task_id):
    """Bijlage 1's short text of a task (content, not a result)."""
    return {t.id: t.short for t in instrument.tasks}[task_id]


def _said(instrument, statement_id):
    """The words of a statement (content, not a result)."""
    return instrument.statement(statement_id).text


def _messages(texts, instrument, answers, number, *, complete):
    """The summary of a round with ``answers``: a complete round of exactly the competencies
    answered, or a round of all twelve still being answered."""
    done = tuple(
        c.id for c in instrument.competencies if any(s.id in answers for s in c.statements)
    )
    round_ = Round(
        round_id=1,
        user_id=1,
        number=number,
        status=RoundStatus.COMPLETE if complete else RoundStatus.ANSWERING,
        started_at="2026-11-29T12:00:00+00:00",
        selection=done if complete else tuple(c.id for c in instrument.competencies),
        answers={sid: GivenAnswer(v, "2026-11-29T12:00:00+00:00") for sid, v in answers.items()},
        completed_at="2026-11-29T12:10:00+00:00" if complete else None,
    )
    return summary_messages(texts, instrument, summarise(instrument, answers), round_)


def _lines(message):
    return message.split("\n")


def test_a_full_summary_has_every_part(instrument, texts):
    answers = {s.id: ZEER if i % 4 else BEETJE for i, s in enumerate(instrument.statements)}
    messages = _messages(texts, instrument, answers, 1, complete=True)
    text = "\n".join(messages)
    for part in ("Dit ligt je goed", "Je leerpunten", "Taken die bij je passen", "De vier fases"):
        assert part in text
    assert "Waar ben je goed in?" in text and "Wie kan je daarbij helpen?" in text
    assert "van de 5 competenties voor deze taak liggen je goed" in text
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)


def test_nothing_answered(instrument, texts):
    assert _messages(texts, instrument, {}, 1, complete=False) == [texts("summary.nothing")]


def test_partial_summary_says_so(instrument, texts):
    answers = {s.id: ZEER for s in instrument.competency("lef").statements[:3]}
    messages = _messages(texts, instrument, answers, 2, complete=False)
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
    partial = "\n".join(_messages(texts, instrument, some, 1, complete=True))
    assert texts("summary.phases_partial") in partial
    everything = {s.id: ZEER for s in instrument.statements}
    full = "\n".join(_messages(texts, instrument, everything, 1, complete=True))
    assert texts("summary.phases_partial") not in full


def _voorbeeld_2_round(instrument):
    """Seven competencies answered (26 of 48 statements), five left out:

    Signaleren      Zeer, Zeer, Zeer, Zeer          -> ligt je goed
    Sensitiviteit   Zeer, Meestal, Meestal, Beetje  -> ligt je goed, 1 leerpunt
    Communicatie    Meestal x 4                     -> ligt je goed
    Samenwerken     Zeer, Zeer, Niet, Meestal       -> ligt je goed, 1 leerpunt
    Lef             Zeer, Beetje, Meestal, Niet     -> half om half (2-2), 2 leerpunten
    Politiek        Niet, Beetje, Niet, Zeer        -> groeien, 3 leerpunten
    Creativiteit    Zeer, Beetje (2 of 4)           -> nog niet af, 1 leerpunt
    """
    return {
        **_answers(instrument, "signaleren", ZEER, ZEER, ZEER, ZEER),
        **_answers(instrument, "sensitiviteit", ZEER, MEESTAL, MEESTAL, BEETJE),
        **_answers(instrument, "communicatie", MEESTAL, MEESTAL, MEESTAL, MEESTAL),
        **_answers(instrument, "samenwerken", ZEER, ZEER, NIET, MEESTAL),
        **_answers(instrument, "lef", ZEER, BEETJE, MEESTAL, NIET),
        **_answers(instrument, "politiek", NIET, BEETJE, NIET, ZEER),
        **_answers(instrument, "creativiteit", ZEER, BEETJE),
    }


def _voorbeeld_2_messages(instrument, texts):
    answers = _voorbeeld_2_round(instrument)
    assert len(answers) == 26
    return _messages(texts, instrument, answers, 3, complete=False)


def test_one_message_per_part(instrument, texts):
    """The round of _voorbeeld_2_round: competencies, learning points, tasks, phases."""
    messages = _voorbeeld_2_messages(instrument, texts)
    assert len(messages) == 4
    assert messages[0].startswith("<b>Jouw overzicht</b> (ronde 3)")
    assert messages[1].startswith("📝 <b>Je leerpunten</b>")
    assert messages[2].startswith("🧩 <b>Taken die bij je passen</b>")
    assert messages[3].startswith("🔄 <b>De vier fases van belangenbehartiging</b>")


def test_competencies_stand_under_their_verdict(instrument, texts):
    """The round of _voorbeeld_2_round: four strengths, Lef in between, Politiek to develop,
    Creativiteit half answered; the five unanswered competencies are not named."""
    assert _lines(_voorbeeld_2_messages(instrument, texts)[0]) == [
        "<b>Jouw overzicht</b> (ronde 3)",
        "Je hebt 26 van de 48 zinnen ingevuld die je koos. "
        "Dit overzicht gaat over wat je tot nu toe hebt ingevuld.",
        "",
        texts("summary.rule"),
        "",
        "💪 <b>Dit ligt je goed</b>",
        "• Signaleren en analyseren",
        "• Sensitiviteit",
        "• Communicatie",
        "• Samenwerken",
        "",
        "⚖️ <b>Half om half</b>",
        "• Lef",
        "",
        "🌱 <b>Hier kun je nog groeien</b>",
        "• Politiek/bestuurlijk inzicht",
        "",
        "⏳ <b>Nog niet af</b>",
        "• Creativiteit (2 van 4 zinnen)",
    ]


def test_learning_points_are_the_beetje_and_niet_statements_with_their_label(instrument, texts):
    """The round of _voorbeeld_2_round: eight learning points, under their competency in brochure
    order, including those of suiting and unfinished competencies."""
    lines = _lines(_voorbeeld_2_messages(instrument, texts)[1])
    assert lines == [
        "📝 <b>Je leerpunten</b>",
        texts("summary.learning_intro"),
        "",
        "<b>Sensitiviteit</b>",
        f"• {_said(instrument, 'sensitiviteit.4')} <i>(Beetje waar)</i>",
        "",
        "<b>Lef</b>",
        f"• {_said(instrument, 'lef.2')} <i>(Beetje waar)</i>",
        f"• {_said(instrument, 'lef.4')} <i>(Niet waar)</i>",
        "",
        "<b>Creativiteit</b>",
        f"• {_said(instrument, 'creativiteit.2')} <i>(Beetje waar)</i>",
        "",
        "<b>Samenwerken</b>",
        f"• {_said(instrument, 'samenwerken.3')} <i>(Niet waar)</i>",
        "",
        "<b>Politiek/bestuurlijk inzicht</b>",
        f"• {_said(instrument, 'politiek.1')} <i>(Niet waar)</i>",
        f"• {_said(instrument, 'politiek.2')} <i>(Beetje waar)</i>",
        f"• {_said(instrument, 'politiek.3')} <i>(Niet waar)</i>",
    ]
    assert lines[4] == "• Ik heb gevoel voor timing. <i>(Beetje waar)</i>"


def test_tasks_with_x_van_de_y_and_the_one_within_reach(instrument, texts):
    """The round of _voorbeeld_2_round (strengths Signaleren, Sensitiviteit, Communicatie,
    Samenwerken). Six tasks fit: 1.2 (4 of 4), 1.1 (2 of 3), then 1.3, 2.3, 3.3, 4.1 (3 of 5);
    the first five with their reason, 4.1 by name. Task 2.1 has 2 of 4 (sensitiviteit,
    samenwerken) and misses Politiek (to develop) or Creativiteit (half answered). 2.2 and 2.4
    (1 of 4) and 3.5 (1 of 5) are not within reach."""
    assert _lines(_voorbeeld_2_messages(instrument, texts)[2]) == [
        "🧩 <b>Taken die bij je passen</b>",
        f"<b>Taak 1.2</b>: {_short(instrument, '1.2')}",
        "4 van de 4 competenties voor deze taak liggen je goed.",
        "",
        f"<b>Taak 1.1</b>: {_short(instrument, '1.1')}",
        "2 van de 3 competenties voor deze taak liggen je goed.",
        "",
        f"<b>Taak 1.3</b>: {_short(instrument, '1.3')}",
        "3 van de 5 competenties voor deze taak liggen je goed.",
        "",
        f"<b>Taak 2.3</b>: {_short(instrument, '2.3')}",
        "3 van de 5 competenties voor deze taak liggen je goed.",
        "",
        f"<b>Taak 3.3</b>: {_short(instrument, '3.3')}",
        "3 van de 5 competenties voor deze taak liggen je goed.",
        "",
        "Deze taken passen ook bij je:",
        f"• Taak 4.1: {_short(instrument, '4.1')}",
        "",
        "🎯 <b>Bijna binnen bereik</b>",
        texts("summary.reach_intro"),
        "",
        f"<b>Taak 2.1</b>: {_short(instrument, '2.1')}",
        "Nog één van deze erbij: Politiek/bestuurlijk inzicht of Creativiteit (nog niet af).",
    ]


def test_phase_lines(instrument, texts):
    """The round of _voorbeeld_2_round, per phase (suiting of needed, counted per task):
    1: 1.1 2/3 + 1.2 4/4 + 1.3 3/5 = 9 of 12
    2: 2.1 2/4 + 2.2 1/4 + 2.3 3/5 + 2.4 1/4 = 7 of 17
    3: 3.1 0/5 + 3.2 0/5 + 3.3 3/5 + 3.4 0/5 + 3.5 1/5 = 4 of 25
    4: 4.1 3/5 = 3 of 5
    Five competencies are not filled in, so no phase is called strongest or weakest yet, and
    the round is not complete, so no tip to fill it in again."""
    phases, questions = _voorbeeld_2_messages(instrument, texts)[3].split("\n\n")
    assert _lines(phases) == [
        "🔄 <b>De vier fases van belangenbehartiging</b>",
        texts("summary.phases_intro"),
        "1. Signaleren: 9 van 12",
        "2. Strategie en plan van aanpak: 7 van 17",
        "3. Uitvoering: 4 van 25",
        "4. Evaluatie: 3 van 5",
        "Je hebt nog niet alle competenties ingevuld. Dit beeld kan dus nog veranderen.",
    ]
    assert questions == texts("summary.questions").strip("\n")


def test_only_signaleren_answered(instrument, texts):
    """Only Signaleren, all Zeer waar (4 of 48): no task fits yet; task 1.1 (1 of 3) is within
    reach with the two competencies not filled in; 1.2 (1 of 4) and 1.3, 2.3, 3.3, 4.1 (1 of 5)
    are not. Phases: 1.1 + 1.2 + 1.3 = 3 of 12, 2.3 = 1 of 17, 3.3 = 1 of 25, 4.1 = 1 of 5."""
    answers = _answers(instrument, "signaleren", ZEER, ZEER, ZEER, ZEER)
    messages = _messages(texts, instrument, answers, 1, complete=True)
    assert len(messages) == 4
    assert _lines(messages[0])[1] == (
        "Je hebt alle 4 zinnen ingevuld die je koos. Je kunt later nog meer competenties invullen."
    )
    assert _lines(messages[0])[5:] == ["💪 <b>Dit ligt je goed</b>", "• Signaleren en analyseren"]
    assert _lines(messages[1]) == ["📝 <b>Je leerpunten</b>", "Je hebt nog geen leerpunten."]
    assert _lines(messages[2]) == [
        "🧩 <b>Taken die bij je passen</b>",
        "Nog geen taak past goed bij wat je hebt ingevuld. Dat kan nog komen!",
        "",
        "🎯 <b>Bijna binnen bereik</b>",
        texts("summary.reach_intro"),
        "",
        f"<b>Taak 1.1</b>: {_short(instrument, '1.1')}",
        "Nog één van deze erbij: "
        "Communicatie (nog niet ingevuld) of Netwerken (nog niet ingevuld).",
    ]
    assert _lines(messages[3].split("\n\n")[0])[2:] == [
        "1. Signaleren: 3 van 12",
        "2. Strategie en plan van aanpak: 1 van 17",
        "3. Uitvoering: 1 van 25",
        "4. Evaluatie: 1 van 5",
        "Je hebt nog niet alle competenties ingevuld. Dit beeld kan dus nog veranderen.",
    ]


def test_nothing_suits_yet(instrument, texts):
    """Only Lef, all Niet waar: no strengths ("nog geen"), Lef to develop with four learning
    points, no task fits or is within reach, every phase 0 so none stands out."""
    answers = _answers(instrument, "lef", NIET, NIET, NIET, NIET)
    messages = _messages(texts, instrument, answers, 1, complete=True)
    assert _lines(messages[0])[5:] == [
        "💪 <b>Dit ligt je goed</b>",
        "• nog geen",
        "",
        "🌱 <b>Hier kun je nog groeien</b>",
        "• Lef",
    ]
    assert _lines(messages[1])[2:] == [
        "",
        "<b>Lef</b>",
        *(f"• {_said(instrument, f'lef.{n}')} <i>(Niet waar)</i>" for n in (1, 2, 3, 4)),
    ]
    assert _lines(messages[2]) == [
        "🧩 <b>Taken die bij je passen</b>",
        "Nog geen taak past goed bij wat je hebt ingevuld. Dat kan nog komen!",
    ]
    assert _lines(messages[3].split("\n\n")[0])[2:] == [
        "1. Signaleren: 0 van 12",
        "2. Strategie en plan van aanpak: 0 van 17",
        "3. Uitvoering: 0 van 25",
        "4. Evaluatie: 0 van 5",
        "Je hebt nog niet alle competenties ingevuld. Dit beeld kan dus nog veranderen.",
    ]


def test_phases_are_compared_only_when_every_competency_is_answered(instrument, texts):
    """All 48 statements Niet waar: nothing suits, every phase 0, so none stands out; and a
    complete round ends with the tip to fill it in again later."""
    answers = {s.id: NIET for s in instrument.statements}
    messages = _messages(texts, instrument, answers, 1, complete=True)
    phases, _, tip = messages[-1].split("\n\n")
    assert _lines(phases)[-1] == "De vier fases zijn bij jou even sterk gedekt."
    assert tip == texts("summary.tip").strip("\n")
    assert _lines(messages[0])[1] == "Je hebt alle 48 zinnen ingevuld."
