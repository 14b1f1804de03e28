"""The Reactions use cases on a real SQLite file: asking, the link's code kept only as a hash,
the colleague's steps, the reaction beside the profile, /reactie, export and both /wis. The
clock is moved by hand, so every stored time is known."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.reaction import (
    Accept,
    Given,
    Grow,
    Next,
    Pick,
    Recognise,
    Recognition,
    Refusal,
    Send,
    Step,
)
from domain.round import Answered, Started
from services.codes import code_hash
from services.reactions import ColleagueView, Declined, NewLink, Reactions, Sent
from services.rounds import Rounds, Visitor
from tests.use_cases import rows

ANNA = Visitor(1001, "Anna", "nl")
BO = Visitor(2002, "Bo", "en")  # new to the bot, Telegram in English
CHRIS = Visitor(3003, "Chris", "nl")
MADE = "2026-11-01T12:00:00+00:00"
ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4


@pytest.fixture
def reactions(database, instrument, clock) -> Reactions:
    return Reactions(database, instrument, clock)


async def anna_fills_in(rounds: Rounds) -> int:
    """Lef to develop (1 of 4), Netwerken suits (4 of 4). Returns her round's id."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    for cid in ("lef", "netwerken"):
        await rounds.pick(ANNA.user_id, rid, cid, True)
    assert isinstance(await rounds.start(ANNA.user_id, rid), Started)
    for value in (NIET, NIET, BEETJE, ZEER, ZEER, ZEER, ZEER, MEESTAL):
        assert isinstance(await rounds.answer(ANNA.user_id, value), Answered)
    return rid


async def bo_opens(reactions: Reactions, link: NewLink, message_id: int = 10) -> ColleagueView:
    view = await reactions.open_link(BO, link.code)
    assert isinstance(view, ColleagueView)
    await reactions.shown(BO.user_id, view.request.request_id, message_id)
    return view


async def bo_reacts(reactions: Reactions, rid: int, *, remark: str | None = None) -> Sent:
    """Ja, Deels, Lef and Samenwerken, Communicatie to grow, a remark or none, send."""
    for action in (
        Accept(),
        Recognise(Recognition.PARTLY),
        Pick("samenwerken", True),
        Pick("lef", True),
        Next(Step.PICKS),
        Grow("communicatie", True),
        Next(Step.GROW),
    ):
        assert not isinstance(await reactions.act(BO.user_id, rid, action, 10), Refusal)
    if remark is None:
        await reactions.act(BO.user_id, rid, Next(Step.REMARK), 10)
    else:
        assert isinstance(await reactions.remark(BO.user_id, remark), ColleagueView)
    sent = await reactions.act(BO.user_id, rid, Send(), 10)
    assert isinstance(sent, Sent)
    return sent


# -- asking ---------------------------------------------------------------------------------


async def test_a_link_needs_something_answered(reactions, rounds):
    assert await reactions.ask(ANNA.user_id, shares_answers=False) is Refusal.NOTHING_TO_SHOW
    await rounds.begin(ANNA)  # a round, nothing answered
    assert await reactions.ask(ANNA.user_id, shares_answers=False) is Refusal.NOTHING_TO_SHOW


async def test_the_code_is_shown_once_and_stored_only_as_its_hash(reactions, rounds, db_path):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=True)
    assert isinstance(link, NewLink)
    assert len(link.code) == 22
    assert rows(
        db_path,
        "SELECT asker_id, code_hash, shares_answers, status, created_at, expires_at"
        " FROM reaction_requests",
    ) == [(1001, code_hash(link.code), 1, "open", MADE, "2026-12-01T12:00:00+00:00")]
    stored = db_path.read_bytes() + db_path.with_name(db_path.name + "-wal").read_bytes()
    assert link.code.encode() not in stored
    other = await reactions.ask(ANNA.user_id, shares_answers=False)
    assert other.code != link.code


async def test_five_links_at_once_and_the_list_of_reactie(reactions, rounds, hands):
    await anna_fills_in(rounds)
    links = [await reactions.ask(ANNA.user_id, shares_answers=False) for _ in range(5)]
    assert await reactions.ask(ANNA.user_id, shares_answers=False) is Refusal.TOO_MANY
    listed = await reactions.requests(ANNA.user_id)
    assert [r.request_id for r in listed.open] == [link.request.request_id for link in links]
    assert listed.has_answers and not listed.can_ask
    # take one back: four open, one more may be made
    withdrawn = await reactions.withdraw(ANNA.user_id, links[0].request.request_id)
    assert len(withdrawn.open) == 4 and withdrawn.can_ask
    assert await reactions.withdraw(ANNA.user_id, links[0].request.request_id) is (
        Refusal.DUPLICATE
    )
    assert await reactions.withdraw(BO.user_id, links[1].request.request_id) is Refusal.STALE
    assert await reactions.withdraw(ANNA.user_id, 999) is Refusal.STALE
    assert await reactions.open_link(BO, links[0].code) is Refusal.DEAD
    # thirty days later none works any more
    hands.at += timedelta(days=30)
    assert (await reactions.requests(ANNA.user_id)).open == ()
    assert await reactions.open_link(BO, links[1].code) is Refusal.DEAD


# -- the colleague -------------------------------------------------------------------------


async def test_a_colleague_new_to_the_bot_claims_the_link_and_becomes_known(
    reactions, rounds, db_path
):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    assert await reactions.open_link(BO, "A" * 22) is Refusal.DEAD
    assert await reactions.open_link(ANNA, link.code) is Refusal.OWN_LINK
    view = await reactions.open_link(BO, link.code)
    assert (view.asker_name, view.request.step, view.overview) == ("Anna", Step.INTRO, None)
    assert rows(
        db_path, "SELECT user_id, first_name, language FROM users WHERE user_id = 2002"
    ) == [(2002, "Bo", "en")]
    assert await reactions.open_link(CHRIS, link.code) is Refusal.DEAD
    # Bo is shown the introduction, says yes, and comes back later: on at the same step
    await reactions.shown(BO.user_id, view.request.request_id, 10)
    joined = await reactions.act(BO.user_id, view.request.request_id, Accept(), 10)
    assert joined.request.step is Step.RECOGNISE
    # the picture shows the profile as it is, without the earlier round
    assert joined.overview.first_name == "Anna" and joined.overview.changes == ()
    assert [r.verdict.value for r in joined.overview.summary.results if r.answered] == [
        "develop",
        "suits",
    ]
    await reactions.shown(BO.user_id, view.request.request_id, 12)
    again = await reactions.open_link(BO, link.code)
    assert (again.request.step, again.stale_message_id) == (Step.RECOGNISE, 12)
    assert again.overview is not None


async def test_the_reaction_goes_to_the_person_at_once_and_beside_the_profile(
    reactions, rounds, profiles, db_path
):
    rid = await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    view = await bo_opens(reactions, link)
    sent = await bo_reacts(reactions, view.request.request_id, remark="  Je luistert goed. ")
    assert (sent.asker.user_id, sent.asker.language, sent.round_id) == (1001, "nl", rid)
    assert sent.request.colleague_name == "Bo"
    assert sent.request.given == Given(
        Recognition.PARTLY, ("lef", "samenwerken"), "communicatie", "Je luistert goed."
    )
    # Lef is Anna's to develop: Bo adds it. Samenwerken she never answered: Bo adds it too.
    assert (sent.beside.agree, sent.beside.new) == ((), ("lef", "samenwerken"))
    assert sent.beside.grow_agrees is False  # Communicatie: not answered by Anna
    assert sent.colleague_has_rounds is False
    assert rows(
        db_path,
        "SELECT status, colleague_step, colleague_message_id, recognises, suits_best,"
        " could_grow, remark FROM reaction_requests",
    ) == [
        ("answered", None, None, "partly", "lef,samenwerken", "communicatie", "Je luistert goed.")
    ]
    overview = await profiles.overview(ANNA.user_id)
    (beside,) = overview.reactions
    assert beside.request.colleague_name == "Bo" and beside.new == ("lef", "samenwerken")
    # once sent: thanks, and the steps are over
    assert await reactions.open_link(BO, link.code) is Refusal.ALREADY_SENT
    assert await reactions.act(BO.user_id, view.request.request_id, Send(), 10) is (
        Refusal.DUPLICATE
    )


async def test_reactions_in_the_overview_newest_first(reactions, rounds, profiles, hands):
    await anna_fills_in(rounds)
    first = await reactions.ask(ANNA.user_id, shares_answers=False)
    second = await reactions.ask(ANNA.user_id, shares_answers=False)
    view = await bo_opens(reactions, first)
    chris = await reactions.open_link(CHRIS, second.code)
    await reactions.shown(CHRIS.user_id, chris.request.request_id, 20)
    for action in (
        Accept(),
        Recognise(Recognition.YES),
        Pick("netwerken", True),
        Pick("politiek", True),
        Next(Step.PICKS),
        Next(Step.GROW),
        Next(Step.REMARK),
        Send(),
    ):
        await reactions.act(CHRIS.user_id, chris.request.request_id, action, 20)
    hands.at += timedelta(hours=1)
    await bo_reacts(reactions, view.request.request_id)
    overview = await profiles.overview(ANNA.user_id)
    assert [b.request.colleague_name for b in overview.reactions] == ["Bo", "Chris"]
    assert overview.reactions[1].agree == ("netwerken",)
    listed = await reactions.requests(ANNA.user_id)
    assert [r.colleague_name for r in listed.received] == ["Bo", "Chris"]


async def test_saying_no_keeps_nothing_and_tells_the_person(reactions, rounds, db_path):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    view = await bo_opens(reactions, link)
    rid = view.request.request_id
    await reactions.act(BO.user_id, rid, Accept(), 10)
    await reactions.act(BO.user_id, rid, Recognise(Recognition.NO), 10)
    assert await reactions.decline(BO.user_id, rid, 9) is Refusal.STALE  # an old message
    declined = await reactions.decline(BO.user_id, rid, 10)
    assert isinstance(declined, Declined) and declined.asker.user_id == ANNA.user_id
    assert rows(
        db_path, "SELECT status, colleague_id, colleague_step, recognises FROM reaction_requests"
    ) == [("declined", None, None, None)]
    assert await reactions.open_link(BO, link.code) is Refusal.DEAD


async def test_typed_text_is_the_remark_only_while_one_is_asked(reactions, rounds):
    await anna_fills_in(rounds)
    first = await reactions.ask(ANNA.user_id, shares_answers=False)
    second = await reactions.ask(ANNA.user_id, shares_answers=False)
    assert await reactions.remark(BO.user_id, "Hallo") is Refusal.NOT_WAITING
    views = [await bo_opens(reactions, first, 10), await bo_opens(reactions, second, 30)]
    for view, message in zip(views, (10, 30), strict=True):
        rid = view.request.request_id
        for action in (
            Accept(),
            Recognise(Recognition.YES),
            Pick("lef", True),
            Pick("netwerken", True),
            Next(Step.PICKS),
        ):
            await reactions.act(BO.user_id, rid, action, message)
    assert await reactions.remark(BO.user_id, "Hallo") is Refusal.NOT_WAITING  # at grow
    for view, message in zip(views, (10, 30), strict=True):
        await reactions.act(BO.user_id, view.request.request_id, Next(Step.GROW), message)
    assert await reactions.remark(BO.user_id, "x" * 1001) is Refusal.TOO_LONG
    # both ask for a remark: it goes to the newest message, which loses its buttons
    written = await reactions.remark(BO.user_id, "Voor de tweede")
    assert written.request.request_id == views[1].request.request_id
    assert (written.request.step, written.stale_message_id) == (Step.REVIEW, 30)
    assert written.asker_name == "Anna" and written.overview is None


async def test_the_single_answers_only_when_shared(reactions, rounds, hands):
    await anna_fills_in(rounds)
    private = await reactions.ask(ANNA.user_id, shares_answers=False)
    shared = await reactions.ask(ANNA.user_id, shares_answers=True)
    closed = await bo_opens(reactions, private, 10)
    opened = await bo_opens(reactions, shared, 20)
    assert await reactions.their_answers(BO.user_id, closed.request.request_id) is Refusal.STALE
    view = await reactions.their_answers(BO.user_id, opened.request.request_id)
    assert view.overview.profile.answers["lef.4"] == ZEER and view.stale_message_id == 20
    assert await reactions.their_answers(CHRIS.user_id, opened.request.request_id) is (
        Refusal.STALE
    )
    hands.at += timedelta(days=31)
    assert await reactions.their_answers(BO.user_id, opened.request.request_id) is Refusal.STALE


async def test_deleting_a_reaction_received(reactions, rounds, profiles, db_path):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    other = await reactions.ask(ANNA.user_id, shares_answers=False)
    view = await bo_opens(reactions, link)
    rid = view.request.request_id
    assert await reactions.received(ANNA.user_id, rid) is Refusal.STALE  # not answered yet
    await bo_reacts(reactions, rid, remark="Geheim")
    assert (await reactions.received(ANNA.user_id, rid)).colleague_name == "Bo"
    assert await reactions.received(BO.user_id, rid) is Refusal.STALE
    assert await reactions.forget(BO.user_id, rid) is Refusal.STALE
    listed = await reactions.forget(ANNA.user_id, rid)
    assert listed.received == () and listed.has_answers
    assert [r.request_id for r in listed.open] == [other.request.request_id]
    assert await reactions.forget(ANNA.user_id, rid) is Refusal.DUPLICATE
    assert await reactions.received(ANNA.user_id, rid) is Refusal.STALE
    assert (await profiles.overview(ANNA.user_id)).reactions == ()
    assert rows(db_path, "SELECT request_id FROM reaction_requests") == [
        (other.request.request_id,)
    ]


# -- export and /wis -----------------------------------------------------------------------


async def test_each_gets_what_is_theirs_and_each_wis_removes_it(
    reactions, rounds, people, profiles, db_path, hands
):
    await anna_fills_in(rounds)
    answered = await reactions.ask(ANNA.user_id, shares_answers=False)
    await bo_reacts(
        reactions, (await bo_opens(reactions, answered)).request.request_id, remark="Top"
    )
    hands.at = datetime(2026, 11, 3, 12, 0, tzinfo=UTC)
    open_ = await reactions.ask(ANNA.user_id, shares_answers=True)
    anna = await people.export(ANNA.user_id)
    assert anna["reaction_requests"] == [
        {
            "made_at": MADE,
            "valid_until": "2026-12-01T12:00:00+00:00",
            "status": "answered",
            "shares_single_answers": False,
            "reaction": {
                "from": "Bo",
                "recognises_the_picture": "partly",
                "suits_best": ["Lef", "Samenwerken"],
                "could_grow_in": ["Communicatie"],
                "remark": "Top",
                "sent_at": MADE,
            },
        },
        {
            "made_at": "2026-11-03T12:00:00+00:00",
            "valid_until": "2026-12-03T12:00:00+00:00",
            "status": "open",
            "shares_single_answers": True,
            "reaction": None,
        },
    ]
    assert anna["reactions_given"] == []
    bo = await people.export(BO.user_id)
    assert bo["rounds"] == [] and bo["reaction_requests"] == []
    # in Bo's language
    assert bo["reactions_given"] == [
        {
            "status": "answered",
            "for_request_made_at": MADE,
            "recognises_the_picture": "partly",
            "suits_best": ["Courage", "Working together"],
            "could_grow_in": ["Communication"],
            "remark": "Top",
            "sent_at": MADE,
        }
    ]
    # thirty days after it was made, an open request shows as expired
    hands.at = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)
    assert [r["status"] for r in (await people.export(ANNA.user_id))["reaction_requests"]] == [
        "answered",
        "expired",
    ]
    hands.at = datetime(2026, 11, 4, 12, 0, tzinfo=UTC)
    # Bo's /wis: what Bo gave is gone, also from Anna's overview
    assert await people.delete(BO.user_id)
    assert (await profiles.overview(ANNA.user_id)).reactions == ()
    assert b"Top" not in db_path.read_bytes()
    # Anna's /wis: her links stop working
    assert await people.delete(ANNA.user_id)
    assert rows(db_path, "SELECT COUNT(*) FROM reaction_requests") == [(0,)]
    assert await reactions.open_link(CHRIS, open_.code) is Refusal.DEAD


async def test_a_colleague_who_uses_the_bot_keeps_their_language_and_start(
    reactions, rounds, hands, db_path
):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    await rounds.begin(CHRIS)  # Chris started on 1 November, in Dutch
    hands.at = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    view = await reactions.open_link(replace(CHRIS, language="en"), link.code)
    assert rows(
        db_path, "SELECT language, created_at, last_seen_at FROM users WHERE user_id = 3003"
    ) == [("nl", MADE, "2026-11-02T12:00:00+00:00")]
    rid = view.request.request_id
    await reactions.shown(CHRIS.user_id, rid, 5)
    for action in (
        Accept(),
        Recognise(Recognition.YES),
        Pick("lef", True),
        Pick("netwerken", True),
        Next(Step.PICKS),
        Next(Step.GROW),
        Next(Step.REMARK),
    ):
        await reactions.act(CHRIS.user_id, rid, action, 5)
    sent = await reactions.act(CHRIS.user_id, rid, Send(), 5)
    assert sent.colleague_has_rounds is True


async def test_the_remark_goes_where_one_is_asked_not_to_a_newer_step(reactions, rounds, hands):
    await anna_fills_in(rounds)
    first = await reactions.ask(ANNA.user_id, shares_answers=False)
    second = await reactions.ask(ANNA.user_id, shares_answers=False)
    waiting = (await bo_opens(reactions, first, 10)).request.request_id
    picking = (await bo_opens(reactions, second, 30)).request.request_id
    for action in (
        Accept(),
        Recognise(Recognition.YES),
        Pick("lef", True),
        Pick("netwerken", True),
    ):
        await reactions.act(BO.user_id, waiting, action, 10)
        await reactions.act(BO.user_id, picking, action, 30)
    for action in (Next(Step.PICKS), Next(Step.GROW)):
        await reactions.act(BO.user_id, waiting, action, 10)
    written = await reactions.remark(BO.user_id, "Voor de eerste")
    assert written.request.request_id == waiting  # the newer message asks for picks
    # a request that expired while the remark was asked takes no remark
    hands.at += timedelta(days=30)
    assert await reactions.remark(BO.user_id, "Te laat") is Refusal.NOT_WAITING


async def test_the_colleague_sees_the_profile_as_it_is_without_the_earlier_round(
    reactions, rounds, profiles
):
    await anna_fills_in(rounds)
    new = await rounds.ask_new_round(ANNA.user_id)
    rid = new.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    for value in (ZEER, ZEER, ZEER, NIET):  # Lef now suits
        await rounds.answer(ANNA.user_id, value)
    assert (await profiles.overview(ANNA.user_id)).changes != ()  # hers to see
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    view = await bo_opens(reactions, link)
    joined = await reactions.act(BO.user_id, view.request.request_id, Accept(), 10)
    assert joined.overview.changes == ()
    assert [r.verdict.value for r in joined.overview.summary.results if r.answered] == [
        "suits",
        "suits",
    ]


async def test_what_a_colleague_gave_halfway_is_in_their_export(reactions, rounds, people):
    await anna_fills_in(rounds)
    link = await reactions.ask(ANNA.user_id, shares_answers=False)
    await bo_opens(reactions, link)
    (given,) = (await people.export(BO.user_id))["reactions_given"]
    assert given == {
        "status": "claimed",
        "for_request_made_at": MADE,
        "recognises_the_picture": None,
        "suits_best": [],
        "could_grow_in": [],
        "remark": None,
        "sent_at": None,
    }
