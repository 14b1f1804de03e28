"""Sending and editing with Telegram's everyday failures handled in one place.

An edit can fail for reasons that are not errors for the person: the message is already as we
want it ("message is not modified"), or it is gone. Those are swallowed here; anything else goes
to the error handler.
"""

from __future__ import annotations

import contextlib

from telegram import CallbackQuery, InlineKeyboardMarkup, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.deps import deps
from bot.render import prompt_view
from services.scorelist import Prompt, Refusal

_HARMLESS_EDIT_ERRORS = (
    "message is not modified",
    "message to edit not found",
    "message can't be edited",
)


async def send(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    return await context.bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )


async def edit(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    message_id: int,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Replace a message's text (and buttons; none when ``markup`` is None)."""
    with _harmless_edit():
        await context.bot.edit_message_text(
            text, chat_id, message_id, parse_mode=ParseMode.HTML, reply_markup=markup
        )


async def drop_buttons(context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int) -> None:
    with _harmless_edit():
        await context.bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)


@contextlib.contextmanager
def _harmless_edit():
    try:
        yield
    except BadRequest as error:
        if not any(reason in str(error).lower() for reason in _HARMLESS_EDIT_ERRORS):
            raise


async def show_prompt(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    prompt: Prompt,
    *,
    preface: str | None = None,
    replaces: int | None = None,
) -> None:
    """Send a statement with its buttons and remember the message, so only one statement message
    has live buttons: ``replaces`` (the previous statement message) loses its buttons first."""
    d = deps(context)
    if replaces is not None:
        await drop_buttons(context, chat_id, replaces)
    text, markup = prompt_view(d.texts, d.instrument, prompt, preface)
    message = await send(context, chat_id, text, markup)
    await d.scorelist.set_prompt_message(prompt.round_id, message.message_id)


async def refuse(
    context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, refusal: Refusal
) -> None:
    """Answer a tap that was not applied. A double tap gets silence (the first tap did the work).
    An old or unknown button loses its buttons so it is not tapped again, unless it is on the
    statement that is open now: forged data must not take the live buttons away."""
    d = deps(context)
    if refusal is Refusal.DUPLICATE:
        await query.answer()
        return
    if refusal is Refusal.NOT_OPEN:
        await query.answer(d.texts("taps.not_open"))
        return
    await query.answer(d.texts("taps.expired"))
    message = query.message
    if message is None or message.reply_markup is None:
        return
    situation = await d.scorelist.situation(query.from_user.id)
    if situation.round is None or situation.round.prompt_message_id != message.message_id:
        await drop_buttons(context, message.chat.id, message.message_id)
