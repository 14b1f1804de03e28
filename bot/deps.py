"""What handlers need, put in bot_data once at start-up (python-telegram-bot's idiom)."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.ext import Application, ContextTypes

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


def deps(holder: ContextTypes.DEFAULT_TYPE | Application) -> Deps:
    """From a handler's context, or from the application itself (at shutdown)."""
    return holder.bot_data[_KEY]
