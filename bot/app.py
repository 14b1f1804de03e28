"""The composition root: content, storage, services and handlers put together into one
python-telegram-bot Application."""

from __future__ import annotations

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot import handlers, jobs
from bot.context import BotContext, Deps, deps_of, install
from bot.double_taps import RecentTaps
from bot.errors import on_error
from bot.menu import bot_commands
from bot.processing import PerUserUpdateProcessor
from bot.rendering import Renderer
from bot.settings import Settings
from content import Content
from services.clock import Clock
from storage import Database

# Only what the handlers use; the rest is never fetched.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_application(settings: Settings, content: Content) -> Application:
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(PerUserUpdateProcessor())
        # Paces all sending to Telegram's 30 messages a second and retries after flood control.
        # A bucket of one that refills 28 times a second: no bursts, so no second ever holds
        # more than 30 (with the default bucket of 30, a burst plus the refill went over 30 in
        # the workshop test).
        .rate_limiter(AIORateLimiter(overall_max_rate=1, overall_time_period=1 / 28, max_retries=3))
    )
    if settings.base_url is not None:
        builder = builder.base_url(settings.base_url).base_file_url(settings.base_file_url)

    async def open_services(application: Application) -> None:
        database = await Database.open(settings.db_path)
        renderer = Renderer()
        install(application, Deps(database, content, settings, Clock(), RecentTaps(), renderer))
        renderer.warm_up()
        # The menu in every language we have; Telegram shows each person the one of their app.
        for code, language in content.languages.items():
            scope = {} if code == content.default else {"language_code": code}
            await application.bot.set_my_commands(bot_commands(language.texts), **scope)
        jobs.schedule(application, settings)

    application = builder.post_init(open_services).post_shutdown(close_services).build()
    handlers.register(application)
    application.add_error_handler(on_error)
    return application


async def close_services(application: Application) -> None:
    deps = deps_of(application)
    deps.renderer.close()
    await deps.database.close()


async def start(application: Application) -> None:
    """Start without python-telegram-bot's run_polling, for a bot that shares its event loop
    (the demo). run_polling does the same for `python -m bot`."""
    await application.initialize()
    await application.post_init(application)
    await application.updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    await application.start()


async def stop(application: Application) -> None:
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    await close_services(application)
