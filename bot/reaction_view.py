"""A reaction in words and buttons: what the person who asks sees (what a colleague will see,
the link, the list of links and reactions, a reaction arriving) and what the colleague sees
(who asks, the person's picture in words, each step). Texts come from content.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action
from bot.overview_view import CAPTION_LIMIT, DETAIL_LIMIT, beside_lines, date, fit, names
from bot.render import button, join, keyboard
from content import Instrument, Texts
from domain.reaction import MAX_OPEN, REMARK_LIMIT, ReactionRequest, Status, Step
from domain.scoring import Verdict
from services.profiles import Overview
from services.reactions import ColleagueView, Requests, Sent

SHARE_URL = "https://t.me/share/url"
RECOGNITIONS = ("yes", "partly", "no")

# -- the person who asks ----------------------------------------------------------------------


def ask_view(texts: Texts, shares_answers: bool) -> tuple[str, InlineKeyboardMarkup]:
    """What a colleague will see and be asked, before the person makes a link; the switch
    for the single answers changes what the text says and what the link will share."""
    answers = texts("reactions.ask_answers_on" if shares_answers else "reactions.ask_answers_off")
    switch = "reactions.buttons.answers_on" if shares_answers else "reactions.buttons.answers_off"
    return texts("reactions.ask", answers=answers), keyboard(
        [button(texts(switch), Action.ASK, "off" if shares_answers else "on")],
        [button(texts("reactions.buttons.make_link"), Action.MAKE_LINK, int(shares_answers))],
        [button(texts("reactions.buttons.not_now"), Action.ASK, "no")],
    )


def link_view(
    texts: Texts, link: str, request: ReactionRequest
) -> tuple[str, InlineKeyboardMarkup]:
    """The link to copy, and a button that opens Telegram's share sheet with it."""
    share = f"{SHARE_URL}?{urlencode({'url': link, 'text': texts('reactions.share_text')})}"
    text = texts("reactions.link", link=escape(link), date=date(texts, request.expires_at))
    return text, InlineKeyboardMarkup(
        [[InlineKeyboardButton(texts("reactions.buttons.share"), url=share)]]
    )


def requests_view(
    texts: Texts, requests: Requests, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """/reactie: the links that work and the reactions received, each with its button."""
    lines = [texts("reactions.list_title")]
    rows = []
    if requests.open:
        lines += ["", texts("reactions.links_title", count=len(requests.open), most=MAX_OPEN)]
    for number, request in enumerate(requests.open, 1):
        state = (
            "reactions.link_claimed" if request.status is Status.CLAIMED else "reactions.link_open"
        )
        made, until = date(texts, request.created_at), date(texts, request.expires_at)
        lines.append(
            texts("reactions.link_item", number=number, made=made, until=until, state=texts(state))
        )
        label = texts("reactions.buttons.withdraw", number=number, made=made)
        rows.append([button(label, Action.WITHDRAW, request.request_id)])
    lines += ["", texts("reactions.received_title")]
    if not requests.received:
        lines.append(texts("reactions.received_none"))
    for request in requests.received:
        name = escape(request.colleague_name or "?")
        lines.append(
            texts("reactions.received_item", name=name, date=date(texts, request.answered_at))
        )
        label = texts("reactions.buttons.forget", name=request.colleague_name or "?")
        rows.append([button(label, Action.FORGET, request.request_id, "ask")])
    if requests.received:
        lines += ["", texts("reactions.list_overview")]
    if requests.can_ask:
        lines += ["", texts("reactions.list_ask")]
        rows.append([button(texts("reactions.buttons.ask"), Action.ASK, "open")])
    elif not requests.has_answers:
        lines += ["", texts("reactions.nothing_to_show")]
    else:
        lines += ["", texts("reactions.too_many", most=MAX_OPEN)]
    # Nothing to take back, delete or ask yet: no keyboard (Telegram refuses an empty one).
    return join(note, "\n".join(lines)), keyboard(*rows) if rows else None


def forget_view(texts: Texts, request: ReactionRequest) -> tuple[str, InlineKeyboardMarkup]:
    rid = request.request_id
    return texts("reactions.forget_question", name=escape(request.colleague_name or "?")), keyboard(
        [button(texts("reactions.buttons.forget_yes"), Action.FORGET, rid, "yes")],
        [button(texts("reactions.buttons.forget_no"), Action.FORGET, rid, "no")],
    )


def arrived_view(
    texts: Texts, instrument: Instrument, sent: Sent
) -> tuple[str, InlineKeyboardMarkup]:
    """The reaction, the moment it is given, for the person who asked (in their language)."""
    colleague = escape(sent.request.colleague_name or "?")
    text = "\n".join(
        [
            texts("reactions.arrived_title", colleague=colleague),
            *beside_lines(texts, instrument, sent.beside),
            "",
            texts("reactions.arrived_more"),
        ]
    )
    return text, keyboard([button(texts("buttons.summary"), Action.SUMMARY, sent.round_id)])


# -- the colleague ----------------------------------------------------------------------------


def intro_view(
    texts: Texts, view: ColleagueView, colleague: str
) -> tuple[str, InlineKeyboardMarkup]:
    rid = view.request.request_id
    text = texts("reactions.intro", name=escape(view.asker_name), colleague=escape(colleague))
    return text, keyboard(
        [button(texts("reactions.buttons.join"), Action.JOIN, rid, 1)],
        [button(texts("reactions.buttons.no_thanks"), Action.JOIN, rid, 0)],
    )


def colleague_verdicts(texts: Texts) -> dict[str, str]:
    """The words at the end of a row in the picture, for somebody else's profile."""
    return {v.value: texts(f"reactions.verdicts.{v.value}") for v in Verdict}


def colleague_caption(texts: Texts, instrument: Instrument, view: ColleagueView) -> str:
    """The picture in words, for the colleague: the verdict per competency, and the cards."""
    overview, name = view.overview, escape(view.asker_name)
    lines = [
        texts("reactions.caption_title", name=name),
        texts("reactions.caption_rule", name=name),
    ]
    for verdict in Verdict:
        ids = [r.competency.id for r in overview.summary.results if r.verdict is verdict]
        if ids:
            lines.append(
                texts(
                    f"reactions.caption.{verdict.value}",
                    name=name,
                    names=names(texts, instrument, ids),
                )
            )
    cards = overview.round.cards
    if not cards.empty:
        nothing = texts("cards.nothing")
        lines.append(
            texts(
                "reactions.caption_cards",
                name=name,
                strong=names(texts, instrument, cards.strong) or nothing,
                grow=names(texts, instrument, cards.grow) or nothing,
            )
        )
    return fit("\n".join(lines), CAPTION_LIMIT)


def answers_markup(texts: Texts, view: ColleagueView) -> InlineKeyboardMarkup | None:
    """Under the picture: the single answers, when the person shares them."""
    if not view.request.shares_answers:
        return None
    label = texts("reactions.buttons.their_answers", name=view.asker_name)
    return keyboard([button(label, Action.THEIR_ANSWERS, view.request.request_id)])


def their_answers(texts: Texts, instrument: Instrument, overview: Overview) -> list[str]:
    """The person's answer to every statement answered, learning points marked, in messages
    of at most DETAIL_LIMIT characters."""
    name = escape(overview.first_name)
    messages = [
        "\n".join(
            [
                texts("reactions.their_answers_title", name=name),
                texts("reactions.their_answers_intro", name=name),
            ]
        )
    ]
    answers = overview.profile.answers
    for competency in instrument.competencies:
        given = [(s, answers[s.id]) for s in competency.statements if s.id in answers]
        if not given:
            continue
        block = [f"<b>{escape(competency.name)}</b>"]
        for statement, value in given:
            answer = instrument.answer(value)
            key = "reactions.their_answer" if answer.suits else "reactions.their_point"
            block.append(texts(key, statement=escape(statement.text), label=escape(answer.label)))
        text = "\n".join(block)
        if len(messages[-1]) + 2 + len(text) > DETAIL_LIMIT:
            messages.append(text)
        else:
            messages[-1] = f"{messages[-1]}\n\n{text}"
    return messages


def step_view(
    texts: Texts, instrument: Instrument, view: ColleagueView, colleague: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The colleague's step now, as one message whose buttons are the live ones."""
    request, name = view.request, escape(view.asker_name)
    rid, given = request.request_id, request.given
    step = request.step
    if step is Step.RECOGNISE:
        return texts("reactions.recognise", name=name), keyboard(
            [
                button(texts(f"reactions.recognitions.{r}"), Action.RECOGNISE, rid, r)
                for r in RECOGNITIONS
            ]
        )
    if step is Step.PICKS:
        rows = [
            [_toggle(texts, rid, "s", c.id, c.name, c.id in given.picks)]
            for c in instrument.competencies
        ]
        rows.append([button(texts("reactions.buttons.next"), Action.NEXT, rid, "picks")])
        return texts("reactions.picks_question", name=name), keyboard(*rows)
    if step is Step.GROW:
        rows = [
            [_toggle(texts, rid, "g", c.id, c.name, c.id == given.grow)]
            for c in instrument.competencies
            if c.id not in given.picks
        ]
        label = "reactions.buttons.next" if given.grow else "reactions.buttons.skip"
        rows.append([button(texts(label), Action.NEXT, rid, "grow")])
        return texts("reactions.grow_question", name=name), keyboard(*rows)
    if step is Step.REMARK:
        text = texts("reactions.remark_question", name=name, most=REMARK_LIMIT)
        return text, keyboard([button(texts("reactions.buttons.skip"), Action.NEXT, rid, "remark")])
    lines = [
        texts(
            "reactions.given_recognition",
            answer=texts(f"reactions.recognitions.{given.recognition}"),
        ),
        texts("reactions.given_picks", name=name, names=names(texts, instrument, given.picks)),
    ]
    if given.grow is not None:
        lines.append(texts("reactions.given_grow", names=names(texts, instrument, [given.grow])))
    if given.remark is not None:
        lines.append(texts("reactions.given_remark", remark=escape(given.remark)))
    change = "reactions.change_remark" if given.remark else "reactions.add_remark"
    text = texts(
        "reactions.review",
        name=name,
        colleague=escape(colleague),
        lines="\n".join(lines),
        change=texts(change),
    )
    return text, keyboard(
        [button(texts("reactions.buttons.send"), Action.SEND, rid)],
        [button(texts("reactions.buttons.dont_send"), Action.JOIN, rid, 0)],
    )


def _toggle(texts: Texts, rid: int, kind: str, cid: str, name: str, on: bool):
    label = texts("reactions.buttons.on" if on else "reactions.buttons.off", name=name)
    return button(label, Action.SUITS, rid, kind, cid, 0 if on else 1)
