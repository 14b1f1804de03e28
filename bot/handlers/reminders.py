"""Reminders: the offer of one (after Pauze, and in the message the bot sends when a round has
stood still), the person's answer to it, and the reminder itself."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup, Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap, edit, send
from bot.pacing import Lane
from bot.render import button, join, keyboard
from bot.screens import refuse
from content import Texts
from domain.round import Refusal
from domain.schedule import AMSTERDAM, REMINDER_DAYS, Moment
from services.deliveries import Due

NO, OFF, ON = "0", "off", "on"  # the other answers to an offer (and REMINDER_DAYS)


def offer_keyboard(texts: Texts, round_id: int, *, go_on: bool = False) -> InlineKeyboardMarkup:
    """Remind me in 1 day, 3 days, a week; no; never. With ``go_on``, first a button to go on
    now (in the message the bot sends on its own)."""
    return keyboard(
        [button(texts("reminders.go_on"), Action.CONTINUE, round_id)] if go_on else [],
        [button(texts(f"reminders.in_{d}"), Action.REMIND, round_id, d) for d in REMINDER_DAYS],
        [button(texts("reminders.no"), Action.REMIND, round_id, NO)],
        [button(texts("reminders.never"), Action.REMIND, round_id, OFF)],
    )


def after_pause(texts: Texts, round_id: int, offer: bool) -> tuple[str, InlineKeyboardMarkup]:
    """What Pauze says: the offer of a reminder, or, when reminders are off, a way to turn them
    on again."""
    pause = texts("prompt.pause")
    if offer:
        return join(pause, texts("reminders.offer")), offer_keyboard(texts, round_id)
    turn_on = keyboard([button(texts("reminders.turn_on"), Action.REMIND, round_id, ON)])
    return join(pause, texts("reminders.are_off")), turn_on


async def cb_remind(update: Update, context: BotContext) -> None:
    """An answer to the offer: a number of days, no, off for good, or on again."""
    query = update.callback_query
    callback = parse(query.data)
    user_id, texts, choice = update.effective_user.id, context.texts, callback.item
    if choice == ON:
        result = await context.reminders.turn_on(user_id, callback.round_id)
    elif choice == NO:
        result = await context.reminders.decline(user_id)
    elif choice == OFF:
        result = await context.reminders.turn_off(user_id)
    else:
        result = await context.reminders.ask(user_id, callback.round_id, int(choice))
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    markup = None
    if isinstance(result, Moment):
        text = planned(texts, result)
    elif choice == ON:
        text = join(texts("reminders.on"), texts("reminders.offer") if result else None)
        markup = offer_keyboard(texts, callback.round_id) if result else None
    else:
        text = texts("reminders.declined" if choice == NO else "reminders.turned_off")
    await edit(context, query.message.chat.id, query.message.message_id, text, markup)


def planned(texts: Texts, moment: Moment) -> str:
    """When the reminder comes, in Amsterdam time, and why later than asked when it is."""
    local = moment.at.astimezone(AMSTERDAM)
    when = texts(
        "reminders.when",
        weekday=texts("reminders.weekdays").split(", ")[local.weekday()],
        day=local.day,
        month=texts("summary.months").split(", ")[local.month - 1],
        time=f"{local:%H:%M}",
    )
    return join(
        texts("reminders.planned", when=when),
        texts("reminders.later_week") if moment.later_for_week else None,
        texts("reminders.later_quiet") if moment.later_for_quiet else None,
        texts("reminders.sooner"),
    )


async def send_reminder(context: BotContext, texts: Texts, due: Due) -> None:
    """The reminder the person asked for, with a button to go on where they were."""
    await send(
        context,
        due.recipient,
        texts("reminders.reminder", name=escape(due.first_name)),
        keyboard(
            [button(texts("reminders.go_on"), Action.CONTINUE, due.about)],
            [button(texts("reminders.never"), Action.REMIND, due.about, OFF)],
        ),
        lane=Lane.BULK,  # sent on its own: nobody's taps wait for it
    )


async def send_standstill_offer(context: BotContext, texts: Texts, due: Due) -> None:
    """The round has stood still for 3 days: go on now, or a reminder later?"""
    await send(
        context,
        due.recipient,
        join(texts("reminders.standstill", name=escape(due.first_name)), texts("reminders.offer")),
        offer_keyboard(texts, due.about, go_on=True),
        lane=Lane.BULK,
    )
