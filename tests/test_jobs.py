"""The scheduler (bot/jobs.py): how each answer of Telegram to one claimed message is settled,
in the recipient's language; and one wake-up, which claims and works out each message while the
one before it goes out."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot import jobs
from bot.processing import PerUserUpdateProcessor
from content import load_content
from services.deliveries import Due, Outcome, Sent
from tests.test_processing import update_from

ANNA = Due("reminder", 1001, "2026-01-15T11:00:00+00:00", "nl", "Anna", 7)
BO = Due("reminder", 2002, "2026-01-15T11:00:00+00:00", "en", "Bo", 8)


class Ledger:
    def __init__(self) -> None:
        self.settled: list[tuple[Due, Sent]] = []
        self.released: list[Due] = []

    async def settle(self, due: Due, outcome: Outcome, shown: str | None = None) -> None:
        self.settled.append((due, Sent(outcome, shown)))

    async def release(self, due: Due) -> None:
        self.released.append(due)


class Telegram:
    """A sender that meets the answers given, one per attempt, and then succeeds."""

    def __init__(self, *answers: Exception) -> None:
        self.answers = list(answers)
        self.attempts: list[str] = []

    async def __call__(self, context, texts, due: Due) -> None:
        self.attempts.append(texts("reminders.no"))
        if self.answers:
            raise self.answers.pop(0)


@pytest.fixture
def context():
    return SimpleNamespace(
        deps=SimpleNamespace(content=load_content()),
        application=SimpleNamespace(running=True, update_processor=PerUserUpdateProcessor()),
    )


async def deliver(
    context,
    monkeypatch,
    telegram: Telegram,
    due: Due = ANNA,
    goes_on: bool = True,
    ledger: Ledger | None = None,
) -> Ledger:
    """The claimed ``due`` worked out and sent; ``goes_on``: whether the tick goes on after."""
    monkeypatch.setattr(jobs, "_SENDERS", {"reminder": telegram})
    ledger = ledger or Ledger()
    sending = await jobs._prepare(context, ledger, due)
    assert await jobs._deliver(context, ledger, due, sending) is goes_on
    return ledger


@pytest.mark.parametrize(
    ("answer", "outcome"),
    [
        (Forbidden("Forbidden: bot was blocked by the user"), Outcome.BLOCKED),
        (BadRequest("Bad Request: chat not found"), Outcome.FAILED),
        (TimedOut(), Outcome.UNKNOWN),
    ],
)
async def test_what_telegram_answers_is_settled(context, monkeypatch, answer, outcome):
    telegram = Telegram(answer)
    ledger = await deliver(context, monkeypatch, telegram)
    assert ledger.settled == [(ANNA, Sent(outcome))] and ledger.released == []
    assert telegram.attempts == ["Nee, dank je"]  # once: none of these is tried again


async def test_sent_in_the_recipients_language(context, monkeypatch):
    telegram = Telegram()
    ledger = await deliver(context, monkeypatch, telegram, BO)
    assert ledger.settled == [(BO, Sent(Outcome.SENT, None))]
    assert telegram.attempts == ["No, thank you"]


@pytest.mark.parametrize(
    "said", [Sent(Outcome.SKIPPED), Sent(shown="f1"), Sent(Outcome.SENT, "f2")]
)
async def test_what_the_sender_says_happened_is_settled(context, monkeypatch, said):
    """Nothing to send after all, or what the message showed, goes in the ledger as said."""

    async def sender(context, texts, due: Due) -> Sent:
        return said

    ledger = await deliver(context, monkeypatch, sender)
    assert ledger.settled == [(ANNA, said)]


async def test_flood_control_is_waited_out(context, monkeypatch):
    telegram = Telegram(RetryAfter(0), RetryAfter(0))
    ledger = await deliver(context, monkeypatch, telegram)
    assert ledger.settled == [(ANNA, Sent(Outcome.SENT))]
    assert len(telegram.attempts) == 3


async def test_a_network_failure_releases_the_claim_for_the_next_tick(context, monkeypatch):
    telegram = Telegram(NetworkError("Bad Gateway"))
    ledger = await deliver(context, monkeypatch, telegram, goes_on=False)
    assert ledger.settled == [] and ledger.released == [ANNA]


async def test_a_bug_is_settled_as_failed_and_raised(context, monkeypatch):
    ledger = Ledger()
    with pytest.raises(KeyError):
        await deliver(context, monkeypatch, Telegram(KeyError("reminders.nope")), ledger=ledger)
    assert ledger.settled == [(ANNA, Sent(Outcome.FAILED))]


async def test_a_wake_up_cut_short_by_the_bot_stopping_ends_quietly(context, monkeypatch):
    """APScheduler cancels a running job when the bot stops, and logs a job that raises the
    cancellation as an error with its traceback."""
    working = asyncio.Event()

    async def work(context) -> None:
        working.set()
        await asyncio.sleep(60)

    monkeypatch.setattr(jobs, "_work", work)
    wake_up = asyncio.create_task(jobs.tick(context))
    await working.wait()
    wake_up.cancel()
    assert await wake_up is None


def test_every_kind_has_one_sender(context):
    kinds = [kind.kind for kind in jobs._kinds()]
    assert kinds == ["reminder", "standstill", "digest"]
    assert set(jobs._SENDERS) | set(jobs._PREPARERS) == set(kinds)
    assert not set(jobs._SENDERS) & set(jobs._PREPARERS)


# -- one tick: each message claimed and worked out while the one before it goes out ----------

A, B, C = (Due("digest", 5001 + n, "2026-W50:1", "nl", "Carla", n + 1) for n in range(3))


class Tick:
    """Deliveries whose ``claims`` say which of A, B, C may be claimed, and a digest's sender
    whose ``telegram`` answers each sending (nothing: it arrives); the events in order."""

    def __init__(
        self, dues: list[Due], claims: set[Due], telegram: dict[Due, Exception] | None = None
    ) -> None:
        self.dues, self.claims, self.telegram = dues, claims, telegram or {}
        self.events: list[str] = []

    async def due(self) -> list[Due]:
        return self.dues

    async def claim(self, due: Due) -> bool:
        if due in self.claims:
            self.events.append(f"claim {due.about}")
        return due in self.claims

    async def settle(self, due: Due, outcome: Outcome, shown: str | None = None) -> None:
        self.events.append(f"settle {due.about} {outcome}")

    async def release(self, due: Due) -> None:
        self.events.append(f"release {due.about}")

    async def prepare(self, context, texts, due: Due):
        self.events.append(f"work out {due.about}")

        async def send() -> None:
            self.events.append(f"send {due.about}")
            if due in self.telegram:
                raise self.telegram[due]

        return send


def waking(context, monkeypatch, ledger: Tick, preparer=None, processor=None) -> asyncio.Task:
    """A wake-up of the scheduler over ``ledger``, started."""
    processor = processor or PerUserUpdateProcessor()
    context.application = SimpleNamespace(running=True, update_processor=processor)
    context.deps.settings = SimpleNamespace(retention_days=None)
    monkeypatch.setattr(jobs, "_deliveries", lambda application: ledger)
    monkeypatch.setattr(jobs, "_PREPARERS", {"digest": preparer or ledger.prepare})
    return asyncio.create_task(jobs.tick(context))


async def test_the_next_message_is_worked_out_while_one_goes_out(context, monkeypatch):
    ledger = Tick([A, B, C], {A, B, C})
    await waking(context, monkeypatch, ledger)
    assert ledger.events == [
        *("claim 1", "work out 1", "claim 2", "work out 2", "send 1", "settle 1 sent"),
        *("claim 3", "work out 3", "send 2", "settle 2 sent"),
        *("send 3", "settle 3 sent"),
    ]


async def test_a_message_not_claimed_is_not_worked_out(context, monkeypatch):
    # B is no longer due (its coordinator stepped down meanwhile)
    ledger = Tick([A, B, C], {A, C})
    await waking(context, monkeypatch, ledger)
    assert ledger.events == [
        *("claim 1", "work out 1", "claim 3", "work out 3", "send 1", "settle 1 sent"),
        *("send 3", "settle 3 sent"),
    ]


async def test_a_reminder_is_claimed_right_before_it_is_sent(context, monkeypatch):
    """Nothing to work out ahead: claimed and sent as soon as the message before it is sent."""
    r1, r2 = (Due("reminder", 1001, f"2026-12-0{n}", "nl", "Anna", 10 + n) for n in (1, 2))
    ledger = Tick([r1, A, B, r2], {r1, A, B, r2})

    async def remind(context, texts, due: Due) -> None:
        ledger.events.append(f"remind {due.about}")

    monkeypatch.setattr(jobs, "_SENDERS", {"reminder": remind})
    await waking(context, monkeypatch, ledger)
    assert ledger.events == [
        *("claim 11", "remind 11", "settle 11 sent"),
        *("claim 1", "work out 1", "claim 2", "work out 2", "send 1", "settle 1 sent"),
        *("send 2", "settle 2 sent", "claim 12", "remind 12", "settle 12 sent"),
    ]


async def test_without_network_the_claim_made_ahead_is_released_too(context, monkeypatch):
    ledger = Tick([A, B, C], {A, B, C}, {A: NetworkError("Bad Gateway")})
    await waking(context, monkeypatch, ledger)
    # the tick ends: A and B are due again at the next one, C was never claimed
    assert ledger.events == [
        *("claim 1", "work out 1", "claim 2", "work out 2", "send 1"),
        *("release 1", "release 2"),
    ]


async def test_a_bug_in_sending_releases_the_claim_made_ahead(context, monkeypatch):
    ledger = Tick([A, B, C], {A, B, C}, {A: ValueError("a bug")})
    with pytest.raises(ValueError):
        await waking(context, monkeypatch, ledger)
    assert ledger.events == [
        *("claim 1", "work out 1", "claim 2", "work out 2", "send 1"),
        *("settle 1 failed", "release 2"),
    ]


async def test_a_bug_in_working_out_is_settled_as_failed(context, monkeypatch):
    ledger = Tick([A, B, C], {A, B, C})

    async def broken(context, texts, due: Due):
        if due == B:
            raise ValueError("a bug")
        return await ledger.prepare(context, texts, due)

    with pytest.raises(ValueError):
        await waking(context, monkeypatch, ledger, broken)
    # not tried again and again; A, claimed ahead of B, is due again at the next tick
    assert ledger.events == [
        *("claim 1", "work out 1", "claim 2", "settle 2 failed", "release 1"),
    ]


async def test_a_tick_waits_while_a_persons_update_is_being_handled(context, monkeypatch):
    processor = PerUserUpdateProcessor()
    tap_done = asyncio.Event()
    tap = asyncio.create_task(processor.process_update(update_from(1, 7), tap_done.wait()))
    ledger = Tick([A], {A})
    wake_up = waking(context, monkeypatch, ledger, processor=processor)
    for _ in range(10):
        await asyncio.sleep(0)
    assert ledger.events == []  # not even claimed while the tap is handled
    tap_done.set()
    await asyncio.gather(tap, wake_up)
    assert ledger.events == ["claim 1", "work out 1", "send 1", "settle 1 sent"]
