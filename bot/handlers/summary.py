"""The overview: a picture of the profile with the short version as its caption, a detail
message behind each button, the card exercise and a page to print."""

from __future__ import annotations

import re

from telegram import InputFile, Update

from bot.callbacks import Action, parse
from bot.context import BotContext
from bot.messaging import answer_tap, edit, send, send_document, send_photo
from bot.overview_view import (
    PARTS,
    caption,
    detail,
    names,
    picture_input,
    printout_input,
)
from bot.pacing import Lane
from bot.render import button, keyboard
from bot.screens import refuse
from domain.round import Refusal, Round, RoundStatus
from services.profiles import Overview


async def cmd_overzicht(update: Update, context: BotContext) -> None:
    await send_summary(context, update.effective_chat.id, update.effective_user.id)


async def cb_summary(update: Update, context: BotContext) -> None:
    query = update.callback_query
    found = await context.profiles.overview(update.effective_user.id, parse(query.data).round_id)
    if isinstance(found, Refusal):
        await refuse(context, query, found)
        return
    await answer_tap(query)
    await show_overview(context, update.effective_chat.id, found)


async def send_summary(context: BotContext, chat_id: int, user_id: int) -> None:
    await show_overview(context, chat_id, await context.profiles.overview(user_id))


async def picture(
    context: BotContext,
    overview: Overview,
    *,
    title: str | None = None,
    verdicts: dict[str, str] | None = None,
) -> bytes:
    """The overview's picture, made in the worker process; see picture_input for the words."""
    bars, text = picture_input(
        context.texts, context.instrument, overview, title=title, verdicts=verdicts
    )
    return await context.deps.renderer.picture(bars, text)


def _more_left(context: BotContext, round_: Round) -> bool:
    """A complete round with competencies left to fill in."""
    done = round_.done_competencies(context.instrument)
    complete = round_.status is RoundStatus.COMPLETE
    return complete and len(done) < len(context.instrument.competencies)


def _overview_keyboard(context: BotContext, overview: Overview):
    """Every next step under the picture, in one place."""
    texts, round_ = context.texts, overview.round
    rid = round_.round_id

    def detail(part: str):
        return button(texts(f"buttons.{part}"), Action.DETAIL, rid, part)

    more = [button(texts("buttons.more"), Action.PICK, rid)] if _more_left(context, round_) else []
    return keyboard(
        [detail("learning"), detail("tasks")],
        [detail("phases"), detail("competencies")],
        [detail("changes"), button(texts("buttons.cards"), Action.CARDS, rid, "strong")],
        [button(texts("buttons.printout"), Action.PRINTOUT, rid)],
        [
            *([detail("reactions")] if overview.reactions else []),
            button(texts("reactions.buttons.ask"), Action.ASK, "open"),
        ],
        more,
    )


async def show_overview(context: BotContext, chat_id: int, overview: Overview | None) -> None:
    """The picture with the short version, the details behind buttons; then the brochure's
    questions, and what to do next. The picture and what follows go in the bulk lane: they wait
    for the replies to other people's taps (and the picture took a while anyway)."""
    texts = context.texts
    if overview is None:
        await send(context, chat_id, texts("summary.nothing"))
        return
    round_ = overview.round
    await send_photo(
        context,
        chat_id,
        InputFile(await picture(context, overview), filename=texts("picture.filename")),
        caption(texts, context.instrument, overview),
        _overview_keyboard(context, overview),
    )
    if round_.status is not RoundStatus.COMPLETE:
        await send(context, chat_id, texts("summary.go_on"), lane=Lane.BULK)
        return
    more = texts("choice.more") if _more_left(context, round_) else None
    closing = [texts("summary.questions"), texts("summary.tip"), more]
    await send(context, chat_id, "\n\n".join(p for p in closing if p), lane=Lane.BULK)


async def cb_detail(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    overview = await context.profiles.overview(update.effective_user.id, callback.round_id)
    if not isinstance(overview, Overview) or callback.item not in PARTS:
        await refuse(context, query, Refusal.EXPIRED)
        return
    await answer_tap(query)
    text = detail(context.texts, context.instrument, overview, callback.item)
    await send(context, query.message.chat.id, text, lane=Lane.BULK)


async def cb_printout(update: Update, context: BotContext) -> None:
    query = update.callback_query
    overview = await context.profiles.overview(update.effective_user.id, parse(query.data).round_id)
    if not isinstance(overview, Overview):
        await refuse(context, query, Refusal.EXPIRED)
        return
    await answer_tap(query)
    texts = context.texts
    png = await picture(context, overview)
    page = printout_input(texts, context.instrument, overview, png)
    pdf = await context.deps.renderer.printout(page)
    name = re.sub(r"[^a-z0-9]+", "-", overview.first_name.lower()).strip("-") or "jij"
    filename = texts("details.printout_filename", name=name, number=overview.round.number)
    await send_document(
        context,
        query.message.chat.id,
        InputFile(pdf, filename=filename),
        texts("details.printout_caption"),
    )


# -- the card exercise ------------------------------------------------------------------


def _cards_view(context: BotContext, round_: Round, kind: str):
    texts, instrument, rid = context.texts, context.instrument, round_.round_id
    chosen = getattr(round_.cards, kind)
    rows = [
        [
            button(
                texts("buttons.card_on" if c.id in chosen else "buttons.card_off", name=c.name),
                Action.CARD,
                rid,
                kind[0],
                c.id,
                0 if c.id in chosen else 1,
            )
        ]
        for c in instrument.competencies
    ]
    next_step = "grow" if kind == "strong" else "done"
    label = texts("buttons.cards_next" if kind == "strong" else "buttons.cards_done")
    rows.append([button(label, Action.CARDS, rid, next_step)])
    return texts(f"cards.intro_{kind}"), keyboard(*rows)


async def cb_cards(update: Update, context: BotContext) -> None:
    """Open the exercise (strong), go to the second half (grow), or finish (done)."""
    query = update.callback_query
    callback = parse(query.data)
    round_ = await context.profiles.open_cards(
        update.effective_user.id, callback.round_id, lay_out=callback.item == "strong"
    )
    if isinstance(round_, Refusal):
        await refuse(context, query, round_)
        return
    await answer_tap(query)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if callback.item == "done":
        texts, instrument, cards = context.texts, context.instrument, round_.cards
        nothing = texts("cards.nothing")
        text = texts(
            "cards.done",
            strong=names(texts, instrument, cards.strong) or nothing,
            grow=names(texts, instrument, cards.grow) or nothing,
        )
        await edit(context, chat_id, message_id, text)
        return
    text, markup = _cards_view(context, round_, callback.item)
    if callback.item == "strong":
        await send(context, chat_id, text, markup)
    else:
        await edit(context, chat_id, message_id, text, markup)


async def cb_card(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    kind = "strong" if callback.kind == "s" else "grow"
    result = await context.profiles.choose_card(
        update.effective_user.id, callback.round_id, kind, callback.item, bool(callback.value)
    )
    if result is Refusal.FULL:
        await answer_tap(query, context.texts("cards.full"))
        return
    if isinstance(result, Refusal):
        await refuse(context, query, result)
        return
    await answer_tap(query)
    text, markup = _cards_view(context, result, kind)
    await edit(context, query.message.chat.id, query.message.message_id, text, markup)
