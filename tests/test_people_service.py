"""The People use cases on a real SQLite file: being seen, the language, the export, /wis and the
retention rule. The clock is moved by hand, so every stored time is known."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone

import pytest

from services.people import Deleted
from services.profiles import Profiles
from services.rounds import Rounds, Visitor
from tests.use_cases import Hands, rows

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
NOON_TEXT = "2026-11-29T12:00:00+00:00"

ANNA = Visitor(1001, "Anna", "nl")
BO = Visitor(2002, "Bo", "nl")
NOBODY = 3003


@pytest.fixture
def hands() -> Hands:
    return Hands(NOON)


def last_seen(db_path, user_id: int = ANNA.user_id) -> list[tuple]:
    return rows(db_path, "SELECT created_at, last_seen_at FROM users WHERE user_id = ?", user_id)


# -- seen --------------------------------------------------------------------------------------


async def test_seen_says_nothing_of_unknown_people_and_stores_nothing(people, db_path):
    assert await people.seen(NOBODY) is None
    assert rows(db_path, "SELECT * FROM users") == []


async def test_seen_gives_the_language_and_writes_at_most_once_a_day(
    people, rounds, hands, db_path
):
    await rounds.begin(ANNA)
    assert last_seen(db_path) == [(NOON_TEXT, NOON_TEXT)]

    hands.at = datetime(2026, 11, 29, 23, 59, 59, tzinfo=UTC)
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, NOON_TEXT)]

    hands.at = datetime(2026, 11, 30, 0, 0, 0, tzinfo=UTC)
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, "2026-11-30T00:00:00+00:00")]

    hands.at = datetime(2026, 11, 30, 18, 30, tzinfo=UTC)
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, "2026-11-30T00:00:00+00:00")]

    hands.at = datetime(2026, 12, 5, 9, 15, 30, tzinfo=UTC)
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, "2026-12-05T09:15:30+00:00")]

    # the day is the UTC day: 01:00 at UTC+2 is still 5 December 23:00 in UTC
    hands.at = datetime(2026, 12, 6, 1, 0, tzinfo=timezone(timedelta(hours=2)))
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, "2026-12-05T09:15:30+00:00")]

    hands.at = datetime(2026, 12, 6, 3, 0, tzinfo=timezone(timedelta(hours=2)))
    assert await people.seen(ANNA.user_id) == "nl"
    assert last_seen(db_path) == [(NOON_TEXT, "2026-12-06T01:00:00+00:00")]


# -- language ----------------------------------------------------------------------------------


async def test_set_language(people, rounds, db_path):
    await rounds.begin(ANNA)
    assert await people.set_language(ANNA.user_id, "en") is True
    assert await people.seen(ANNA.user_id) == "en"
    assert rows(db_path, "SELECT language FROM users") == [("en",)]

    assert await people.set_language(ANNA.user_id, "de") is False
    assert await people.set_language(ANNA.user_id, "") is False
    assert await people.seen(ANNA.user_id) == "en"

    assert await people.set_language(NOBODY, "en") is False
    assert rows(db_path, "SELECT user_id, language FROM users") == [(1001, "en")]

    # /start again with Telegram in Dutch keeps the language the person chose
    situation, _ = await rounds.begin(ANNA)
    assert situation.person.language == "en"
    assert await people.seen(ANNA.user_id) == "en"

    assert await people.set_language(ANNA.user_id, "nl") is True
    assert await people.seen(ANNA.user_id) == "nl"


# -- export ------------------------------------------------------------------------------------


async def test_export_has_everything_kept_in_time_order(people, rounds, hands):
    assert await people.export(ANNA.user_id) is None
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)

    hands.at = datetime(2026, 11, 29, 12, 1, tzinfo=UTC)
    await rounds.answer(ANNA.user_id, 4, rid, "lef.1")
    hands.at = datetime(2026, 11, 29, 12, 2, tzinfo=UTC)
    await rounds.answer(ANNA.user_id, 1, rid, "lef.2")
    # back twice, to lef.1, and a new answer there: it is now the later one
    await rounds.go_back(ANNA.user_id, rid, "lef.3")
    await rounds.go_back(ANNA.user_id, rid, "lef.2")
    hands.at = datetime(2026, 11, 29, 12, 3, tzinfo=UTC)
    await rounds.answer(ANNA.user_id, 2, rid, "lef.1")
    hands.at = datetime(2026, 11, 29, 12, 4, tzinfo=UTC)
    await rounds.answer(ANNA.user_id, 3, rid, "lef.3")
    hands.at = datetime(2026, 11, 29, 12, 5, tzinfo=UTC)
    await rounds.answer(ANNA.user_id, 1, rid, "lef.4")
    hands.at = datetime(2026, 11, 29, 12, 6, tzinfo=UTC)
    await rounds.pick(ANNA.user_id, rid, "netwerken", True)
    hands.at = datetime(2026, 11, 29, 12, 10, tzinfo=UTC)
    new = await rounds.ask_new_round(ANNA.user_id)
    await rounds.pick(ANNA.user_id, new.round.round_id, "politiek", True)

    assert await people.export(ANNA.user_id) == {
        "person": {
            "user_id": 1001,
            "first_name": "Anna",
            "language": "nl",
            "created_at": NOON_TEXT,
            "last_seen_at": NOON_TEXT,
            "blocked_bot_at": None,
        },
        "reminders": {
            "reminder_asked_for": None,
            "asked_at": None,
            "last_offered_at": None,
            "turned_off_at": None,
            "sent": [],
        },
        "rounds": [
            {
                "number": 1,
                "status": "complete",
                "started_at": NOON_TEXT,
                "completed_at": "2026-11-29T12:05:00+00:00",
                "chosen_competencies": ["Lef", "Netwerken"],
                "cards": {"strengths": [], "to_develop": []},
                "answers": [
                    {
                        "statement_id": "lef.2",
                        "statement": "Ik ben in staat om te improviseren als de situatie daarom"
                        " vraagt.",
                        "answer": "Zeer waar",
                        "answered_at": "2026-11-29T12:02:00+00:00",
                    },
                    {
                        "statement_id": "lef.1",
                        "statement": "Ik vind het leuk om vaste gewoontes of patronen te"
                        " doorbreken.",
                        "answer": "Meestal waar",
                        "answered_at": "2026-11-29T12:03:00+00:00",
                    },
                    {
                        "statement_id": "lef.3",
                        "statement": "Ik durf risico te nemen door een nieuwe aanpak uit te"
                        " proberen.",
                        "answer": "Beetje waar",
                        "answered_at": "2026-11-29T12:04:00+00:00",
                    },
                    {
                        "statement_id": "lef.4",
                        "statement": "Ik gebruik graag humor om verandering teweeg te brengen.",
                        "answer": "Zeer waar",
                        "answered_at": "2026-11-29T12:05:00+00:00",
                    },
                ],
            },
            {
                "number": 2,
                "status": "choosing",
                "started_at": "2026-11-29T12:10:00+00:00",
                "completed_at": None,
                "chosen_competencies": ["Politiek/bestuurlijk inzicht"],
                "cards": {"strengths": [], "to_develop": []},
                "answers": [],
            },
        ],
        "reaction_requests": [],
        "reactions_given": [],
        "teams": [],
    }

    # in the language the person reads
    assert await people.set_language(ANNA.user_id, "en")
    english = await people.export(ANNA.user_id)
    assert english["person"]["language"] == "en"
    assert english["rounds"][0]["chosen_competencies"] == ["Courage", "Networking"]
    assert english["rounds"][0]["answers"][0] == {
        "statement_id": "lef.2",
        "statement": "I am able to improvise when the situation calls for it.",
        "answer": "Very true",
        "answered_at": "2026-11-29T12:02:00+00:00",
    }
    assert english["rounds"][1]["chosen_competencies"] == ["Political/administrative insight"]


async def test_export_lists_answers_of_the_same_second_by_statement(people, rounds):
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    # the clock stands still at noon: all three in the same second, answered 3, 2, 1
    for value in (3, 2, 1):
        await rounds.answer(ANNA.user_id, value)
    (exported,) = (await people.export(ANNA.user_id))["rounds"]
    assert [(a["statement_id"], a["answer"]) for a in exported["answers"]] == [
        ("lef.1", "Beetje waar"),
        ("lef.2", "Meestal waar"),
        ("lef.3", "Zeer waar"),
    ]


async def test_export_keeps_answers_to_statements_the_content_no_longer_has(
    people, rounds, db_path
):
    """Content can change after people answered: what was kept is still exported, with no text
    for a statement that is gone; a competency that is gone has no name to show."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    await rounds.answer(ANNA.user_id, 1)
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute("UPDATE rounds SET selection = 'lef,vroeger' WHERE round_id = ?", (rid,))
        raw.execute(
            "INSERT INTO answers VALUES (?, 'vroeger.2', 4, '2026-11-29T12:00:30+00:00')", (rid,)
        )
    (exported,) = (await people.export(ANNA.user_id))["rounds"]
    assert exported["chosen_competencies"] == ["Lef"]
    assert exported["answers"] == [
        {
            "statement_id": "lef.1",
            "statement": "Ik vind het leuk om vaste gewoontes of patronen te doorbreken.",
            "answer": "Zeer waar",
            "answered_at": NOON_TEXT,
        },
        {
            "statement_id": "vroeger.2",
            "statement": None,
            "answer": "Niet waar",
            "answered_at": "2026-11-29T12:00:30+00:00",
        },
    ]


async def test_export_has_the_cards_by_name_in_the_persons_language(
    people, rounds, database, instrument, clock
):
    """Lef all Zeer waar (suits), Netwerken all Niet waar (to develop): the suggestion laid out
    is Lef to keep and Netwerken to grow."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.pick(ANNA.user_id, rid, "netwerken", True)
    await rounds.start(ANNA.user_id, rid)
    for value in (1, 1, 1, 1, 4, 4, 4, 4):
        await rounds.answer(ANNA.user_id, value)
    await Profiles(database, instrument).open_cards(ANNA.user_id, rid, lay_out=True)
    (exported,) = (await people.export(ANNA.user_id))["rounds"]
    assert exported["cards"] == {"strengths": ["Lef"], "to_develop": ["Netwerken"]}
    assert await people.set_language(ANNA.user_id, "en")
    (english,) = (await people.export(ANNA.user_id))["rounds"]
    assert english["cards"] == {"strengths": ["Courage"], "to_develop": ["Networking"]}


async def test_export_leaves_out_cards_of_competencies_the_content_no_longer_has(
    people, rounds, db_path
):
    """The bug: a card of a competency that is gone made /mijngegevens fail with a KeyError;
    like the chosen competencies, it has no name to show."""
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    await rounds.answer(ANNA.user_id, 1)
    with closing(sqlite3.connect(db_path)) as raw, raw:
        raw.execute(
            "UPDATE rounds SET cards_strong = 'lef,vroeger', cards_grow = 'vroeger'"
            " WHERE round_id = ?",
            (rid,),
        )
    (exported,) = (await people.export(ANNA.user_id))["rounds"]
    assert exported["cards"] == {"strengths": ["Lef"], "to_develop": []}


# -- /wis --------------------------------------------------------------------------------------


def database_bytes(db_path) -> dict[str, bytes]:
    return {
        suffix: (db_path.parent / f"{db_path.name}{suffix}").read_bytes()
        for suffix in ("", "-wal")
        if (db_path.parent / f"{db_path.name}{suffix}").exists()
    }


async def test_delete_leaves_nothing_of_the_person(people, rounds, db_path):
    wilhelmina = Visitor(1001, "Wilhelmina", "nl")
    situation, _ = await rounds.begin(wilhelmina)
    r1 = situation.round.round_id
    await rounds.start(wilhelmina.user_id, r1, everything=True)
    for value in (1, 2, 3):
        await rounds.answer(wilhelmina.user_id, value)
    r2 = (await rounds.new_round(wilhelmina.user_id, r1)).round.round_id
    await rounds.pick(wilhelmina.user_id, r2, "lef", True)
    situation, _ = await rounds.begin(BO)
    await rounds.start(BO.user_id, situation.round.round_id, everything=True)
    await rounds.answer(BO.user_id, 4)
    # the name is in the file before: the check below is not vacuous
    assert any(b"Wilhelmina" in data for data in database_bytes(db_path).values())

    assert await people.delete(wilhelmina.user_id) == Deleted(farewells=())

    assert rows(db_path, "SELECT user_id, first_name FROM users") == [(2002, "Bo")]
    assert rows(db_path, "SELECT round_id, user_id FROM rounds") == [(3, 2002)]
    assert rows(db_path, "SELECT round_id, statement_id, value FROM answers") == [
        (3, "signaleren.1", 4)
    ]
    assert (r1, r2) == (1, 2)
    for suffix, data in database_bytes(db_path).items():
        assert b"Wilhelmina" not in data, f"the name is still in bot.sqlite3{suffix}"

    assert await people.export(wilhelmina.user_id) is None
    assert await people.seen(wilhelmina.user_id) is None
    assert await people.delete(wilhelmina.user_id) is None
    assert await people.delete(NOBODY) is None
    bo = await people.export(BO.user_id)
    assert [len(r["answers"]) for r in bo["rounds"]] == [1]


# -- the retention rule --------------------------------------------------------------------------


async def arrive(rounds: Rounds, hands: Hands, user_id: int, at: datetime) -> None:
    """A person starts at ``at`` and answers one statement: last seen then."""
    hands.at = at
    situation, _ = await rounds.begin(Visitor(user_id, f"P{user_id}", "nl"))
    await rounds.start(user_id, situation.round.round_id, everything=True)
    await rounds.answer(user_id, 1)


async def test_delete_inactive_deletes_who_was_not_seen_on_any_of_the_last_n_days(
    people, rounds, hands, db_path
):
    """Only the day a person was last seen is kept (one write a day), so the rule counts whole
    days: seen on day D, gone from day D + N + 1, 00:00 UTC. Never earlier than N days after
    their last message; at most a day later."""
    await arrive(rounds, hands, 1, datetime(2026, 11, 29, 12, 0, 0, tzinfo=UTC))
    await arrive(rounds, hands, 2, datetime(2026, 11, 29, 0, 0, 0, tzinfo=UTC))
    await arrive(rounds, hands, 3, datetime(2026, 11, 28, 23, 59, 59, tzinfo=UTC))
    await arrive(rounds, hands, 4, datetime(2026, 10, 1, 8, 0, tzinfo=UTC))  # long ago
    await arrive(rounds, hands, 5, datetime(2026, 12, 29, 11, 0, tzinfo=UTC))  # today
    # 6 started long ago but was seen again on 30 November
    await arrive(rounds, hands, 6, datetime(2026, 10, 1, 8, 0, tzinfo=UTC))
    hands.at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    assert await people.seen(6) == "nl"

    hands.at = datetime(2026, 12, 29, 12, 0, 0, tzinfo=UTC)  # 30 days back is 29 November
    assert await people.delete_inactive(30) == Deleted(2)
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(1,), (2,), (5,), (6,)]
    assert rows(db_path, "SELECT DISTINCT user_id FROM rounds ORDER BY user_id") == [
        (1,),
        (2,),
        (5,),
        (6,),
    ]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(4,)]
    assert await people.delete_inactive(30) == Deleted(0)

    hands.at = datetime(2026, 12, 29, 23, 59, 59, tzinfo=UTC)
    assert await people.delete_inactive(30) == Deleted(0)
    hands.at = datetime(2026, 12, 30, 0, 0, 0, tzinfo=UTC)  # 29 November is 31 days back now
    assert await people.delete_inactive(30) == Deleted(2)
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(5,), (6,)]

    hands.at = datetime(2026, 12, 31, 0, 0, 0, tzinfo=UTC)
    assert await people.delete_inactive(30) == Deleted(1)
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [(5,)]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(1,)]


async def test_delete_inactive_with_one_day(people, rounds, hands, db_path):
    await arrive(rounds, hands, 1, datetime(2026, 11, 28, 0, 0, 0, tzinfo=UTC))
    await arrive(rounds, hands, 2, datetime(2026, 11, 27, 23, 59, 59, tzinfo=UTC))
    hands.at = NOON  # 29 November: 28 November is one day back, 27 November two
    assert await people.delete_inactive(1) == Deleted(1)
    assert rows(db_path, "SELECT user_id FROM users") == [(1,)]


async def test_a_person_seen_late_in_the_day_is_not_deleted_before_n_days(
    people, rounds, hands, db_path
):
    """The person is told "Gebruik je de bot 30 dagen niet? Dan wissen we al je gegevens."

    Anna's first message of 29 November is at 00:00:00 and her last at 23:59:59; seen() only
    writes the first of a day. On 29 December at 00:00:01 she has not used the bot for 29 days
    and 2 seconds, so she must still be there."""
    await arrive(rounds, hands, ANNA.user_id, datetime(2026, 11, 29, 0, 0, 0, tzinfo=UTC))
    hands.at = datetime(2026, 11, 29, 23, 59, 59, tzinfo=UTC)
    assert await people.seen(ANNA.user_id) == "nl"
    await rounds.answer(ANNA.user_id, 2)

    hands.at = datetime(2026, 12, 29, 0, 0, 1, tzinfo=UTC)
    assert await people.delete_inactive(30) == Deleted(0)
    assert rows(db_path, "SELECT user_id FROM users") == [(1001,)]
