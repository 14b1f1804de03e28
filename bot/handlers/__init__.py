"""Handlers: each module turns one kind of update into a service call and a reply."""

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.callbacks import Action, pattern
from bot.context import know_the_person
from bot.double_taps import drop_double_taps
from bot.handlers import answering, fallback, language, privacy, reminders, start, summary
from bot.menu import COMMANDS

PRIVATE = filters.ChatType.PRIVATE

# Before every handler: who is this, and in which language do we speak with them; then, for
# a tap, whether it is the second of a double tap.
_FIRST = -2


def register(application: Application) -> None:
    commands = {
        # The order of COMMANDS (bot/menu.py) is the order of the menu and of /help.
        "start": start.cmd_start,
        "verder": start.cmd_verder,
        "opnieuw": start.cmd_opnieuw,
        "overzicht": summary.cmd_overzicht,
        "taal": language.cmd_taal,
        "privacy": privacy.cmd_privacy,
        "mijngegevens": privacy.cmd_mijngegevens,
        "wis": privacy.cmd_wis,
        "help": fallback.cmd_help,
    }
    assert set(commands) == set(COMMANDS)
    application.add_handler(TypeHandler(Update, know_the_person), group=_FIRST)
    application.add_handler(CallbackQueryHandler(drop_double_taps), group=_FIRST + 1)
    buttons = {
        Action.ANSWER: answering.cb_answer,
        Action.BACK: answering.cb_back,
        Action.EXPLAIN: answering.cb_explain,
        Action.PAUSE: answering.cb_pause,
        Action.ALL: start.cb_all,
        Action.PICK: start.cb_pick,
        Action.UNPICK: start.cb_unpick,
        Action.CHOOSE: start.cb_choose,
        Action.GO: start.cb_go,
        Action.NEW_ROUND: start.cb_new_round,
        Action.CONTINUE: start.cb_continue,
        Action.SUMMARY: summary.cb_summary,
        Action.DELETE: privacy.cb_delete,
        Action.LANGUAGE: language.cb_language,
        Action.DETAIL: summary.cb_detail,
        Action.PRINTOUT: summary.cb_printout,
        Action.CARDS: summary.cb_cards,
        Action.CARD: summary.cb_card,
        Action.REMIND: reminders.cb_remind,
    }
    assert set(buttons) == set(Action)
    application.add_handlers(
        [
            # Groups: a short pointer to the private chat for commands, silence for the rest.
            MessageHandler(~PRIVATE & filters.COMMAND, fallback.in_group),
            *(
                CommandHandler(name, callback, filters=PRIVATE)
                for name, callback in commands.items()
            ),
            *(
                CallbackQueryHandler(callback, pattern=pattern(action))
                for action, callback in buttons.items()
            ),
            CallbackQueryHandler(fallback.cb_unknown),
            MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, answering.on_text),
            MessageHandler(PRIVATE & filters.COMMAND, fallback.unknown_command),
            MessageHandler(PRIVATE, fallback.not_text),
        ]
    )
