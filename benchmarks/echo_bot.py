"""A bare python-telegram-bot bot to hold the real bot against (benchmarks/throughput.py): per
tap the same three Bot API calls as the real bot makes for an answer, and nothing else.

    TELEGRAM_BOT_TOKEN=1:echo TELEGRAM_BASE_URL=http://127.0.0.1:PORT/bot \\
        .venv/bin/python benchmarks/echo_bot.py

It answers /start with one button (callback data all|...), as the real bot offers "Alle 12
competenties". A tap on any button is answered, its message edited to say what was tapped
(without buttons), and a new message sent with a statement's buttons: four answers (a|...) and
Vorige, Uitleg and Pauze in a row, texts of the real bot's length, in HTML. So a benchmark treats
both bots alike. It keeps nothing: the statement's number travels in the callback data.

The python-telegram-bot settings that matter are the real bot's: long polling, the same
updates, up to 256 updates handled at once, the same HTTP client (bot/http_client.py); no rate
limiter (the real bot is measured with pacing off).
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

ANSWERS = ("Zeer waar", "Meestal waar", "Beetje waar", "Niet waar")
STATEMENTS = 48

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bot.http_client import AiohttpRequest  # noqa: E402


def statement(number: int) -> tuple[str, InlineKeyboardMarkup]:
    """The text and buttons of statement ``number`` (1, 2, ...)."""
    text = (
        f"<b>Competentie {(number - 1) // 4 + 1}</b> · {(number - 1) % 4 + 1} van 4 · totaal"
        f" {number} van {STATEMENTS}\n\nIk stel vragen om situaties te verhelderen."
    )
    item = f"1|e.{number}"
    rows = [
        [InlineKeyboardButton(label, callback_data=f"a|{item}|{value}")]
        for value, label in enumerate(ANSWERS, 1)
    ]
    rows.append(
        [
            InlineKeyboardButton("⬅️ Vorige", callback_data=f"b|{item}"),
            InlineKeyboardButton("ℹ️ Uitleg", callback_data=f"i|{item}"),
            InlineKeyboardButton("⏸ Pauze", callback_data=f"p|{item}"),
        ]
    )
    return text, InlineKeyboardMarkup(rows)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    button = InlineKeyboardButton("Alle 12 competenties", callback_data="all|1")
    await update.effective_message.reply_text(
        "Welke competenties wil je invullen?", reply_markup=InlineKeyboardMarkup([[button]])
    )


async def tap(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer the tap, show what was tapped on its message, send the next statement."""
    query = update.callback_query
    action, _, item = query.data.partition("|")
    await query.answer()
    if action == "a":
        number, value = item.removeprefix("1|e.").split("|")
        text, _ = statement(int(number))
        shown, following = f"{text}\n\n✅ {ANSWERS[int(value) - 1]}", int(number) + 1
    else:
        shown, following = "Je koos alle 12 competenties.", 1
    await query.edit_message_text(shown, parse_mode=ParseMode.HTML)
    text, markup = statement(following)
    await context.bot.send_message(
        query.message.chat.id, text, parse_mode=ParseMode.HTML, reply_markup=markup
    )


def main() -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level="INFO")
    base_url = os.environ["TELEGRAM_BASE_URL"]
    application = (
        ApplicationBuilder()
        .token(os.environ["TELEGRAM_BOT_TOKEN"])
        .base_url(base_url)
        .base_file_url(base_url.removesuffix("/bot") + "/file/bot")
        .concurrent_updates(256)
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        .build()
    )
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CallbackQueryHandler(tap))
    application.run_polling(allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY])


if __name__ == "__main__":
    main()
