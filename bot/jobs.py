"""Work the bot does on its own: one scheduler for everything that falls due.

python-telegram-bot's JobQueue only wakes the bot, every BOT_SCHEDULER_SECONDS (a minute). At
each wake-up the bot works out from the database what is due (services/deliveries.py, with the
rules of domain/schedule.py) and does it: the retention rule, then the messages the bot sends on
its own, one at a time, each claimed in the database right before it is sent and settled right
after; a digest is claimed and worked out while the message before it goes out, so its picture
is drawn meanwhile. Nothing is kept in memory between wake-ups, so a restart loses nothing: at
start-up the claims a stopped bot left unsettled are released, and the first wake-up sends what
is due.

A second job copies the database's write-ahead log into its file every few seconds
(storage/database.py, Database.checkpoint), so that no person's commit has to.

People go first: each step waits until no person's update is being handled (bot/processing.py).
Sending goes through bot/messaging.py, so the rate limiter paces it with everything else;
flood control (RetryAfter) is waited out, and a person who blocked the bot (Forbidden) gets
nothing more until they write again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBDeprecationWarning

from bot.context import BotContext, deps_of
from bot.handlers import reminders, teams
from content import Texts
from services.deliveries import Deliveries, Due, DueKind, Outcome, Sending, Sent
from services.digests import DIGEST, DueDigests
from services.reminders import REMINDER, STANDSTILL_OFFER, DueReminders, DueStandstillOffers

log = logging.getLogger(__name__)

CHECKPOINT_SECONDS = 5  # the log then holds a few seconds of commits, far below 1000 pages

# A sender returns what happened when it is more than "sent" (services/deliveries.py Sent).
Sender = Callable[[BotContext, Texts, Due], Awaitable[Sent | None]]
Preparer = Callable[[BotContext, Texts, Due], Awaitable[Sending]]


# Every kind of message the bot sends on its own, and what sends it.
_SENDERS: dict[str, Sender] = {
    REMINDER: reminders.send_reminder,
    STANDSTILL_OFFER: reminders.send_standstill_offer,
}

# Kinds claimed and worked out (the digest, and its picture started in the render worker) while
# the message before them goes out; what that gives back sends it.
_PREPARERS: dict[str, Preparer] = {DIGEST: teams.prepare_scheduled_digest}


def _kinds() -> tuple[DueKind, ...]:
    """What says, for each kind in _SENDERS and _PREPARERS, what is due."""
    return (DueReminders(), DueStandstillOffers(), DueDigests())


def _deliveries(application: Application) -> Deliveries:
    deps = deps_of(application)
    return Deliveries(deps.database, deps.clock, _kinds())


async def start(application: Application) -> None:
    """At start-up: release what a stopped bot claimed and never settled, then wake up a second
    from now (APScheduler cannot start a repeating job at "now") and at every interval. The
    checkpoint runs every CHECKPOINT_SECONDS."""
    released = await _deliveries(application).release_unsettled()
    if released:
        log.info("scheduler: %d message(s) claimed before the restart are due again", released)
    interval = deps_of(application).settings.scheduler_seconds
    application.job_queue.run_repeating(
        tick, interval=timedelta(seconds=interval), first=1, name="scheduler"
    )
    application.job_queue.run_repeating(
        checkpoint, interval=timedelta(seconds=CHECKPOINT_SECONDS), name="checkpoint"
    )


async def checkpoint(context: BotContext) -> None:
    await context.deps.database.checkpoint()


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
    ahead: list[tuple[Due, Sending]] = []  # claimed and worked out, not sent yet
    try:
        for due in await deliveries.due():
            if not context.application.running:
                return  # stopping: a claim not settled is released at the next start-up
            prepared = due.kind in _PREPARERS  # else claimed right before it is sent
            if ahead and not prepared and not await _deliver_first(context, deliveries, ahead):
                break
            await _after_people(context)
            if await deliveries.claim(due):
                ahead.append((due, await _prepare(context, deliveries, due)))
            send_one = len(ahead) == (2 if prepared else 1)  # a digest waits for the next claim
            if send_one and not await _deliver_first(context, deliveries, ahead):
                break
        else:
            if ahead:
                await _deliver_first(context, deliveries, ahead)
    except Exception:
        await _release(deliveries, ahead)
        raise
    await _release(deliveries, ahead)


async def _deliver_first(
    context: BotContext, deliveries: Deliveries, ahead: list[tuple[Due, Sending]]
) -> bool:
    return await _deliver(context, deliveries, *ahead.pop(0))


async def _release(deliveries: Deliveries, ahead: list[tuple[Due, Sending]]) -> None:
    """The tick ends early (no network, or a bug): what was claimed ahead is due again at the
    next tick. Not when the bot stops (the database may be closing): at its next start-up."""
    for due, _ in ahead:
        await deliveries.release(due)


async def _after_people(context: BotContext) -> None:
    """Each step of the bot's own work (a claim, working a digest out, sending) waits for the
    people's updates being handled, at most half a second (bot/processing.py). The messages
    it sends wait the same way, in the rate limiter (bot/pacing.py)."""
    await context.application.update_processor.people_first()


async def _prepare(context: BotContext, deliveries: Deliveries, due: Due) -> Sending:
    """What sends a claimed message: worked out now for a kind in _PREPARERS."""
    texts = context.deps.content.language(due.language).texts
    prepare = _PREPARERS.get(due.kind)
    if prepare is None:
        return functools.partial(_SENDERS[due.kind], context, texts, due)
    await _after_people(context)
    try:
        return await prepare(context, texts, due)
    except Exception:
        await deliveries.settle(due, Outcome.FAILED)  # a bug: not tried again and again
        raise


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


async def _deliver(context: BotContext, deliveries: Deliveries, due: Due, sending: Sending) -> bool:
    """Send one claimed message and settle it; False: the network is down, so the tick ends
    (the message is due again at the next). No names or texts in the log: the kind only."""
    await _after_people(context)
    while True:
        try:
            sent = await sending() or Sent()
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
            return False
        except Exception:
            await deliveries.settle(due, Outcome.FAILED)  # a bug: not tried again and again
            raise
        await deliveries.settle(due, sent.outcome, sent.shown)
        return True


def _seconds(error: RetryAfter) -> float:
    with warnings.catch_warnings():  # python-telegram-bot moves from seconds to timedelta
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
