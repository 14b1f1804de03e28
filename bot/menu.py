"""The commands, in the order of Telegram's menu and of /help; their descriptions are content."""

from telegram import BotCommand

from content import Texts

COMMANDS = (
    "start",
    "verder",
    "overzicht",
    "team",
    "opnieuw",
    "reactie",
    "taal",
    "privacy",
    "mijngegevens",
    "wis",
    "help",
)


def bot_commands(texts: Texts) -> list[BotCommand]:
    return [BotCommand(name, texts(f"commands.{name}")) for name in COMMANDS]
