"""The error handler: Telegram's everyday failures are expected; the rest is logged and the
person hears that something went wrong, never a traceback."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.context import BotContext
from bot.messaging import answer_tap

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    error = context.error
    if isinstance(error, Forbidden):
        log.info("a person has blocked the bot; nothing sent")
        if isinstance(update, Update) and _private(update):
            # Nothing of the bot's own goes to them (bot/jobs.py) until they write again.
            await context.people.blocked(update.effective_user.id)
        return
    if isinstance(error, BadRequest) and "not modified" in str(error).lower():
        return
    if isinstance(error, RetryAfter):
        log.warning("Telegram flood control: retry after %s s", error.retry_after)
        return
    if isinstance(error, NetworkError):
        log.warning("network problem talking to Telegram: %s", type(error).__name__)
        return
    # Only the exception and where it happened: no update, no message texts.
    log.error("unexpected error while handling an update", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.callback_query is not None:
            # It may have been answered before the error.
            await answer_tap(update.callback_query)
        try:
            language = None
            if update.effective_user is not None:
                language = await context.people.seen(update.effective_user.id)
            texts = context.deps.content.language(language).texts
            await context.bot.send_message(update.effective_chat.id, texts("hints.error"))
        except Exception:
            log.warning("could not tell the person about the error")


def _private(update: Update) -> bool:
    chat, user = update.effective_chat, update.effective_user
    return chat is not None and user is not None and chat.id == user.id
