"""The Profiles use cases on a real SQLite file: the overview over the living profile, its
buttons, and the card exercise. The clock is moved by hand, so every stored time is known."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime

from domain.cards import Cards
from domain.profile import Change, Entry, Profile
from domain.round import Answered, Refusal, Started
from domain.scoring import Verdict
from services.rounds import NewRound, Rounds, Visitor
from tests.use_cases import Hands

ANNA = Visitor(1001, "Anna", "nl")
BO = Visitor(2002, "Bo", "nl")
NOBODY = 3003  # never sent /start
NO_ROUND = 999  # a round id the bot never made

ZEER, MEESTAL, BEETJE, NIET = 1, 2, 3, 4
NOV_1 = "2026-11-01T12:00:00+00:00"
NOV_20 = "2026-11-20T12:00:00+00:00"

# Round 1: Lef 1 of 4 Zeer/Meestal waar (to develop), Netwerken 4 of 4 (suits).
LEF_FIRST = {"lef.1": NIET, "lef.2": NIET, "lef.3": BEETJE, "lef.4": ZEER}
NETWERKEN = {"netwerken.1": ZEER, "netwerken.2": ZEER, "netwerken.3": ZEER, "netwerken.4": MEESTAL}
# Round 2, Lef again: 3 of 4 (suits).
LEF_SECOND = {"lef.1": ZEER, "lef.2": MEESTAL, "lef.3": ZEER, "lef.4": BEETJE}


def stored_cards(path) -> list[tuple]:
    """The cards of every round as stored, read with a connection of its own."""
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(
            "SELECT number, cards_strong, cards_grow FROM rounds ORDER BY round_id"
        ).fetchall()


async def fill(rounds: Rounds, round_id: int, *competencies: str, values: tuple[int, ...]) -> None:
    """Anna picks ``competencies`` in round ``round_id``, starts and types ``values``."""
    for cid in competencies:
        await rounds.pick(ANNA.user_id, round_id, cid, True)
    assert isinstance(await rounds.start(ANNA.user_id, round_id), Started)
    for value in values:
        assert isinstance(await rounds.answer(ANNA.user_id, value), Answered)


async def first_round(rounds: Rounds) -> int:
    """Round 1, on 1 November: Lef (to develop) and Netwerken (suits)."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await fill(rounds, rid, "lef", "netwerken", values=(4, 4, 3, 1, 1, 1, 1, 2))
    return rid


async def second_round(rounds: Rounds, hands: Hands) -> int:
    """Round 2, on 20 November: Lef again, now suiting."""
    hands.at = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    new = await rounds.ask_new_round(ANNA.user_id)
    assert isinstance(new, NewRound)
    await fill(rounds, new.round.round_id, "lef", values=(1, 2, 1, 3))
    return new.round.round_id


# -- the overview ------------------------------------------------------------------------------


async def test_no_overview_before_the_first_answer(rounds, profiles):
    assert await profiles.overview(NOBODY) is None
    situation, _ = await rounds.begin(BO)
    assert await profiles.overview(BO.user_id) is None
    # a button of a round with nothing answered was never one of an overview
    assert await profiles.overview(BO.user_id, situation.round.round_id) is Refusal.EXPIRED


async def test_the_overview_of_a_first_round(rounds, profiles):
    first = await first_round(rounds)
    overview = await profiles.overview(ANNA.user_id)
    assert overview.first_name == "Anna"
    assert (overview.round.round_id, overview.round.number) == (first, 1)
    assert overview.profile == Profile(
        {**LEF_FIRST, **NETWERKEN},
        {"lef": Entry("lef", 1, NOV_1, True), "netwerken": Entry("netwerken", 1, NOV_1, True)},
    )
    assert overview.summary.answered == 8
    assert [r.competency.id for r in overview.summary.results if r.suits] == ["netwerken"]
    assert overview.before == Profile({}, {})  # nothing before a first round
    assert overview.changes == ()
    # from a button of this round: the same overview
    assert await profiles.overview(ANNA.user_id, first) == overview


async def test_the_overview_after_a_second_round_compares_it_with_the_profile_before(
    rounds, profiles, hands
):
    first = await first_round(rounds)
    second = await second_round(rounds, hands)
    overview = await profiles.overview(ANNA.user_id)
    assert (overview.round.round_id, overview.round.number) == (second, 2)
    # Lef from round 2, Netwerken still from round 1
    assert overview.profile == Profile(
        {**LEF_SECOND, **NETWERKEN},
        {"lef": Entry("lef", 2, NOV_20, True), "netwerken": Entry("netwerken", 1, NOV_1, True)},
    )
    assert overview.summary.answered == 8
    assert [r.competency.id for r in overview.summary.results if r.suits] == ["lef", "netwerken"]
    assert overview.before == Profile(
        {**LEF_FIRST, **NETWERKEN},
        {"lef": Entry("lef", 1, NOV_1, True), "netwerken": Entry("netwerken", 1, NOV_1, True)},
    )
    assert overview.changes == (Change("lef", Verdict.DEVELOP, Verdict.SUITS, 1, 3),)
    # the first round's buttons are old now; the second round's show the same overview
    assert await profiles.overview(ANNA.user_id, first) is Refusal.EXPIRED
    assert await profiles.overview(ANNA.user_id, second) == overview

    # a third round, nothing answered yet: the overview is still round 2's
    third = await rounds.ask_new_round(ANNA.user_id)
    assert third.round.number == 3
    assert (await profiles.overview(ANNA.user_id)).round.number == 2
    assert await profiles.overview(ANNA.user_id, third.round.round_id) is Refusal.EXPIRED
    assert await profiles.overview(ANNA.user_id, second) == overview


# -- the card exercise -------------------------------------------------------------------------


async def test_the_cards_open_with_the_suggestion_and_keep_the_persons_choice(
    rounds, profiles, hands, db_path
):
    first = await first_round(rounds)
    assert await profiles.open_cards(ANNA.user_id, NO_ROUND, lay_out=True) is Refusal.EXPIRED
    assert stored_cards(db_path) == [(1, "", "")]

    # Netwerken suits, Lef is to develop: the suggestion, laid out and kept
    opened = await profiles.open_cards(ANNA.user_id, first, lay_out=True)
    assert opened.round_id == first
    assert opened.cards == Cards(("netwerken",), ("lef",))
    assert stored_cards(db_path) == [(1, "netwerken", "lef")]

    # the person decides: Lef is a strength after all (and so no longer one to grow)
    chosen = await profiles.choose_card(ANNA.user_id, first, "strong", "lef", True)
    assert chosen.cards == Cards(("lef", "netwerken"), ())
    assert stored_cards(db_path) == [(1, "lef,netwerken", "")]
    assert await profiles.choose_card(ANNA.user_id, first, "strong", "lef", True) is (
        Refusal.DUPLICATE
    )
    assert await profiles.choose_card(ANNA.user_id, NO_ROUND, "grow", "lef", True) is (
        Refusal.EXPIRED
    )
    assert stored_cards(db_path) == [(1, "lef,netwerken", "")]

    # opened again: the person's cards, not the suggestion
    assert (await profiles.open_cards(ANNA.user_id, first, lay_out=True)).cards == Cards(
        ("lef", "netwerken"), ()
    )
    assert stored_cards(db_path) == [(1, "lef,netwerken", "")]

    # once round 2 has answers, round 1's card buttons are old; its cards stay
    await second_round(rounds, hands)
    assert await profiles.open_cards(ANNA.user_id, first, lay_out=True) is Refusal.EXPIRED
    assert await profiles.choose_card(ANNA.user_id, first, "grow", "lef", True) is Refusal.EXPIRED
    assert stored_cards(db_path) == [(1, "lef,netwerken", ""), (2, "", "")]


async def test_no_cards_before_the_first_answer(rounds, profiles, db_path):
    situation, _ = await rounds.begin(BO)
    rid = situation.round.round_id
    assert await profiles.open_cards(BO.user_id, rid, lay_out=True) is Refusal.EXPIRED
    assert await profiles.choose_card(BO.user_id, rid, "strong", "lef", True) is Refusal.EXPIRED
    assert stored_cards(db_path) == [(1, "", "")]


async def test_cards_all_picked_up_stay_picked_up(rounds, profiles):
    """Only Netwerken answered, and it suits: the suggestion is Netwerken, nothing to grow. The
    person picks it up and taps "Klaar, volgende", which opens the exercise again for the
    second half: no cards lie there, as the person left it."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await fill(rounds, rid, "netwerken", values=(1, 1, 1, 2))
    assert (await profiles.open_cards(ANNA.user_id, rid, lay_out=True)).cards == Cards(
        ("netwerken",), ()
    )
    picked_up = await profiles.choose_card(ANNA.user_id, rid, "strong", "netwerken", False)
    assert picked_up.cards == Cards((), ())
    assert (await profiles.open_cards(ANNA.user_id, rid, lay_out=False)).cards == Cards((), ())
