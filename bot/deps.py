"""What handlers need, put in bot_data once at start-up (python-telegram-bot's idiom)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import ContextTypes

from content import Instrument, Texts
from services.scorelist import ScoreList

_KEY = "scorelijst"


@dataclass(frozen=True)
class Deps:
    scorelist: ScoreList
    instrument: Instrument
    texts: Texts
    language: str


def install(bot_data: dict, deps: Deps) -> None:
    bot_data[_KEY] = deps


def deps(context: ContextTypes.DEFAULT_TYPE) -> Deps:
    return context.bot_data[_KEY]
