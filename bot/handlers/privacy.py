"""What is stored, who keeps it and for how long, a copy of it, and deleting it all."""

from __future__ import annotations

import json

from telegram import InputFile, Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.handlers.teams import tell_farewell
from bot.messaging import answer_tap, edit, send, send_document
from bot.render import button, join, keyboard


def operator_lines(context: BotContext) -> str:
    """Who runs this bot and how to reach them, from the settings; said plainly when unset."""
    settings, texts = context.deps.settings, context.texts
    if settings.organisation is None:
        return texts("privacy.operator_unknown")
    lines = [texts("privacy.operator", organisation=settings.organisation)]
    if settings.contact is not None:
        lines.append(texts("privacy.contact", contact=settings.contact))
    return "\n".join(lines)


async def cmd_privacy(update: Update, context: BotContext) -> None:
    texts, days = context.texts, context.deps.settings.retention_days
    retention = (
        texts("privacy.retention_days", days=days)
        if days is not None
        else texts("privacy.retention_until_wis")
    )
    await send(
        context,
        update.effective_chat.id,
        join(
            texts(
                "privacy.text",
                operator=operator_lines(context),
                retention=retention,
                reminders=texts("reminders.privacy"),
            ),
            texts("team.privacy"),
        ),
    )


async def cmd_mijngegevens(update: Update, context: BotContext) -> None:
    texts = context.texts
    data = await context.people.export(update.effective_user.id)
    if data is None:
        await send(context, update.effective_chat.id, texts("privacy.nothing_stored"))
        return
    document = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await send_document(
        context,
        update.effective_chat.id,
        InputFile(document, filename=texts("privacy.export_filename")),
        texts("privacy.export_caption"),
    )


async def cmd_wis(update: Update, context: BotContext) -> None:
    texts = context.texts
    await send(
        context,
        update.effective_chat.id,
        texts("privacy.confirm_delete"),
        keyboard(
            [button(texts("buttons.confirm_delete"), Action.DELETE, 1)],
            [button(texts("buttons.cancel_delete"), Action.DELETE, 0)],
        ),
    )


async def cb_delete(update: Update, context: BotContext) -> None:
    query = update.callback_query
    await answer_tap(query)
    confirmed = parse(query.data).value == 1
    deleted = await context.people.delete(update.effective_user.id) if confirmed else None
    if confirmed and deleted is None:
        return  # nothing left: the button was tapped twice
    text = context.texts("privacy.deleted" if confirmed else "privacy.not_deleted")
    await edit(context, query.message.chat.id, query.message.message_id, text)
    for farewell in deleted.farewells if deleted else ():
        await tell_farewell(context, farewell)
