"""Starting, going on, choosing what to fill in, and new rounds."""

from __future__ import annotations

from html import escape

from telegram import Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap, drop_buttons, edit, send
from bot.render import button, choice_keyboard, keyboard
from bot.screens import (
    already_says,
    chosen_names,
    done_keyboard,
    refuse,
    show_first_prompt,
    show_pick_list,
    show_situation,
)
from domain.round import Refusal, RoundStatus
from services.rounds import ConfirmNewRound, Situation


def _greeting(context: BotContext, situation: Situation, name: str) -> str | None:
    key = {
        RoundStatus.CHOOSING: "welcome.new",
        RoundStatus.ANSWERING: "welcome.back",
        RoundStatus.COMPLETE: "welcome.done",
    }.get(situation.status)
    return context.texts(key, name=escape(name)) if key else None


async def cmd_start(update: Update, context: BotContext) -> None:
    """The way in, for somebody new and after /wis; for everybody else the same as /verder
    with a greeting."""
    situation, _ = await context.rounds.begin(context.visitor(update))
    greeting = _greeting(context, situation, update.effective_user.first_name)
    await show_situation(context, update.effective_chat.id, situation, greeting=greeting)


async def cmd_verder(update: Update, context: BotContext) -> None:
    situation = await context.rounds.resume(update.effective_user.id)
    greeting = None
    if situation.status is not RoundStatus.CHOOSING:
        greeting = _greeting(context, situation, update.effective_user.first_name)
    await show_situation(context, update.effective_chat.id, situation, greeting=greeting)


async def cmd_opnieuw(update: Update, context: BotContext) -> None:
    texts, chat_id = context.texts, update.effective_chat.id
    result = await context.rounds.ask_new_round(update.effective_user.id)
    if result is Refusal.EXPIRED:
        await send(context, chat_id, texts("hints.not_started"))
    elif isinstance(result, ConfirmNewRound):
        rid = result.round.round_id
        await send(
            context,
            chat_id,
            texts("choice.confirm_new_round"),
            keyboard(
                [button(texts("buttons.confirm_new_round"), Action.NEW_ROUND, rid)],
                [button(texts("buttons.keep_going"), Action.CONTINUE, rid)],
            ),
        )
    else:
        await _show_new_round(context, chat_id, result)


async def cb_new_round(update: Update, context: BotContext) -> None:
    query = update.callback_query
    result = await context.rounds.new_round(update.effective_user.id, parse(query.data).round_id)
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    await drop_buttons(context, query.message.chat.id, query.message.message_id)
    await _show_new_round(context, query.message.chat.id, result)


async def _show_new_round(context: BotContext, chat_id: int, result) -> None:
    if result.stale_message_id is not None:
        await drop_buttons(context, chat_id, result.stale_message_id)
    texts, round_ = context.texts, result.round
    preface = texts("welcome.new_round") if round_.number > 1 else None
    await send(
        context,
        chat_id,
        "\n\n".join(p for p in (preface, texts("welcome.choose")) if p),
        choice_keyboard(texts, round_.round_id),
    )


async def cb_continue(update: Update, context: BotContext) -> None:
    query = update.callback_query
    situation = await context.rounds.go_on(update.effective_user.id, parse(query.data).round_id)
    if isinstance(situation, Refusal):
        await refuse(context, query, situation)
        return
    await answer_tap(query)
    await drop_buttons(context, query.message.chat.id, query.message.message_id)
    await show_situation(context, query.message.chat.id, situation)


async def cb_all(update: Update, context: BotContext) -> None:
    query = update.callback_query
    result = await context.rounds.start(
        update.effective_user.id, parse(query.data).round_id, everything=True
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    chat_id = query.message.chat.id
    await edit(context, chat_id, query.message.message_id, context.texts("choice.chose_all"))
    await show_first_prompt(context, chat_id, result.round.prompt(context.instrument))


async def cb_pick(update: Update, context: BotContext) -> None:
    """The list to pick competencies from: at the start, or for more in a finished round."""
    query = update.callback_query
    situation = await context.rounds.pick_list(update.effective_user.id, parse(query.data).round_id)
    if isinstance(situation, Refusal):
        await refuse(context, query, situation)
        return
    await answer_tap(query)
    # From a text screen the list takes its place; from the overview's picture it comes below.
    in_place = query.message.message_id if query.message.text else None
    await show_pick_list(context, query.message.chat.id, in_place, situation)


async def cb_unpick(update: Update, context: BotContext) -> None:
    """Back from the list to the screen it came from: the first choice, or the finished round."""
    query = update.callback_query
    situation = await context.rounds.pick_list(update.effective_user.id, parse(query.data).round_id)
    if isinstance(situation, Refusal):
        await refuse(context, query, situation)
        return
    await answer_tap(query)
    texts, round_ = context.texts, situation.round
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if round_.status is RoundStatus.CHOOSING:
        markup = choice_keyboard(texts, round_.round_id)
        await edit(context, chat_id, message_id, texts("welcome.choose"), markup)
    else:
        markup = done_keyboard(context, situation)
        await edit(context, chat_id, message_id, texts("choice.done"), markup)


async def cb_choose(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    user_id, chat_id = update.effective_user.id, query.message.chat.id
    result = await context.rounds.pick(
        user_id, callback.round_id, callback.item, bool(callback.value)
    )
    if result is Refusal.ALREADY_DONE:
        name = escape(context.instrument.competency(callback.item).name)
        note = context.texts("choice.already_done", name=name)
        await answer_tap(query, note)
        await _note_on_list(context, query, note)
        return
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    await show_pick_list(context, chat_id, query.message.message_id, result)


async def _note_on_list(context: BotContext, query, note: str) -> None:
    """Say on the list why the tap did nothing (once: a second tap finds it said)."""
    if already_says(query, note):
        return
    situation = await context.rounds.pick_list(query.from_user.id, parse(query.data).round_id)
    if not isinstance(situation, Refusal):
        await show_pick_list(
            context, query.message.chat.id, query.message.message_id, situation, note=note
        )


async def cb_go(update: Update, context: BotContext) -> None:
    query = update.callback_query
    user_id, chat_id = update.effective_user.id, query.message.chat.id
    round_id = parse(query.data).round_id
    result = await context.rounds.start(user_id, round_id)
    if result in (Refusal.EMPTY_CHOICE, Refusal.NOTHING_NEW):
        note_key = "choice.pick_empty" if result is Refusal.EMPTY_CHOICE else "choice.pick_new"
        await answer_tap(query)
        await _note_on_list(context, query, context.texts(note_key))
        return
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    names = chosen_names(context, result.new)
    await edit(
        context, chat_id, query.message.message_id, context.texts("choice.chose_some", names=names)
    )
    await show_first_prompt(context, chat_id, result.round.prompt(context.instrument))
