"""A local Telegram Bot API emulator: the bot's real HTTP calls in, Telegram's answers out.

Used by the end-to-end tests and the terminal demo (``python -m bot demo``). See
:class:`BotApiEmulator` for the Python API that plays the Telegram users.
"""

from emulator.records import (
    Attachment,
    CallbackQueryRecord,
    Event,
    EventKind,
    MessageRecord,
    RuleBreak,
)
from emulator.server import BotApiEmulator

__all__ = [
    "Attachment",
    "BotApiEmulator",
    "CallbackQueryRecord",
    "Event",
    "EventKind",
    "MessageRecord",
    "RuleBreak",
]
