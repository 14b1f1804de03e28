"""The living profile across rounds, what changed since last time, and the card suggestions,
with expectations worked out by hand."""

from __future__ import annotations

from domain.cards import Cards, suggest
from domain.profile import Change, Entry, before_round, changes, living_answers, living_profile
from domain.round import GivenAnswer, Refusal, Round, RoundStatus
from domain.scoring import Verdict, score_competencies

ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4


def _round(number: int, day: int, **competencies: tuple[int, ...]) -> Round:
    """Round ``number``, answered on ``day`` November 2026, with answers per competency."""
    at = f"2026-11-{day:02d}T12:00:00+00:00"
    answers = {
        f"{cid}.{n}": GivenAnswer(value, at)
        for cid, values in competencies.items()
        for n, value in enumerate(values, 1)
    }
    return Round(
        round_id=number,
        user_id=1,
        number=number,
        status=RoundStatus.COMPLETE,
        started_at=at,
        selection=tuple(competencies),
        answers=answers,
        completed_at=at,
    )


FIRST = _round(1, 1, lef=(NIET, NIET, BEETJE, ZEER), netwerken=(ZEER, ZEER, ZEER, MEESTAL))
SECOND = _round(2, 20, lef=(ZEER, MEESTAL, ZEER, BEETJE))
THIRD = _round(3, 25, netwerken=(NIET, NIET))  # half way: not complete
LEF_FROM_SECOND_NETWERKEN_FROM_FIRST = {
    "lef.1": ZEER,
    "lef.2": MEESTAL,
    "lef.3": ZEER,
    "lef.4": BEETJE,
    "netwerken.1": ZEER,
    "netwerken.2": ZEER,
    "netwerken.3": ZEER,
    "netwerken.4": MEESTAL,
}


def test_a_new_round_replaces_only_what_it_answered(instrument):
    profile = living_profile(instrument, [SECOND, FIRST])
    assert profile.answers == LEF_FROM_SECOND_NETWERKEN_FROM_FIRST
    assert profile.entries == {
        "lef": Entry("lef", 2, "2026-11-20T12:00:00+00:00", True),
        "netwerken": Entry("netwerken", 1, "2026-11-01T12:00:00+00:00", True),
    }


def test_a_competency_half_answered_again_keeps_its_complete_answers(instrument):
    profile = living_profile(instrument, [FIRST, SECOND, THIRD])
    assert profile.entries["netwerken"].round_number == 1
    assert profile.answers["netwerken.1"] == ZEER


def test_a_competency_never_completed_shows_its_newest_answers(instrument):
    profile = living_profile(instrument, [THIRD])
    assert profile.answers == {"netwerken.1": NIET, "netwerken.2": NIET}
    assert profile.entries == {
        "netwerken": Entry("netwerken", 3, "2026-11-25T12:00:00+00:00", False)
    }


def test_the_answers_alone_are_the_living_profiles_answers(instrument):
    """Lef from the second round; netwerken from the first, as the third is half way."""
    assert (
        living_answers(instrument, [THIRD, FIRST, SECOND]) == LEF_FROM_SECOND_NETWERKEN_FROM_FIRST
    )
    assert living_answers(instrument, [THIRD]) == {"netwerken.1": NIET, "netwerken.2": NIET}
    assert living_answers(instrument, []) == {}


def test_what_changed_compares_only_competencies_answered_in_both(instrument):
    """Lef: first 1 of 4 suiting (to develop), now 3 of 4 (suits). Netwerken is not in the
    second round, so it is not compared."""
    before = before_round(instrument, [FIRST, SECOND], 2)
    assert changes(instrument, before.answers, SECOND.values()) == (
        Change("lef", Verdict.DEVELOP, Verdict.SUITS, 1, 3),
    )
    assert changes(instrument, {}, FIRST.values()) == ()  # a first round compares nothing
    (change,) = changes(instrument, before.answers, SECOND.values())
    assert change.changed


def test_one_more_suiting_answer_is_a_change_with_the_same_verdict(instrument):
    """Netwerken 4 of 4 suiting in round 1, 3 of 4 now: it suits both times, yet changed."""
    again = _round(2, 20, netwerken=(ZEER, NIET, ZEER, MEESTAL))
    (change,) = changes(instrument, FIRST.values(), again.values())
    assert change == Change("netwerken", Verdict.SUITS, Verdict.SUITS, 4, 3)
    assert change.changed


def test_an_unchanged_competency_is_reported_as_such(instrument):
    again = _round(2, 20, netwerken=(ZEER, MEESTAL, ZEER, ZEER))
    (change,) = changes(instrument, FIRST.values(), again.values())
    assert change == Change("netwerken", Verdict.SUITS, Verdict.SUITS, 4, 4)
    assert not change.changed


def test_cards_suggest_the_strongest_and_the_ones_to_grow(instrument):
    """Suiting counts: netwerken 4, samenwerken 3, lef 3, politiek 4 (suit); creativiteit 1,
    zelfreflectie 0 (develop); communicatie 2 (half). Strongest first by count, ties in
    brochure order; to grow: develop before half, fewest first."""
    answers = {
        **{f"netwerken.{n}": ZEER for n in range(1, 5)},
        **{f"politiek.{n}": MEESTAL for n in range(1, 5)},
        **dict(zip((f"lef.{n}" for n in range(1, 5)), (ZEER, ZEER, ZEER, NIET), strict=True)),
        **dict(
            zip((f"samenwerken.{n}" for n in range(1, 5)), (NIET, ZEER, ZEER, ZEER), strict=True)
        ),
        **dict(
            zip((f"creativiteit.{n}" for n in range(1, 5)), (NIET, NIET, NIET, ZEER), strict=True)
        ),
        **{f"zelfreflectie.{n}": BEETJE for n in range(1, 5)},
        **dict(
            zip((f"communicatie.{n}" for n in range(1, 5)), (ZEER, ZEER, NIET, NIET), strict=True)
        ),
    }
    cards = suggest(score_competencies(instrument, answers))
    assert cards == Cards(
        strong=("netwerken", "politiek", "lef"),
        grow=("zelfreflectie", "creativiteit", "communicatie"),
    )


def test_cards_are_empty_only_without_any_card(instrument):
    assert Cards().empty
    assert not Cards(("lef",), ()).empty
    assert not Cards((), ("lef",)).empty


def test_choosing_cards_three_of_each_and_never_both(instrument):
    round_ = SECOND.with_cards(Cards(("lef",), ()))
    round_ = round_.choose_card(instrument, "strong", "netwerken", True)
    round_ = round_.choose_card(instrument, "strong", "signaleren", True)
    assert round_.cards.strong == ("signaleren", "lef", "netwerken")  # brochure order
    assert round_.choose_card(instrument, "strong", "politiek", True) is Refusal.FULL
    assert round_.choose_card(instrument, "strong", "lef", True) is Refusal.DUPLICATE
    moved = round_.choose_card(instrument, "grow", "lef", True)
    assert moved.cards == Cards(("signaleren", "netwerken"), ("lef",))
    assert round_.choose_card(instrument, "wish", "lef", True) is Refusal.EXPIRED
    assert round_.choose_card(instrument, "grow", "nope", True) is Refusal.EXPIRED


def test_a_card_picked_up_again_leaves_the_others_lying(instrument):
    round_ = SECOND.with_cards(Cards(("signaleren", "lef", "netwerken"), ("politiek",)))
    picked_up = round_.choose_card(instrument, "strong", "lef", False)
    assert picked_up.cards == Cards(("signaleren", "netwerken"), ("politiek",))
    assert picked_up.choose_card(instrument, "strong", "lef", False) is Refusal.DUPLICATE
