"""The composition root: content, storage, services and handlers put together into one
python-telegram-bot Application."""

from __future__ import annotations

import gc

from telegram import LinkPreviewOptions, Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot import handlers, jobs
from bot.context import BotContext, Deps, deps_of, install
from bot.double_taps import RecentTaps
from bot.errors import on_error
from bot.http_client import AiohttpRequest
from bot.menu import bot_commands
from bot.pacing import PacedRateLimiter
from bot.processing import PerUserUpdateProcessor
from bot.rendering import Renderer
from bot.settings import Settings
from bot.shown import Shown
from content import Content
from services.clock import Clock
from storage import Database

# Only what the handlers use; the rest is never fetched.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def build_application(settings: Settings, content: Content) -> Application:
    processor = PerUserUpdateProcessor()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(processor)
        .rate_limiter(PacedRateLimiter(settings.messages_per_second, processor.people_first))
        # python-telegram-bot's pool sizes: one long poll at a time, and many requests at once.
        .request(AiohttpRequest(connection_pool_size=256))
        .get_updates_request(AiohttpRequest(connection_pool_size=1))
        # No previews of links in any message: a colleague's remark is text only, and the
        # person's own link is there to copy, not to show as a card.
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
    )
    if settings.base_url is not None:
        builder = builder.base_url(settings.base_url).base_file_url(settings.base_file_url)

    async def open_services(application: Application) -> None:
        database = await Database.open(settings.db_path)
        renderer = Renderer()
        clock = Clock() if settings.clock_file is None else Clock.ahead_by_file(settings.clock_file)
        deps = Deps(database, content, settings, clock, RecentTaps(), Shown(), renderer)
        install(application, deps)
        renderer.warm_up()
        # The menu in every language we have; Telegram shows each person the one of their app.
        for code, language in content.languages.items():
            scope = {} if code == content.default else {"language_code": code}
            await application.bot.set_my_commands(bot_commands(language.texts), **scope)
        await jobs.start(application)
        # Everything made so far lives as long as the bot (content, settings, the libraries):
        # kept out of the garbage collector's sight, a full collection no longer takes 14 to
        # 36 ms, every second or so while the weekly digests go out, in which nobody's tap was
        # answered; the taps' p99 then was 117 to 290 ms instead of 29 to 44
        # (benchmarks/digest_load.py). The price: at 90 answers a second, each took 13 % more
        # CPU (benchmarks/throughput.py), far above what a volunteer organisation sends.
        gc.freeze()

    application = builder.post_init(open_services).post_shutdown(close_services).build()
    handlers.register(application)
    application.add_error_handler(on_error)
    return application


def run(settings: Settings, content: Content) -> None:
    """`python -m bot`, until stopped: long polling, or with a webhook in the settings,
    python-telegram-bot's webhook server, which registers the webhook with its secret and
    refuses (403) any request without that secret."""
    application = build_application(settings, content)
    webhook = settings.webhook
    if webhook is None:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
        return
    application.run_webhook(
        listen=webhook.listen,
        port=webhook.port,
        url_path=webhook.path,
        webhook_url=webhook.url,
        secret_token=webhook.secret,
        allowed_updates=ALLOWED_UPDATES,
    )


async def close_services(application: Application) -> None:
    deps = deps_of(application)
    await deps.renderer.close()
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
