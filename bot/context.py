"""What every handler gets: python-telegram-bot's context, plus the person's language and the
use cases, looked up for the person in front of the bot.

The language is set once per update by :func:`know_the_person` (a handler in the group that
runs before all others), from the database, or for somebody new from Telegram's language code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from telegram import Message, Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.settings import Settings
from content import Content, Instrument, Language, Texts
from services.clock import Clock
from services.people import People
from services.profiles import Profiles
from services.reactions import Reactions
from services.reminders import Reminders
from services.rounds import Rounds, Visitor
from services.teams import Teams
from storage import Database

if TYPE_CHECKING:
    from bot.double_taps import RecentTaps
    from bot.rendering import Renderer
    from bot.shown import Shown

_KEY = "scorelijst"


@dataclass(frozen=True)
class Deps:
    """Made once at start-up; kept in bot_data, python-telegram-bot's place for it."""

    database: Database
    content: Content
    settings: Settings
    clock: Clock
    double_taps: RecentTaps
    shown: Shown
    renderer: Renderer


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(self, application: Application, chat_id=None, user_id=None) -> None:
        super().__init__(application, chat_id, user_id)
        self.language: Language = self.deps.content.language()
        self.tapped: Message | None = None  # a tap's message, as the tap shows it

    @property
    def deps(self) -> Deps:
        return self.bot_data[_KEY]

    @property
    def texts(self) -> Texts:
        return self.language.texts

    @property
    def instrument(self) -> Instrument:
        return self.language.instrument

    @property
    def rounds(self) -> Rounds:
        return Rounds(self.deps.database, self.instrument, self.deps.clock)

    @property
    def profiles(self) -> Profiles:
        return Profiles(self.deps.database, self.instrument)

    @property
    def reactions(self) -> Reactions:
        return Reactions(self.deps.database, self.instrument, self.deps.clock)

    @property
    def teams(self) -> Teams:
        return Teams(self.deps.database, self.instrument, self.deps.clock)

    @property
    def reminders(self) -> Reminders:
        return Reminders(self.deps.database, self.deps.clock)

    @property
    def people(self) -> People:
        return People(self.deps.database, self.deps.content, self.deps.clock)

    def visitor(self, update: Update) -> Visitor:
        user = update.effective_user
        return Visitor(user.id, user.first_name, self.language.code)


def install(application: Application, deps: Deps) -> None:
    application.bot_data[_KEY] = deps


def deps_of(application: Application) -> Deps:
    return application.bot_data[_KEY]


async def know_the_person(update: Update, context: BotContext) -> None:
    """Runs first for every update: the person's stored language, or for somebody new the
    language their Telegram is set to when we have it (Dutch otherwise)."""
    user = update.effective_user
    if user is None:
        return
    stored = await context.people.seen(user.id)
    content = context.deps.content
    telegram = (user.language_code or "").split("-")[0].lower()
    context.language = content.language(stored or telegram)
