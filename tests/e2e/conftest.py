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
import socket
import sqlite3
import sys
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from emulator import BotApiEmulator, MessageRecord

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
        webhook_port: int | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        self._emulator = emulator
        self._db_path = db_path
        self._log_path = log_path
        self._webhook_port = webhook_port
        self._env = env or {}
        self._process: asyncio.subprocess.Process | None = None

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self._webhook_port}/telegram"

    async def start(self) -> None:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": self._emulator.base_url,
            "BOT_DB_PATH": str(self._db_path),
            **self._env,
        }
        if self._webhook_port is not None:
            env |= {
                "BOT_WEBHOOK_URL": self.webhook_url,
                "BOT_WEBHOOK_SECRET": WEBHOOK_SECRET,
                "BOT_WEBHOOK_PORT": str(self._webhook_port),
            }
        log = self._log_path.open("ab")
        ready = self._readiness()
        self._process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=env, stdout=log, stderr=log
        )
        log.close()
        await self._emulator.wait_for(ready, timeout=20)

    def _readiness(self) -> Callable[[], bool]:
        """True once the bot polls, or in webhook mode, has set its webhook (updates sent
        before its server listens are posted again until they arrive)."""
        if self._webhook_port is None:
            polls = self._emulator.polls
            return lambda: self._emulator.polls > polls
        webhooks = self._emulator.webhooks_set
        return lambda: self._emulator.webhooks_set > webhooks

    async def kill(self) -> None:
        """As `kill -9`: no clean shutdown at all."""
        self._process.send_signal(signal.SIGKILL)
        await self._process.wait()

    async def stop(self) -> int:
        if self._process.returncode is None:
            self._process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._process.wait(), timeout=15)
            except TimeoutError:
                self._process.kill()
                await self._process.wait()
        return self._process.returncode


@dataclass
class Person:
    """Somebody chatting with the bot in a private chat."""

    emulator: BotApiEmulator
    user_id: int
    first_name: str
    seen: list[MessageRecord] = field(default_factory=list)

    async def send(self, text: str) -> list[MessageRecord]:
        await self.emulator.send_text(self.user_id, text, first_name=self.first_name)
        return await self.idle()

    async def tap(self, label: str, message_id: int | None = None) -> list[MessageRecord]:
        await self.emulator.tap(self.user_id, label, message_id=message_id)
        return await self.idle()

    async def idle(self) -> list[MessageRecord]:
        self.seen = await self.emulator.wait_idle(self.user_id, timeout=20)
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
        return "\n".join(m.text or "" for m in self.messages)

    @property
    def open_statement(self) -> MessageRecord:
        (message,) = [m for m in self.with_buttons() if "totaal" in (m.text or "")]
        return message

    async def answer(self, label: str) -> list[MessageRecord]:
        return await self.tap(label, self.open_statement.message_id)


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
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def bots(emulator, db_path, bot_log) -> AsyncIterator[list[BotProcess]]:
    """Bot processes of a test; each test starts the first with ``await start_bot()``."""
    started: list[BotProcess] = []
    yield started
    for process in started:
        await process.stop()
    emulator.assert_no_rule_breaks()
    assert not emulator.unanswered_callback_queries()
    log = bot_log.read_text(errors="replace") if bot_log.exists() else ""
    assert "Traceback" not in log, log
    assert TOKEN.split(":")[1] not in log
    assert WEBHOOK_SECRET not in log


@pytest.fixture
def start_bot(emulator, db_path, bot_log, bots, webhook_port):
    """Start `python -m bot` (``env``: extra settings) and wait until it gets updates."""

    async def start(env: dict[str, str] | None = None) -> BotProcess:
        process = BotProcess(emulator, db_path, bot_log, webhook_port, env)
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
