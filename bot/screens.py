"""The screens a person can be on, shown from a situation: the choice, the list to pick from,
a statement, a finished round. Several handlers end on the same screen; each is drawn here once.
"""

from __future__ import annotations

import re
from html import escape, unescape

from bot.callbacks import Action
from bot.context import BotContext
from bot.messaging import answer_tap, drop_buttons, edit, send
from bot.render import (
    button,
    choice_keyboard,
    join,
    keyboard,
    pick_keyboard,
    prompt_intro,
    prompt_view,
)
from domain.round import Prompt, Refusal, RoundStatus
from services.rounds import Situation


async def show_prompt(
    context: BotContext,
    chat_id: int,
    prompt: Prompt,
    *,
    preface: str | None = None,
    replaces: int | None = None,
) -> None:
    """Send a statement with its buttons and remember the message, so only one statement message
    has live buttons: ``replaces`` (the previous statement message) loses its buttons first."""
    if replaces is not None:
        await drop_buttons(context, chat_id, replaces)
    text, markup = prompt_view(context.texts, context.instrument, prompt, preface)
    message = await send(context, chat_id, text, markup)
    await context.rounds.shown(prompt, message.message_id)


async def show_first_prompt(context: BotContext, chat_id: int, prompt: Prompt) -> None:
    await show_prompt(context, chat_id, prompt, preface=prompt_intro(context.texts, prompt))


async def show_situation(
    context: BotContext, chat_id: int, situation: Situation, *, greeting: str | None = None
) -> None:
    """Whatever state a person is in, show the next thing to do: a restarted bot needs nothing
    but the database for this. ``greeting`` goes above it."""
    texts = context.texts
    round_ = situation.round
    if round_ is None:
        await send(context, chat_id, join(greeting, texts("hints.not_started")))
    elif situation.prompt is not None:
        await show_prompt(
            context,
            chat_id,
            situation.prompt,
            preface=join(greeting, prompt_intro(texts, situation.prompt)),
            replaces=round_.prompt_message_id,
        )
    elif round_.status is RoundStatus.CHOOSING and round_.picked:
        await show_pick_list(context, chat_id, None, situation, note=greeting)
    elif round_.status is RoundStatus.CHOOSING:
        await send(
            context,
            chat_id,
            join(greeting, texts("welcome.choose")),
            choice_keyboard(texts, round_.round_id),
        )
    else:
        await send(
            context,
            chat_id,
            join(greeting, texts("choice.done")),
            done_keyboard(context, situation),
        )


def done_keyboard(context: BotContext, situation: Situation):
    """A complete round: its summary, more competencies (when some are left), a new round."""
    texts, rid = context.texts, situation.round.round_id
    more = len(situation.done) < len(context.instrument.competencies)
    return keyboard(
        [button(texts("buttons.summary"), Action.SUMMARY, rid)],
        [button(texts("buttons.more"), Action.PICK, rid)] if more else [],
        [button(texts("buttons.new_round"), Action.NEW_ROUND, rid)],
    )


async def show_pick_list(
    context: BotContext,
    chat_id: int,
    message_id: int | None,
    situation: Situation,
    *,
    note: str | None = None,
) -> None:
    """The list of competencies to pick from, as a new message or in place of ``message_id``."""
    texts, round_ = context.texts, situation.round
    markup = pick_keyboard(
        texts, context.instrument, round_.round_id, round_.picked, situation.done
    )
    intro = texts("choice.pick_more" if situation.done else "choice.pick")
    text = join(note, intro)
    if message_id is None:
        await send(context, chat_id, text, markup)
    else:
        await edit(context, chat_id, message_id, text, markup)


def already_says(query, text: str) -> bool:
    """The tapped message shows ``text`` already: a second tap needs no edit (Telegram would
    answer "message is not modified"). Compared as the person reads it, without markup."""
    shown = query.message.text if query.message is not None else None
    return shown is not None and unescape(re.sub(r"<[^>]+>", "", text)) in shown


def chosen_names(context: BotContext, ids: tuple[str, ...]) -> str:
    return escape(", ".join(context.instrument.competency(c).name for c in ids))


async def refuse(context: BotContext, query, refusal: Refusal) -> None:
    """Answer a tap that was not applied. A double tap gets silence (the first tap did the work).
    An old or unknown button loses its buttons so it is not tapped again, unless it is on the
    statement that is open now: forged data must not take the live buttons away."""
    texts = context.texts
    if refusal is Refusal.DUPLICATE:
        await answer_tap(query)
        return
    if refusal is Refusal.NOT_OPEN:
        await answer_tap(query, texts("taps.not_open"))
        return
    await answer_tap(query, texts("taps.expired"))
    message = query.message
    if message is None or not context.deps.shown.has_buttons(message):
        return
    situation = await context.rounds.situation(query.from_user.id)
    if situation.round is None or situation.round.prompt_message_id != message.message_id:
        await drop_buttons(context, message.chat.id, message.message_id)
