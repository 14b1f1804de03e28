"""Callback data of every button: small, explicit, and checked before anything is done with it.

Each button names what it acts on (the round, and the statement or competency), so a double tap,
an old button or forged data can be recognised and never applied to something else. All data
stays far below Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    ANSWER = "a"  # a|round|statement|value
    BACK = "b"  # b|round|statement (Vorige, pressed on the open statement)
    EXPLAIN = "i"  # i|round|statement
    PAUSE = "p"  # p|round|statement
    ALL = "all"  # all|round
    PICK = "pick"  # pick|round: the list to choose from (also: more in a finished round)
    UNPICK = "unpick"  # unpick|round: back from the list, to the screen before it
    CHOOSE = "c"  # c|round|competency|1 or 0: set, not toggle, so a double tap is harmless
    GO = "go"  # go|round: start the chosen competencies
    NEW_ROUND = "new"  # new|round: start a new round after this one
    CONTINUE = "cont"  # cont|round
    SUMMARY = "sum"  # sum|round
    DELETE = "del"  # del|1 (yes) or del|0 (no)
    LANGUAGE = "lang"  # lang|nl: speak this language with me
    DETAIL = "d"  # d|round|part: a detail of the overview (learning, tasks, phases, ...)
    PRINTOUT = "pdf"  # pdf|round: the page to print
    CARDS = "cards"  # cards|round|strong, grow or done: a step of the card exercise
    CARD = "k"  # k|round|s or g|competency|1 or 0: lay a card down or pick it up
    REMIND = "rem"  # rem|round|1, 3 or 7 (days), 0 (no), off or on: an answer to an offer


_ID = r"[a-z0-9_.]{1,24}"
_ROUND = r"(\d{1,12})"
_FORMS = {
    Action.ANSWER: rf"{_ROUND}\|({_ID})\|([1-9])",
    Action.BACK: rf"{_ROUND}\|({_ID})",
    Action.EXPLAIN: rf"{_ROUND}\|({_ID})",
    Action.PAUSE: rf"{_ROUND}\|({_ID})",
    Action.CHOOSE: rf"{_ROUND}\|({_ID})\|([01])",
    Action.DELETE: r"([01])",
    Action.LANGUAGE: r"([a-z]{2})",
    Action.DETAIL: rf"{_ROUND}\|(learning|tasks|phases|competencies|changes)",
    Action.CARDS: rf"{_ROUND}\|(strong|grow|done)",
    Action.CARD: rf"{_ROUND}\|([sg])\|({_ID})\|([01])",
    Action.REMIND: rf"{_ROUND}\|([0137]|off|on)",
}
_PATTERNS = {action: re.compile(rf"{action}\|{_FORMS.get(action, _ROUND)}\Z") for action in Action}


def pattern(action: Action) -> re.Pattern[str]:
    """The full form of one action's data, for python-telegram-bot's CallbackQueryHandler."""
    return _PATTERNS[action]


@dataclass(frozen=True)
class Callback:
    action: Action
    round_id: int | None = None
    item: str | None = None  # statement or competency id, or a part or step
    value: int | None = None
    kind: str | None = None  # a card's kind: s (strong) or g (grow)


def encode(action: Action, *parts: object) -> str:
    data = "|".join([str(action), *(str(p) for p in parts)])
    if len(data.encode()) > 64:
        raise ValueError("callback data over Telegram's 64 bytes")
    return data


def parse(data: str | None) -> Callback | None:
    """The button's meaning, or None for data this bot never made."""
    for action, compiled in _PATTERNS.items():
        match = compiled.match(data or "")
        if match is None:
            continue
        if action is Action.DELETE:
            return Callback(action, value=int(match[1]))
        if action is Action.LANGUAGE:
            return Callback(action, item=match[1])
        if action is Action.CARD:
            return Callback(action, int(match[1]), match[3], int(match[4]), kind=match[2])
        groups = match.groups()
        return Callback(
            action,
            round_id=int(groups[0]),
            item=groups[1] if len(groups) > 1 else None,
            value=int(groups[2]) if len(groups) > 2 else None,
        )
    return None
