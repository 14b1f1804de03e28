"""Sending, editing and answering taps, with Telegram's everyday failures handled in one place.

- A call that failed on the way (a network error, Telegram's 5xx) is tried again when that is
  safe: an edit always (doing it twice changes nothing), a new message only when Telegram said
  it failed (not after a time-out, when it may have arrived). Flood control (429) is waited out
  by python-telegram-bot's rate limiter.
- An edit that finds the message already as we want it ("message is not modified") or gone is
  not an error for the person.
- Answering a tap only stops the spinner: when it fails, the answer, the edit and the next
  statement go on all the same.
- Everything is paced (bot/pacing.py) in the lane of replies, except pictures, files and what
  is sent with ``lane=Lane.BULK``: those wait for the replies to other people's taps.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut

from bot.context import BotContext
from bot.pacing import Lane

log = logging.getLogger(__name__)

ATTEMPTS = 3
_T = TypeVar("_T")

_HARMLESS_EDIT_ERRORS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)


async def _retrying(call: Callable[[], Awaitable[_T]], *, idempotent: bool) -> _T:
    for attempt in range(1, ATTEMPTS + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except TimedOut:
            if not idempotent or attempt == ATTEMPTS:
                raise
        except NetworkError:
            if attempt == ATTEMPTS:
                raise
        log.info("Telegram call failed on the way; trying again (%d of %d)", attempt + 1, ATTEMPTS)
        await asyncio.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


async def send(
    context: BotContext,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    *,
    lane: Lane = Lane.REPLY,
) -> Message:
    return await _retrying(
        lambda: context.bot.send_message(
            chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup, rate_limit_args=lane
        ),
        idempotent=False,
    )


async def notify(
    context: BotContext, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """A message the bot sends on its own to somebody else than the person in front of it (a
    reaction for the person who asked for it, a team's news for its members). None when it
    cannot arrive (the person blocked the bot, their chat is gone, or Telegram stayed out of
    reach), so telling several people goes on to the next. A block is noted, as the
    scheduler does: nothing of the bot's own goes to them until they write again."""
    try:
        return await send(context, chat_id, text, markup)
    except Forbidden:
        log.info("a message the bot sent on its own did not arrive: blocked")
        await context.people.blocked(chat_id)
    except TelegramError as error:
        log.info("a message the bot sent on its own did not arrive: %s", type(error).__name__)
    return None


async def send_photo(
    context: BotContext,
    chat_id: int,
    photo: InputFile,
    caption: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    return await _retrying(
        lambda: context.bot.send_photo(
            chat_id,
            photo,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            rate_limit_args=Lane.BULK,
        ),
        idempotent=False,
    )


async def send_document(
    context: BotContext, chat_id: int, document: InputFile, caption: str
) -> Message:
    return await _retrying(
        lambda: context.bot.send_document(
            chat_id, document, caption=caption, rate_limit_args=Lane.BULK
        ),
        idempotent=False,
    )


async def edit(
    context: BotContext,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace a message's text (and buttons; none when ``markup`` is None), unless it shows
    that already (bot/shown.py)."""
    shown = context.deps.shown
    if not shown.would_change(context.tapped, chat_id, message_id, text, markup):
        return
    with _harmless_edit():
        await _retrying(
            lambda: context.bot.edit_message_text(
                text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup
            ),
            idempotent=True,
        )
    shown.edited(chat_id, message_id, text, markup)


async def drop_buttons(context: BotContext, chat_id: int, message_id: int) -> None:
    shown = context.deps.shown
    if not shown.would_change(context.tapped, chat_id, message_id, None, None):
        return
    with _harmless_edit():
        await _retrying(
            lambda: context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None),
            idempotent=True,
        )
    shown.edited(chat_id, message_id, None, None)


@contextlib.contextmanager
def _harmless_edit():
    try:
        yield
    except BadRequest as error:
        if not any(reason in str(error).lower() for reason in _HARMLESS_EDIT_ERRORS):
            raise


async def answer_tap(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the tap's spinner (with a short note when ``text`` is given); never let a failure
    here stop what the tap does."""
    try:
        await _retrying(lambda: query.answer(text), idempotent=False)
    except TelegramError as error:
        log.warning("could not answer a tap: %s", type(error).__name__)
