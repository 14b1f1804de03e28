"""A reaction from a trusted colleague: asking for it (/reactie, and from the overview), the
personal link, and the colleague's side, from opening the link to sending the reaction."""

from __future__ import annotations

from telegram import InputFile, Update
from telegram.ext import ApplicationHandlerStop
from telegram.helpers import create_deep_linked_url

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.handlers.summary import picture
from bot.messaging import answer_tap, drop_buttons, edit, notify, send, send_photo
from bot.reaction_view import (
    answers_markup,
    arrived_view,
    ask_view,
    colleague_caption,
    colleague_verdicts,
    forget_view,
    intro_view,
    link_view,
    requests_view,
    step_view,
    their_answers,
)
from domain.reaction import (
    REMARK_LIMIT,
    Accept,
    Grow,
    Next,
    Pick,
    Recognise,
    Recognition,
    Refusal,
    Send,
    Step,
)
from services.reactions import ColleagueView, Declined, NewLink, Requests, Sent

PAYLOAD_PREFIX = "r-"  # a deep link's start parameter: r-<code>

# -- the person who asks ----------------------------------------------------------------------


async def cmd_reactie(update: Update, context: BotContext) -> None:
    requests = await context.reactions.requests(update.effective_user.id)
    text, markup = requests_view(context.texts, requests)
    await send(context, update.effective_chat.id, text, markup)


async def cb_ask(update: Update, context: BotContext) -> None:
    """Open the explanation (below the overview or the list), switch the single answers on or
    off in it, or say no."""
    query = update.callback_query
    item = parse(query.data).item
    await answer_tap(query)
    texts, chat_id, message_id = context.texts, query.message.chat.id, query.message.message_id
    if item == "no":
        await edit(context, chat_id, message_id, texts("reactions.not_now"))
        return
    text, markup = ask_view(texts, shares_answers=item == "on")
    if item == "open":
        await send(context, chat_id, text, markup)
    else:
        await edit(context, chat_id, message_id, text, markup)


async def cb_make_link(update: Update, context: BotContext) -> None:
    query = update.callback_query
    texts, chat_id, message_id = context.texts, query.message.chat.id, query.message.message_id
    result = await context.reactions.ask(
        update.effective_user.id, shares_answers=parse(query.data).value == 1
    )
    await answer_tap(query)
    if isinstance(result, NewLink):
        link = create_deep_linked_url(context.bot.username, PAYLOAD_PREFIX + result.code)
        text, markup = link_view(texts, link, result.request)
    elif result is Refusal.TOO_MANY:
        text, markup = texts("reactions.too_many_open"), None
    else:
        text, markup = texts("reactions.nothing_to_show"), None
    await edit(context, chat_id, message_id, text, markup)


async def cb_withdraw(update: Update, context: BotContext) -> None:
    query = update.callback_query
    result = await context.reactions.withdraw(
        update.effective_user.id, parse(query.data).request_id
    )
    await _show_list(context, query, result, context.texts("reactions.withdrawn"))


async def cb_forget(update: Update, context: BotContext) -> None:
    """Delete a reaction received: ask first, then delete, or go back to the list."""
    query = update.callback_query
    callback, user_id = parse(query.data), update.effective_user.id
    if callback.item == "ask":
        request = await context.reactions.received(user_id, callback.request_id)
        if isinstance(request, Refusal):
            await _stale(context, query)
            return
        await answer_tap(query)
        text, markup = forget_view(context.texts, request)
        await edit(context, query.message.chat.id, query.message.message_id, text, markup)
        return
    if callback.item == "yes":
        result = await context.reactions.forget(user_id, callback.request_id)
        await _show_list(context, query, result, context.texts("reactions.forgotten"))
        return
    await _show_list(context, query, await context.reactions.requests(user_id))


async def _show_list(
    context: BotContext, query, result: Requests | Refusal, note: str | None = None
) -> None:
    if result is Refusal.DUPLICATE:
        await answer_tap(query)
        return
    if isinstance(result, Refusal):
        await _stale(context, query)
        return
    await answer_tap(query)
    text, markup = requests_view(context.texts, result, note)
    await edit(context, query.message.chat.id, query.message.message_id, text, markup)


# -- the colleague ----------------------------------------------------------------------------


async def cmd_start_link(update: Update, context: BotContext) -> None:
    """/start r-<code>: somebody opened a personal link."""
    texts, chat_id = context.texts, update.effective_chat.id
    payload = context.args[0] if context.args else ""
    result = await context.reactions.open_link(
        context.visitor(update), payload.removeprefix(PAYLOAD_PREFIX)
    )
    if isinstance(result, Refusal):
        # Forged, expired, withdrawn, used: one message that says nothing about anybody.
        key = {
            Refusal.OWN_LINK: "reactions.own_link",
            Refusal.ALREADY_SENT: "reactions.already_sent",
        }.get(result, "reactions.dead")
        await send(context, chat_id, texts(key))
        return
    if result.stale_message_id is not None:
        await drop_buttons(context, chat_id, result.stale_message_id)
    if result.request.step is Step.INTRO:
        text, markup = intro_view(texts, result, update.effective_user.first_name)
        message = await send(context, chat_id, text, markup)
        await context.reactions.shown(
            update.effective_user.id, result.request.request_id, message.message_id
        )
        return
    await _show_step(context, update, chat_id, result, with_picture=True)


async def _show_step(
    context: BotContext, update: Update, chat_id: int, view: ColleagueView, *, with_picture: bool
) -> None:
    """The person's picture (when it goes with this step), and the step as a new message
    whose buttons are the live ones."""
    texts = context.texts
    if with_picture and view.overview is not None:
        png = await picture(
            context,
            view.overview,
            title=texts("reactions.picture_title", name=view.asker_name),
            verdicts=colleague_verdicts(texts),
        )
        await send_photo(
            context,
            chat_id,
            InputFile(png, filename=texts("picture.filename")),
            colleague_caption(texts, context.instrument, view),
            answers_markup(texts, view),
        )
    text, markup = step_view(texts, context.instrument, view, update.effective_user.first_name)
    message = await send(context, chat_id, text, markup)
    await context.reactions.shown(
        update.effective_user.id, view.request.request_id, message.message_id
    )


async def cb_react(update: Update, context: BotContext) -> None:
    """A tap on the colleague's live message: every step but saying no."""
    query = update.callback_query
    callback = parse(query.data)
    action = _action(callback)
    if action is None:
        await _decline(update, context)
        return
    result = await context.reactions.act(
        update.effective_user.id, callback.request_id, action, query.message.message_id
    )
    if result is Refusal.FULL:
        await answer_tap(query, context.texts("reactions.picks_full"))
        return
    if result is Refusal.TOO_FEW:
        await answer_tap(query, context.texts("reactions.picks_too_few"))
        return
    if isinstance(result, Refusal):
        await _refuse(context, query, result)
        return
    await answer_tap(query)
    texts, chat_id, message_id = context.texts, query.message.chat.id, query.message.message_id
    if isinstance(result, Sent):
        await _sent(context, update, result)
        return
    if isinstance(action, Accept):
        # The introduction stays to read back (what is asked, who sees it); its buttons go.
        joined = f"{query.message.text_html}\n\n{texts('reactions.joined')}"
        await edit(context, chat_id, message_id, joined)
        await _show_step(context, update, chat_id, result, with_picture=True)
        return
    text, markup = step_view(texts, context.instrument, result, update.effective_user.first_name)
    await edit(context, chat_id, message_id, text, markup)


def _action(callback):
    """The domain's action for a tap; None for "no" (to take part, or to send)."""
    if callback.action is Action.JOIN:
        return Accept() if callback.value == 1 else None
    if callback.action is Action.RECOGNISE:
        return Recognise(Recognition(callback.item))
    if callback.action is Action.SUITS:
        kind = Pick if callback.kind == "s" else Grow
        return kind(callback.item, callback.value == 1)
    if callback.action is Action.NEXT:
        return Next(Step(callback.item))
    return Send()


async def _decline(update: Update, context: BotContext) -> None:
    query = update.callback_query
    result = await context.reactions.decline(
        update.effective_user.id, parse(query.data).request_id, query.message.message_id
    )
    if isinstance(result, Refusal):
        await _refuse(context, query, result)
        return
    await answer_tap(query)
    text = context.texts("reactions.declined", name=result.asker.first_name)
    await edit(context, query.message.chat.id, query.message.message_id, text)
    await _tell_asker(context, result)


async def _sent(context: BotContext, update: Update, sent: Sent) -> None:
    """Thank the colleague, and give the person who asked the reaction at once."""
    query, texts = update.callback_query, context.texts
    thanks = texts(
        "reactions.sent", name=sent.asker.first_name, colleague=update.effective_user.first_name
    )
    if not sent.colleague_has_rounds:
        thanks = f"{thanks}\n\n{texts('reactions.sent_try')}"
    await edit(context, query.message.chat.id, query.message.message_id, thanks)
    await _tell_asker(context, sent)


async def _tell_asker(context: BotContext, result: Sent | Declined) -> None:
    """A message of the bot's own to the person who asked, in their language."""
    asker = result.asker
    language = context.deps.content.language(asker.language)
    if isinstance(result, Sent):
        text, markup = arrived_view(language.texts, language.instrument, result)
    else:
        text, markup = language.texts("reactions.declined_notice"), None
    await notify(context, asker.user_id, text, markup)


async def cb_their_answers(update: Update, context: BotContext) -> None:
    query = update.callback_query
    view = await context.reactions.their_answers(
        update.effective_user.id, parse(query.data).request_id
    )
    if isinstance(view, Refusal) or view.overview is None:
        await _stale(context, query)
        return
    await answer_tap(query)
    chat_id = query.message.chat.id
    for text in their_answers(context.texts, context.instrument, view.overview):
        await send(context, chat_id, text)
    # The step again below them, so its buttons are where the colleague is.
    if view.stale_message_id is not None:
        await drop_buttons(context, chat_id, view.stale_message_id)
    await _show_step(context, update, chat_id, view, with_picture=False)


async def on_remark(update: Update, context: BotContext) -> None:
    """Typed text, before anything else reads it: the colleague's remark while one is asked.
    Otherwise it goes on to the other handlers (a typed answer, a hint)."""
    text = update.effective_message.text
    result = await context.reactions.remark(update.effective_user.id, text)
    if result is Refusal.NOT_WAITING:
        return
    chat_id = update.effective_chat.id
    if result is Refusal.TOO_LONG:
        count = len(text.strip())
        await send(
            context, chat_id, context.texts("reactions.too_long", count=count, most=REMARK_LIMIT)
        )
    elif not isinstance(result, Refusal):
        if result.stale_message_id is not None:
            await drop_buttons(context, chat_id, result.stale_message_id)
        await _show_step(context, update, chat_id, result, with_picture=False)
    raise ApplicationHandlerStop


async def _refuse(context: BotContext, query, refusal: Refusal) -> None:
    if refusal is Refusal.DUPLICATE:
        await answer_tap(query)
        return
    if refusal is Refusal.DEAD:
        await answer_tap(query, context.texts("reactions.dead_tap"))
        await drop_buttons(context, query.message.chat.id, query.message.message_id)
        return
    await _stale(context, query)


async def _stale(context: BotContext, query) -> None:
    """A button that no longer acts on anything (or never did): say so, and take it away."""
    await answer_tap(query, context.texts("reactions.stale"))
    if query.message is not None and query.message.reply_markup is not None:
        await drop_buttons(context, query.message.chat.id, query.message.message_id)
