"""The summary: strengths, learning points, fitting tasks and the four phases."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ContextTypes

from bot.callbacks import Action
from bot.deps import deps
from bot.messaging import send
from bot.render import button, keyboard
from bot.summary_view import summary_messages
from storage import RoundStatus


async def cmd_overzicht(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send_summary(context, update.effective_chat.id, update.effective_user.id)


async def cb_summary(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await update.callback_query.answer()
    await send_summary(context, update.effective_chat.id, update.effective_user.id)


async def send_summary(context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int) -> None:
    """The summary of the newest round with answers, over what is answered so far; then what
    to do next (go on, or fill in more)."""
    d = deps(context)
    found = await d.scorelist.summary(user_id)
    if found is None:
        await send(context, chat_id, d.texts("summary.nothing"))
        return
    round_, summary = found
    complete = round_.status is RoundStatus.COMPLETE
    for text in summary_messages(d.texts, d.instrument, summary, round_.number, complete=complete):
        await send(context, chat_id, text)
    if not complete:
        await send(context, chat_id, d.texts("summary.go_on"))
    elif len(round_.selection) < len(d.instrument.competencies):
        await send(
            context,
            chat_id,
            d.texts("choice.more"),
            keyboard([button(d.texts("buttons.more"), Action.PICK, round_.round_id)]),
        )
