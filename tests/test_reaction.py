"""The life of a reaction request (domain/reaction.py): examples worked out by hand, random
sequences of actions checked against the invariants, and the person beside the colleague."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.cards import Cards
from domain.reaction import (
    Accept,
    Given,
    Grow,
    Next,
    Pick,
    ReactionRequest,
    Recognise,
    Recognition,
    Refusal,
    Send,
    Status,
    Step,
    ask,
    beside,
    check_invariants,
)
from domain.scoring import score_competencies

ANNA, BO, CHRIS = 1, 2, 3
MADE = "2026-11-01T12:00:00+00:00"
SOON = "2026-11-02T09:30:00+00:00"
LAST_SECOND = "2026-12-01T11:59:59+00:00"  # 30 days after MADE, less one second
EXPIRY = "2026-12-01T12:00:00+00:00"
COMPETENCIES = (
    "signaleren",
    "sensitiviteit",
    "communicatie",
    "lef",
    "creativiteit",
    "onderhandelen",
    "overtuigingskracht",
    "netwerken",
    "samenwerken",
    "zelfreflectie",
    "stressbestendigheid",
    "politiek",
)
LIVE = 40  # the colleague's message with the live buttons


def made(shares_answers: bool = False) -> ReactionRequest:
    request = ask(ANNA, [], MADE, shares_answers=shares_answers, has_answers=True)
    return replace(request, request_id=7)


def act(request: ReactionRequest, action, *, who: int = BO, message: int = LIVE, now=SOON):
    return request.act(COMPETENCIES, who, action, message, now)


def claimed() -> ReactionRequest:
    """Opened by Bo, and the introduction shown as the live message."""
    return made().open_by(BO, SOON).shown(BO, LIVE)


def at(step: Step) -> ReactionRequest:
    """Bo, at ``step``: Deels, Lef and Netwerken (picked at the picks step), no growth, no
    remark."""
    request = claimed()
    for action in (
        Accept(),
        Recognise(Recognition.PARTLY),
        Pick("netwerken", True),
        Pick("lef", True),
        Next(Step.PICKS),
        Next(Step.GROW),
        Next(Step.REMARK),
    ):
        if request.step is step and not isinstance(action, Pick):
            return request
        request = act(request, action)
    assert request.step is step
    return request


# -- asking -------------------------------------------------------------------------------------


def test_a_request_is_valid_for_30_days_and_starts_open():
    request = ask(ANNA, [], MADE, shares_answers=True, has_answers=True)
    assert request == ReactionRequest(None, ANNA, MADE, EXPIRY, True)
    assert request.status is Status.OPEN
    assert request.is_live(LAST_SECOND)
    assert not request.is_live(EXPIRY)


def test_nothing_to_show_before_anything_is_answered():
    assert ask(ANNA, [], MADE, shares_answers=False, has_answers=False) is Refusal.NOTHING_TO_SHOW


def test_at_most_five_links_work_at_once():
    five = [replace(made(), request_id=n) for n in range(5)]
    assert ask(ANNA, five, SOON, shares_answers=False, has_answers=True) is Refusal.TOO_MANY
    # an answered and a withdrawn one no longer work: three open, so a fourth may be made
    answered = replace(five[0], status=Status.ANSWERED)
    mixed = [answered, five[1].withdraw(ANNA, SOON), *five[2:]]
    assert ask(ANNA, mixed, SOON, shares_answers=False, has_answers=True) == ReactionRequest(
        None, ANNA, SOON, "2026-12-02T09:30:00+00:00", False
    )
    # nor do expired ones, from the second they expire
    assert ask(ANNA, five, LAST_SECOND, shares_answers=False, has_answers=True) is (
        Refusal.TOO_MANY
    )
    assert isinstance(
        ask(ANNA, five, EXPIRY, shares_answers=False, has_answers=True), ReactionRequest
    )
    # other people's requests do not count; one being answered does
    others = [replace(r, asker_id=BO) for r in five]
    assert isinstance(
        ask(ANNA, others, SOON, shares_answers=False, has_answers=True), ReactionRequest
    )
    four_and_claimed = [*five[:4], five[4].open_by(BO, SOON)]
    assert ask(ANNA, four_and_claimed, SOON, shares_answers=False, has_answers=True) is (
        Refusal.TOO_MANY
    )


# -- opening the link ---------------------------------------------------------------------------


def test_the_first_colleague_who_opens_it_claims_it():
    request = made().open_by(BO, SOON)
    assert (request.status, request.colleague_id, request.step) == (
        Status.CLAIMED,
        BO,
        Step.INTRO,
    )
    assert request.open_by(CHRIS, SOON) is Refusal.DEAD
    assert request.open_by(BO, SOON) is request  # Bo again: on where Bo was


def test_nobody_reacts_to_their_own_link():
    assert made().open_by(ANNA, SOON) is Refusal.OWN_LINK
    assert made().open_by(ANNA, EXPIRY) is Refusal.DEAD  # a dead link says only that


def test_expired_withdrawn_declined_and_answered_links_are_dead_for_everyone_else():
    assert made().open_by(BO, EXPIRY) is Refusal.DEAD
    assert made().open_by(BO, LAST_SECOND).status is Status.CLAIMED
    assert made().withdraw(ANNA, SOON).open_by(BO, SOON) is Refusal.DEAD
    declined = claimed().decline(BO, LIVE, SOON)
    assert declined.open_by(BO, SOON) is Refusal.DEAD  # Bo said no: Bo is not kept either
    answered = act(at(Step.REVIEW), Send())
    assert answered.open_by(CHRIS, SOON) is Refusal.DEAD
    assert answered.open_by(BO, SOON) is Refusal.ALREADY_SENT
    assert answered.open_by(BO, EXPIRY) is Refusal.ALREADY_SENT
    assert act(answered, Send()) is Refusal.DUPLICATE  # "Versturen" twice
    assert act(answered, Send(), who=CHRIS) is Refusal.STALE


# -- the colleague's steps ----------------------------------------------------------------------


def test_the_steps_in_order_and_what_is_sent():
    request = act(claimed(), Accept())
    assert request.step is Step.RECOGNISE
    request = act(request, Recognise(Recognition.PARTLY))
    assert (request.step, request.given.recognition) == (Step.PICKS, Recognition.PARTLY)
    request = act(act(request, Pick("netwerken", True)), Pick("lef", True))
    assert request.given.picks == ("lef", "netwerken")  # brochure order
    request = act(request, Next(Step.PICKS))
    assert request.step is Step.GROW
    request = act(act(request, Grow("samenwerken", True)), Grow("communicatie", True))
    assert request.given.grow == "communicatie"  # one at most: the newest
    request = act(request, Next(Step.GROW))
    assert request.step is Step.REMARK
    request = request.write_remark(BO, "  Je luistert goed.\n", SOON)
    assert (request.step, request.given.remark) == (Step.REVIEW, "Je luistert goed.")
    sent = act(request, Send())
    assert sent == replace(
        request,
        status=Status.ANSWERED,
        step=None,
        message_id=None,
        answered_at=SOON,
    )
    assert sent.given == Given(
        Recognition.PARTLY, ("lef", "netwerken"), "communicatie", "Je luistert goed."
    )


def test_two_picks_exactly():
    request = act(at(Step.PICKS), Pick("lef", False))
    assert act(request, Next(Step.PICKS)) is Refusal.TOO_FEW
    request = act(request, Pick("communicatie", True))
    assert act(request, Pick("samenwerken", True)) is Refusal.FULL
    assert act(request, Pick("netwerken", True)) is Refusal.DUPLICATE
    assert act(request, Pick("lef", False)) is Refusal.DUPLICATE
    assert act(request, Pick("bestaatniet", True)) is Refusal.STALE
    assert act(request, Next(Step.PICKS)).step is Step.GROW


def test_one_to_grow_at_most_and_not_one_of_the_picks():
    request = at(Step.GROW)
    assert act(request, Grow("lef", True)) is Refusal.STALE  # picked as a quality
    assert act(request, Grow("samenwerken", False)) is Refusal.DUPLICATE
    request = act(request, Grow("samenwerken", True))
    assert act(request, Grow("samenwerken", True)) is Refusal.DUPLICATE
    assert act(request, Grow("samenwerken", False)).given.grow is None


def test_a_tap_of_a_step_already_done_is_a_double_tap_and_a_later_one_is_stale():
    request = at(Step.PICKS)
    assert act(request, Recognise(Recognition.NO)) is Refusal.DUPLICATE
    assert act(request, Accept()) is Refusal.DUPLICATE
    assert act(request, Next(Step.GROW)) is Refusal.STALE
    assert act(request, Send()) is Refusal.STALE
    grow = act(request, Next(Step.PICKS))
    assert act(grow, Next(Step.PICKS)) is Refusal.DUPLICATE  # "Klaar" tapped twice


def test_only_the_live_message_of_the_colleague_who_claimed_it_acts():
    request = at(Step.RECOGNISE)
    assert act(request, Recognise(Recognition.YES), message=LIVE - 1) is Refusal.STALE
    assert act(request, Recognise(Recognition.YES), who=CHRIS) is Refusal.STALE
    assert act(request, Recognise(Recognition.YES), who=ANNA) is Refusal.STALE
    assert act(request, Recognise(Recognition.YES), now=EXPIRY) is Refusal.DEAD
    assert made().act(COMPETENCIES, BO, Accept(), LIVE, SOON) is Refusal.STALE  # not opened
    moved = request.shown(BO, LIVE + 5)
    assert act(moved, Recognise(Recognition.YES)) is Refusal.STALE
    assert act(moved, Recognise(Recognition.YES), message=LIVE + 5).step is Step.PICKS
    assert request.shown(CHRIS, LIVE + 5) is Refusal.STALE
    assert made().shown(BO, LIVE) is Refusal.STALE


def test_the_remark_is_asked_text_of_at_most_1000_characters():
    assert at(Step.PICKS).write_remark(BO, "Goed", SOON) is Refusal.NOT_WAITING
    request = at(Step.REMARK)
    assert request.write_remark(CHRIS, "Goed", SOON) is Refusal.NOT_WAITING
    assert request.write_remark(BO, "Goed", EXPIRY) is Refusal.NOT_WAITING
    assert request.write_remark(BO, " \n ", SOON) is Refusal.NOT_WAITING
    assert request.write_remark(BO, "x" * 1001, SOON) is Refusal.TOO_LONG
    assert request.write_remark(BO, " " + "x" * 1000 + " ", SOON).given.remark == "x" * 1000
    review = request.write_remark(BO, "Eerst", SOON)
    assert review.write_remark(BO, "Toch anders", SOON).given.remark == "Toch anders"
    assert act(request, Next(Step.REMARK)) == replace(request, step=Step.REVIEW)


def test_saying_no_keeps_nothing_of_the_colleague():
    for step in (Step.INTRO, Step.PICKS, Step.REVIEW):
        declined = at(step).decline(BO, LIVE, SOON)
        assert declined == replace(made(), status=Status.DECLINED)
    assert at(Step.INTRO).decline(CHRIS, LIVE, SOON) is Refusal.STALE
    assert at(Step.INTRO).decline(BO, LIVE + 1, SOON) is Refusal.STALE
    assert at(Step.INTRO).decline(BO, LIVE, EXPIRY) is Refusal.DEAD
    declined = at(Step.INTRO).decline(BO, LIVE, SOON)
    assert declined.decline(BO, LIVE, SOON) is Refusal.STALE  # nobody's any more


# -- the person who asked -----------------------------------------------------------------------


def test_withdrawing_kills_the_link_and_what_was_given_halfway():
    request = replace(at(Step.GROW), colleague_name="Bo")  # as read with the colleague's name
    withdrawn = request.withdraw(ANNA, SOON)
    assert withdrawn == replace(made(), status=Status.WITHDRAWN)
    assert withdrawn.withdraw(ANNA, SOON) is Refusal.DUPLICATE
    assert request.withdraw(BO, SOON) is Refusal.STALE  # not Bo's to withdraw
    assert request.withdraw(ANNA, EXPIRY) is Refusal.STALE  # expired: not listed any more
    assert act(at(Step.REVIEW), Send()).withdraw(ANNA, SOON) is Refusal.STALE


def test_only_a_reaction_received_can_be_deleted_by_the_person_it_was_for():
    answered = act(at(Step.REVIEW), Send())
    assert answered.may_forget(ANNA) is None
    assert answered.may_forget(BO) is Refusal.STALE
    assert at(Step.REVIEW).may_forget(ANNA) is Refusal.STALE
    assert made().may_forget(ANNA) is Refusal.STALE


# -- beside ------------------------------------------------------------------------------------


def test_beside_agreement_and_what_the_colleague_adds(instrument):
    # Lef 1 of 4 Zeer/Meestal (to develop), Netwerken 4 of 4 (suits), Samenwerken 2-2.
    answers = {"lef.1": 4, "lef.2": 3, "lef.3": 1, "lef.4": 4}
    answers |= {f"netwerken.{n}": 1 for n in range(1, 5)}
    answers |= {"samenwerken.1": 2, "samenwerken.2": 1, "samenwerken.3": 3, "samenwerken.4": 4}
    results = score_competencies(instrument, answers)
    request = act(act(at(Step.GROW), Grow("samenwerken", True)), Next(Step.GROW))
    sent = act(act(request, Next(Step.REMARK)), Send())
    b = beside(sent, results, Cards())
    assert (b.agree, b.new, b.grow_agrees) == (("netwerken",), ("lef",), True)
    # Lef among her strength cards: she sees it too; Samenwerken suits by her answers now
    cards = Cards(strong=("lef",))
    assert beside(sent, results, cards).agree == ("lef", "netwerken")
    growing_elsewhere = replace(sent, given=replace(sent.given, grow="politiek"))
    assert beside(growing_elsewhere, results, Cards()).grow_agrees is False  # not answered
    assert beside(growing_elsewhere, results, Cards(grow=("politiek",))).grow_agrees is True
    no_grow = replace(sent, given=replace(sent.given, grow=None))
    assert beside(no_grow, results, Cards()).grow_agrees is False


# -- the invariant check ---------------------------------------------------------------------

TWO = ("lef", "netwerken")
PARTLY = Recognition.PARTLY


def claimed_at(step: Step, **given) -> ReactionRequest:
    """A claimed request at ``step`` with exactly ``given``, made by hand (not by the steps)."""
    return replace(made(), status=Status.CLAIMED, colleague_id=BO, step=step, given=Given(**given))


def answered(**changes) -> ReactionRequest:
    request = replace(
        made(),
        status=Status.ANSWERED,
        colleague_id=BO,
        given=Given(PARTLY, TWO, "samenwerken", "Goed"),
        answered_at=SOON,
    )
    return replace(request, **changes)


@pytest.mark.parametrize(
    "request_",
    [
        made(),
        made().withdraw(ANNA, SOON),
        claimed_at(Step.INTRO),
        claimed_at(Step.RECOGNISE),
        claimed_at(Step.PICKS, recognition=PARTLY, picks=("lef",)),
        claimed_at(Step.GROW, recognition=PARTLY, picks=TWO, grow="samenwerken"),
        claimed_at(Step.REMARK, recognition=PARTLY, picks=TWO),
        claimed_at(Step.REVIEW, recognition=PARTLY, picks=TWO, remark="x" * 1000),
        claimed_at(Step.REVIEW, recognition=PARTLY, picks=TWO, remark="x"),
        answered(),
        answered(given=Given(PARTLY, TWO)),
    ],
)
def test_the_invariant_check_lets_sound_requests_pass(request_):
    check_invariants(request_, COMPETENCIES)


def test_picks_may_be_every_competency_there_is():
    """An instrument of only the two picked competencies: the picks are all of them."""
    check_invariants(claimed_at(Step.GROW, recognition=PARTLY, picks=TWO), TWO)


@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(claimed_at(Step.GROW, recognition=PARTLY, picks=("lef", "lef")), id="twice"),
        pytest.param(
            claimed_at(Step.GROW, recognition=PARTLY, picks=("lef", "netwerken", "politiek")),
            id="three-picks",
        ),
        pytest.param(
            claimed_at(Step.GROW, recognition=PARTLY, picks=("lef", "bestaatniet")),
            id="unknown-pick",
        ),
        pytest.param(
            claimed_at(Step.GROW, recognition=PARTLY, picks=TWO, grow="bestaatniet"),
            id="unknown-grow",
        ),
        pytest.param(
            claimed_at(Step.GROW, recognition=PARTLY, picks=TWO, grow="lef"), id="grow-a-pick"
        ),
        pytest.param(
            claimed_at(Step.REVIEW, recognition=PARTLY, picks=TWO, remark=""), id="empty-remark"
        ),
        pytest.param(
            claimed_at(Step.REVIEW, recognition=PARTLY, picks=TWO, remark="x" * 1001),
            id="long-remark",
        ),
        pytest.param(replace(made(), expires_at=MADE), id="expires-when-made"),
        pytest.param(replace(made(), colleague_id=BO), id="open-with-colleague"),
        pytest.param(replace(made(), given=Given(picks=("lef",))), id="open-with-a-pick"),
        pytest.param(
            replace(made(), status=Status.WITHDRAWN, step=Step.PICKS), id="withdrawn-with-a-step"
        ),
        pytest.param(
            replace(made(), status=Status.DECLINED, message_id=LIVE), id="declined-with-a-message"
        ),
        pytest.param(replace(made(), answered_at=SOON), id="open-and-answered"),
        pytest.param(replace(claimed_at(Step.INTRO), colleague_id=None), id="claimed-by-nobody"),
        pytest.param(replace(claimed_at(Step.INTRO), step=None), id="claimed-without-a-step"),
        pytest.param(replace(claimed_at(Step.INTRO), answered_at=SOON), id="claimed-answered"),
        pytest.param(claimed_at(Step.RECOGNISE, recognition=PARTLY), id="recognised-too-soon"),
        pytest.param(claimed_at(Step.PICKS), id="picks-without-recognition"),
        pytest.param(
            claimed_at(Step.REMARK, recognition=PARTLY, picks=("lef",)), id="one-pick-past-picks"
        ),
        pytest.param(
            claimed_at(Step.PICKS, recognition=PARTLY, grow="samenwerken"), id="grow-too-soon"
        ),
        pytest.param(claimed_at(Step.RECOGNISE, picks=("lef",)), id="picked-too-soon"),
        pytest.param(
            claimed_at(Step.REMARK, recognition=PARTLY, picks=TWO, remark="Al"),
            id="remark-before-review",
        ),
        pytest.param(answered(answered_at=None), id="answered-without-time"),
        pytest.param(answered(colleague_id=None), id="answered-by-nobody"),
        pytest.param(answered(given=Given(None, TWO)), id="answered-without-recognition"),
        pytest.param(answered(given=Given(PARTLY, ("lef",))), id="answered-with-one-pick"),
        pytest.param(answered(step=Step.REVIEW), id="answered-with-a-step"),
        pytest.param(answered(message_id=LIVE), id="answered-with-a-live-message"),
    ],
)
def test_the_invariant_check_catches_broken_requests(request_):
    with pytest.raises(AssertionError):
        check_invariants(request_, COMPETENCIES)


# -- random sequences ------------------------------------------------------------------------


actions = st.one_of(
    st.tuples(st.just("open"), st.sampled_from([ANNA, BO, CHRIS])),
    st.tuples(st.just("shown"), st.sampled_from([BO, CHRIS]), st.integers(LIVE, LIVE + 2)),
    st.tuples(st.just("accept"), st.integers(LIVE, LIVE + 2)),
    st.tuples(st.just("recognise"), st.sampled_from(list(Recognition))),
    st.tuples(st.just("pick"), st.sampled_from(COMPETENCIES[:5]), st.booleans()),
    st.tuples(st.just("grow"), st.sampled_from(COMPETENCIES[:5]), st.booleans()),
    st.tuples(st.just("next"), st.sampled_from(list(Step))),
    st.tuples(st.just("remark"), st.sampled_from(["", "Goed", "x" * 1001, "y" * 1000])),
    st.tuples(st.just("send"), st.sampled_from([SOON, EXPIRY])),
    st.tuples(st.just("decline"), st.sampled_from([BO, CHRIS])),
    st.tuples(st.just("withdraw"), st.sampled_from([ANNA, BO])),
)


def _apply(request: ReactionRequest, action: tuple):
    kind = action[0]
    if kind == "open":
        return request.open_by(action[1], SOON)
    if kind == "shown":
        return request.shown(action[1], action[2])
    if kind == "accept":
        return act(request, Accept(), message=action[1])
    if kind == "recognise":
        return act(request, Recognise(action[1]))
    if kind == "pick":
        return act(request, Pick(action[1], action[2]))
    if kind == "grow":
        return act(request, Grow(action[1], action[2]))
    if kind == "next":
        return act(request, Next(action[1]))
    if kind == "remark":
        return request.write_remark(BO, action[1], SOON)
    if kind == "send":
        return act(request, Send(), now=action[1])
    if kind == "decline":
        return request.decline(action[1], LIVE, SOON)
    return request.withdraw(action[1], SOON)


ENDED = (Status.ANSWERED, Status.DECLINED, Status.WITHDRAWN)


@settings(max_examples=400, deadline=None)
@given(st.lists(actions, max_size=40))
def test_random_actions_keep_every_invariant(sequence):
    request = made()
    for action in sequence:
        before = request
        result = _apply(request, action)
        if isinstance(result, Refusal):
            continue  # a refusal is a value, not a changed request
        request = result
        check_invariants(request, COMPETENCIES)
        # the code's life: an ended request never comes back; nobody but the first keeps it
        if before.status in ENDED:
            assert request.status is before.status
        if before.colleague_id is not None and request.colleague_id is not None:
            assert request.colleague_id == before.colleague_id
        assert request.colleague_id != ANNA
        # only a send answers, only the asker withdraws, only the colleague declines
        if request.status is not before.status:
            assert (action[0], request.status) in {
                ("open", Status.CLAIMED),
                ("send", Status.ANSWERED),
                ("withdraw", Status.WITHDRAWN),
                ("decline", Status.DECLINED),
            }
        assert (request.created_at, request.expires_at) == (before.created_at, before.expires_at)
