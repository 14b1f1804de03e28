"""Help, and a kind answer (or a deliberate silence) for everything the bot does not use."""

from __future__ import annotations

from telegram import Update

from bot.context import BotContext
from bot.handlers.answering import nudge
from bot.handlers.privacy import operator_lines
from bot.menu import COMMANDS
from bot.messaging import send
from bot.screens import refuse
from domain.round import Refusal


async def cmd_help(update: Update, context: BotContext) -> None:
    texts = context.texts
    commands = "\n".join(
        texts("help.command", command=c, description=texts(f"commands.{c}")) for c in COMMANDS
    )
    await send(
        context,
        update.effective_chat.id,
        texts("help.text", commands=commands, operator=operator_lines(context)),
    )


async def unknown_command(update: Update, context: BotContext) -> None:
    await send(context, update.effective_chat.id, context.texts("hints.unknown_command"))


async def not_text(update: Update, context: BotContext) -> None:
    """Stickers, photos, voice messages and the like."""
    if update.effective_user is None or update.effective_message is None:
        return
    await nudge(update, context, context.texts("hints.not_text"))


async def in_group(update: Update, context: BotContext) -> None:
    """A command in a group: answers are personal, so point to the private chat. Commands meant
    for other bots in the group (/x@otherbot) get silence."""
    text = update.effective_message.text or ""
    command = text.split()[0] if text else ""
    if "@" in command and not command.endswith(f"@{context.bot.username}"):
        return
    await send(context, update.effective_chat.id, context.texts("hints.group"))


async def cb_unknown(update: Update, context: BotContext) -> None:
    """Callback data this bot never made (forged, or from a version long gone)."""
    await refuse(context, update.callback_query, Refusal.EXPIRED)
