"""Work the bot does on its own: one scheduler for everything that falls due.

python-telegram-bot's JobQueue only wakes the bot, every BOT_SCHEDULER_SECONDS (a minute). At
each wake-up the bot works out from the database what is due (services/deliveries.py, with the
rules of domain/schedule.py) and does it: the retention rule, then the messages the bot sends on
its own, one at a time, each claimed in the database right before it is sent and settled right
after. Nothing is kept in memory between wake-ups, so a restart loses nothing: at start-up the
claims a stopped bot left unsettled are released, and the first wake-up sends what is due.

People go first: each step waits until no person's update is being handled (bot/processing.py).
Sending goes through bot/messaging.py, so the rate limiter paces it with everything else;
flood control (RetryAfter) is waited out, and a person who blocked the bot (Forbidden) gets
nothing more until they write again.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from itertools import zip_longest

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.context import BotContext, deps_of
from bot.handlers import reminders, teams
from content import Texts
from services.deliveries import Deliveries, Due, DueKind, Outcome, Sent
from services.digests import DIGEST, DueDigests
from services.reminders import REMINDER, STANDSTILL_OFFER, DueReminders, DueStandstillOffers

log = logging.getLogger(__name__)

# A sender returns what happened when it is more than "sent" (services/deliveries.py Sent).
Sender = Callable[[BotContext, Texts, Due], Awaitable[Sent | None]]


# Every kind of message the bot sends on its own, and what sends it.
_SENDERS: dict[str, Sender] = {
    REMINDER: reminders.send_reminder,
    STANDSTILL_OFFER: reminders.send_standstill_offer,
    DIGEST: teams.send_scheduled_digest,
}

# Kinds whose picture is drawn ahead, while the message before it goes out.
_DRAWERS: dict[str, Sender] = {DIGEST: teams.draw_scheduled_digest}


def _kinds() -> tuple[DueKind, ...]:
    """What says, for each kind in _SENDERS, what is due."""
    return (DueReminders(), DueStandstillOffers(), DueDigests())


def _deliveries(application: Application) -> Deliveries:
    deps = deps_of(application)
    return Deliveries(deps.database, deps.clock, _kinds())


async def start(application: Application) -> None:
    """At start-up: release what a stopped bot claimed and never settled, then wake up a second
    from now (APScheduler cannot start a repeating job at "now") and at every interval."""
    released = await _deliveries(application).release_unsettled()
    if released:
        log.info("scheduler: %d message(s) claimed before the restart are due again", released)
    interval = deps_of(application).settings.scheduler_seconds
    application.job_queue.run_repeating(
        tick, interval=timedelta(seconds=interval), first=1, name="scheduler"
    )


async def tick(context: BotContext) -> None:
    try:
        await _work(context)
    except asyncio.CancelledError:
        # The bot stops in the middle of a tick (APScheduler cancels the job and would log the
        # cancellation as a traceback): what a claim left unsettled is released at the next
        # start-up, and what is left is due again then.
        log.info("scheduler: stopped in the middle of a wake-up")


async def _work(context: BotContext) -> None:
    if context.deps.settings.retention_days is not None:
        await delete_inactive(context)
    deliveries = _deliveries(context.application)
    dues = await deliveries.due()
    drawing = None  # the message whose picture is being drawn ahead
    for due, following in zip_longest(dues, dues[1:]):
        if not context.application.running:
            return  # stopping: what is left is due again after the restart
        await _after_people(context)
        if not await deliveries.claim(due):
            continue
        for ahead in ([] if drawing == due else [due]) + ([following] if following else []):
            await _after_people(context)
            await _draw_ahead(context, ahead)
        drawing = following
        await _after_people(context)
        await _deliver(context, deliveries, due)


async def _after_people(context: BotContext) -> None:
    """Each step of the bot's own work (a claim, working a digest out, sending) waits for the
    people's updates being handled, at most half a second (bot/processing.py). The messages
    it sends wait the same way, in the rate limiter (bot/pacing.py)."""
    await context.application.update_processor.people_first()


async def _draw_ahead(context: BotContext, due: Due) -> None:
    """Start drawing the picture of a message about to be sent (200 teams' digests on a
    Monday morning: drawn one after the other in the render worker, while the messages go out).
    Only to gain time: when it fails, the sender draws the picture itself."""
    draw = _DRAWERS.get(due.kind)
    if draw is None:
        return
    try:
        await draw(context, context.deps.content.language(due.language).texts, due)
    except Exception:
        log.exception("scheduler: drawing a %s ahead failed", due.kind)


async def delete_inactive(context: BotContext) -> None:
    """The retention rule, and a kind message to the members of each team it ended."""
    days = context.deps.settings.retention_days
    deleted = await context.people.delete_inactive(days)
    if deleted.people:
        log.info(
            "retention: deleted %d people not seen for more than %d days", deleted.people, days
        )
    for farewell in deleted.farewells:
        await teams.tell_farewell(context, farewell)


async def _deliver(context: BotContext, deliveries: Deliveries, due: Due) -> None:
    """Send one claimed message and settle it. No names or texts in the log: the kind only."""
    texts = context.deps.content.language(due.language).texts
    while True:
        try:
            sent = await _SENDERS[due.kind](context, texts, due) or Sent()
        except RetryAfter as error:
            # The rate limiter tried a few times already; Telegram says how long to wait.
            seconds = _seconds(error)
            log.warning("scheduler: flood control, %s waits %.0f s", due.kind, seconds)
            await asyncio.sleep(seconds)
            continue
        except Forbidden:
            log.info("scheduler: a person has blocked the bot; %s not sent", due.kind)
            sent = Sent(Outcome.BLOCKED)
        except BadRequest as error:
            log.warning("scheduler: Telegram refused a %s: %s", due.kind, error)
            sent = Sent(Outcome.FAILED)
        except TimedOut:
            # It may have arrived: not sent again (as bot/messaging.py does for new messages).
            log.warning("scheduler: a %s timed out on the way; not sent again", due.kind)
            sent = Sent(Outcome.UNKNOWN)
        except NetworkError as error:
            log.warning(
                "scheduler: network problem (%s); the %s is tried again later",
                type(error).__name__,
                due.kind,
            )
            await deliveries.release(due)
            return
        except Exception:
            await deliveries.settle(due, Outcome.FAILED)  # a bug: not tried again and again
            raise
        await deliveries.settle(due, sent.outcome, sent.shown)
        return


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # python-telegram-bot moves from seconds to timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
