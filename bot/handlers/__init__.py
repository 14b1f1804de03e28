"""Handlers: each module turns one kind of update into a service call and a reply."""

from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.callbacks import Action, pattern
from bot.handlers import answering, fallback, privacy, start, summary
from bot.menu import COMMANDS

PRIVATE = filters.ChatType.PRIVATE


def register(application: Application) -> None:
    commands = {
        # The order of COMMANDS (bot/menu.py) is the order of the menu and of /help.
        "start": start.cmd_start,
        "verder": start.cmd_verder,
        "opnieuw": start.cmd_opnieuw,
        "overzicht": summary.cmd_overzicht,
        "privacy": privacy.cmd_privacy,
        "mijngegevens": privacy.cmd_mijngegevens,
        "wis": privacy.cmd_wis,
        "help": fallback.cmd_help,
    }
    assert set(commands) == set(COMMANDS)
    application.add_handlers(
        [
            # Groups: a short pointer to the private chat for commands, silence for the rest.
            MessageHandler(~PRIVATE & filters.COMMAND, fallback.in_group),
            *(
                CommandHandler(name, callback, filters=PRIVATE)
                for name, callback in commands.items()
            ),
            CallbackQueryHandler(answering.cb_answer, pattern=pattern(Action.ANSWER)),
            CallbackQueryHandler(answering.cb_back, pattern=pattern(Action.BACK)),
            CallbackQueryHandler(answering.cb_explain, pattern=pattern(Action.EXPLAIN)),
            CallbackQueryHandler(answering.cb_pause, pattern=pattern(Action.PAUSE)),
            CallbackQueryHandler(start.cb_all, pattern=pattern(Action.ALL)),
            CallbackQueryHandler(start.cb_pick, pattern=pattern(Action.PICK)),
            CallbackQueryHandler(start.cb_choose, pattern=pattern(Action.CHOOSE)),
            CallbackQueryHandler(start.cb_go, pattern=pattern(Action.GO)),
            CallbackQueryHandler(start.cb_new_round, pattern=pattern(Action.NEW_ROUND)),
            CallbackQueryHandler(start.cb_continue, pattern=pattern(Action.CONTINUE)),
            CallbackQueryHandler(summary.cb_summary, pattern=pattern(Action.SUMMARY)),
            CallbackQueryHandler(privacy.cb_delete, pattern=pattern(Action.DELETE)),
            CallbackQueryHandler(fallback.cb_unknown),
            MessageHandler(PRIVATE & filters.TEXT & ~filters.COMMAND, answering.on_text),
            MessageHandler(PRIVATE & filters.COMMAND, fallback.unknown_command),
            MessageHandler(PRIVATE, fallback.not_text),
        ]
    )
