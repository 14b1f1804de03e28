"""What is stored, a copy of it, and deleting it all."""

from __future__ import annotations

import json

from telegram import InputFile, Update
from telegram.ext import ContextTypes

from bot.callbacks import Action, parse
from bot.deps import deps
from bot.messaging import edit, send
from bot.render import button, keyboard


async def cmd_privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(context, update.effective_chat.id, deps(context).texts("privacy.text"))


async def cmd_mijngegevens(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    data = await d.scorelist.export(update.effective_user.id)
    if data is None:
        await send(context, update.effective_chat.id, d.texts("privacy.nothing_stored"))
        return
    document = json.dumps(data, ensure_ascii=False, indent=2).encode()
    await context.bot.send_document(
        update.effective_chat.id,
        InputFile(document, filename=d.texts("privacy.export_filename")),
        caption=d.texts("privacy.export_caption"),
    )


async def cmd_wis(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    texts = deps(context).texts
    await send(
        context,
        update.effective_chat.id,
        texts("privacy.confirm_delete"),
        keyboard(
            [button(texts("buttons.confirm_delete"), Action.DELETE, 1)],
            [button(texts("buttons.cancel_delete"), Action.DELETE, 0)],
        ),
    )


async def cb_delete(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    d = deps(context)
    await query.answer()
    confirmed = parse(query.data).value == 1
    if confirmed and not await d.scorelist.delete(update.effective_user.id):
        return  # nothing left: the button was tapped twice
    text = d.texts("privacy.deleted" if confirmed else "privacy.not_deleted")
    await edit(context, query.message.chat.id, query.message.message_id, text)
