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
from bot.handlers import (
    answering,
    fallback,
    language,
    privacy,
    reactions,
    reminders,
    start,
    summary,
    teams,
)
from bot.menu import COMMANDS

PRIVATE = filters.ChatType.PRIVATE

# Before every handler, in this order (a group runs at most one handler): who is this, and in
# which language do we speak with them; for a tap, whether it is the second of a double tap; for
# typed text, whether it is a colleague's remark, then whether it is a new team's name.
_WHO, _DOUBLE_TAPS, _REMARK, _TEAM_NAME = -4, -3, -2, -1


def register(application: Application) -> None:
    commands = {
        # The order of COMMANDS (bot/menu.py) is the order of the menu and of /help.
        "start": start.cmd_start,
        "verder": start.cmd_verder,
        "opnieuw": start.cmd_opnieuw,
        "reactie": reactions.cmd_reactie,
        "overzicht": summary.cmd_overzicht,
        "team": teams.cmd_team,
        "taal": language.cmd_taal,
        "privacy": privacy.cmd_privacy,
        "mijngegevens": privacy.cmd_mijngegevens,
        "wis": privacy.cmd_wis,
        "help": fallback.cmd_help,
    }
    assert set(commands) == set(COMMANDS)
    typed = PRIVATE & filters.TEXT & ~filters.COMMAND
    application.add_handler(TypeHandler(Update, know_the_person), group=_WHO)
    application.add_handler(CallbackQueryHandler(drop_double_taps), group=_DOUBLE_TAPS)
    application.add_handler(MessageHandler(typed, reactions.on_remark), group=_REMARK)
    application.add_handler(MessageHandler(typed, teams.on_text), group=_TEAM_NAME)
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
        Action.ASK: reactions.cb_ask,
        Action.MAKE_LINK: reactions.cb_make_link,
        Action.WITHDRAW: reactions.cb_withdraw,
        Action.FORGET: reactions.cb_forget,
        Action.JOIN: reactions.cb_react,
        Action.RECOGNISE: reactions.cb_react,
        Action.SUITS: reactions.cb_react,
        Action.NEXT: reactions.cb_react,
        Action.SEND: reactions.cb_react,
        Action.THEIR_ANSWERS: reactions.cb_their_answers,
        Action.NEW_TEAM: teams.cb_new_team,
        Action.TEAM: teams.cb_team,
        Action.SHARE: teams.cb_share,
        Action.DIGEST_WHEN: teams.cb_when,
        Action.REMIND: reminders.cb_remind,
    }
    assert set(buttons) == set(Action)
    application.add_handlers(
        [
            # Groups: a short pointer to the private chat for commands, silence for the rest.
            MessageHandler(~PRIVATE & filters.COMMAND, fallback.in_group),
            # A personal link (t.me/<bot>?start=r-<code>), before the /start of everybody.
            CommandHandler(
                "start",
                reactions.cmd_start_link,
                filters=PRIVATE & filters.Regex(rf"^/start {reactions.PAYLOAD_PREFIX}"),
            ),
            # A team's invite link (/start t-<code>), before the usual /start.
            CommandHandler(
                "start",
                teams.start_invite,
                filters=PRIVATE & filters.Regex(rf"^/start {teams.INVITE_PREFIX}"),
            ),
            *(
                CommandHandler(name, callback, filters=PRIVATE)
                for name, callback in commands.items()
            ),
            *(
                CallbackQueryHandler(callback, pattern=pattern(action))
                for action, callback in buttons.items()
            ),
            CallbackQueryHandler(fallback.cb_unknown),
            MessageHandler(typed, answering.on_text),
            MessageHandler(PRIVATE & filters.COMMAND, fallback.unknown_command),
            MessageHandler(PRIVATE, fallback.not_text),
        ]
    )
