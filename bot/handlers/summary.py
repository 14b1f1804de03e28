"""The summary: strengths, learning points, fitting tasks and the four phases."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap, send
from bot.render import button, keyboard
from bot.screens import refuse
from bot.summary_view import summary_messages
from domain.round import Refusal, Round, RoundStatus
from domain.summary import Summary


async def cmd_overzicht(update: Update, context: BotContext) -> None:
    await send_summary(context, update.effective_chat.id, update.effective_user.id)


async def cb_summary(update: Update, context: BotContext) -> None:
    query = update.callback_query
    found = await context.rounds.summary(update.effective_user.id, parse(query.data).round_id)
    if isinstance(found, Refusal):
        await refuse(context, query, found)
        return
    await answer_tap(query)
    await show_summary(context, update.effective_chat.id, found)


async def send_summary(context: BotContext, chat_id: int, user_id: int) -> None:
    await show_summary(context, chat_id, await context.rounds.summary(user_id))


async def show_summary(
    context: BotContext, chat_id: int, found: tuple[Round, Summary] | None
) -> None:
    """The summary of the newest round with answers, over what is answered so far; then what
    to do next (go on, or fill in more)."""
    texts = context.texts
    if found is None:
        await send(context, chat_id, texts("summary.nothing"))
        return
    round_, summary = found
    for text in summary_messages(texts, context.instrument, summary, round_):
        await send(context, chat_id, text)
    if round_.status is not RoundStatus.COMPLETE:
        await send(context, chat_id, texts("summary.go_on"))
    elif len(round_.done_competencies(context.instrument)) < len(context.instrument.competencies):
        await send(
            context,
            chat_id,
            texts("choice.more"),
            keyboard([button(texts("buttons.more"), Action.PICK, round_.round_id)]),
        )
