"""The Rounds use cases on a real SQLite file: beginning, picking, answering, going back, pausing,
new rounds, and every refusal. Times come from a fixed clock, so stored times are known."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest

from content import load_content
from domain.person import Person
from domain.round import Answered, Prompt, Refusal, Reopened, Round, RoundStatus, Started
from domain.scoring import Verdict
from services.clock import Clock
from services.people import People
from services.profiles import Profiles
from services.rounds import ConfirmNewRound, NewRound, Paused, Rounds, Situation, Visitor
from storage import Database

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
NOON_TEXT = "2026-11-29T12:00:00+00:00"

ANNA = Visitor(1001, "Anna", "nl")
BO = Visitor(2002, "Bo", "nl")
NOBODY = 3003  # never sent /start

# The twelve competencies in brochure order, and their 48 statements, written out by hand.
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
ALL_STATEMENTS = [f"{c}.{i}" for c in COMPETENCIES for i in (1, 2, 3, 4)]


def rows(path, sql: str, *args: object) -> list[tuple]:
    """Read the file the way an outsider would, with a connection of its own (closed again, so
    it never holds up a checkpoint)."""
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(sql, args).fetchall()


def round_rows(path) -> list[tuple]:
    return rows(
        path,
        "SELECT round_id, user_id, number, status, selection, picked, cursor,"
        " prompt_message_id, started_at, completed_at FROM rounds ORDER BY round_id",
    )


def answer_rows(path, round_id: int) -> list[tuple]:
    return rows(
        path,
        "SELECT statement_id, value, answered_at FROM answers WHERE round_id = ?"
        " ORDER BY answered_at, statement_id",
        round_id,
    )


def everything(path) -> list[list[tuple]]:
    return [
        rows(path, "SELECT * FROM users ORDER BY user_id"),
        round_rows(path),
        rows(path, "SELECT * FROM answers ORDER BY round_id, statement_id"),
    ]


class Hands:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime = NOON) -> None:
        self.at = at

    def clock(self) -> Clock:
        return Clock(lambda: self.at)


@pytest.fixture
def rounds(database, instrument) -> Rounds:
    return Rounds(database, instrument, Clock(lambda: NOON))


async def summary_of(rounds: Rounds, user_id: int):
    """The newest round with answers and the summary of the profile, as the overview has
    them; None when nothing is answered."""
    overview = await Profiles(rounds._db, rounds._instrument).overview(user_id)
    return None if overview is None else (overview.round, overview.summary)


async def begin(rounds: Rounds, visitor: Visitor = ANNA) -> Round:
    situation, _ = await rounds.begin(visitor)
    return situation.round


async def start(rounds: Rounds, competencies=None, visitor: Visitor = ANNA) -> Started:
    """Begin and start answering: everything, or the competencies given."""
    round_ = await begin(rounds, visitor)
    if competencies is None:
        started = await rounds.start(visitor.user_id, round_.round_id, everything=True)
    else:
        for cid in competencies:
            assert isinstance(
                await rounds.pick(visitor.user_id, round_.round_id, cid, True), Situation
            )
        started = await rounds.start(visitor.user_id, round_.round_id)
    assert isinstance(started, Started)
    return started


# -- begin -------------------------------------------------------------------------------------


async def test_a_new_person_gets_a_round(rounds, db_path):
    situation, new = await rounds.begin(ANNA)
    assert new is True
    assert situation.person == Person(1001, "Anna", "nl", NOON_TEXT, NOON_TEXT)
    assert situation.round.number == 1
    assert situation.status is RoundStatus.CHOOSING
    assert situation.prompt is None and situation.done == ()
    assert rows(db_path, "SELECT * FROM users") == [
        (1001, "Anna", "nl", NOON_TEXT, NOON_TEXT, None)
    ]
    assert round_rows(db_path) == [(1, 1001, 1, "choosing", "", "", None, None, NOON_TEXT, None)]


async def test_begin_twice_keeps_one_round(database, instrument, db_path):
    hands = Hands()
    rounds = Rounds(database, instrument, hands.clock())
    first, new = await rounds.begin(ANNA)
    assert new is True
    hands.at = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
    again, new = await rounds.begin(Visitor(1001, "Annie", "en"))
    assert new is False
    assert again.round.round_id == first.round.round_id
    # the name follows Telegram, the language stays the one the person has
    assert again.person == Person(1001, "Annie", "nl", NOON_TEXT, "2026-11-30T08:15:00+00:00")
    assert round_rows(db_path) == [(1, 1001, 1, "choosing", "", "", None, None, NOON_TEXT, None)]


async def test_begin_while_answering_shows_where_you_were(rounds):
    started = await start(rounds)
    await rounds.answer(ANNA.user_id, 2)
    situation, new = await rounds.begin(ANNA)
    assert new is False
    assert situation.round.round_id == started.round.round_id
    assert situation.prompt.position.statement.id == "signaleren.2"
    assert situation.prompt.round_id == started.round.round_id


async def test_the_situation_names_a_known_person_even_without_a_round(database, rounds):
    """The use cases never leave a person without a round, but the database could hold one:
    the person is still known, with nothing to show."""
    anna = Person(1001, "Anna", "en", NOON_TEXT, NOON_TEXT)
    async with database.transaction() as tx:
        await tx.people.save(anna)
    situation = await rounds.situation(ANNA.user_id)
    assert situation == Situation(anna, None)


async def test_a_wiped_person_comes_back_only_through_begin(database, rounds, db_path):
    people = People(database, load_content(), Clock(lambda: NOON))
    started = await start(rounds)
    old = started.round.round_id
    await rounds.answer(ANNA.user_id, 1, old, "signaleren.1")
    assert await people.delete(ANNA.user_id) is not None

    situation = await rounds.situation(ANNA.user_id)
    assert situation.person is None and situation.round is None and situation.status is None
    assert await people.seen(ANNA.user_id) is None
    assert await rounds.answer(ANNA.user_id, 2) is Refusal.EXPIRED
    assert await rounds.answer(ANNA.user_id, 2, old, "signaleren.2") is Refusal.EXPIRED
    assert await rounds.start(ANNA.user_id, old, everything=True) is Refusal.EXPIRED
    assert await rounds.ask_new_round(ANNA.user_id) is Refusal.EXPIRED
    assert await summary_of(rounds, ANNA.user_id) is None
    assert everything(db_path) == [[], [], []]

    situation, new = await rounds.begin(ANNA)
    assert new is True
    # a round id is never used twice: the old buttons can never reach the new round
    assert situation.round.round_id == 2 and old == 1
    assert situation.round.number == 1
    assert situation.status is RoundStatus.CHOOSING and situation.round.answers == {}
    assert await rounds.answer(ANNA.user_id, 2, old, "signaleren.1") is Refusal.EXPIRED


# -- answering in order ------------------------------------------------------------------------


async def test_a_full_round_in_order_then_summary(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    assert started.new == COMPETENCIES
    assert started.first.statement.id == "signaleren.1"
    assert (started.first.number, started.first.total) == (1, 48)

    seen, finished = [], []
    position, result = started.first, None
    while position is not None:
        result = await rounds.answer(ANNA.user_id, 2, rid, position.statement.id)
        assert isinstance(result, Answered)
        seen.append((result.position.statement.id, result.position.number))
        if result.finished_competency is not None:
            finished.append(result.finished_competency.id)
        position = result.next
    assert seen == [(sid, number) for number, sid in enumerate(ALL_STATEMENTS, 1)]
    # the last competency is not announced as finished: the round is
    assert finished == list(COMPETENCIES[:-1])
    assert result.next is None and result.round.status is RoundStatus.COMPLETE

    situation = await rounds.situation(ANNA.user_id)
    assert situation.status is RoundStatus.COMPLETE and situation.prompt is None
    assert situation.done == COMPETENCIES
    assert round_rows(db_path) == [
        (
            1,
            1001,
            1,
            "complete",
            "signaleren,sensitiviteit,communicatie,lef,creativiteit,onderhandelen,"
            "overtuigingskracht,netwerken,samenwerken,zelfreflectie,stressbestendigheid,politiek",
            "",
            None,
            None,
            NOON_TEXT,
            NOON_TEXT,
        )
    ]
    assert rows(
        db_path,
        "SELECT COUNT(*), MIN(value), MAX(value), MIN(answered_at), MAX(answered_at) FROM answers",
    ) == [(48, 2, 2, NOON_TEXT, NOON_TEXT)]

    round_, summary = await summary_of(rounds, ANNA.user_id)
    assert round_.round_id == rid
    assert summary.answered == 48
    assert [r.verdict for r in summary.results] == [Verdict.SUITS] * 12
    assert summary.learning_points == ()

    assert await rounds.answer(ANNA.user_id, 3) is Refusal.NOTHING_OPEN
    assert await rounds.start(ANNA.user_id, rid, everything=True) is Refusal.NOTHING_NEW


async def test_a_double_tap_is_applied_once(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    first = await rounds.answer(ANNA.user_id, 1, rid, "signaleren.1")
    assert isinstance(first, Answered)
    assert first.next.statement.id == "signaleren.2"
    assert await rounds.answer(ANNA.user_id, 1, rid, "signaleren.1") is Refusal.DUPLICATE
    # another answer on the old message is not applied to the next statement either
    assert await rounds.answer(ANNA.user_id, 3, rid, "signaleren.1") is Refusal.NOT_OPEN
    assert answer_rows(db_path, rid) == [("signaleren.1", 1, NOON_TEXT)]
    situation = await rounds.situation(ANNA.user_id)
    assert situation.prompt.position.statement.id == "signaleren.2"


async def test_a_button_for_a_statement_further_on_is_not_applied(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    assert await rounds.answer(ANNA.user_id, 1, rid, "signaleren.3") is Refusal.EXPIRED
    assert answer_rows(db_path, rid) == []
    assert (await rounds.situation(ANNA.user_id)).prompt.position.statement.id == "signaleren.1"


async def test_typed_answers_go_to_the_open_statement(rounds, db_path):
    started = await start(rounds)
    first = await rounds.answer(ANNA.user_id, 4)
    assert first.position.statement.id == "signaleren.1"
    assert first.next.statement.id == "signaleren.2"
    second = await rounds.answer(ANNA.user_id, 3)
    assert second.position.statement.id == "signaleren.2"
    assert answer_rows(db_path, started.round.round_id) == [
        ("signaleren.1", 4, NOON_TEXT),
        ("signaleren.2", 3, NOON_TEXT),
    ]
    # a value that is not on the scale is data the bot never made
    assert await rounds.answer(ANNA.user_id, 5) is Refusal.EXPIRED


# -- going back --------------------------------------------------------------------------------


async def test_go_back_reopens_and_then_continues_where_you_were(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    for sid, value in (("signaleren.1", 1), ("signaleren.2", 2), ("signaleren.3", 3)):
        assert isinstance(await rounds.answer(ANNA.user_id, value, rid, sid), Answered)

    back = await rounds.go_back(ANNA.user_id, rid, "signaleren.4")
    assert isinstance(back, Reopened)
    assert back.position.statement.id == "signaleren.3" and back.current == 3
    situation = await rounds.situation(ANNA.user_id)
    assert situation.prompt.position.statement.id == "signaleren.3"
    assert situation.prompt.current == 3

    again = await rounds.go_back(ANNA.user_id, rid, "signaleren.3")
    assert again.position.statement.id == "signaleren.2" and again.current == 2
    assert rows(db_path, "SELECT cursor FROM rounds") == [("signaleren.2",)]
    # the message of signaleren.4 that was live before going back applies to nothing now
    assert await rounds.answer(ANNA.user_id, 1, rid, "signaleren.4") is Refusal.EXPIRED

    changed = await rounds.answer(ANNA.user_id, 4)
    assert changed.position.statement.id == "signaleren.2"
    assert changed.next.statement.id == "signaleren.4"
    assert rows(db_path, "SELECT cursor FROM rounds") == [(None,)]
    # the re-opened message tapped again: a double tap
    assert await rounds.answer(ANNA.user_id, 4, rid, "signaleren.2") is Refusal.DUPLICATE
    assert answer_rows(db_path, rid) == [
        ("signaleren.1", 1, NOON_TEXT),
        ("signaleren.2", 4, NOON_TEXT),
        ("signaleren.3", 3, NOON_TEXT),
    ]
    _, summary = await summary_of(rounds, ANNA.user_id)
    assert [p.statement.id for p in summary.learning_points] == ["signaleren.2", "signaleren.3"]


async def test_go_back_on_the_first_statement_or_a_stale_one_is_refused(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    assert await rounds.go_back(ANNA.user_id, rid, "signaleren.1") is Refusal.EXPIRED
    await rounds.answer(ANNA.user_id, 1, rid, "signaleren.1")
    await rounds.answer(ANNA.user_id, 1, rid, "signaleren.2")
    # the "Vorige" of the signaleren.2 message, which is answered already
    assert await rounds.go_back(ANNA.user_id, rid, "signaleren.2") is Refusal.NOT_OPEN
    assert rows(db_path, "SELECT cursor FROM rounds") == [(None,)]
    assert (await rounds.situation(ANNA.user_id)).prompt.position.statement.id == "signaleren.3"


# -- choosing ----------------------------------------------------------------------------------


async def test_a_partial_choice_asks_only_the_chosen_competencies(rounds, db_path):
    round_ = await begin(rounds)
    rid = round_.round_id
    picked = await rounds.pick(ANNA.user_id, rid, "netwerken", True)
    assert picked.round.picked == ("netwerken",)
    picked = await rounds.pick(ANNA.user_id, rid, "lef", True)
    assert picked.round.picked == ("lef", "netwerken")  # brochure order
    assert picked.status is RoundStatus.CHOOSING

    started = await rounds.start(ANNA.user_id, rid)
    assert started.new == ("lef", "netwerken")
    ids, position = [], started.first
    while position is not None:
        ids.append((position.statement.id, position.number, position.total))
        result = await rounds.answer(ANNA.user_id, 3, rid, position.statement.id)
        position = result.next
    assert ids == [
        ("lef.1", 1, 8),
        ("lef.2", 2, 8),
        ("lef.3", 3, 8),
        ("lef.4", 4, 8),
        ("netwerken.1", 5, 8),
        ("netwerken.2", 6, 8),
        ("netwerken.3", 7, 8),
        ("netwerken.4", 8, 8),
    ]
    situation = await rounds.situation(ANNA.user_id)
    assert situation.status is RoundStatus.COMPLETE and situation.done == ("lef", "netwerken")
    assert round_rows(db_path) == [
        (1, 1001, 1, "complete", "lef,netwerken", "", None, None, NOON_TEXT, NOON_TEXT)
    ]
    _, summary = await summary_of(rounds, ANNA.user_id)
    assert summary.answered == 8


async def test_picking_more_in_a_complete_round_keeps_it_complete(database, instrument, db_path):
    hands = Hands()
    rounds = Rounds(database, instrument, hands.clock())
    started = await start(rounds, ["lef"])
    rid = started.round.round_id
    for minute, sid in enumerate(("lef.1", "lef.2", "lef.3", "lef.4"), 1):
        hands.at = NOON + timedelta(minutes=minute)
        await rounds.answer(ANNA.user_id, 2, rid, sid)
    done_at = "2026-11-29T12:04:00+00:00"
    assert round_rows(db_path) == [
        (1, 1001, 1, "complete", "lef", "", None, None, NOON_TEXT, done_at)
    ]

    hands.at = datetime(2026, 11, 29, 13, 0, tzinfo=UTC)
    assert await rounds.pick(ANNA.user_id, rid, "lef", True) is Refusal.ALREADY_DONE
    assert await rounds.pick(ANNA.user_id, rid, "lef", False) is Refusal.ALREADY_DONE
    assert await rounds.start(ANNA.user_id, rid) is Refusal.NOTHING_NEW

    on = await rounds.pick(ANNA.user_id, rid, "netwerken", True)
    assert on.status is RoundStatus.COMPLETE and on.prompt is None and on.done == ("lef",)
    assert on.round.picked == ("netwerken",) and on.round.completed_at == done_at
    assert round_rows(db_path) == [
        (1, 1001, 1, "complete", "lef", "netwerken", None, None, NOON_TEXT, done_at)
    ]
    off = await rounds.pick(ANNA.user_id, rid, "netwerken", False)
    assert off.status is RoundStatus.COMPLETE and off.round.picked == ()
    assert round_rows(db_path) == [
        (1, 1001, 1, "complete", "lef", "", None, None, NOON_TEXT, done_at)
    ]
    assert await rounds.pick(ANNA.user_id, rid, "netwerken", False) is Refusal.DUPLICATE
    assert await rounds.start(ANNA.user_id, rid) is Refusal.NOTHING_NEW

    await rounds.pick(ANNA.user_id, rid, "politiek", True)
    await rounds.pick(ANNA.user_id, rid, "netwerken", True)
    await rounds.pick(ANNA.user_id, rid, "politiek", False)
    listed = await rounds.pick_list(ANNA.user_id, rid)
    assert listed.status is RoundStatus.COMPLETE and listed.round.picked == ("netwerken",)
    assert round_rows(db_path) == [
        (1, 1001, 1, "complete", "lef", "netwerken", None, None, NOON_TEXT, done_at)
    ]

    more = await rounds.start(ANNA.user_id, rid)
    assert more.new == ("netwerken",)
    assert more.first.statement.id == "netwerken.1"
    assert (more.first.number, more.first.total) == (5, 8)
    assert round_rows(db_path) == [
        (1, 1001, 1, "answering", "lef,netwerken", "", None, None, NOON_TEXT, None)
    ]
    # while answering there is nothing to pick
    assert await rounds.pick(ANNA.user_id, rid, "politiek", True) is Refusal.EXPIRED
    assert await rounds.pick_list(ANNA.user_id, rid) is Refusal.EXPIRED
    assert await rounds.start(ANNA.user_id, rid) is Refusal.DUPLICATE

    for minute, sid in enumerate(("netwerken.1", "netwerken.2", "netwerken.3", "netwerken.4"), 1):
        hands.at = datetime(2026, 11, 29, 13, minute, tzinfo=UTC)
        answered = await rounds.answer(ANNA.user_id, 1, rid, sid)
        assert isinstance(answered, Answered)
    assert round_rows(db_path) == [
        (
            1,
            1001,
            1,
            "complete",
            "lef,netwerken",
            "",
            None,
            None,
            NOON_TEXT,
            "2026-11-29T13:04:00+00:00",
        )
    ]
    assert answer_rows(db_path, rid) == [
        ("lef.1", 2, "2026-11-29T12:01:00+00:00"),
        ("lef.2", 2, "2026-11-29T12:02:00+00:00"),
        ("lef.3", 2, "2026-11-29T12:03:00+00:00"),
        ("lef.4", 2, "2026-11-29T12:04:00+00:00"),
        ("netwerken.1", 1, "2026-11-29T13:01:00+00:00"),
        ("netwerken.2", 1, "2026-11-29T13:02:00+00:00"),
        ("netwerken.3", 1, "2026-11-29T13:03:00+00:00"),
        ("netwerken.4", 1, "2026-11-29T13:04:00+00:00"),
    ]


async def test_starting_with_nothing_picked_is_refused(rounds, db_path):
    rid = (await begin(rounds)).round_id
    assert await rounds.start(ANNA.user_id, rid) is Refusal.EMPTY_CHOICE
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.pick(ANNA.user_id, rid, "lef", False)
    assert await rounds.start(ANNA.user_id, rid) is Refusal.EMPTY_CHOICE
    assert round_rows(db_path) == [(1, 1001, 1, "choosing", "", "", None, None, NOON_TEXT, None)]


async def test_picking_a_competency_the_bot_never_offered_is_refused(rounds):
    rid = (await begin(rounds)).round_id
    assert await rounds.pick(ANNA.user_id, rid, "bestaatniet", True) is Refusal.EXPIRED
    assert await rounds.pick(ANNA.user_id, rid, "lef", False) is Refusal.DUPLICATE


# -- buttons of somebody else or of an old round -------------------------------------------------


async def every_use_case_with_a_round_id(rounds: Rounds, user_id: int, rid: int) -> dict:
    return {
        "start": await rounds.start(user_id, rid),
        "start everything": await rounds.start(user_id, rid, everything=True),
        "pick": await rounds.pick(user_id, rid, "lef", True),
        "pick_list": await rounds.pick_list(user_id, rid),
        "go_back": await rounds.go_back(user_id, rid, "signaleren.2"),
        "explain": await rounds.explain(user_id, rid, "signaleren.2", 700),
        "pause": await rounds.pause(user_id, rid, "signaleren.2", 700),
        "answer": await rounds.answer(user_id, 1, rid, "signaleren.2"),
        "go_on": await rounds.go_on(user_id, rid),
        "new_round": await rounds.new_round(user_id, rid),
    }


ALL_EXPIRED = {
    "start": Refusal.EXPIRED,
    "start everything": Refusal.EXPIRED,
    "pick": Refusal.EXPIRED,
    "pick_list": Refusal.EXPIRED,
    "go_back": Refusal.EXPIRED,
    "explain": Refusal.EXPIRED,
    "pause": Refusal.EXPIRED,
    "answer": Refusal.EXPIRED,
    "go_on": Refusal.EXPIRED,
    "new_round": Refusal.EXPIRED,
}


async def test_buttons_of_another_person_are_refused(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    first = await rounds.answer(ANNA.user_id, 1, rid, "signaleren.1")
    await rounds.shown(Prompt(rid, first.next), 700)
    await start(rounds, ["lef"], BO)
    before = everything(db_path)

    assert await every_use_case_with_a_round_id(rounds, BO.user_id, rid) == ALL_EXPIRED
    assert await every_use_case_with_a_round_id(rounds, NOBODY, rid) == ALL_EXPIRED
    # a round id the bot never made
    assert await every_use_case_with_a_round_id(rounds, ANNA.user_id, 999) == ALL_EXPIRED
    assert everything(db_path) == before


async def test_buttons_of_an_old_round_are_refused(rounds, db_path):
    started = await start(rounds)
    old = started.round.round_id
    first = await rounds.answer(ANNA.user_id, 1, old, "signaleren.1")
    await rounds.shown(Prompt(old, first.next), 700)
    new = await rounds.new_round(ANNA.user_id, old)
    assert isinstance(new, NewRound)
    before = everything(db_path)

    # new_round of the old round once more is the double tap of the button that made this one
    assert await every_use_case_with_a_round_id(rounds, ANNA.user_id, old) == {
        **ALL_EXPIRED,
        "new_round": Refusal.DUPLICATE,
    }
    assert everything(db_path) == before


async def test_a_new_round_keeps_the_old_one_and_a_second_tap_is_a_duplicate(rounds, db_path):
    started = await start(rounds)
    r1 = started.round.round_id
    first = await rounds.answer(ANNA.user_id, 1, r1, "signaleren.1")
    await rounds.shown(Prompt(r1, first.next), 700)

    new = await rounds.new_round(ANNA.user_id, r1)
    assert isinstance(new, NewRound)
    assert new.stale_message_id == 700  # the handler takes the buttons off that message
    assert (new.round.round_id, new.round.number, new.round.status) == (
        2,
        2,
        RoundStatus.CHOOSING,
    )
    assert await rounds.new_round(ANNA.user_id, r1) is Refusal.DUPLICATE
    # the old round is kept as it was, only its statement message is no longer live
    assert round_rows(db_path) == [
        (1, 1001, 1, "answering", ",".join(COMPETENCIES), "", None, None, NOON_TEXT, None),
        (2, 1001, 2, "choosing", "", "", None, None, NOON_TEXT, None),
    ]
    assert answer_rows(db_path, r1) == [("signaleren.1", 1, NOON_TEXT)]
    # the summary is of the newest round with answers: still the first
    round_, summary = await summary_of(rounds, ANNA.user_id)
    assert round_.round_id == r1 and summary.answered == 1

    # once the new round is in use, the first round's button is simply old
    r2 = new.round.round_id
    await rounds.start(ANNA.user_id, r2, everything=True)
    await rounds.answer(ANNA.user_id, 4)
    assert await rounds.new_round(ANNA.user_id, r1) is Refusal.EXPIRED
    third = await rounds.new_round(ANNA.user_id, r2)
    assert (third.round.round_id, third.round.number, third.stale_message_id) == (3, 3, None)
    assert await rounds.new_round(ANNA.user_id, r2) is Refusal.DUPLICATE
    # a button two rounds back is not a double tap
    assert await rounds.new_round(ANNA.user_id, r1) is Refusal.EXPIRED
    assert [r[:4] for r in round_rows(db_path)] == [
        (1, 1001, 1, "answering"),
        (2, 1001, 2, "answering"),
        (3, 1001, 3, "choosing"),
    ]


async def test_ask_new_round_asks_first_while_answering(rounds, db_path):
    assert await rounds.ask_new_round(NOBODY) is Refusal.EXPIRED
    rid = (await begin(rounds)).round_id
    # an unused round is the new round already
    unused = await rounds.ask_new_round(ANNA.user_id)
    assert isinstance(unused, NewRound)
    assert unused.round.round_id == rid and unused.stale_message_id is None

    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    await rounds.answer(ANNA.user_id, 2)
    asked = await rounds.ask_new_round(ANNA.user_id)
    assert isinstance(asked, ConfirmNewRound)
    assert asked.round.round_id == rid
    assert [r[:4] for r in round_rows(db_path)] == [(1, 1001, 1, "answering")]

    # "Nee, ga verder"
    went_on = await rounds.go_on(ANNA.user_id, rid)
    assert went_on.person == Person(1001, "Anna", "nl", NOON_TEXT, NOON_TEXT)
    assert went_on.prompt.position.statement.id == "lef.2"

    for _ in range(3):
        await rounds.answer(ANNA.user_id, 2)
    made = await rounds.ask_new_round(ANNA.user_id)
    assert isinstance(made, NewRound)
    assert (made.round.round_id, made.round.number) == (2, 2)
    # asked again: the new round is unused, so no third one
    again = await rounds.ask_new_round(ANNA.user_id)
    assert again.round.round_id == 2
    assert [r[:4] for r in round_rows(db_path)] == [
        (1, 1001, 1, "complete"),
        (2, 1001, 2, "choosing"),
    ]


# -- the live statement message ------------------------------------------------------------------


async def test_explain_and_pause_only_on_the_live_message(rounds, db_path):
    started = await start(rounds)
    rid = started.round.round_id
    prompt = (await rounds.situation(ANNA.user_id)).prompt
    assert prompt.position.statement.id == "signaleren.1"
    # not shown yet: no message is live
    assert await rounds.explain(ANNA.user_id, rid, "signaleren.1", 500) is Refusal.DUPLICATE

    await rounds.shown(prompt, 500)
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(500,)]
    assert await rounds.explain(ANNA.user_id, rid, "signaleren.1", 499) is Refusal.DUPLICATE
    assert await rounds.explain(ANNA.user_id, rid, "signaleren.2", 500) is Refusal.EXPIRED
    explained = await rounds.explain(ANNA.user_id, rid, "signaleren.1", 500)
    assert explained == Prompt(rid, started.first)
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(500,)]

    assert await rounds.pause(ANNA.user_id, rid, "signaleren.1", 499) is Refusal.DUPLICATE
    paused = await rounds.pause(ANNA.user_id, rid, "signaleren.1", 500)
    assert isinstance(paused, Paused) and paused.round.prompt_message_id is None
    assert paused.offer_reminder  # reminders are on: a reminder is offered
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(None,)]
    assert await rounds.pause(ANNA.user_id, rid, "signaleren.1", 500) is Refusal.DUPLICATE
    assert await rounds.explain(ANNA.user_id, rid, "signaleren.1", 500) is Refusal.DUPLICATE

    # going on later: a new message is live; the answer names it, and it stays the live one
    # until the answer shows on it (released) or the next statement is shown
    prompt = (await rounds.go_on(ANNA.user_id, rid)).prompt
    await rounds.shown(prompt, 501)
    answered = await rounds.answer(ANNA.user_id, 2)
    assert answered.replaced_message_id == 501
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(501,)]
    # a message of a statement the person has moved on from never becomes live
    await rounds.shown(prompt, 502)
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(501,)]
    assert await rounds.explain(ANNA.user_id, rid, "signaleren.1", 502) is Refusal.NOT_OPEN
    await rounds.released(rid, 500)  # not the live one: nothing changes
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(501,)]
    await rounds.released(rid, 501)
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(None,)]
    await rounds.shown(Prompt(rid, answered.next), 503)
    assert rows(db_path, "SELECT prompt_message_id FROM rounds") == [(503,)]


async def test_pausing_after_some_answers_keeps_them(rounds, db_path):
    started = await start(rounds, ["lef"])
    rid = started.round.round_id
    for value in (3, 1):
        await rounds.answer(ANNA.user_id, value)
    prompt = (await rounds.situation(ANNA.user_id)).prompt
    await rounds.shown(prompt, 600)
    paused = await rounds.pause(ANNA.user_id, rid, "lef.3", 600)
    assert isinstance(paused, Paused) and paused.round.prompt_message_id is None
    assert paused.round.values() == {"lef.1": 3, "lef.2": 1}
    assert rows(db_path, "SELECT status, cursor, prompt_message_id FROM rounds") == [
        ("answering", None, None)
    ]
    assert answer_rows(db_path, rid) == [("lef.1", 3, NOON_TEXT), ("lef.2", 1, NOON_TEXT)]


async def test_explain_and_pause_in_a_complete_round_have_nothing_open(rounds):
    started = await start(rounds, ["lef"])
    rid = started.round.round_id
    for _ in range(4):
        await rounds.answer(ANNA.user_id, 1)
    assert await rounds.explain(ANNA.user_id, rid, "lef.4", 500) is Refusal.NOTHING_OPEN
    assert await rounds.pause(ANNA.user_id, rid, "lef.4", 500) is Refusal.NOTHING_OPEN
    assert await rounds.go_back(ANNA.user_id, rid, "lef.4") is Refusal.NOTHING_OPEN


# -- restarts ----------------------------------------------------------------------------------


async def answer_three_and_go_back(rounds: Rounds) -> int:
    started = await start(rounds)
    rid = started.round.round_id
    for sid, value in (("signaleren.1", 1), ("signaleren.2", 2), ("signaleren.3", 3)):
        await rounds.answer(ANNA.user_id, value, rid, sid)
    back = await rounds.go_back(ANNA.user_id, rid, "signaleren.4")
    await rounds.shown(Prompt(rid, back.position, back.current), 42)
    return rid


async def where_you_were(rounds: Rounds, rid: int) -> None:
    situation = await rounds.situation(ANNA.user_id)
    assert situation.person == Person(1001, "Anna", "nl", NOON_TEXT, NOON_TEXT)
    assert situation.round.round_id == rid
    assert situation.prompt.position.statement.id == "signaleren.3"
    assert situation.prompt.current == 3
    assert situation.round.prompt_message_id == 42
    assert situation.round.values() == {"signaleren.1": 1, "signaleren.2": 2, "signaleren.3": 3}
    assert situation.round.started_at == NOON_TEXT
    changed = await rounds.answer(ANNA.user_id, 4)
    assert changed.position.statement.id == "signaleren.3"
    assert changed.next.statement.id == "signaleren.4"


async def test_nothing_lost_when_the_database_is_closed_and_reopened(db_path, instrument):
    database = await Database.open(db_path)
    rid = await answer_three_and_go_back(Rounds(database, instrument, Clock(lambda: NOON)))
    await database.close()

    reopened = await Database.open(db_path)
    try:
        await where_you_were(Rounds(reopened, instrument, Clock(lambda: NOON)), rid)
    finally:
        await reopened.close()


async def test_nothing_lost_when_the_bot_is_killed(db_path, instrument):
    database = await Database.open(db_path)
    rid = await answer_three_and_go_back(Rounds(database, instrument, Clock(lambda: NOON)))
    # no close(): as if the process was killed; a new process opens the same file
    reopened = await Database.open(db_path)
    try:
        await where_you_were(Rounds(reopened, instrument, Clock(lambda: NOON)), rid)
    finally:
        await reopened.close()
        await database.close()
