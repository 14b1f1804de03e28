"""Starting, going on, choosing what to fill in, and new rounds."""

from __future__ import annotations

from html import escape

from telegram import Update
from telegram.ext import ContextTypes

from bot.callbacks import Action, parse
from bot.deps import deps
from bot.messaging import drop_buttons, edit, refuse, send, show_prompt
from bot.render import button, choice_keyboard, join, keyboard, pick_keyboard, prompt_intro
from services.scorelist import Prompt, Refusal
from storage import Round, RoundStatus


async def cmd_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await resume(update, context, greet=True)


async def cmd_verder(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await resume(update, context, greet=False)


async def resume(update: Update, context: ContextTypes.DEFAULT_TYPE, *, greet: bool) -> None:
    """Whatever state a person is in, show the next thing to do: a restarted bot needs nothing
    but the database for this."""
    d = deps(context)
    user, chat_id = update.effective_user, update.effective_chat.id
    await d.scorelist.register(user.id, user.first_name, d.language)
    situation = await d.scorelist.situation(user.id)
    round_ = situation.round
    name = escape(user.first_name)
    if round_ is None:
        round_ = await d.scorelist.first_round(user.id)
        await send_choice(context, chat_id, round_, d.texts("welcome.new", name=name))
    elif round_.status is RoundStatus.CHOOSING:
        await send_choice(
            context, chat_id, round_, d.texts("welcome.new", name=name) if greet else None
        )
    elif situation.prompt is not None:
        await show_prompt(
            context,
            chat_id,
            situation.prompt,
            preface=join(
                d.texts("welcome.back", name=name), prompt_intro(d.texts, situation.prompt)
            ),
            replaces=round_.prompt_message_id,
        )
    else:
        await send_done(context, chat_id, round_, d.texts("welcome.done", name=name))


async def send_choice(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, round_: Round, preface: str | None = None
) -> None:
    """The choice between all competencies and some; the list to pick from when picking has
    begun already."""
    texts = deps(context).texts
    if round_.selection:
        await _show_pick(context, chat_id, None, round_, preface=preface)
        return
    await send(
        context,
        chat_id,
        join(preface, texts("welcome.choose")),
        choice_keyboard(texts, round_.round_id),
    )


async def send_done(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, round_: Round, text: str
) -> None:
    """A finished round: the summary, more competencies (when some are left) or a new round."""
    d = deps(context)
    rid = round_.round_id
    more = len(round_.selection) < len(d.instrument.competencies)
    await send(
        context,
        chat_id,
        text,
        keyboard(
            [button(d.texts("buttons.summary"), Action.SUMMARY, rid)],
            [button(d.texts("buttons.more"), Action.PICK, rid)] if more else [],
            [button(d.texts("buttons.new_round"), Action.NEW_ROUND, rid)],
        ),
    )


async def cmd_opnieuw(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    d = deps(context)
    user, chat_id = update.effective_user, update.effective_chat.id
    await d.scorelist.register(user.id, user.first_name, d.language)
    situation = await d.scorelist.situation(user.id)
    round_ = situation.round
    if round_ is not None and round_.status is RoundStatus.ANSWERING:
        rid = round_.round_id
        await send(
            context,
            chat_id,
            d.texts("choice.confirm_new_round"),
            keyboard(
                [button(d.texts("buttons.confirm_new_round"), Action.NEW_ROUND, rid)],
                [button(d.texts("buttons.keep_going"), Action.CONTINUE, rid)],
            ),
        )
        return
    await _start_new_round(context, chat_id, await d.scorelist.new_round(user.id, None))


async def _start_new_round(context: ContextTypes.DEFAULT_TYPE, chat_id: int, round_: Round) -> None:
    preface = deps(context).texts("welcome.new_round") if round_.number > 1 else None
    await send_choice(context, chat_id, round_, preface)


async def cb_new_round(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    scorelist = deps(context).scorelist
    user_id, chat_id = update.effective_user.id, query.message.chat.id
    before = (await scorelist.situation(user_id)).round
    round_ = await scorelist.new_round(user_id, parse(query.data).round_id)
    if round_ is None:
        await refuse(context, query, Refusal.EXPIRED)
        return
    await query.answer()
    await drop_buttons(context, chat_id, query.message.message_id)
    if before is not None and before.prompt_message_id is not None:
        await drop_buttons(context, chat_id, before.prompt_message_id)
    await _start_new_round(context, chat_id, round_)


async def cb_continue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await drop_buttons(context, query.message.chat.id, query.message.message_id)
    await resume(update, context, greet=False)


async def cb_all(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    d = deps(context)
    callback = parse(query.data)
    result = await d.scorelist.start(update.effective_user.id, callback.round_id, everything=True)
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await query.answer()
    await edit(
        context, query.message.chat.id, query.message.message_id, d.texts("choice.chose_all")
    )
    await _first_prompt(context, query.message.chat.id, result)


async def cb_pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The list to pick competencies from: at the start, or for more in a finished round."""
    query = update.callback_query
    d = deps(context)
    callback = parse(query.data)
    round_ = await d.scorelist.choosing_round(update.effective_user.id, callback.round_id)
    if round_ is None:
        await refuse(context, query, Refusal.EXPIRED)
        return
    await query.answer()
    await _show_pick(context, query.message.chat.id, query.message.message_id, round_)


async def _show_pick(
    context: ContextTypes.DEFAULT_TYPE,
    chat_id: int,
    message_id: int | None,
    round_: Round,
    text_key: str = "choice.pick",
    preface: str | None = None,
) -> None:
    d = deps(context)
    done = await d.scorelist.done_competencies(round_)
    markup = pick_keyboard(d.texts, d.instrument, round_.round_id, round_.selection, done)
    text = join(preface, d.texts(text_key))
    if message_id is None:
        await send(context, chat_id, text, markup)
    else:
        await edit(context, chat_id, message_id, text, markup)


async def cb_choose(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    d = deps(context)
    callback = parse(query.data)
    before = await d.scorelist.choosing_round(update.effective_user.id, callback.round_id)
    after = await d.scorelist.set_chosen(
        update.effective_user.id, callback.round_id, callback.item, bool(callback.value)
    )
    if before is None or after is None:
        await refuse(context, query, Refusal.EXPIRED)
        return
    await query.answer()
    if after.selection != before.selection:
        await _show_pick(context, query.message.chat.id, query.message.message_id, after)


async def cb_go(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    d = deps(context)
    callback = parse(query.data)
    result = await d.scorelist.start(update.effective_user.id, callback.round_id)
    if result is Refusal.EMPTY_CHOICE:
        await query.answer()
        round_ = await d.scorelist.choosing_round(update.effective_user.id, callback.round_id)
        await _show_pick(
            context, query.message.chat.id, query.message.message_id, round_, "choice.pick_empty"
        )
        return
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await query.answer()
    situation = await d.scorelist.situation(update.effective_user.id)
    names = ", ".join(d.instrument.competency(c).name for c in situation.round.selection)
    await edit(
        context,
        query.message.chat.id,
        query.message.message_id,
        d.texts("choice.chose_some", names=escape(names)),
    )
    await _first_prompt(context, query.message.chat.id, result)


async def _first_prompt(context: ContextTypes.DEFAULT_TYPE, chat_id: int, prompt: Prompt) -> None:
    await show_prompt(context, chat_id, prompt, preface=prompt_intro(deps(context).texts, prompt))
