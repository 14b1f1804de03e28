"""Answering statements: taps, typed answers, Vorige, Uitleg and Pauze."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.error import TelegramError

from bot.callbacks import parse
from bot.context import BotContext
from bot.handlers.reminders import after_pause
from bot.handlers.summary import send_summary
from bot.messaging import answer_tap, drop_buttons, edit, send
from bot.render import ambiguous_hint, answered_text, join, prompt_intro, typed_hint
from bot.screens import refuse, show_prompt, show_situation
from domain.round import Answered, Prompt, Refusal, RoundStatus
from domain.typed_answer import read_typed_answer


async def cb_answer(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    result = await context.rounds.answer(
        update.effective_user.id, callback.value, callback.round_id, callback.item
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if result.replaced_message_id not in (None, message_id):
        await drop_buttons(context, chat_id, result.replaced_message_id)
    await _after_answer(context, chat_id, message_id, result)


async def on_text(update: Update, context: BotContext) -> None:
    """Typed text: an answer when a statement is open ("2", "meestal waar", "beetje"), a
    question when the word fits more than one answer, else a hint."""
    labels = {a.value: a.label for a in context.instrument.answers}
    read = read_typed_answer(update.effective_message.text, labels)
    if isinstance(read, tuple):
        await nudge(update, context, ambiguous=read)
        return
    if read is not None:
        result = await context.rounds.answer(update.effective_user.id, read)
        if isinstance(result, Answered):
            await _after_answer(
                context, update.effective_chat.id, result.replaced_message_id, result
            )
            return
    await nudge(update, context)


async def nudge(
    update: Update,
    context: BotContext,
    reason: str | None = None,
    *,
    ambiguous: tuple[int, ...] = (),
) -> None:
    """Input the bot cannot use: say so kindly and show what to do now. With a statement open
    that is the statement again, so its buttons are right below the hint."""
    texts, instrument = context.texts, context.instrument
    situation = await context.rounds.situation(update.effective_user.id)
    if situation.prompt is not None:
        hint = (
            ambiguous_hint(texts, instrument, ambiguous)
            if ambiguous
            else typed_hint(texts, instrument)
        )
        greeting = join(reason, hint)
    elif situation.status is RoundStatus.CHOOSING:
        greeting = join(reason, texts("hints.choosing"))
    else:
        greeting = reason
    await show_situation(context, update.effective_chat.id, situation, greeting=greeting)


async def _after_answer(
    context: BotContext, chat_id: int, message_id: int | None, result: Answered
) -> None:
    """Show the chosen answer on the statement message (or, when no statement message is live,
    as a new message, so a typed answer always shows what it answered), then the next statement
    or, at the end, the summary. The answer is already committed."""
    texts = context.texts
    text = answered_text(texts, context.instrument, result.position, result.value)
    if message_id is not None:
        await edit(context, chat_id, message_id, text)
    else:
        await send(context, chat_id, text)
    try:
        if result.next is None:
            await send(context, chat_id, texts("prompt.complete"))
            await send_summary(context, chat_id, chat_id)
            return
        finished = (
            texts("prompt.finished_competency", name=escape(result.finished_competency.name))
            if result.finished_competency is not None
            else None
        )
        prompt = Prompt(result.round.round_id, result.next)
        await show_prompt(
            context, chat_id, prompt, preface=join(finished, prompt_intro(texts, prompt))
        )
    except TelegramError:
        # The answer shows on its message, which has no buttons now; the next statement did
        # not arrive (/verder sends it). Forget the answered message as the live one.
        if message_id is not None:
            await context.rounds.released(result.round.round_id, message_id)
        raise


async def cb_back(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    result = await context.rounds.go_back(
        update.effective_user.id, callback.round_id, callback.item
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    # The statement message with the live buttons gives way, also when Vorige came from an
    # older copy of the open statement.
    prompt = Prompt(result.round.round_id, result.position, result.current)
    replaces = result.round.prompt_message_id
    await show_prompt(context, query.message.chat.id, prompt, replaces=replaces)


async def cb_explain(update: Update, context: BotContext) -> None:
    """The competency explained, as a message (not a pop-up: screen readers skip those), with
    the statement again below it."""
    query = update.callback_query
    callback = parse(query.data)
    message = query.message
    prompt = await context.rounds.explain(
        update.effective_user.id, callback.round_id, callback.item, message.message_id
    )
    if isinstance(prompt, Refusal):
        await refuse(context, query, prompt)
        return
    await answer_tap(query)
    texts, competency = context.texts, prompt.position.competency
    answers = "\n".join(
        texts("prompt.explain_answer", label=escape(a.label), meaning=escape(a.meaning))
        for a in context.instrument.answers
    )
    explanation = texts(
        "prompt.explain",
        name=escape(competency.name),
        plain=escape(competency.plain),
        answers=answers,
        description=escape(competency.description),
    )
    await show_prompt(
        context, message.chat.id, prompt, preface=explanation, replaces=message.message_id
    )


async def cb_pause(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    message = query.message
    paused = await context.rounds.pause(
        update.effective_user.id, callback.round_id, callback.item, message.message_id
    )
    if isinstance(paused, Refusal):
        await refuse(context, query, paused)
        return
    await answer_tap(query)
    await drop_buttons(context, message.chat.id, message.message_id)
    text, markup = after_pause(context.texts, paused.round.round_id, paused.offer_reminder)
    await send(context, message.chat.id, text, markup)
