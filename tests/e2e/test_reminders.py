"""Reminders and the scheduler, through the emulator, with the bot's clock moved forward.

The bot wakes up every half second here (BOT_SCHEDULER_SECONDS), so a message that is due comes
within a step. Every test first puts the bot's clock on a known time of day in Amsterdam
(tomorrow, in real time, so the clock only moves forward). Where nothing may come, the test
waits a few wake-ups (:func:`ticks`), and then shows the same message does come once it is due.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import Person, rows, statement_with

# How updates reach the bot does not matter to the scheduler.
pytestmark = pytest.mark.parametrize("delivery", ["polling"])

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TICK = 0.5
FAST = {"BOT_SCHEDULER_SECONDS": str(TICK)}
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
MONTHS = "januari februari maart april mei juni juli augustus september oktober november december"
REMINDER = "Je vroeg me om een herinnering"
STANDSTILL = "Je bent een paar dagen niet verder gegaan"
OFFER = "Zal ik je later een herinnering sturen?"


def amsterdam(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """``day`` days from today (real time), at this time on the clock in Amsterdam."""
    date = datetime.now(AMSTERDAM).date() + timedelta(days=day)
    return datetime.combine(date, time(hour, minute, second), tzinfo=AMSTERDAM)


def day_of(moment: datetime) -> str:
    """How the bot says a day: "donderdag 15 januari"."""
    return f"{WEEKDAYS[moment.weekday()]} {moment.day} {MONTHS.split()[moment.month - 1]}"


def spoken(moment: datetime) -> str:
    """How the bot says a moment: "donderdag 15 januari om 10:00 uur"."""
    return f"{day_of(moment)} om {moment:%H:%M} uur"


async def ticks(count: int = 4) -> None:
    """Let the scheduler wake up a few times (for what must NOT come)."""
    await asyncio.sleep(count * TICK)


async def eventually(check: Callable[[], bool]) -> None:
    """Wait until ``check()`` holds, for what the bot writes in its database (the emulator
    cannot tell when that happens)."""
    for _ in range(600):
        if check():
            return
        await asyncio.sleep(0.05)


async def settled(db_path, expected: list[tuple]) -> None:
    """Wait until the ledger says ``expected`` (in any order): the bot settles a message right
    after Telegram took it. (Sorted as text: a claim not settled yet has no outcome.)"""
    await eventually(lambda: sorted(ledger(db_path), key=str) == sorted(expected, key=str))
    assert sorted(ledger(db_path), key=str) == sorted(expected, key=str)


def blocked(db_path) -> list[int]:
    return [
        uid
        for (uid,) in rows(db_path, "SELECT user_id FROM users WHERE blocked_at > '' ORDER BY 1")
    ]


def reminders(person: Person) -> list:
    return [m for m in person.messages if REMINDER in (m.text or "")]


def offers(person: Person) -> list:
    return [m for m in person.messages if STANDSTILL in (m.text or "")]


def ledger(db_path) -> list[tuple]:
    return rows(db_path, "SELECT kind, recipient, outcome FROM deliveries ORDER BY claimed_at")


async def begin(person: Person, answers: int = 1) -> None:
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Alle 12 competenties", until="totaal 1 van 48")
    for _ in range(answers):
        await person.answer("Zeer waar")


async def pause(person: Person) -> None:
    await person.tap("⏸ Pauze", person.open_statement.message_id, until=OFFER)


async def ask(person: Person, label: str) -> str:
    """Tap ``label`` in the offer; the bot's answer says when the reminder comes."""
    (answer,) = await person.tap(label, until="Ik stuur je een herinnering op")
    return answer.text


async def test_a_reminder_after_pauze_comes_once_at_the_time_asked(
    emulator, start_bot, bots, clock, db_path
):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    await begin(anna)
    await anna.tap("⏸ Pauze", anna.open_statement.message_id, until=OFFER)
    offer = anna.last
    assert "we stoppen even" in offer.text
    assert offer.button_labels == [
        "Over 1 dag",
        "Over 3 dagen",
        "Over 1 week",
        "Nee, dank je",
        "🔕 Nooit meer herinneringen",
    ]
    planned = await ask(anna, "Over 1 dag")
    assert f"Ik stuur je een herinnering op {spoken(amsterdam(2, 10))}." in planned
    assert "Wil je eerder verder? Typ dan /verder." in planned
    assert offer.buttons == []  # the answer took the offer's place
    await begin(bo)
    await pause(bo)
    assert spoken(amsterdam(4, 10)) in await ask(bo, "Over 3 dagen")

    clock.move_to(amsterdam(2, 9, 59))
    await ticks()
    assert reminders(anna) == []
    clock.move_to(amsterdam(2, 10, 1))
    await emulator.wait_for(lambda: reminders(anna), timeout=30)
    (reminder,) = reminders(anna)
    assert reminder.text.startswith("🔔 Hallo Anna!")
    assert reminder.button_labels == ["▶️ Ga verder", "🔕 Nooit meer herinneringen"]
    assert reminders(bo) == []

    # not again: not after a while, not after a restart
    await ticks()
    await bots[0].stop()
    await start_bot(**FAST)
    clock.move_to(amsterdam(4, 10, 1))  # Bo's time: once his comes, the bot has looked
    await emulator.wait_for(lambda: reminders(bo), timeout=30)
    assert len(reminders(anna)) == 1 and len(reminders(bo)) == 1
    await settled(db_path, [("reminder", 1001, "sent"), ("reminder", 2002, "sent")])

    # the button goes on where Anna was
    await anna.tap("▶️ Ga verder", reminder.message_id, until=statement_with("totaal 2 van 48"))
    assert reminder.buttons == []


async def test_no_reminder_in_quiet_hours(emulator, start_bot, bots, clock):
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    clock.move_to(amsterdam(1, 20, 30))
    await start_bot(**FAST)
    await begin(bo)
    await pause(bo)
    assert spoken(amsterdam(2, 20, 30)) in await ask(bo, "Over 1 dag")
    clock.move_to(amsterdam(1, 22))
    await begin(anna)
    await pause(anna)
    planned = await ask(anna, "Over 1 dag")  # tomorrow 22:00 is quiet: 09:00 the day after
    assert f"op {spoken(amsterdam(3, 9))}." in planned
    assert "Tussen 21:00 en 9:00 uur stuur ik geen berichten." in planned

    # the bot is down when Bo's reminder is due, and back at 21:30: not now, at 09:00
    await bots[0].stop()
    clock.move_to(amsterdam(2, 21, 30))
    await start_bot(**FAST)
    await ticks()
    clock.move_to(amsterdam(3, 8, 59))
    await ticks()
    assert reminders(bo) == [] and reminders(anna) == []
    clock.move_to(amsterdam(3, 9))
    await emulator.wait_for(lambda: reminders(bo) and reminders(anna), timeout=30)


async def test_killed_in_the_middle_of_sending_each_reminder_comes_once(
    emulator, start_bot, bots, clock, db_path
):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    people = [Person(emulator, 3000 + i, f"Vrijwilliger{i}") for i in range(6)]
    for person in people:
        await begin(person)
        await pause(person)
        await ask(person, "Over 1 dag")
    await bots[0].stop()
    # Two messages a second: a reminder waits in the rate limiter for half a second.
    await start_bot(**FAST, BOT_MESSAGES_PER_SECOND="2")
    clock.move_to(amsterdam(2, 10, 5))

    def sent() -> int:
        return sum(len(reminders(p)) for p in people)

    def claimed() -> tuple[int, int]:
        with sqlite3.connect(db_path) as db:
            return db.execute(
                "SELECT COUNT(outcome), COUNT(*) - COUNT(outcome) FROM deliveries"
            ).fetchone()

    # Killed while a reminder is claimed but waits to be sent, after two were sent and settled.
    while not (sent() == 2 and claimed() == (2, 1)):
        assert sent() < 3, "the moment to kill the bot went by"
        await asyncio.sleep(0.02)
    await bots[1].kill()
    assert sent() == 2
    await start_bot(**FAST, BOT_MESSAGES_PER_SECOND="2")
    await emulator.wait_for(lambda: sent() == 6, timeout=30)
    await ticks()
    assert [len(reminders(p)) for p in people] == [1] * 6
    assert claimed() == (6, 0)


async def test_going_on_cancels_the_reminder(emulator, start_bot, clock, db_path):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo, cor = (Person(emulator, 1001 + i, name) for i, name in enumerate("ABC"))
    for person in (anna, bo, cor):
        await begin(person)
        await pause(person)
        await ask(person, "Over 1 dag")
    await anna.send("/verder", until=statement_with("totaal 2 van 48"))  # going on
    await bo.send("2", until=statement_with("totaal 3 van 48"))  # a typed answer
    assert rows(db_path, "SELECT user_id, due_at IS NOT NULL FROM reminders ORDER BY 1") == [
        (1001, 0),
        (1002, 0),
        (1003, 1),
    ]
    clock.move_to(amsterdam(2, 10, 1))
    await emulator.wait_for(lambda: reminders(cor), timeout=30)
    await ticks()
    assert reminders(anna) == [] and reminders(bo) == []


async def test_wis_cancels_the_reminder(emulator, start_bot, clock, db_path):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    for person in (anna, bo):
        await begin(person)
        await pause(person)
        await ask(person, "Over 1 dag")
    await anna.send("/wis", until="Weet je het zeker?")
    await anna.tap("Ja, wis alles", until="Alles is gewist")
    assert rows(db_path, "SELECT user_id FROM reminders") == [(2002,)]
    clock.move_to(amsterdam(2, 10, 1))
    await emulator.wait_for(lambda: reminders(bo), timeout=30)
    await ticks()
    assert reminders(anna) == []


async def test_off_for_good_with_one_tap_and_on_again_in_pauze(emulator, start_bot, clock):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    await begin(anna, answers=2)
    await pause(anna)
    (off,) = await anna.tap("🔕 Nooit meer herinneringen", until="geen herinneringen meer")
    assert "Tik dan op Pauze" in off.text and off.buttons == []
    await begin(bo)  # Bo stops too, and gets the offer at the standstill: Anna does not
    clock.move_to(amsterdam(5, 10))
    await emulator.wait_for(lambda: offers(bo), timeout=30)
    await ticks()
    assert offers(anna) == []

    await anna.send("/verder", until=statement_with("totaal 3 van 48"))
    await anna.tap(
        "⏸ Pauze", anna.open_statement.message_id, until="Je hebt herinneringen uitgezet."
    )
    assert anna.last.button_labels == ["🔔 Herinneringen aanzetten"]
    await anna.tap("🔔 Herinneringen aanzetten", until=OFFER)
    assert "Herinneringen staan weer aan." in anna.last.text
    assert spoken(amsterdam(8, 10)) in await ask(anna, "Over 3 dagen")


async def test_a_round_that_stood_still_for_3_days_gets_one_offer(
    emulator, start_bot, clock, db_path
):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    await begin(anna, answers=2)  # and then she stops, without Pauze
    clock.move_to(amsterdam(2, 10))
    await begin(bo)  # Bo stops a day later
    clock.move_to(amsterdam(4, 9, 59))
    await ticks()
    assert offers(anna) == []
    clock.move_to(amsterdam(4, 10, 1))
    await emulator.wait_for(lambda: offers(anna), timeout=30)
    (offer,) = offers(anna)
    assert offer.text.startswith("🔔 Hallo Anna!") and OFFER in offer.text
    assert offer.button_labels == [
        "▶️ Ga verder",
        "Over 1 dag",
        "Over 3 dagen",
        "Over 1 week",
        "Nee, dank je",
        "🔕 Nooit meer herinneringen",
    ]
    # once for this standstill: Bo's comes a day later, Anna's not again
    clock.move_to(amsterdam(5, 10, 1))
    await emulator.wait_for(lambda: offers(bo), timeout=30)
    clock.move_to(amsterdam(9, 10, 1))
    await ticks()
    assert len(offers(anna)) == 1 and len(offers(bo)) == 1

    # the offer takes her choice like the one after Pauze; the reminder comes the next day
    (planned,) = await anna.tap(
        "Over 1 dag", offer.message_id, until="Ik stuur je een herinnering op"
    )
    assert f"op {day_of(amsterdam(10, 10))} om 10:0" in planned.text
    clock.move_to(amsterdam(10, 10, 3))
    await emulator.wait_for(lambda: reminders(anna), timeout=30)
    await settled(
        db_path,
        [("standstill", 1001, "sent"), ("standstill", 2002, "sent"), ("reminder", 1001, "sent")],
    )


async def test_a_person_who_blocked_the_bot_gets_nothing_more(
    emulator, start_bot, clock, db_path, bot_log
):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo, cor = (Person(emulator, 1001 + i, name) for i, name in enumerate("ABC"))
    for person in (anna, bo):
        await begin(person)
        await pause(person)
        await ask(person, "Over 1 week")
    await begin(cor)  # and stops, without Pauze
    # Anna blocks the bot; the bot finds out when its answer to her message fails.
    emulator.block(anna.user_id)
    await emulator.send_text(anna.user_id, "hoi")
    await eventually(lambda: blocked(db_path) == [1001])
    assert blocked(db_path) == [1001]
    # Cor blocks the bot too, without writing: the bot finds out when it writes to him
    emulator.block(cor.user_id)
    clock.move_to(amsterdam(8, 10, 1))  # Cor's standstill, Anna's and Bo's reminders
    await emulator.wait_for(lambda: reminders(bo), timeout=30)
    await settled(db_path, [("reminder", 1002, "sent"), ("standstill", 1003, "blocked")])
    assert blocked(db_path) == [1001, 1003]
    clock.move_to(amsterdam(20, 10))  # nothing more for either, not even tried
    await ticks()
    await settled(db_path, [("reminder", 1002, "sent"), ("standstill", 1003, "blocked")])
    assert "Traceback" not in bot_log.read_text()
    # Anna unblocks the bot and writes: she is back, and going on needs no reminder
    emulator.unblock(anna.user_id)
    await anna.send("/verder", until=statement_with("totaal 2 van 48"))
    assert blocked(db_path) == [1003]
    assert rows(db_path, "SELECT due_at FROM reminders WHERE user_id = 1001") == [(None,)]


async def test_mijngegevens_and_privacy_tell_about_reminders(anna, clock):
    clock.move_to(amsterdam(1, 10))
    await begin(anna)
    await pause(anna)
    await ask(anna, "Over 1 week")
    replies = await anna.send("/mijngegevens", until=lambda new: new and new[-1].document)
    data = json.loads(replies[-1].document.content)
    due = datetime.fromisoformat(data["reminders"]["reminder_asked_for"])
    assert due.astimezone(AMSTERDAM).replace(second=0) == amsterdam(8, 10)
    assert data["reminders"]["turned_off_at"] is None
    assert data["person"]["blocked_bot_at"] is None
    text = (await anna.send("/privacy", until="Wat bewaren we?"))[-1].text
    assert "Vraag je om een herinnering? Dan bewaren we wanneer die komt." in text


async def test_retention_runs_on_the_scheduler(emulator, start_bot, clock, db_path):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST, BOT_RETENTION_DAYS="30")
    gone = Person(emulator, 5005, "Weg")
    await begin(gone)
    clock.move_to(amsterdam(30, 10))
    await ticks()
    assert rows(db_path, "SELECT user_id FROM users") == [(5005,)]
    clock.move_to(amsterdam(32, 10))  # more than 30 whole days after the last visit
    await emulator.wait_for(lambda: rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)])


async def test_flood_control_and_a_failing_network_delay_a_reminder_but_lose_nothing(
    emulator, start_bot, clock, db_path, bot_log
):
    clock.move_to(amsterdam(1, 10))
    await start_bot(**FAST)
    anna, bo = Person(emulator, 1001, "Anna"), Person(emulator, 2002, "Bo")
    for person in (anna, bo):
        await begin(person)
        await pause(person)
        await ask(person, "Over 1 dag")
    # Anna's turn: "retry after 1 s" more often than the rate limiter tries again by itself,
    # then Bo's: three failures on the way, more than bot/messaging.py tries.
    for _ in range(4):
        emulator.fail_next("sendMessage", error_code=429, retry_after=1)
    for _ in range(3):
        emulator.fail_next("sendMessage", error_code=502)
    clock.move_to(amsterdam(2, 10, 1))
    await emulator.wait_for(lambda: reminders(anna) and reminders(bo), timeout=60)
    await settled(db_path, [("reminder", 1001, "sent"), ("reminder", 2002, "sent")])
    await ticks()
    assert len(reminders(anna)) == 1 and len(reminders(bo)) == 1
    log = bot_log.read_text()
    assert "flood control, reminder waits" in log and "tried again later" in log
