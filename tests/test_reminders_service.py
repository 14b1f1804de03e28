"""Reminders and the scheduler's ledger on a real SQLite file: asking, going on, off and on,
what is due when, claiming and settling exactly once, a restart between the two, the offer at a
standstill, and people who blocked the bot.

The clock stands still until a test moves it. Wednesday 14 January 2026 12:00 in Amsterdam is
11:00 UTC (winter time, UTC+1).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.round import Refusal
from domain.schedule import Moment
from services.deliveries import Deliveries, Due, Outcome
from services.reminders import DueReminders, DueStandstillOffers, Reminders
from services.rounds import Paused, Rounds, Visitor
from tests.use_cases import Hands, rows

NOON = datetime(2026, 1, 14, 11, 0, tzinfo=UTC)  # Wednesday 12:00 CET
NOON_TEXT = "2026-01-14T11:00:00+00:00"
ANNA = Visitor(1001, "Anna", "nl")
BO = Visitor(2002, "Bo", "en")


def at(day: int, hour: int, minute: int = 0, second: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


def text(moment: datetime) -> str:
    return moment.isoformat()


@pytest.fixture
def hands() -> Hands:
    return Hands(NOON)


@pytest.fixture
def reminders(database, clock) -> Reminders:
    return Reminders(database, clock)


@pytest.fixture
def deliveries(database, clock) -> Deliveries:
    return Deliveries(database, clock, (DueReminders(), DueStandstillOffers()))


async def half_done(rounds: Rounds, visitor: Visitor = ANNA, *, message_id: int = 500) -> int:
    """Begin, pick Lef, answer its first statement, and show the second as ``message_id``;
    returns the round id."""
    situation, _ = await rounds.begin(visitor)
    rid = situation.round.round_id
    await rounds.pick(visitor.user_id, rid, "lef", True)
    await rounds.start(visitor.user_id, rid)
    answered = await rounds.answer(visitor.user_id, 2)
    await rounds.shown(answered.round.prompt(rounds._instrument), message_id)
    return rid


def reminder_rows(db_path) -> list[tuple]:
    return rows(db_path, "SELECT user_id, due_at, asked_at, offered_at, off_at FROM reminders")


def ledger(db_path) -> list[tuple]:
    return rows(
        db_path,
        "SELECT kind, recipient, period, claimed_at, outcome, settled_at FROM deliveries"
        " ORDER BY claimed_at, recipient",
    )


async def send_all(deliveries: Deliveries, outcome: Outcome = Outcome.SENT) -> list[Due]:
    """What the scheduler does at a tick, with Telegram answering ``outcome`` every time."""
    sent = []
    for due in await deliveries.due():
        if await deliveries.claim(due):
            await deliveries.settle(due, outcome)
            sent.append(due)
    return sent


# -- the offer after Pauze, and the answers to it ------------------------------------------------


async def test_pauze_offers_a_reminder_and_that_counts_as_the_offer(rounds, db_path):
    rid = await half_done(rounds)
    paused = await rounds.pause(ANNA.user_id, rid, "lef.2", 500)
    assert isinstance(paused, Paused) and paused.offer_reminder
    assert reminder_rows(db_path) == [(1001, None, None, NOON_TEXT, None)]


async def test_remind_me_in_1_3_or_7_days(rounds, reminders, db_path, hands):
    rid = await half_done(rounds)
    assert await reminders.ask(ANNA.user_id, rid, 1) == Moment(at(15, 11))
    assert reminder_rows(db_path) == [(1001, "2026-01-15T11:00:00+00:00", NOON_TEXT, None, None)]
    # asking again replaces it
    assert await reminders.ask(ANNA.user_id, rid, 7) == Moment(at(21, 11))
    # at 20:30 CET, in 3 days: Saturday 20:30 CET, not quiet yet
    hands.at = at(14, 19, 30)
    assert await reminders.ask(ANNA.user_id, rid, 3) == Moment(at(17, 19, 30))
    # at 22:30 CET, in 1 day: Thursday 22:30 is quiet, so Friday 09:00 CET
    hands.at = at(14, 21, 30)
    assert await reminders.ask(ANNA.user_id, rid, 1) == Moment(at(16, 8), later_for_quiet=True)
    assert reminder_rows(db_path) == [
        (1001, "2026-01-16T08:00:00+00:00", "2026-01-14T21:30:00+00:00", None, None)
    ]


async def test_no_thanks_cancels_and_off_is_for_good_until_turned_on(rounds, reminders, db_path):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 3)
    assert await reminders.decline(ANNA.user_id) is None
    assert reminder_rows(db_path) == [(1001, None, None, None, None)]
    await reminders.ask(ANNA.user_id, rid, 3)
    assert await reminders.turn_off(ANNA.user_id) is None
    assert reminder_rows(db_path) == [(1001, None, None, None, NOON_TEXT)]
    # Pauze now offers to turn them on, and offers no reminder
    paused = await rounds.pause(ANNA.user_id, rid, "lef.2", 500)
    assert not paused.offer_reminder
    assert reminder_rows(db_path) == [(1001, None, None, None, NOON_TEXT)]
    # on again, with the round half done: the offer follows
    assert await reminders.turn_on(ANNA.user_id, rid) is True
    assert reminder_rows(db_path) == [(1001, None, None, NOON_TEXT, None)]


async def test_turning_on_with_nothing_half_done_offers_nothing(rounds, reminders, db_path):
    situation, _ = await rounds.begin(ANNA)
    rid = situation.round.round_id
    await reminders.turn_off(ANNA.user_id)
    assert await reminders.turn_on(ANNA.user_id, rid) is False
    assert reminder_rows(db_path) == [(1001, None, None, None, None)]


async def test_an_offer_of_another_round_or_person_is_refused(rounds, reminders, db_path):
    rid = await half_done(rounds)
    bo_rid = await half_done(rounds, BO)
    assert await reminders.ask(ANNA.user_id, bo_rid, 1) is Refusal.EXPIRED
    assert await reminders.ask(ANNA.user_id, rid + 100, 1) is Refusal.EXPIRED
    # a round that is complete needs no reminder
    for _ in range(3):
        await rounds.answer(ANNA.user_id, 1)
    assert await reminders.ask(ANNA.user_id, rid, 1) is Refusal.EXPIRED
    # somebody the bot does not know (never started, or wiped)
    assert await reminders.ask(3003, rid, 1) is Refusal.EXPIRED
    assert await reminders.decline(3003) is Refusal.EXPIRED
    assert await reminders.turn_off(3003) is Refusal.EXPIRED
    assert await reminders.turn_on(3003, rid) is Refusal.EXPIRED
    assert reminder_rows(db_path) == []


async def test_going_on_cancels_the_reminder(rounds, reminders, db_path):
    rid = await half_done(rounds)
    waiting = (1001, "2026-01-15T11:00:00+00:00", NOON_TEXT, None, None)
    cancelled = (1001, None, None, None, None)
    goings_on = {
        "an answer": lambda: rounds.answer(ANNA.user_id, 3),
        "/verder": lambda: rounds.resume(ANNA.user_id),
        "/start": lambda: rounds.begin(ANNA),
        "a go-on button": lambda: rounds.go_on(ANNA.user_id, rid),
    }
    for what, go_on in goings_on.items():
        await reminders.ask(ANNA.user_id, rid, 1)
        assert reminder_rows(db_path) == [waiting], what
        await go_on()
        assert reminder_rows(db_path) == [cancelled], what
    # a new round: the old round's reminder is gone
    await reminders.ask(ANNA.user_id, rid, 1)
    await rounds.new_round(ANNA.user_id, rid)
    assert reminder_rows(db_path) == [cancelled]


# -- the reminder: due at its time, sent once ----------------------------------------------------


async def test_a_reminder_is_due_at_its_time_and_sent_once(
    rounds, reminders, deliveries, db_path, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 10, 59, 59)
    assert await deliveries.due() == []
    hands.at = at(15, 11)
    due = Due("reminder", 1001, "2026-01-15T11:00:00+00:00", "nl", "Anna", rid)
    assert await deliveries.due() == [due]
    assert await deliveries.claim(due) is True
    assert await deliveries.claim(due) is False  # being sent: not a second time
    assert ledger(db_path) == [
        ("reminder", 1001, "2026-01-15T11:00:00+00:00", "2026-01-15T11:00:00+00:00", None, None)
    ]
    hands.at = at(15, 11, 0, 1)
    await deliveries.settle(due, Outcome.SENT)
    assert ledger(db_path) == [
        (
            "reminder",
            1001,
            "2026-01-15T11:00:00+00:00",
            "2026-01-15T11:00:00+00:00",
            "sent",
            "2026-01-15T11:00:01+00:00",
        )
    ]
    assert reminder_rows(db_path) == [(1001, None, None, None, None)]
    assert await deliveries.due() == []
    assert await deliveries.claim(due) is False
    # the next reminder a week after this one at the earliest: Thursday 22 January 12:00 CET
    hands.at = at(15, 12)
    assert await reminders.ask(ANNA.user_id, rid, 1) == Moment(at(22, 11), later_for_week=True)


async def test_a_restart_between_claim_and_settle_sends_it_again_once(
    database, clock, rounds, reminders, deliveries, db_path, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    # killed here: claimed, never settled. The next bot releases the claim at start-up.
    restarted = Deliveries(database, clock, (DueReminders(), DueStandstillOffers()))
    assert await restarted.release_unsettled() == 1
    assert ledger(db_path) == []
    hands.at = at(15, 11, 1)
    assert await send_all(restarted) == [due]
    assert await restarted.release_unsettled() == 0
    assert await send_all(restarted) == []
    assert [row[4] for row in ledger(db_path)] == ["sent"]


async def test_no_reminder_goes_in_quiet_hours(rounds, reminders, deliveries, hands):
    rid = await half_done(rounds)
    hands.at = at(14, 19, 30)  # 20:30 CET
    await reminders.ask(ANNA.user_id, rid, 1)  # Thursday 20:30 CET
    hands.at = at(15, 20)  # 21:00 CET: the bot was busy (or down) at 20:30
    assert await deliveries.due() == []
    hands.at = at(16, 7, 59)  # 08:59 CET
    assert await deliveries.due() == []
    hands.at = at(16, 8)  # 09:00 CET
    assert [d.period for d in await deliveries.due()] == ["2026-01-15T19:30:00+00:00"]


async def test_a_person_who_went_on_after_the_list_was_made_is_not_claimed(
    rounds, reminders, deliveries, db_path, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    (due,) = await deliveries.due()
    await rounds.answer(ANNA.user_id, 1)  # while the scheduler sends to others first
    assert await deliveries.claim(due) is False
    assert ledger(db_path) == []


async def test_wis_while_the_reminder_is_being_sent(
    rounds, reminders, deliveries, people, db_path, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    assert await people.delete(ANNA.user_id)
    await deliveries.settle(due, Outcome.SENT)  # nothing left to settle; no error
    assert ledger(db_path) == [] and reminder_rows(db_path) == []
    assert rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)]


# -- a round that stood still for 3 days ---------------------------------------------------------


async def test_a_standstill_of_3_days_gets_one_offer(rounds, deliveries, db_path, hands):
    rid = await half_done(rounds)  # the last answer: Wednesday 12:00 CET
    hands.at = at(17, 10, 59, 59)
    assert await deliveries.due() == []
    hands.at = at(17, 11)  # Saturday 12:00 CET: 72 hours later
    offer = Due("standstill", 1001, f"{rid}@{NOON_TEXT}", "nl", "Anna", rid)
    assert await send_all(deliveries) == [offer]
    assert reminder_rows(db_path) == [(1001, None, None, "2026-01-17T11:00:00+00:00", None)]
    # once for this standstill
    for day in (18, 24, 31):
        hands.at = at(day, 11)
        assert await deliveries.due() == []


async def test_the_next_standstill_gets_its_offer_a_week_after_the_last(rounds, deliveries, hands):
    rid = await half_done(rounds)
    hands.at = at(17, 11)
    assert len(await send_all(deliveries)) == 1  # Saturday 17 January 12:00 CET
    hands.at = at(18, 11)
    await rounds.answer(ANNA.user_id, 3)  # Sunday: going on, then stood still again
    hands.at = at(21, 11)  # 72 hours later, but only 4 days after the last offer
    assert await deliveries.due() == []
    hands.at = at(24, 10, 59, 59)
    assert await deliveries.due() == []
    hands.at = at(24, 11)  # a week after the last offer
    (offer,) = await send_all(deliveries)
    assert offer.period == f"{rid}@2026-01-18T11:00:00+00:00"


async def test_a_standstill_counts_from_the_last_visit_when_that_came_later(
    rounds, deliveries, people, hands
):
    rid = await half_done(rounds)
    hands.at = at(16, 9)  # Friday 10:00 CET: the person opens the bot (/overzicht, say)
    await people.seen(ANNA.user_id)
    hands.at = at(17, 11)
    assert await deliveries.due() == []
    hands.at = at(19, 9)  # Monday 10:00 CET: 72 hours after the visit
    (offer,) = await deliveries.due()
    assert offer.period == f"{rid}@2026-01-16T09:00:00+00:00"


async def test_no_standstill_offer_after_pauze_with_a_reminder_waiting_or_reminders_off(
    rounds, reminders, deliveries, hands
):
    rid = await half_done(rounds)
    await rounds.pause(ANNA.user_id, rid, "lef.2", 500)  # offered after Pauze; no answer
    hands.at = at(20, 11)
    assert await deliveries.due() == []
    # a reminder in a week waits: no offer either
    hands.at = at(21, 11)
    await rounds.answer(ANNA.user_id, 3)  # a new standstill
    await reminders.ask(ANNA.user_id, rid, 7)  # Wednesday 28 January
    hands.at = at(25, 11)
    assert await deliveries.due() == []
    # off for good: no offer for any standstill
    await reminders.turn_off(ANNA.user_id)
    hands.at = at(28, 11)
    assert await deliveries.due() == []
    await rounds.answer(ANNA.user_id, 3)
    hands.at = at(10, 11, month=2)
    assert await deliveries.due() == []


async def test_no_standstill_offer_before_answering_or_after_the_last_answer(
    rounds, deliveries, hands
):
    await rounds.begin(ANNA)  # choosing
    await half_done(rounds, BO)
    for _ in range(3):
        await rounds.answer(BO.user_id, 1)  # Bo's round is complete
    hands.at = at(24, 11)
    assert await deliveries.due() == []


async def test_a_quiet_standstill_waits_for_9(rounds, deliveries, hands):
    hands.at = at(14, 20, 30)  # the last answer at 21:30 CET
    await half_done(rounds)
    hands.at = at(17, 20, 30)  # 72 hours later: quiet
    assert await deliveries.due() == []
    hands.at = at(18, 8)  # Sunday 09:00 CET
    assert len(await deliveries.due()) == 1


# -- people who blocked the bot ------------------------------------------------------------------


async def test_a_person_who_blocked_the_bot_gets_nothing_until_they_write_again(
    rounds, reminders, deliveries, people, db_path, hands
):
    rid = await half_done(rounds)
    bo_rid = await half_done(rounds, BO)
    await reminders.ask(ANNA.user_id, rid, 1)
    await reminders.ask(BO.user_id, bo_rid, 1)
    hands.at = at(15, 11)
    due = await deliveries.due()
    assert [d.recipient for d in due] == [1001, 2002]
    assert await deliveries.claim(due[0])
    await deliveries.settle(due[0], Outcome.BLOCKED)  # Telegram: Forbidden
    assert await deliveries.claim(due[1])
    await deliveries.settle(due[1], Outcome.SENT)
    assert rows(db_path, "SELECT user_id, blocked_at FROM users ORDER BY user_id") == [
        (1001, "2026-01-15T11:00:00+00:00"),
        (2002, None),
    ]
    # no standstill offer, no reminder for Anna while she blocks the bot
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(25, 11)
    assert [d.recipient for d in await deliveries.due()] == [2002]  # Bo's standstill offer
    # she writes again: she may get messages again
    await people.seen(ANNA.user_id)
    assert rows(db_path, "SELECT blocked_at FROM users WHERE user_id = 1001") == [(None,)]
    assert [(d.kind, d.recipient) for d in await deliveries.due()] == [
        ("reminder", 1001),
        ("standstill", 2002),
    ]


async def test_a_blocked_person_is_not_claimed_even_when_listed(
    rounds, reminders, deliveries, people, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    (due,) = await deliveries.due()
    await people.blocked(ANNA.user_id)  # a reply to her failed meanwhile
    assert await deliveries.claim(due) is False


# -- what /mijngegevens shows ---------------------------------------------------------------------


async def test_the_export_has_the_reminders(rounds, reminders, deliveries, people, hands):
    rid = await half_done(rounds)
    await rounds.pause(ANNA.user_id, rid, "lef.2", 500)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    await send_all(deliveries)
    hands.at = at(15, 12)
    await reminders.ask(ANNA.user_id, rid, 3)
    exported = await people.export(ANNA.user_id)
    assert exported["person"]["blocked_bot_at"] is None
    assert exported["reminders"] == {
        "reminder_asked_for": "2026-01-22T11:00:00+00:00",  # a week after the last one
        "asked_at": "2026-01-15T12:00:00+00:00",
        "last_offered_at": NOON_TEXT,
        "turned_off_at": None,
        "sent": [{"message": "reminder", "at": "2026-01-15T11:00:00+00:00", "outcome": "sent"}],
    }


# -- the ledger with any kind of message ----------------------------------------------------------


class Weekly:
    """A kind of message like a digest: due for whoever ``due`` lists, with no rules of its own
    about people who blocked the bot. Notes what the ledger asks and tells it."""

    kind = "weekly"

    def __init__(self, *due: Due) -> None:
        self.listed = list(due)
        self.asked: list[int | None] = []
        self.told: list[tuple[Due, Outcome, str]] = []

    async def due(self, tx, now, recipient=None) -> list[Due]:
        self.asked.append(recipient)
        return [d for d in self.listed if recipient in (None, d.recipient)]

    async def delivered(self, tx, due, outcome, now) -> None:
        self.told.append((due, outcome, now))


def weekly(visitor: Visitor) -> Due:
    return Due("weekly", visitor.user_id, "2026-W03", visitor.language, visitor.first_name, 17)


async def test_any_kind_is_claimed_once_for_its_recipient_and_told_how_it_went(
    database, clock, rounds, db_path
):
    await rounds.begin(ANNA)
    await rounds.begin(BO)
    kind = Weekly(weekly(ANNA), weekly(BO))
    deliveries = Deliveries(database, clock, (kind,))
    assert await deliveries.due() == [weekly(ANNA), weekly(BO)]
    assert await deliveries.claim(weekly(BO))
    assert kind.asked == [None, 2002]  # the claim asks about that one person only
    await deliveries.settle(weekly(BO), Outcome.UNKNOWN)
    assert kind.told == [(weekly(BO), Outcome.UNKNOWN, NOON_TEXT)]
    assert await deliveries.claim(weekly(BO)) is False  # the ledger remembers it
    assert ledger(db_path) == [("weekly", 2002, "2026-W03", NOON_TEXT, "unknown", NOON_TEXT)]


async def test_nobody_blocked_or_unknown_is_claimed_whatever_the_kind_says(
    database, clock, rounds, people, db_path
):
    await rounds.begin(ANNA)
    await people.blocked(ANNA.user_id)
    stranger = Visitor(3003, "Cas", "nl")  # never started, or wiped
    deliveries = Deliveries(database, clock, (Weekly(weekly(ANNA), weekly(stranger)),))
    assert await deliveries.claim(weekly(ANNA)) is False
    assert await deliveries.claim(weekly(stranger)) is False
    assert ledger(db_path) == []


async def test_a_claim_released_after_a_network_failure_is_due_again(
    rounds, reminders, deliveries, db_path, hands
):
    rid = await half_done(rounds)
    await reminders.ask(ANNA.user_id, rid, 1)
    hands.at = at(15, 11)
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    await deliveries.release(due)
    assert ledger(db_path) == []
    assert await deliveries.due() == [due]
    assert await deliveries.claim(due)


async def test_each_kind_lists_only_the_recipient_asked_about(database, rounds, reminders, hands):
    rids = [await half_done(rounds, visitor) for visitor in (ANNA, BO)]
    hands.at = at(17, 11)  # both rounds have stood still for 3 days
    offers = DueStandstillOffers()
    async with database.transaction() as tx:
        assert [d.recipient for d in await offers.due(tx, hands.at)] == [1001, 2002]
        assert [d.recipient for d in await offers.due(tx, hands.at, 2002)] == [2002]
    for visitor, rid in zip((ANNA, BO), rids, strict=True):
        await reminders.ask(visitor.user_id, rid, 1)
    hands.at = at(18, 11)
    asked = DueReminders()
    async with database.transaction() as tx:
        assert [d.recipient for d in await asked.due(tx, hands.at)] == [1001, 2002]
        assert [d.recipient for d in await asked.due(tx, hands.at, 2002)] == [2002]


async def test_one_person_without_an_offer_does_not_hold_up_the_next(
    rounds, reminders, deliveries, hands
):
    await half_done(rounds)
    await half_done(rounds, BO)
    await reminders.turn_off(ANNA.user_id)  # Anna first, and she wants none
    hands.at = at(17, 11)
    assert [(d.kind, d.recipient) for d in await deliveries.due()] == [("standstill", 2002)]


async def test_the_first_block_is_kept(rounds, people, db_path, hands):
    await rounds.begin(ANNA)
    await people.blocked(ANNA.user_id)
    hands.at = at(15, 11)
    await people.blocked(ANNA.user_id)
    assert rows(db_path, "SELECT blocked_at FROM users") == [(NOON_TEXT,)]


async def test_verder_says_where_the_person_is(rounds):
    await half_done(rounds)
    resumed = await rounds.resume(ANNA.user_id)
    assert resumed.person.first_name == "Anna"
    assert resumed.prompt.position.statement.id == "lef.2"
