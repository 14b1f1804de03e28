"""Messages and keyboards for statements and choices, from content texts (HTML)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action, encode
from content import Answer, Instrument, Texts
from domain.progress import Position
from domain.round import Prompt


def button(text: str, action: Action, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=encode(action, *parts))


def keyboard(*rows: Iterable[InlineKeyboardButton]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([list(row) for row in rows if row])


def join(*parts: str | None) -> str:
    """Paragraphs, empty ones left out."""
    return "\n\n".join(p for p in parts if p)


def statement_text(texts: Texts, position: Position) -> str:
    header = texts(
        "prompt.header",
        competency=escape(position.competency.name),
        index=position.in_competency,
        of=position.of_competency,
        number=position.number,
        total=position.total,
    )
    return join(header, escape(position.statement.text))


def prompt_intro(texts: Texts, prompt: Prompt) -> str | None:
    """The competency's name and description above its first statement (not when going back)."""
    position = prompt.position
    if not position.first_of_competency or prompt.current is not None:
        return None
    return texts(
        "prompt.intro",
        number=position.competency.number,
        name=escape(position.competency.name),
        description=escape(position.competency.description),
    )


def prompt_view(
    texts: Texts, instrument: Instrument, prompt: Prompt, preface: str | None = None
) -> tuple[str, InlineKeyboardMarkup]:
    """A statement with its answer buttons: one big button per answer, then Vorige/Uitleg/Pauze."""
    position = prompt.position
    current = (
        texts("prompt.current", label=escape(instrument.answer(prompt.current).label))
        if prompt.current is not None
        else None
    )
    text = join(preface, statement_text(texts, position), current)
    rid, sid = prompt.round_id, position.statement.id
    answer_rows = [
        [
            button(
                texts("buttons.current_answer", label=a.label)
                if a.value == prompt.current
                else a.label,
                Action.ANSWER,
                rid,
                sid,
                a.value,
            )
        ]
        for a in instrument.answers
    ]
    controls = [
        *(
            [button(texts("buttons.previous"), Action.BACK, rid, sid)]
            if position.has_previous
            else []
        ),
        button(texts("buttons.explain"), Action.EXPLAIN, rid, sid),
        button(texts("buttons.pause"), Action.PAUSE, rid, sid),
    ]
    return text, keyboard(*answer_rows, controls)


def answered_text(texts: Texts, instrument: Instrument, position: Position, value: int) -> str:
    """What a statement message turns into once answered: the buttons go, the choice stays."""
    label = escape(instrument.answer(value).label)
    return join(statement_text(texts, position), texts("prompt.answered", label=label))


def choice_keyboard(texts: Texts, round_id: int) -> InlineKeyboardMarkup:
    return keyboard(
        [button(texts("buttons.all"), Action.ALL, round_id)],
        [button(texts("buttons.pick"), Action.PICK, round_id)],
    )


def pick_keyboard(
    texts: Texts,
    instrument: Instrument,
    round_id: int,
    picked: Iterable[str],
    done: Iterable[str],
) -> InlineKeyboardMarkup:
    """The twelve competencies to switch on and off; ones already answered stay on. Below them
    "start" and a way back."""
    chosen, done = set(picked), set(done)
    rows = []
    for competency in instrument.competencies:
        if competency.id in done:
            label = texts("buttons.already_done", name=competency.name)
            rows.append([button(label, Action.CHOOSE, round_id, competency.id, 1)])
        elif competency.id in chosen:
            label = texts("buttons.chosen", name=competency.name)
            rows.append([button(label, Action.CHOOSE, round_id, competency.id, 0)])
        else:
            label = texts("buttons.not_chosen", name=competency.name)
            rows.append([button(label, Action.CHOOSE, round_id, competency.id, 1)])
    rows.append([button(texts("buttons.start_chosen"), Action.GO, round_id)])
    rows.append([button(texts("buttons.back_from_pick"), Action.UNPICK, round_id)])
    return keyboard(*rows)


def typed_hint(texts: Texts, instrument: Instrument) -> str:
    return texts("hints.typed", choices=_choices(texts, instrument.answers))


def ambiguous_hint(texts: Texts, instrument: Instrument, values: Iterable[int]) -> str:
    """A typed word that fits more than one answer: ask which one is meant."""
    answers = [instrument.answer(v) for v in values]
    return texts("hints.ambiguous", choices=_choices(texts, answers))


def _choices(texts: Texts, answers: Iterable[Answer]) -> str:
    return ", ".join(
        texts("hints.typed_choice", value=a.value, label=escape(a.label)) for a in answers
    )
