"""The scheduler sending one claimed message (bot/jobs.py): how each answer of Telegram is
settled, in the recipient's language."""

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
    return SimpleNamespace(deps=SimpleNamespace(content=load_content()))


async def deliver(context, monkeypatch, telegram: Telegram, due: Due = ANNA) -> Ledger:
    monkeypatch.setattr(jobs, "_SENDERS", {"reminder": telegram})
    ledger = Ledger()
    await jobs._deliver(context, ledger, due)
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
    ledger = await deliver(context, monkeypatch, Telegram(NetworkError("Bad Gateway")))
    assert ledger.settled == [] and ledger.released == [ANNA]


async def test_a_bug_is_settled_as_failed_and_raised(context, monkeypatch):
    monkeypatch.setattr(jobs, "_SENDERS", {"reminder": Telegram(KeyError("reminders.nope"))})
    ledger = Ledger()
    with pytest.raises(KeyError):
        await jobs._deliver(context, ledger, ANNA)
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


def test_every_kind_has_a_sender(context):
    kinds = [kind.kind for kind in jobs._kinds()]
    assert kinds == ["reminder", "standstill", "digest"]
    assert set(jobs._SENDERS) == set(kinds)


# -- one tick: the next picture is drawn while a message goes out -----------------------------

A, B, C = (Due("digest", 5001 + n, "2026-W50:1", "nl", "Carla", n + 1) for n in range(3))


class Tick:
    """Deliveries whose ``claims`` say which of A, B, C may be claimed; the events in order."""

    def __init__(self, dues: list[Due], claims: set[Due]) -> None:
        self.dues, self.claims = dues, claims
        self.events: list[str] = []

    async def due(self) -> list[Due]:
        return self.dues

    async def claim(self, due: Due) -> bool:
        return due in self.claims

    async def settle(self, due: Due, outcome: Outcome, shown: str | None = None) -> None:
        self.events.append(f"settle {due.about}")

    def recorder(self, what: str):
        async def record(context, texts, due: Due) -> None:
            self.events.append(f"{what} {due.about}")

        return record


def waking(context, monkeypatch, ledger: Tick, drawer=None, processor=None) -> asyncio.Task:
    """A wake-up of the scheduler over ``ledger``, started."""
    processor = processor or PerUserUpdateProcessor()
    context.application = SimpleNamespace(running=True, update_processor=processor)
    context.deps.settings = SimpleNamespace(retention_days=None)
    monkeypatch.setattr(jobs, "_deliveries", lambda application: ledger)
    monkeypatch.setattr(jobs, "_SENDERS", {"digest": ledger.recorder("send")})
    monkeypatch.setattr(jobs, "_DRAWERS", {"digest": drawer or ledger.recorder("draw")})
    return asyncio.create_task(jobs.tick(context))


async def tick(context, monkeypatch, dues: list[Due], claims: set[Due], drawer=None) -> list[str]:
    ledger = Tick(dues, claims)
    await waking(context, monkeypatch, ledger, drawer)
    return ledger.events


async def test_the_next_picture_is_drawn_before_a_message_goes_out(context, monkeypatch):
    events = await tick(context, monkeypatch, [A, B, C], {A, B, C})
    assert events == [
        *("draw 1", "draw 2", "send 1", "settle 1"),
        *("draw 3", "send 2", "settle 2"),
        *("send 3", "settle 3"),
    ]


async def test_a_message_not_claimed_is_neither_sent_nor_drawn_again(context, monkeypatch):
    # B is no longer due (its coordinator stepped down meanwhile): its picture was drawn in
    # vain; C's is drawn once it is claimed
    events = await tick(context, monkeypatch, [A, B, C], {A, C})
    assert events == [
        *("draw 1", "draw 2", "send 1", "settle 1"),
        *("draw 3", "send 3", "settle 3"),
    ]
    assert await tick(context, monkeypatch, [], set()) == []


async def test_a_failed_drawing_leaves_the_sending_to_the_sender(context, monkeypatch, caplog):
    async def broken(context, texts, due: Due) -> None:
        raise ValueError("a bug")

    assert await tick(context, monkeypatch, [A], {A}, broken) == ["send 1", "settle 1"]
    assert "drawing a digest ahead failed" in caplog.text


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
    assert ledger.events == ["draw 1", "send 1", "settle 1"]
