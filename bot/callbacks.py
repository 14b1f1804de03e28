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
    ASK = "ask"  # ask|open, on, off or no: what a colleague will see, sharing single answers or not
    MAKE_LINK = "mk"  # mk|1 or 0: make a link, sharing the single answers (1) or not
    WITHDRAW = "rw"  # rw|request: take an open link back
    FORGET = "rf"  # rf|request|ask, yes or no: delete a reaction received, after a question
    JOIN = "rj"  # rj|request|1 or 0: the colleague takes part, or not
    RECOGNISE = "rr"  # rr|request|yes, partly or no: "Herken je dit beeld?"
    SUITS = "rp"  # rp|request|s or g|competency|1 or 0: a pick that suits, or one to grow
    NEXT = "rn"  # rn|request|picks, grow or remark: done with that step
    SEND = "rs"  # rs|request: send the reaction
    THEIR_ANSWERS = "ra"  # ra|request: the asker's single answers, when shared
    # Team buttons name their team where round buttons name their round; the team checks that
    # the person may do it (services/teams.py), so forged data reveals and changes nothing.
    NEW_TEAM = "tn"  # tn|1: ask for a new team's name; tn|0: never mind
    TEAM = "tm"  # tm|team|part: a screen or step of the team (see TEAM_PARTS)
    SHARE = "ts"  # ts|team|m or c|1 or 0: Ja or Nee to sharing (m) or to coordinating (c)
    DIGEST_WHEN = "tw"  # tw|team|day or hour|value: when the weekly digest comes
    REMIND = "rem"  # rem|round|1, 3 or 7 (days), 0 (no), off or on: an answer to an offer


TEAM_PARTS = (
    "open",  # the team's screen, in place of the message tapped
    "show",  # the team's screen as a new message (under an invite link, which must stay)
    "digest",  # the digest now
    "members",  # everything per member in words (the button under a digest)
    "invite",  # a new member link
    "cocoord",  # a co-coordinator link
    "when",  # the weekly digest's day and hour
    "off",  # the weekly digest off
    "share",  # the consent screen again, to share after all
    "stop",  # stop sharing
    "stepdown",  # stop as coordinator
    "end",  # end the team: asks first
    "endyes",  # end the team: yes
)

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
    Action.DETAIL: rf"{_ROUND}\|(learning|tasks|phases|competencies|changes|reactions)",
    Action.CARDS: rf"{_ROUND}\|(strong|grow|done)",
    Action.CARD: rf"{_ROUND}\|([sg])\|({_ID})\|([01])",
    Action.ASK: r"(open|on|off|no)",
    Action.MAKE_LINK: r"([01])",
    Action.FORGET: rf"{_ROUND}\|(ask|yes|no)",
    Action.JOIN: rf"{_ROUND}\|([01])",
    Action.RECOGNISE: rf"{_ROUND}\|(yes|partly|no)",
    Action.SUITS: rf"{_ROUND}\|([sg])\|({_ID})\|([01])",
    Action.NEXT: rf"{_ROUND}\|(picks|grow|remark)",
    Action.NEW_TEAM: r"([01])",
    Action.TEAM: rf"{_ROUND}\|({'|'.join(TEAM_PARTS)})",
    Action.SHARE: rf"{_ROUND}\|([mc])\|([01])",
    Action.DIGEST_WHEN: rf"{_ROUND}\|(day|hour)\|(\d{{1,2}})",
    Action.REMIND: rf"{_ROUND}\|([0137]|off|on)",
}
# Buttons of a reaction request name the request, not a round.
_OF_A_REQUEST = frozenset(
    {
        Action.WITHDRAW,
        Action.FORGET,
        Action.JOIN,
        Action.RECOGNISE,
        Action.SUITS,
        Action.NEXT,
        Action.SEND,
        Action.THEIR_ANSWERS,
    }
)
_PATTERNS = {action: re.compile(rf"{action}\|{_FORMS.get(action, _ROUND)}\Z") for action in Action}


def pattern(action: Action) -> re.Pattern[str]:
    """The full form of one action's data, for python-telegram-bot's CallbackQueryHandler."""
    return _PATTERNS[action]


@dataclass(frozen=True)
class Callback:
    action: Action
    round_id: int | None = None  # for a team button: the team's id (see team_id)
    item: str | None = None  # statement or competency id, or a part or step
    value: int | None = None
    kind: str | None = None  # a card's kind: s (strong) or g (grow)
    request_id: int | None = None  # a reaction request

    @property
    def team_id(self) -> int | None:
        return self.round_id


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
        if action in (Action.DELETE, Action.MAKE_LINK, Action.NEW_TEAM):
            return Callback(action, value=int(match[1]))
        if action in (Action.LANGUAGE, Action.ASK):
            return Callback(action, item=match[1])
        if action is Action.CARD:
            return Callback(action, int(match[1]), match[3], int(match[4]), kind=match[2])
        if action is Action.SUITS:
            return Callback(
                action, item=match[3], value=int(match[4]), kind=match[2], request_id=int(match[1])
            )
        if action in _OF_A_REQUEST:
            groups = match.groups()
            item = groups[1] if len(groups) > 1 else None
            if action is Action.JOIN:
                return Callback(action, value=int(item), request_id=int(groups[0]))
            return Callback(action, item=item, request_id=int(groups[0]))
        groups = match.groups()
        return Callback(
            action,
            round_id=int(groups[0]),
            item=groups[1] if len(groups) > 1 else None,
            value=int(groups[2]) if len(groups) > 2 else None,
        )
    return None
