"""What the load benchmarks share: a bot process on the emulator, people who tap and wait for
the bot's next message, and the bot's use of cores and memory read from Linux's /proc.

The emulator runs in the benchmark's own process, with the people: a person's time is taken
when the benchmark reads the bot's message, so waiting costs nobody a poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import random
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator import BotApiEmulator, MessageRecord  # noqa: E402
from emulator.records import EventKind  # noqa: E402
from storage import Database  # noqa: E402

TIMEOUT = 30.0  # seconds: any wait longer than this ends the run


def data_of(message: MessageRecord, action: str) -> list[str]:
    """The callback data of a message's buttons for one action (a: answer, b: Vorige, ...)."""
    return [data for row in message.buttons for _, data in row if data.startswith(f"{action}|")]


def is_statement(message: MessageRecord) -> bool:
    return bool(data_of(message, "a"))


class Watcher:
    """Reads every message the bot sends, as the emulator hands them out, and wakes whoever waits
    for one; the time is taken when the message is read, so waiting costs nobody a poll."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self._queue = emulator.subscribe()
        self._waiting: dict[int, tuple[Callable[[MessageRecord], bool], asyncio.Future]] = {}

    def expect(self, chat_id: int, done: Callable[[MessageRecord], bool]) -> asyncio.Future:
        """A future of (time, message): the first message sent to ``chat_id`` from now on for
        which ``done`` is true (``done`` sees every one before it)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = (done, future)
        return future

    async def run(self) -> None:
        while True:
            event = await self._queue.get()
            now = time.perf_counter()
            if event.kind is not EventKind.MESSAGE_SENT or event.chat_id not in self._waiting:
                continue
            done, future = self._waiting[event.chat_id]
            if done(event.message):
                del self._waiting[event.chat_id]
                if not future.done():
                    future.set_result((now, event.message))


async def step(
    watcher: Watcher, chat_id: int, act, done, timeout: float = TIMEOUT
) -> tuple[float, MessageRecord]:
    """Do ``act`` and wait for the message ``done`` looks for: (seconds it took, message)."""
    future = watcher.expect(chat_id, done)
    started = time.perf_counter()
    await act()
    arrived, message = await asyncio.wait_for(future, timeout)
    return arrived - started, message


async def open_round(emulator: BotApiEmulator, watcher: Watcher, user_id: int) -> MessageRecord:
    """/start and "Alle 12 competenties": the first statement (of an echo bot: its first
    message with buttons, whatever the label)."""
    _, choice = await step(
        watcher,
        user_id,
        lambda: emulator.send_text(user_id, "/start", first_name=f"Persoon{user_id}"),
        lambda m: bool(data_of(m, "all")),
    )
    (everything,) = data_of(choice, "all")
    _, statement = await step(
        watcher,
        user_id,
        lambda: emulator.tap_data(user_id, choice.message_id, everything),
        is_statement,
    )
    return statement


@dataclasses.dataclass
class Tapper:
    """Somebody who answers statements, as long as the benchmark lets them; each tap→next
    statement time is a sample. ``pause``: seconds they read before each tap, on average (0:
    none, they tap the moment the statement arrives)."""

    emulator: BotApiEmulator
    watcher: Watcher
    user_id: int
    statement: MessageRecord | None = None
    pause: float = 0.0
    samples: list[tuple[float, float]] = dataclasses.field(default_factory=list)  # (start, s)

    def __post_init__(self) -> None:
        # People read at different speeds, and not always as fast: each read takes half to one
        # and a half ``pause``, drawn the same in every run. With one read time for everybody,
        # one hold-up shared by all (a tap behind a busy database) lines them up, and from then
        # on they tap in the same instant for the rest of the run.
        self._reading = random.Random(self.user_id)

    async def tap(self, data: str) -> None:
        if self.pause:
            await asyncio.sleep(self.pause * self._reading.uniform(0.5, 1.5))
        started = time.perf_counter()
        took, self.statement = await step(
            self.watcher,
            self.user_id,
            lambda: self.emulator.tap_data(self.user_id, self.statement.message_id, data),
            is_statement,
        )
        self.samples.append((started, took))

    async def run(self, stop: asyncio.Event) -> None:
        """Answer the open statement, go back to it with Vorige, answer it again, ...: the
        answers go round the four values, differently per person. They never finish a round
        (which would draw a picture)."""
        turn = self.user_id
        while not stop.is_set():
            answers = data_of(self.statement, "a")
            await self.tap(answers[turn % len(answers)])
            turn += 1
            if stop.is_set():
                break
            (back,) = data_of(self.statement, "b")
            await self.tap(back)


async def begin(emulator: BotApiEmulator, watcher: Watcher, user_id: int) -> MessageRecord:
    """/start, all twelve competencies, the first statement answered: the second statement."""
    statement = await open_round(emulator, watcher, user_id)
    first = data_of(statement, "a")[0]
    _, statement = await step(
        watcher,
        user_id,
        lambda: emulator.tap_data(user_id, statement.message_id, first),
        is_statement,
    )
    return statement


async def start_process(
    emulator: BotApiEmulator, arguments: Sequence[str], env: dict[str, str], log_path: Path
) -> asyncio.subprocess.Process:
    """Start ``python ARGUMENTS`` (the bot, or another bot) on the emulator; back once it polls."""
    polls = emulator.polls
    with log_path.open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, *arguments, cwd=ROOT, env=env, stdout=log, stderr=log
        )
    try:
        await emulator.wait_for(lambda: emulator.polls > polls, timeout=TIMEOUT)
    except BaseException:
        process.kill()
        await process.wait()
        raise
    return process


class Cpu:
    """Seconds on a core so far of the bot, of its children (the render worker) and of this
    process (the emulator and the people), and seconds the bot's threads were ready to run but
    waited for a core: Linux's /proc/PID/task/TID/schedstat. Then seconds in which some process
    on the machine waited for the disk (/proc/pressure/io; 0 where Linux has none): a shared
    disk that stalls holds up every commit, with or without digests."""

    def __init__(self, bot_pid: int) -> None:
        self.bot_pid = bot_pid

    @staticmethod
    def of(pid: int) -> tuple[float, float]:
        """(running, waiting for a core) of all threads of ``pid``, in seconds."""
        running = waiting = 0
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                run, wait, _ = (task / "schedstat").read_text().split()
            except (OSError, ValueError):
                continue  # a thread that ended
            running, waiting = running + int(run), waiting + int(wait)
        return running / 1e9, waiting / 1e9

    @classmethod
    def children(cls, pid: int) -> list[int]:
        found = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                found += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
        return found + [grandchild for child in found for grandchild in cls.children(child)]

    def now(self) -> tuple[float, float, float, float, float]:
        """Running: the bot, its render worker, this process; waiting for a core: the bot;
        waiting for the disk: anybody."""
        bot, waited = self.of(self.bot_pid)
        workers = sum(self.of(pid)[0] for pid in self.children(self.bot_pid))
        return bot, workers, self.of(os.getpid())[0], waited, disk_waited()


def disk_waited() -> float:
    """Seconds so far in which some process on the machine waited for the disk."""
    try:
        some = Path("/proc/pressure/io").read_text().splitlines()[0]
    except (OSError, IndexError):
        return 0.0
    return int(some.rpartition("total=")[2]) / 1e6  # microseconds


def peak_memory(pid: int) -> float:
    """The most memory the process ever had in RAM (VmHWM), in MB; 0 where /proc has none."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    return 0.0


def percentiles(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


async def insert_rows(path: Path, inserts: Sequence[tuple[str, Iterable[tuple]]]) -> int:
    """Rows written straight into a new database with the bot's own schema, in one
    transaction: the fast way to a database of thousands of people. The answers it holds."""
    database = await Database.open(path)
    await database.close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN")
        for statement, rows in inserts:
            db.executemany(statement, rows)
        db.execute("COMMIT")
        (answers,) = db.execute("SELECT COUNT(*) FROM answers").fetchone()
    # Closed (the log copied into the file) and on disk before anything is measured: else the
    # kernel writes the tens of megabytes out during the first phase, and the bot's commits
    # wait for the disk (up to 455 ms each).
    os.sync()
    return answers
