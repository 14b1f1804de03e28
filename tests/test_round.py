"""The life of a round (domain/round.py): examples worked out by hand, and random sequences of
actions checked against the invariants."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from domain.round import (
    Answered,
    Refusal,
    Round,
    RoundStatus,
    Started,
    check_invariants,
)

NOW = "2026-11-29T12:00:00+00:00"
LATER = "2026-11-29T12:05:00+00:00"


def fresh() -> Round:
    return Round(round_id=7, user_id=1, number=1, status=RoundStatus.CHOOSING, started_at=NOW)


def started(instrument, *competencies: str) -> Round:
    round_ = fresh()
    for cid in competencies:
        round_ = round_.pick(instrument, cid, True)
    result = round_.start(instrument)
    assert isinstance(result, Started)
    return result.round


def answered(instrument, round_: Round, *values: int) -> Round:
    for value in values:
        result = round_.answer(instrument, value, None, NOW)
        assert isinstance(result, Answered)
        round_ = result.round
    return round_


# -- examples ----------------------------------------------------------------------------


def test_picking_keeps_brochure_order_and_is_a_set_not_a_toggle(instrument):
    round_ = fresh().pick(instrument, "netwerken", True).pick(instrument, "lef", True)
    assert round_.picked == ("lef", "netwerken")
    assert round_.pick(instrument, "lef", True) is Refusal.DUPLICATE
    assert round_.pick(instrument, "lef", False).picked == ("netwerken",)
    assert round_.pick(instrument, "bestaatniet", True) is Refusal.EXPIRED
    assert round_.status is RoundStatus.CHOOSING and round_.selection == ()


def test_starting_nothing_is_refused(instrument):
    assert fresh().start(instrument) is Refusal.EMPTY_CHOICE


def test_start_everything_asks_signaleren_1_first(instrument):
    result = fresh().start(instrument, everything=True)
    assert result.first.statement.id == "signaleren.1"
    assert result.first.total == 48 and not result.first.has_previous
    assert result.round.status is RoundStatus.ANSWERING
    assert result.round.start(instrument) is Refusal.DUPLICATE


def test_the_last_answer_completes_the_round_with_its_time(instrument):
    round_ = answered(instrument, started(instrument, "lef"), 1, 2, 3)
    assert round_.status is RoundStatus.ANSWERING and round_.completed_at is None
    result = round_.answer(instrument, 4, "lef.4", LATER)
    assert result.next is None and result.finished_competency is None
    assert result.round.status is RoundStatus.COMPLETE
    assert result.round.completed_at == LATER
    assert result.round.values() == {"lef.1": 1, "lef.2": 2, "lef.3": 3, "lef.4": 4}


def test_finishing_a_competency_with_more_to_come_says_so(instrument):
    round_ = answered(instrument, started(instrument, "lef", "netwerken"), 1, 1, 1)
    result = round_.answer(instrument, 1, "lef.4", NOW)
    assert result.finished_competency.id == "lef"
    assert result.next.statement.id == "netwerken.1"


def test_a_tap_is_applied_only_to_its_own_statement(instrument):
    round_ = answered(instrument, started(instrument, "lef"), 2)
    assert round_.answer(instrument, 2, "lef.1", NOW) is Refusal.DUPLICATE
    assert round_.answer(instrument, 3, "lef.1", NOW) is Refusal.NOT_OPEN
    assert round_.answer(instrument, 1, "lef.3", NOW) is Refusal.EXPIRED  # not asked yet
    assert round_.answer(instrument, 9, "lef.2", NOW) is Refusal.EXPIRED
    assert round_.answer(instrument, 1, "lef.2", NOW).position.statement.id == "lef.2"


def test_vorige_reopens_the_one_before_and_then_goes_on_where_you_were(instrument):
    round_ = answered(instrument, started(instrument, "lef"), 1, 2)
    assert round_.go_back(instrument, "lef.2") is Refusal.NOT_OPEN  # not the open one
    reopened = round_.go_back(instrument, "lef.3")
    assert reopened.position.statement.id == "lef.2" and reopened.current == 2
    assert reopened.round.prompt(instrument).current == 2
    # the same answer again on the re-opened statement is a real answer, not a double tap
    again = reopened.round.answer(instrument, 2, "lef.2", LATER)
    assert again.next.statement.id == "lef.3" and again.round.cursor is None
    first = started(instrument, "lef")
    assert first.go_back(instrument, "lef.1") is Refusal.EXPIRED  # no Vorige there


def test_controls_count_only_on_the_live_statement_message(instrument):
    round_ = started(instrument, "lef")
    shown = round_.shown(instrument, "lef.1", 40)
    assert shown.prompt_message_id == 40
    assert round_.shown(instrument, "lef.2", 41) is Refusal.NOT_OPEN
    assert shown.check_control(instrument, "lef.1", 39) is Refusal.DUPLICATE
    paused = shown.pause(instrument, "lef.1", 40)
    assert paused.prompt_message_id is None
    assert paused.pause(instrument, "lef.1", 40) is Refusal.DUPLICATE  # a double tap


def test_picking_more_in_a_complete_round_leaves_it_complete(instrument):
    """The bug: a complete round went back to choosing, and lost its completion time, when a
    competency was switched on and off again."""
    done = answered(instrument, started(instrument, "lef"), 1, 1, 1, 1)
    assert done.status is RoundStatus.COMPLETE
    on = done.pick(instrument, "netwerken", True)
    off = on.pick(instrument, "netwerken", False)
    for round_ in (on, off):
        assert round_.status is RoundStatus.COMPLETE and round_.completed_at == NOW
    assert off.start(instrument) is Refusal.NOTHING_NEW
    assert done.pick(instrument, "lef", False) is Refusal.ALREADY_DONE
    result = on.start(instrument)
    assert result.new == ("netwerken",) and result.first.number == 5 and result.first.total == 8
    assert result.round.completed_at is None and result.round.selection == ("lef", "netwerken")


def test_an_unused_round_can_be_reused(instrument):
    assert fresh().is_unused
    assert fresh().pick(instrument, "lef", True).is_unused
    assert not started(instrument, "lef").is_unused


# -- random sequences against the invariants ----------------------------------------------

COMPETENCIES = [
    "signaleren",
    "lef",
    "netwerken",
    "politiek",
    "bestaatniet",
]
STATEMENTS = ["signaleren.1", "signaleren.4", "lef.1", "lef.2", "netwerken.3", "politiek.4"]

actions = st.one_of(
    st.tuples(st.just("pick"), st.sampled_from(COMPETENCIES), st.booleans()),
    st.tuples(st.just("start"), st.booleans()),
    st.tuples(st.just("answer"), st.integers(0, 5), st.none() | st.sampled_from(STATEMENTS)),
    st.tuples(st.just("answer_open"), st.integers(1, 4)),
    st.tuples(st.just("back"), st.sampled_from(STATEMENTS) | st.just("open")),
    st.tuples(st.just("shown"), st.integers(1, 3)),
    st.tuples(st.just("pause"), st.integers(1, 3)),
)


def _apply(instrument, round_: Round, action: tuple):
    kind = action[0]
    if kind == "pick":
        return round_.pick(instrument, action[1], action[2])
    if kind == "start":
        return round_.start(instrument, everything=action[1])
    if kind == "answer":
        return round_.answer(instrument, action[1], action[2], LATER)
    open_ = round_.open_statement(instrument)
    open_id = open_.id if open_ is not None else "lef.1"
    if kind == "answer_open":
        return round_.answer(instrument, action[1], open_id, LATER)
    if kind == "back":
        return round_.go_back(instrument, open_id if action[1] == "open" else action[1])
    if kind == "shown":
        return round_.shown(instrument, open_id, action[1])
    return round_.pause(instrument, open_id, action[1])


@settings(max_examples=300, deadline=None)
@given(st.lists(actions, max_size=60))
def test_random_actions_keep_every_invariant(instrument, sequence):
    round_ = fresh()
    for action in sequence:
        before = round_
        result = _apply(instrument, round_, action)
        if isinstance(result, Refusal):
            assert round_ == before  # a refusal changes nothing
            continue
        round_ = result if isinstance(result, Round) else result.round
        check_invariants(round_, instrument)
        # no answer is ever lost; answers change only by an answer
        assert set(before.answers) <= set(round_.answers)
        if action[0] not in ("answer", "answer_open"):
            assert round_.answers == before.answers
        # picking never opens or closes a round, nor touches its completion time
        if action[0] == "pick":
            assert (round_.status, round_.completed_at) == (before.status, before.completed_at)
        # a complete round opens again only by an explicit start
        if before.status is RoundStatus.COMPLETE and round_.status is not RoundStatus.COMPLETE:
            assert action[0] == "start"


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=48, max_size=48))
def test_answering_everything_in_any_way_completes_exactly_at_the_last(instrument, values):
    round_ = fresh().start(instrument, everything=True).round
    for number, value in enumerate(values, 1):
        result = round_.answer(instrument, value, None, NOW)
        round_ = result.round
        check_invariants(round_, instrument)
        assert (round_.status is RoundStatus.COMPLETE) == (number == 48)
    assert len(round_.answers) == 48
