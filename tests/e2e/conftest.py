"""End-to-end: the real bot process (`python -m bot`) against the project's Bot API emulator.

Tests act as people through the emulator (type, tap, restart the bot) and read what the bot
sent. Every test runs twice: with the bot long polling, and with the bot in webhook mode (the
emulator posts the updates to the bot's webhook server). Every test ends by checking that the
bot broke no Bot API rule, left no tap unanswered, logged no traceback, and logged no names,
answers, token or webhook secret.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from emulator import BotApiEmulator, MessageRecord
from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "424242:e2e-secret-token"
WEBHOOK_SECRET = "e2e-webhook-secret_42"


class BotProcess:
    """One run of `python -m bot`; a test may start several on the same database.

    With ``webhook_port`` the bot runs in webhook mode on that port of 127.0.0.1.
    """

    def __init__(
        self,
        emulator: BotApiEmulator,
        db_path: Path,
        log_path: Path,
        settings: dict[str, str] | None = None,
        webhook_port: int | None = None,
    ) -> None:
        self._emulator = emulator
        self._db_path = db_path
        self._log_path = log_path
        self._settings = settings or {}
        self._webhook_port = webhook_port
        self._process: asyncio.subprocess.Process | None = None

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self._webhook_port}/telegram"

    @property
    def environment(self) -> dict[str, str]:
        """The bot's environment: its settings, for `python -m bot` and its commands."""
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": self._emulator.base_url,
            "BOT_DB_PATH": str(self._db_path),
            **self._settings,
        }
        if self._webhook_port is not None:
            env |= {
                "BOT_WEBHOOK_URL": self.webhook_url,
                "BOT_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "BOT_WEBHOOK_PORT": str(self._webhook_port),
            }
        return env

    async def start(self) -> None:
        env = self.environment
        log = self._log_path.open("ab")
        ready = self._readiness()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log
        )
        log.close()
        await self._emulator.wait_for(ready, timeout=20)
        if self._webhook_port is not None:
            await asyncio.wait_for(self._listening(), timeout=20)

    def _readiness(self) -> Callable[[], bool]:
        """True once the bot polls, or in webhook mode, has set its webhook."""
        if self._webhook_port is None:
            polls = self._emulator.polls
            return lambda: self._emulator.polls > polls
        webhooks = self._emulator.webhooks_set
        return lambda: self._emulator.webhooks_set > webhooks

    async def _listening(self) -> None:
        """Return once the webhook server takes connections: python-telegram-bot starts it
        right after setWebhook is answered. (Updates sent before are posted again until they
        arrive; this is for a test that stops the bot at once, in the middle of starting.)"""
        while True:
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", self._webhook_port)
            except OSError:
                await asyncio.sleep(0.05)
                continue
            writer.close()
            await writer.wait_closed()
            return

    async def kill(self) -> None:
        """As `kill -9`: no clean shutdown at all. Taps the bot had taken and not answered
        are lost with it (see BotApiEmulator.bot_killed)."""
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()
        self._emulator.bot_killed()

    async def stop(self) -> int:
        if self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._process.wait(), timeout=15)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        return self._process.returncode


Until = str | Callable[[list[MessageRecord]], object]

# Generous: a step on a loaded CI machine can be slow; a step that never comes fails here.
STEP_TIMEOUT = 30.0


@dataclass
class Person:
    """Somebody chatting with the bot in a private chat.

    Every step waits for what must come of it (``until``: a text that must appear in a message
    the bot sends or edits after the step, or a test on those messages), and for the bot to
    have fetched the update and answered the tap. Never for a quiet moment: a slow moment
    cannot make a test read a half-finished state. Where silence is what must come, the test
    calls :meth:`settle`.
    """

    emulator: BotApiEmulator
    user_id: int
    first_name: str
    language_code: str | None = None
    seen: list[MessageRecord] = field(default_factory=list)
    timeout: float = STEP_TIMEOUT  # seconds a step may take

    async def send(self, text: str, *, until: Until) -> list[MessageRecord]:
        return await self._step(
            lambda: self.emulator.send_text(
                self.user_id, text, first_name=self.first_name, language_code=self.language_code
            ),
            until,
        )

    async def tap(
        self, label: str, message_id: int | None = None, *, until: Until
    ) -> list[MessageRecord]:
        return await self._step(
            lambda: self.emulator.tap(self.user_id, label, message_id=message_id), until
        )

    async def tap_data(self, message_id: int, data: str, *, until: Until) -> list[MessageRecord]:
        """A tap with any callback data: forged, or from an old message."""
        return await self._step(
            lambda: self.emulator.tap_data(self.user_id, message_id, data), until
        )

    async def settle(self) -> None:
        """Wait until the bot has handled everything this person sent so far. The bot handles one
        person's updates in order, so once /help is answered all before it is done; /help
        changes nothing."""
        await self.send("/help", until="/privacy – ")  # the command list, in any language

    async def _step(self, act, until: Until) -> list[MessageRecord]:
        start = self.emulator.seq
        await act()

        def new() -> list[MessageRecord]:
            return [m for m in self.messages if m.changed_seq > start and not m.deleted]

        def done() -> object:
            if self.emulator.pending(self.user_id):
                return False
            if isinstance(until, str):
                return any(until in shown(m) for m in new())
            return until(new())

        await self.emulator.wait_for(done, timeout=self.timeout, chat_id=self.user_id)
        self.seen = new()
        return self.seen

    @property
    def messages(self) -> list[MessageRecord]:
        return self.emulator.bot_messages(self.user_id)

    @property
    def last(self) -> MessageRecord:
        return self.messages[-1]

    def with_buttons(self) -> list[MessageRecord]:
        return [m for m in self.messages if m.buttons and not m.deleted]

    def text(self) -> str:
        """Everything the bot said in this chat, as it reads now."""
        return "\n".join(m.text or m.caption or "" for m in self.messages)

    @property
    def open_statement(self) -> MessageRecord:
        (message,) = live_statements(self.messages)
        return message

    async def answer(self, label: str, *, until: Until | None = None) -> list[MessageRecord]:
        """Tap an answer on the open statement; by default wait for the next statement (or, after
        the last one, for "Klaar!")."""
        statement = self.open_statement
        return await self.tap(
            label, statement.message_id, until=until or next_statement_after(statement)
        )


def shown(message: MessageRecord) -> str:
    """What a person sees of a message: its text (or caption) and its button labels."""
    return "\n".join([message.text or message.caption or "", *message.button_labels])


def live_statements(messages: list[MessageRecord]) -> list[MessageRecord]:
    """Statement messages that still carry answer buttons."""
    return [
        m
        for m in messages
        if not m.deleted
        and any((data or "").startswith("a|") for row in m.buttons for _, data in row)
    ]


def statement_with(text: str) -> Callable[[list[MessageRecord]], bool]:
    """Until: a statement with live buttons arrived that says ``text`` (a hint above it)."""
    return lambda new: any(text in (m.text or "") for m in live_statements(new))


def next_statement_after(statement: MessageRecord) -> Callable[[list[MessageRecord]], bool]:
    def arrived(new: list[MessageRecord]) -> bool:
        return any(
            (m.message_id != statement.message_id and live_statements([m])) or "Klaar!" in m.text
            for m in new
        )

    return arrived


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator() as running:
        yield running


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.sqlite3"


@pytest.fixture
def bot_log(tmp_path: Path) -> Path:
    return tmp_path / "bot.log"


@pytest.fixture(params=["polling", "webhook"])
def delivery(request) -> str:
    """How the bot gets its updates; a test can fix one with
    ``@pytest.mark.parametrize("delivery", ["polling"])``."""
    return request.param


@pytest.fixture
def webhook_port(delivery) -> int | None:
    """A free port for the bot's webhook server, the same for every restart in a test."""
    if delivery == "polling":
        return None
    return free_port()


class BotClock:
    """Moves the running bot's clock forward (``BOT_CLOCK_FILE``), for links that expire and
    messages that fall due after days; time goes on running from there."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._ahead = timedelta(0)

    def advance(self, by: timedelta) -> None:
        self._ahead += by
        self.path.write_text(str(self._ahead.total_seconds()))

    def now(self) -> datetime:
        """The running bot's time."""
        return datetime.now(UTC) + self._ahead

    def move_to(self, moment: datetime) -> None:
        """Move the bot's time to ``moment`` (an aware datetime); it runs on from there."""
        self.advance(moment - self.now())


@pytest.fixture
def clock(tmp_path: Path) -> BotClock:
    return BotClock(tmp_path / "clock")


@pytest.fixture
async def bots(emulator, db_path, bot_log) -> AsyncIterator[list[BotProcess]]:
    """Bot processes of a test; each test starts the first with ``await start_bot()``."""
    started: list[BotProcess] = []
    yield started
    for process in started:
        await process.stop()
    emulator.assert_no_rule_breaks()
    assert not emulator.unanswered_callback_queries()
    for chat_id in emulator.private_chats():
        # Only the open statement may carry answer buttons (and one sent just before a kill,
        # which the bot may not have noted).
        live = live_statements(emulator.bot_messages(chat_id))
        assert len([m for m in live if not emulator.left_by_a_kill(m)]) <= 1, chat_id
    log = bot_log.read_text(errors="replace") if bot_log.exists() else ""
    assert "Traceback" not in log, log
    assert TOKEN.split(":")[1] not in log
    assert WEBHOOK_SECRET not in log


@pytest.fixture
def start_bot(emulator, db_path, bot_log, bots, webhook_port, clock):
    async def start(**settings: str) -> BotProcess:
        """Start `python -m bot`; ``settings`` are extra environment variables (BOT_...)."""
        settings = {"BOT_CLOCK_FILE": str(clock.path), **settings}
        process = BotProcess(emulator, db_path, bot_log, settings, webhook_port)
        await process.start()
        bots.append(process)
        return process

    return start


@pytest.fixture
async def anna(emulator, start_bot, bot_log) -> AsyncIterator[Person]:
    await start_bot()
    person = Person(emulator, 1001, "Annadorothea")
    yield person
    # Names and what people typed never reach the log.
    log = bot_log.read_text(errors="replace")
    assert person.first_name not in log
    assert "Meestal waar" not in log and "Zeer waar" not in log


def rows(db_path: Path, sql: str, *args: object) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute(sql, args).fetchall()
