"""The composition root: content, storage, services and handlers put together into one
python-telegram-bot Application."""

from __future__ import annotations

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder

from bot import handlers
from bot.deps import Deps, deps, install
from bot.errors import on_error
from bot.menu import bot_commands
from bot.processing import PerUserUpdateProcessor
from bot.settings import Settings
from content import Content
from services.scorelist import ScoreList
from storage import Storage

# Only what the handlers use; the rest is never fetched.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_application(settings: Settings, content: Content) -> Application:
    language = content.language()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
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
        storage = await Storage.open(settings.db_path)
        install(
            application.bot_data,
            Deps(
                scorelist=ScoreList(storage, language.instrument),
                instrument=language.instrument,
                texts=language.texts,
                language=language.code,
            ),
        )
        await application.bot.set_my_commands(bot_commands(language.texts))

    application = builder.post_init(open_services).post_shutdown(close_services).build()
    handlers.register(application)
    application.add_error_handler(on_error)
    return application


async def close_services(application: Application) -> None:
    await deps(application).scorelist.close()


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
