"""/team: making a team, its invite links, Ja or Nee to sharing, the coordinator's screens and
the digest; and telling people when a team they were in has ended."""

from __future__ import annotations

from html import escape

from telegram import InputFile, Update
from telegram.ext import ApplicationHandlerStop
from telegram.helpers import create_deep_linked_url

from bot import team_view
from bot.callbacks import parse
from bot.context import BotContext
from bot.messaging import answer_tap, drop_buttons, edit, notify, send, send_photo
from bot.pacing import Lane
from bot.render import join
from bot.screens import refuse
from content import Instrument, Texts
from domain.digest import Digest
from domain.digest_schedule import HOURS, WEEKDAYS
from domain.round import Refusal
from domain.scoring import Verdict
from domain.team import NameProblem, Team, TeamRefusal
from services.deliveries import Due, Outcome, Sending, Sent
from services.digests import WeeklyDigests
from services.teams import (
    Appointed,
    CoordinatorOffer,
    Farewell,
    Invitation,
)

INVITE_PREFIX = "t-"


def _link(context: BotContext, code: str) -> str:
    return create_deep_linked_url(context.bot.username, f"{INVITE_PREFIX}{code}")


async def cmd_team(update: Update, context: BotContext) -> None:
    entries = await context.teams.home(update.effective_user.id)
    text, markup = team_view.home(context.texts, entries)
    await send(context, update.effective_chat.id, text, markup)


# -- a new team ------------------------------------------------------------------------------


async def cb_new_team(update: Update, context: BotContext) -> None:
    """ "Nieuw team maken" asks for the name; "Stop" takes the question back."""
    query = update.callback_query
    await answer_tap(query)
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if parse(query.data).value == 1:
        await context.teams.ask_name(context.visitor(update))
        text, markup = team_view.name_prompt(context.texts)
        await send(context, chat_id, text, markup)
        return
    await context.teams.cancel_name(update.effective_user.id)
    await edit(context, chat_id, message_id, context.texts("team.name_cancelled"))


async def on_text(update: Update, context: BotContext) -> None:
    """Before every other text handler: while a team name is asked, a typed text is that name.
    Otherwise nothing happens here and the text goes on to the usual handler."""
    result = await context.teams.typed_name(update.effective_user.id, update.effective_message.text)
    if result is None:
        return
    texts, chat_id = context.texts, update.effective_chat.id
    if isinstance(result, NameProblem):
        _, markup = team_view.name_prompt(texts)
        await send(context, chat_id, texts(f"team.name_{result.value}"), markup)
    else:
        text, markup = team_view.invitation(
            texts, result.team, _link(context, result.code), created=True
        )
        await send(context, chat_id, text, markup)
    raise ApplicationHandlerStop


# -- opening a link --------------------------------------------------------------------------


async def start_invite(update: Update, context: BotContext) -> None:
    """/start t-<code>: the consent screen of a member link, the offer of a co-coordinator
    link, or one kind message that reveals nothing."""
    texts, chat_id = context.texts, update.effective_chat.id
    payload = context.args[0] if context.args else ""
    result = await context.teams.open_invite(
        context.visitor(update), payload.removeprefix(INVITE_PREFIX)
    )
    if result is None:
        await send(context, chat_id, texts("team.invite_dead"))
        return
    if isinstance(result, CoordinatorOffer):
        text, markup = team_view.offer(texts, result.team)
    elif result.me.shares or result.me.is_coordinator:
        text, markup = team_view.team_screen(texts, context.instrument, result)
    else:
        text, markup = team_view.consent(texts, context.instrument, result)
    await send(context, chat_id, text, markup)


async def cb_share(update: Update, context: BotContext) -> None:
    """Ja or Nee on a consent screen (sharing) or on a co-coordinator offer."""
    query = update.callback_query
    callback = parse(query.data)
    user_id, yes = update.effective_user.id, callback.value == 1
    if callback.item == "m":
        result = await context.teams.decide(user_id, callback.team_id, yes)
    else:
        result = await context.teams.answer_offer(user_id, callback.team_id, yes)
    if result is TeamRefusal.SAME:
        await answer_tap(query)
        await drop_buttons(context, query.message.chat.id, query.message.message_id)
        return
    if isinstance(result, TeamRefusal):
        await refuse(context, query, Refusal.EXPIRED)
        return
    await answer_tap(query)
    texts, chat_id = context.texts, query.message.chat.id
    # The screen they said yes or no to stays in the chat, as it was, without its buttons.
    await drop_buttons(context, chat_id, query.message.message_id)
    if result is None:
        await send(context, chat_id, texts("team.offer_no"))
    elif isinstance(result, Appointed):
        await _appointed(context, chat_id, result)
    elif yes:
        started = any(v is not Verdict.NOT_ANSWERED for v in result.mine.verdicts)
        name = escape(result.team.name)
        hint = None if started else texts("team.start_hint")
        await send(context, chat_id, join(texts("team.consent_yes", name=name), hint))
    else:
        await send(context, chat_id, texts("team.consent_no", name=escape(result.team.name)))


async def _appointed(context: BotContext, chat_id: int, appointed: Appointed) -> None:
    texts, view = context.texts, appointed.view
    text, markup = team_view.team_screen(texts, context.instrument, view)
    await send(
        context, chat_id, join(texts("team.offer_yes", name=escape(view.team.name)), text), markup
    )
    for recipient in appointed.told:
        their = context.deps.content.language(recipient.language).texts
        notice = their(
            "team.new_coordinator",
            coordinator=escape(view.me.first_name),
            name=escape(view.team.name),
        )
        await notify(context, recipient.user_id, notice)


# -- the team's screens ----------------------------------------------------------------------


async def cb_team(update: Update, context: BotContext) -> None:
    query = update.callback_query
    callback = parse(query.data)
    part, team_id, user_id = callback.item, callback.team_id, update.effective_user.id
    teams, texts = context.teams, context.texts
    chat_id, message_id = query.message.chat.id, query.message.message_id
    if part in ("digest", "members"):
        result = await teams.digest(user_id, team_id)
    elif part == "invite":
        result = await teams.renew_invite(user_id, team_id)
    elif part == "cocoord":
        result = await teams.invite_coordinator(user_id, team_id)
    elif part == "off":
        result = await teams.plan(user_id, team_id, on=False)
    elif part == "stop":
        result = await teams.decide(user_id, team_id, False)
    elif part == "stepdown":
        result = await teams.step_down(user_id, team_id)
    elif part == "endyes":
        result = await teams.end(user_id, team_id)
    else:  # open, show, when, share, end: screens that change nothing
        result = await teams.team(user_id, team_id)
    if result is TeamRefusal.LAST_COORDINATOR:
        await answer_tap(query)
        await send(context, chat_id, texts("team.last_coordinator"))
        return
    if result is TeamRefusal.SAME:
        await answer_tap(query)
        return
    if result is TeamRefusal.NOT_ALLOWED and part in ("digest", "members"):
        # Also a coordinator who stepped down, tapping last week's digest: told why, kindly.
        await answer_tap(query, texts("team.members_refused"))
        return
    if isinstance(result, TeamRefusal) or (
        part in ("when", "end") and not result.me.is_coordinator
    ):
        await refuse(context, query, Refusal.EXPIRED)
        return
    await answer_tap(query)
    if isinstance(result, Invitation):
        link = _link(context, result.code)
        if part == "invite":
            text, markup = team_view.invitation(texts, result.team, link, created=False)
        else:
            text, markup = team_view.coordinator_invitation(texts, result.team, link)
        await send(context, chat_id, text, markup)
    elif isinstance(result, Farewell):
        await edit(context, chat_id, message_id, team_view.ended(texts, result))
        await tell_farewell(context, result)
    elif part == "digest":
        await send_digest(context, chat_id, texts, context.instrument, result.team, result.digest)
    elif part == "members":
        await send_members(context, chat_id, texts, context.instrument, result.digest)
    elif part in ("when", "off"):
        text, markup = team_view.schedule_screen(texts, result.team)
        await edit(context, chat_id, message_id, text, markup)
    elif part == "share":
        text, markup = team_view.consent(texts, context.instrument, result)
        await send(context, chat_id, text, markup)
    elif part == "stop":
        text, markup = team_view.stopped(texts, result.team)
        await edit(context, chat_id, message_id, text, markup)
    elif part == "end":
        text, markup = team_view.end_confirm(texts, result.team)
        await edit(context, chat_id, message_id, text, markup)
    else:  # open, show, stepdown
        text, markup = team_view.team_screen(texts, context.instrument, result)
        if part == "stepdown":
            text = join(texts("team.stepped_down", name=escape(result.team.name)), text)
        if part == "show":
            await send(context, chat_id, text, markup)
        else:
            await edit(context, chat_id, message_id, text, markup)


async def cb_when(update: Update, context: BotContext) -> None:
    """Another day or hour for the weekly digest."""
    query = update.callback_query
    callback = parse(query.data)
    chosen = {"day": ("weekday", WEEKDAYS), "hour": ("hour", HOURS)}[callback.item]
    name, allowed = chosen
    if callback.value not in allowed:
        await refuse(context, query, Refusal.EXPIRED)
        return
    result = await context.teams.plan(
        update.effective_user.id, callback.team_id, **{name: callback.value}
    )
    if result is TeamRefusal.SAME:
        await answer_tap(query)
        return
    if isinstance(result, TeamRefusal):
        await refuse(context, query, Refusal.EXPIRED)
        return
    await answer_tap(query)
    text, markup = team_view.schedule_screen(context.texts, result.team)
    await edit(context, query.message.chat.id, query.message.message_id, text, markup)


# -- sending on the team's behalf ------------------------------------------------------------


async def send_digest(
    context: BotContext,
    chat_id: int,
    texts: Texts,
    instrument: Instrument,
    team: Team,
    digest: Digest,
) -> None:
    """The digest to one coordinator: the picture with its caption, the team in words, a line
    per member, and under it the button to everything per member. Kept short, for a phone
    and for Telegram's pace with many teams. On demand the same as from the scheduler (in
    the coordinator's language)."""
    if not digest.members:
        await send(context, chat_id, texts("team.digest_empty"))
        return
    rows, words = team_view.heatmap_input(texts, instrument, team.name, digest)
    picture = await context.deps.renderer.heatmap(rows, words)
    caption = team_view.digest_caption(
        texts, instrument, team.name, digest, context.deps.clock.now()
    )
    await send_photo(
        context, chat_id, InputFile(picture, filename=texts("team.picture_filename")), caption
    )
    *before, last = team_view.digest_messages(texts, instrument, digest)
    for message in before:
        await send(context, chat_id, message, lane=Lane.BULK)  # after the picture, as it is
    markup = team_view.members_button(texts, team.team_id)
    await send(context, chat_id, last, markup, lane=Lane.BULK)


async def send_members(
    context: BotContext, chat_id: int, texts: Texts, instrument: Instrument, digest: Digest
) -> None:
    """Everything per member, asked for with the digest's button: as the members share now."""
    if not digest.members:
        await send(context, chat_id, texts("team.digest_empty"))
        return
    for message in team_view.members_messages(texts, instrument, digest):
        await send(context, chat_id, message)


async def prepare_scheduled_digest(context: BotContext, texts: Texts, due: Due) -> Sending:
    """This week's digest to one coordinator, in their language: worked out right after its
    claim, with its picture started in the render worker, while the message before it goes
    out (bot/jobs.py). What comes back sends it, when services/digests.py says there is still
    something to send; the ledger notes what it showed, or that nothing was sent."""
    instrument = context.deps.content.language(due.language).instrument
    people_first = context.application.update_processor.people_first
    digests = WeeklyDigests(context.deps.database, instrument, people_first)
    worked_out = await digests.to_send(due)
    if worked_out is not None:
        rows, words = team_view.heatmap_input(
            texts, instrument, worked_out.team.name, worked_out.digest
        )
        context.deps.renderer.heatmap_ahead(rows, words)

    async def send_it() -> Sent:
        weekly = await digests.to_send(due, worked_out)
        if weekly is None:
            return Sent(Outcome.SKIPPED)
        await send_digest(context, due.recipient, texts, instrument, weekly.team, weekly.digest)
        return Sent(shown=weekly.fingerprint)

    return send_it


async def tell_farewell(context: BotContext, farewell: Farewell) -> None:
    """Everybody who was in an ended team hears it once, in their language; somebody who
    blocked the bot is skipped."""
    for recipient in farewell.told:
        texts = context.deps.content.language(recipient.language).texts
        words = texts("team.farewell", name=escape(farewell.team_name))
        await notify(context, recipient.user_id, words)
