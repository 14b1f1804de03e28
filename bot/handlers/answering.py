"""Answering statements: taps, typed answers, Vorige, Uitleg and Pauze."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.callbacks import parse
from bot.deps import deps
from bot.handlers.start import send_choice
from bot.handlers.summary import send_summary
from bot.messaging import drop_buttons, edit, refuse, send, show_prompt
from bot.render import answered_text, join, prompt_intro, typed_hint
from domain.progress import read_typed_answer
from services.scorelist import Answered, Prompt, Refusal
from storage import RoundStatus


async def cb_answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    callback = parse(query.data)
    result = await deps(context).scorelist.answer(
        update.effective_user.id, callback.value, callback.round_id, callback.item
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await query.answer()
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if result.prompt_message_id not in (None, message_id):
        await drop_buttons(context, chat_id, result.prompt_message_id)
    await _after_answer(context, chat_id, message_id, result)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Typed text: an answer when a statement is open ("2", "meestal waar"), else a hint."""
    d = deps(context)
    labels = {a.value: a.label for a in d.instrument.answers}
    value = read_typed_answer(update.effective_message.text, labels)
    if value is not None:
        result = await d.scorelist.answer(update.effective_user.id, value)
        if isinstance(result, Answered):
            await _after_answer(context, update.effective_chat.id, result.prompt_message_id, result)
            return
    await nudge(update, context)


async def nudge(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reason: str | None = None
) -> None:
    """Input the bot cannot use: say so kindly and show what to do now. With a statement open
    that is the statement again, so its buttons are right below the hint."""
    d = deps(context)
    chat_id = update.effective_chat.id
    situation = await d.scorelist.situation(update.effective_user.id)
    round_ = situation.round
    if situation.prompt is not None:
        await show_prompt(
            context,
            chat_id,
            situation.prompt,
            preface=join(reason, typed_hint(d.texts, d.instrument)),
            replaces=round_.prompt_message_id,
        )
    elif round_ is None:
        await send(context, chat_id, join(reason, d.texts("hints.not_started")))
    elif round_.status is RoundStatus.CHOOSING:
        await send_choice(context, chat_id, round_, join(reason, d.texts("hints.choosing")))
    else:
        await send(context, chat_id, join(reason, d.texts("hints.done")))


async def _after_answer(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, message_id: int | None, result: Answered
) -> None:
    """Show the chosen answer on the statement message, then the next statement or, at the end,
    the summary. The answer is already committed."""
    d = deps(context)
    if message_id is not None:
        text = answered_text(d.texts, d.instrument, result.position, result.value)
        await edit(context, chat_id, message_id, text)
    if result.next is not None:
        finished = (
            d.texts("prompt.finished_competency", name=escape(result.finished_competency.name))
            if result.finished_competency is not None
            else None
        )
        await show_prompt(
            context,
            chat_id,
            result.next,
            preface=join(finished, prompt_intro(d.texts, result.next)),
        )
        return
    await send(context, chat_id, d.texts("prompt.complete"))
    await send_summary(context, chat_id, chat_id)


async def cb_back(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    callback = parse(query.data)
    result = await deps(context).scorelist.go_back(
        update.effective_user.id, callback.round_id, callback.item
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await query.answer()
    await show_prompt(context, query.message.chat.id, result, replaces=query.message.message_id)


async def _open_prompt(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Prompt | None:
    """The open statement a control button (Uitleg, Pauze) is for; None when it was refused."""
    query = update.callback_query
    callback = parse(query.data)
    result = await deps(context).scorelist.open_prompt(
        update.effective_user.id, callback.round_id, callback.item
    )
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return None
    await query.answer()
    return result


async def cb_explain(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The competency's description as a message (not a pop-up: screen readers skip those), with
    the statement again below it."""
    prompt = await _open_prompt(update, context)
    if prompt is None:
        return
    texts = deps(context).texts
    competency = prompt.position.competency
    explanation = texts(
        "prompt.explain", name=escape(competency.name), description=escape(competency.description)
    )
    message = update.callback_query.message
    await show_prompt(
        context, message.chat.id, prompt, preface=explanation, replaces=message.message_id
    )


async def cb_pause(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    prompt = await _open_prompt(update, context)
    if prompt is None:
        return
    message = update.callback_query.message
    await drop_buttons(context, message.chat.id, message.message_id)
    await deps(context).scorelist.set_prompt_message(prompt.round_id, None)
    await send(context, message.chat.id, deps(context).texts("prompt.pause"))
