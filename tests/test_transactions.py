"""Every use case is load → decide → save in one transaction, so conflicting use cases never
interleave into a wrong state. These tests run them concurrently on one database, with nothing
in front that puts one person's updates in order (python-telegram-bot's per-chat ordering is
not used here), and check the stored state afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from content import load_content
from domain.person import Person
from domain.round import Answered, Prompt, Refusal, Started, check_invariants
from services.clock import Clock
from services.people import Deleted, People
from services.rounds import NewRound, Rounds, Situation, Visitor
from storage import Database
from tests.use_cases import rows

NOON = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
NOON_TEXT = "2026-11-29T12:00:00+00:00"
ANNA = Visitor(1001, "Anna", "nl")

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


class Ticking:
    """A clock that moves one second each time it is read. Use cases read it inside their
    transaction, so the stored times show the order in which the transactions ran."""

    def __init__(self) -> None:
        self.at = NOON

    def __call__(self) -> datetime:
        now = self.at
        self.at += timedelta(seconds=1)
        return now


@pytest.fixture
def rounds(database, instrument) -> Rounds:
    return Rounds(database, instrument, Clock(lambda: NOON))


@pytest.fixture
def people(database) -> People:
    return People(database, load_content(), Clock(lambda: NOON))


async def start_everything(rounds: Rounds, visitor: Visitor = ANNA) -> int:
    situation, _ = await rounds.begin(visitor)
    started = await rounds.start(visitor.user_id, situation.round.round_id, everything=True)
    assert isinstance(started, Started)
    return started.round.round_id


async def gather(*calls):
    """Run the calls concurrently; an exception in any of them fails the test, with its text."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert errors == []
    return results


async def check_every_stored_round(database: Database, instrument, db_path) -> int:
    """check_invariants on every round in the database; returns how many there are."""
    owners = [user_id for (user_id,) in rows(db_path, "SELECT DISTINCT user_id FROM rounds")]
    async with database.transaction() as tx:
        stored = [r for user_id in owners for r in await tx.rounds.all_of(user_id)]
    assert len(stored) == rows(db_path, "SELECT COUNT(*) FROM rounds")[0][0]
    for round_ in stored:
        check_invariants(round_, instrument)
    return len(stored)


async def test_fifty_typed_answers_at_once_fill_the_round_in_order(database, instrument, db_path):
    rounds = Rounds(database, instrument, Clock(Ticking()))
    rid = await start_everything(rounds)  # begin reads the clock once: 12:00:00

    values = [1 + i % 4 for i in range(50)]
    results = await gather(*(rounds.answer(ANNA.user_id, v) for v in values))

    answered = [(r, v) for r, v in zip(results, values, strict=True) if isinstance(r, Answered)]
    assert len(answered) == 48
    assert [r for r in results if not isinstance(r, Answered)] == [Refusal.NOTHING_OPEN] * 2
    # every statement answered exactly once, each by a different call
    assert sorted(r.position.number for r, _ in answered) == list(range(1, 49))
    # each statement was answered one second after the one before it: every transaction saw
    # the answer of the one before, and no answer was lost or saved twice
    stored = rows(
        db_path,
        "SELECT statement_id, answered_at FROM answers WHERE round_id = ? ORDER BY answered_at",
        rid,
    )
    assert stored == [
        (sid, f"2026-11-29T12:00:{second:02d}+00:00")
        for second, sid in enumerate(ALL_STATEMENTS, 1)
    ]
    # the value stored is the value of the call that was told it answered that statement
    values_stored = dict(rows(db_path, "SELECT statement_id, value FROM answers"))
    assert {r.position.statement.id: v for r, v in answered} == values_stored
    assert rows(db_path, "SELECT status, completed_at FROM rounds") == [
        ("complete", "2026-11-29T12:00:48+00:00")
    ]
    assert await check_every_stored_round(database, instrument, db_path) == 1


async def test_picking_on_and_off_at_once_ends_with_exactly_the_picked_set(
    rounds, database, instrument, db_path
):
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    for cid in ("signaleren", "sensitiviteit", "communicatie", "lef"):
        await rounds.pick(ANNA.user_id, rid, cid, True)

    # the first four off, the other eight on, every tap twice, all at once
    calls = [(cid, False) for cid in COMPETENCIES[:4]] + [(cid, True) for cid in COMPETENCIES[4:]]
    results = await gather(
        *(rounds.pick(ANNA.user_id, rid, cid, on) for cid, on in calls * 2),
    )

    assert sum(isinstance(r, Situation) for r in results) == 12
    assert [r for r in results if not isinstance(r, Situation)] == [Refusal.DUPLICATE] * 12
    assert rows(db_path, "SELECT status, selection, picked FROM rounds") == [
        (
            "choosing",
            "",
            "creativiteit,onderhandelen,overtuigingskracht,netwerken,samenwerken,"
            "zelfreflectie,stressbestendigheid,politiek",
        )
    ]
    assert await check_every_stored_round(database, instrument, db_path) == 1


async def test_picking_more_in_a_complete_round_at_once(rounds, database, instrument, db_path):
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await rounds.pick(ANNA.user_id, rid, "lef", True)
    await rounds.start(ANNA.user_id, rid)
    for _ in range(4):
        await rounds.answer(ANNA.user_id, 2)

    results = await gather(
        *(rounds.pick(ANNA.user_id, rid, cid, True) for cid in COMPETENCIES),
        *(rounds.pick(ANNA.user_id, rid, cid, True) for cid in COMPETENCIES),
    )
    assert sum(isinstance(r, Situation) for r in results) == 11
    assert sorted(r.value for r in results if isinstance(r, Refusal)) == sorted(
        ["already_done"] * 2 + ["duplicate"] * 11
    )
    assert rows(db_path, "SELECT status, selection, picked, completed_at FROM rounds") == [
        (
            "complete",
            "lef",
            "signaleren,sensitiviteit,communicatie,creativiteit,onderhandelen,"
            "overtuigingskracht,netwerken,samenwerken,zelfreflectie,stressbestendigheid,politiek",
            NOON_TEXT,
        )
    ]
    assert await check_every_stored_round(database, instrument, db_path) == 1


async def test_double_taps_arriving_together_are_applied_once(
    rounds, database, instrument, db_path
):
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    first, second = await gather(
        rounds.start(ANNA.user_id, rid, everything=True),
        rounds.start(ANNA.user_id, rid, everything=True),
    )
    assert {type(first), type(second)} == {Started, Refusal}
    assert Refusal.DUPLICATE in (first, second)

    taps = await gather(*(rounds.answer(ANNA.user_id, 3, rid, "signaleren.1") for _ in range(5)))
    assert sum(isinstance(t, Answered) for t in taps) == 1
    assert [t for t in taps if not isinstance(t, Answered)] == [Refusal.DUPLICATE] * 4

    made = await gather(*(rounds.new_round(ANNA.user_id, rid) for _ in range(3)))
    assert sum(isinstance(m, NewRound) for m in made) == 1
    assert [m for m in made if not isinstance(m, NewRound)] == [Refusal.DUPLICATE] * 2

    assert rows(db_path, "SELECT round_id, number, status FROM rounds") == [
        (1, 1, "answering"),
        (2, 2, "choosing"),
    ]
    assert rows(db_path, "SELECT round_id, statement_id, value FROM answers") == [
        (1, "signaleren.1", 3)
    ]
    assert await check_every_stored_round(database, instrument, db_path) == 2


async def test_a_message_shown_while_the_person_answers_never_stays_live(
    rounds, database, instrument, db_path
):
    """shown() (after sending a statement) racing with the answer to that statement: whichever
    runs first, the answer names the message recorded as live, so the bot takes the buttons off
    exactly that one; a message shown for a statement already answered is never recorded."""
    rid = await start_everything(rounds)
    prompt = (await rounds.situation(ANNA.user_id)).prompt
    for message_id in range(100, 110):
        shown, answered = await gather(
            rounds.shown(prompt, message_id), rounds.answer(ANNA.user_id, 1)
        )
        assert shown is None and isinstance(answered, Answered)
        assert answered.position.statement.id == prompt.position.statement.id
        ((live,),) = rows(db_path, "SELECT prompt_message_id FROM rounds")
        assert live == answered.replaced_message_id
        prompt = Prompt(rid, answered.next)
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(10,)]
    assert await check_every_stored_round(database, instrument, db_path) == 1


async def test_delete_racing_with_answers_of_the_same_person(
    rounds, people, database, instrument, db_path
):
    await start_everything(rounds)
    results = await gather(
        *(rounds.answer(ANNA.user_id, 2) for _ in range(10)),
        people.delete(ANNA.user_id),
        *(rounds.answer(ANNA.user_id, 2) for _ in range(10)),
        people.seen(ANNA.user_id),
    )
    deleted, seen = results[10], results[21]
    answers = results[:10] + results[11:21]
    assert deleted is not None
    assert seen is None or seen == "nl"
    assert all(isinstance(a, Answered) or a is Refusal.EXPIRED for a in answers)
    # nothing of Anna is left, whatever ran before the delete
    assert rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM rounds") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    assert await people.seen(ANNA.user_id) is None
    assert await check_every_stored_round(database, instrument, db_path) == 0


async def test_deleting_one_person_while_twenty_others_answer(
    rounds, people, database, instrument, db_path
):
    others = [Visitor(2000 + n, f"P{n}", "nl") for n in range(1, 21)]
    await start_everything(rounds)
    for visitor in others:
        await start_everything(rounds, visitor)

    results = await gather(
        *(rounds.answer(v.user_id, 1) for v in others),
        *(rounds.answer(v.user_id, 2) for v in others),
        people.delete(ANNA.user_id),
        *(rounds.answer(v.user_id, 3) for v in others),
    )
    assert results[40] is not None
    assert all(isinstance(r, Answered) for r in results[:40] + results[41:])

    assert rows(db_path, "SELECT COUNT(*) FROM users WHERE user_id = 1001") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM rounds WHERE user_id = 1001") == [(0,)]
    per_person = rows(
        db_path,
        "SELECT r.user_id, a.statement_id, a.value FROM answers a JOIN rounds r USING (round_id)"
        " ORDER BY r.user_id, a.statement_id",
    )
    assert per_person == [
        (user_id, sid, value)
        for user_id in range(2001, 2021)
        for sid, value in (("signaleren.1", 1), ("signaleren.2", 2), ("signaleren.3", 3))
    ]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(60,)]
    assert await check_every_stored_round(database, instrument, db_path) == 20


async def test_the_retention_job_racing_with_people(database, instrument, db_path):
    """The job deletes Anna (away for 40 days) while she and Bo answer and Bo is seen."""
    hands = {"at": datetime(2026, 10, 20, 12, 0, tzinfo=UTC)}
    clock = Clock(lambda: hands["at"])
    rounds = Rounds(database, instrument, clock)
    people = People(database, load_content(), clock)
    await start_everything(rounds)
    hands["at"] = NOON
    bo = Visitor(2002, "Bo", "nl")
    await start_everything(rounds, bo)

    results = await gather(
        *(rounds.answer(ANNA.user_id, 4) for _ in range(5)),
        *(rounds.answer(bo.user_id, 1) for _ in range(5)),
        people.delete_inactive(30),
        *(rounds.answer(ANNA.user_id, 4) for _ in range(5)),
        *(rounds.answer(bo.user_id, 1) for _ in range(5)),
        people.seen(bo.user_id),
    )
    assert results[10] == Deleted(1)
    assert results[21] == "nl"
    assert all(isinstance(r, Answered) or r is Refusal.EXPIRED for r in results[:5])
    assert all(isinstance(r, Answered) or r is Refusal.EXPIRED for r in results[11:16])
    assert all(isinstance(r, Answered) for r in results[5:10] + results[16:21])

    assert rows(db_path, "SELECT user_id, last_seen_at FROM users") == [(2002, NOON_TEXT)]
    assert rows(db_path, "SELECT user_id FROM rounds") == [(2002,)]
    # Bo's ten answers (the first ten statements), none of Anna's
    assert rows(db_path, "SELECT statement_id, value FROM answers ORDER BY statement_id") == [
        ("communicatie.1", 1),
        ("communicatie.2", 1),
        ("sensitiviteit.1", 1),
        ("sensitiviteit.2", 1),
        ("sensitiviteit.3", 1),
        ("sensitiviteit.4", 1),
        ("signaleren.1", 1),
        ("signaleren.2", 1),
        ("signaleren.3", 1),
        ("signaleren.4", 1),
    ]
    assert await check_every_stored_round(database, instrument, db_path) == 1


async def test_a_snapshot_reads_what_was_committed_while_a_transaction_is_open(database):
    anna = Person(ANNA.user_id, "Anna", "nl", NOON_TEXT, NOON_TEXT)
    async with database.transaction() as tx:
        await tx.people.save(anna)
    written = asyncio.Event()
    go_on = asyncio.Event()

    async def rename() -> None:
        async with database.transaction() as tx:
            await tx.people.save(replace(anna, first_name="Anneke"))
            written.set()
            await go_on.wait()  # the transaction stays open, its change not committed

    renaming = asyncio.create_task(rename())
    await written.wait()
    # Not waiting for the open transaction, and not seeing its change.
    async with asyncio.timeout(5), database.snapshot() as tx:
        person = await tx.people.get(ANNA.user_id)
    assert person.first_name == "Anna"
    go_on.set()
    await renaming
    async with database.snapshot() as tx:
        person = await tx.people.get(ANNA.user_id)
    assert person.first_name == "Anneke"


async def test_nothing_can_be_written_through_a_snapshot(database):
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        async with database.snapshot() as tx:
            await tx.people.save(Person(ANNA.user_id, "Anna", "nl", NOON_TEXT, NOON_TEXT))


async def test_a_checkpoint_copies_what_was_committed_into_the_database_file(database, db_path):
    """SQLite would do it in the commit that takes the log past 1000 pages, a person's;
    the bot's job calls checkpoint so that no commit gets there."""

    def people_in_the_file() -> int | None:
        """The file alone, as it is, without the write-ahead log (None: not even the table)."""
        with contextlib.closing(
            sqlite3.connect(f"{db_path.resolve().as_uri()}?immutable=1", uri=True)
        ) as file:
            try:
                return file.execute("SELECT count(*) FROM users").fetchone()[0]
            except sqlite3.OperationalError:
                return None

    async with database.transaction() as tx:
        await tx.people.save(Person(ANNA.user_id, "Anna", "nl", NOON_TEXT, NOON_TEXT))
    assert people_in_the_file() is None  # still only in the log, with the tables
    await database.checkpoint()
    assert people_in_the_file() == 1


async def test_emptying_the_log_after_wis_waits_for_a_checkpoint_under_way(database, db_path):
    """SQLite answers "busy" to a TRUNCATE while another connection checkpoints, and leaves the
    log as it is: the deleted answers would stay in it."""
    with contextlib.closing(sqlite3.connect(db_path, isolation_level=None)) as other:
        other.execute("PRAGMA wal_autocheckpoint = 0")  # some 20 MB in the log, not copied yet
        other.execute("CREATE TABLE filler (bytes BLOB)")
        other.execute("BEGIN")
        other.executemany("INSERT INTO filler VALUES (randomblob(1000))", [()] * 20_000)
        other.execute("COMMIT")
    wal = db_path.with_name(f"{db_path.name}-wal")
    assert wal.stat().st_size > 20_000_000
    copying = asyncio.create_task(database.checkpoint())
    await asyncio.sleep(0.01)  # copying 20 MB takes longer than this
    await database.truncate_wal()
    assert wal.stat().st_size == 0
    await copying
