"""/taal: the language the bot speaks with a person, kept with them."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap, edit, send
from bot.render import button, keyboard
from bot.screens import refuse
from domain.round import Refusal


async def cmd_taal(update: Update, context: BotContext) -> None:
    content = context.deps.content
    await send(
        context,
        update.effective_chat.id,
        context.texts("language.choose"),
        keyboard(
            *(
                [button(language.texts("language.name"), Action.LANGUAGE, code)]
                for code, language in sorted(content.languages.items())
            )
        ),
    )


async def cb_language(update: Update, context: BotContext) -> None:
    query = update.callback_query
    code = parse(query.data).item
    if not await context.people.set_language(update.effective_user.id, code):
        if code not in context.deps.content.languages:
            await refuse(context, query, Refusal.EXPIRED)
            return
        # Somebody we do not know (yet, or since /wis): /start is the way in.
        await answer_tap(query)
        context.language = context.deps.content.language(code)
        await edit(
            context,
            query.message.chat.id,
            query.message.message_id,
            context.texts("hints.not_started"),
        )
        return
    await answer_tap(query)
    context.language = context.deps.content.language(code)
    await edit(
        context, query.message.chat.id, query.message.message_id, context.texts("language.chosen")
    )
