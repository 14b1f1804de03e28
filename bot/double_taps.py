"""A second tap on a screen button that the first tap has already acted on.

Taps on a statement, on picking and on starting are recognised by the round itself (the data
names the round and the statement, and the round knows what happened). Screen buttons — "Zelf
kiezen", "Terug", "Meer competenties invullen", "Nee, ga verder", "Bekijk je overzicht", "Nee,
niet wissen", a language — act on whatever is there now, so a double tap would act twice: send
the summary twice, or edit a message into what it already says (which Telegram refuses).

A double tap sends two taps with the same snapshot of the message. Such a repeat within a few
seconds is answered silently. Only that: it is not a person's state, so it lives in memory, and
a restart merely forgets the last few seconds.

A tap whose snapshot still shows buttons that the bot has taken away since (bot/shown.py knows)
is such a second tap too, made before the first one's edit arrived: it gets silence.

A picture (the overview) or a file has no text to edit into another screen, so only its own
buttons act on it; an old or made-up tap on it gets silence.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

from telegram import Message, Update
from telegram.ext import ApplicationHandlerStop

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap

SCREEN_ACTIONS = frozenset(
    {
        Action.PICK,
        Action.UNPICK,
        Action.CONTINUE,
        Action.SUMMARY,
        Action.DELETE,
        Action.LANGUAGE,
        Action.DETAIL,
        Action.PRINTOUT,
        Action.CARDS,
        Action.ASK,
        Action.MAKE_LINK,
        Action.FORGET,
        Action.THEIR_ANSWERS,
        Action.NEW_TEAM,
        Action.TEAM,
        Action.SHARE,
        Action.DIGEST_WHEN,
        Action.REMIND,
    }
)
WINDOW_SECONDS = 10.0


class RecentTaps:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._seen: dict[Hashable, float] = {}

    def is_repeat(self, key: Hashable) -> bool:
        """True for a key seen within the window; else remember it."""
        now = self._clock()
        self._seen = {k: t for k, t in self._seen.items() if now - t < WINDOW_SECONDS}
        if key in self._seen:
            return True
        self._seen[key] = now
        return False


async def drop_double_taps(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback, message = parse(query.data), query.message
    context.tapped = message
    if _not_its_button(message, query.data):
        await answer_tap(query)
        raise ApplicationHandlerStop
    if callback is None or callback.action not in SCREEN_ACTIONS or message is None:
        return
    edited = getattr(message, "edit_date", None)  # none on a message too old to show
    key = (query.from_user.id, message.chat.id, message.message_id, query.data, edited)
    if context.deps.shown.outdated(message) or context.deps.double_taps.is_repeat(key):
        await answer_tap(query)
        raise ApplicationHandlerStop


def _not_its_button(message, data: str) -> bool:
    """A tap on a picture or a file, with data none of its buttons has."""
    if not isinstance(message, Message) or message.text is not None:
        return False
    markup = message.reply_markup
    buttons = markup.inline_keyboard if markup is not None else ()
    return data not in {button.callback_data for row in buttons for button in row}
