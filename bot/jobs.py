"""Work the bot does on its own, on python-telegram-bot's JobQueue.

What is due is worked out from the database each time a job runs, so a restart loses nothing:
the retention job runs at start-up and then once a day.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from telegram.ext import Application

from bot.context import BotContext
from bot.settings import Settings

log = logging.getLogger(__name__)


def schedule(application: Application, settings: Settings) -> None:
    if settings.retention_days is not None:
        # A second after start-up (APScheduler cannot start a repeating job at "now"), then
        # once a day.
        application.job_queue.run_repeating(
            delete_inactive, interval=timedelta(days=1), first=1, name="retention"
        )


async def delete_inactive(context: BotContext) -> None:
    days = context.deps.settings.retention_days
    deleted = await context.people.delete_inactive(days)
    if deleted:
        log.info("retention: deleted %d people not seen for more than %d days", deleted, days)
