"""Throughput: many people answering at once, through the real bot and through a bare
python-telegram-bot bot that makes the same three Bot API calls per tap.

    .venv/bin/python benchmarks/throughput.py [--people 50] [--stored 100000] [--pace 28]
        [--paced-statements 12]

Starts the project's Bot API emulator, then one bot process after the other on it, each on a
database of its own. In every run `--people` people open a round of all twelve competencies
(not measured), then answer all 48 statements at once, each as fast as the bot lets them: tap an
answer, wait for the next message with buttons, tap again. The measured window is the first 47
answers of everybody: it starts at the first tap and ends when the last person has their 48th
statement. The 48th answer ends the real bot's round with the overview picture, which is other
work (benchmarks/overview_load.py, benchmarks/rendering.py); it is tapped after the window, and
the run checks that the database holds every person's 48 answers.

The runs, in this order (a drift of this shared machine falls on both sides of each ratio):

- echo, bot, bot, echo: benchmarks/echo_bot.py (answer the tap, edit its message, send a new one
  with the same buttons) and `python -m bot` on an empty database, both with pacing off;
- with `--stored` people already in the database (users, rounds and answers as people leave them,
  filled in one transaction before the bot starts), between the two runs on an empty database:
  echo, bot, stored, stored, bot, echo. Aim: CPU per answer at most 1.1 times the empty
  database's (the queries use indexes, so the number of people must not matter);
- the bot with BOT_MESSAGES_PER_SECOND=`--pace`, the same people answering the first
  `--paced-statements` (12) statements, all measured: the pace holds from the first second, and
  the whole list would take three minutes. An answer costs two paced messages (the edit and the
  next statement; answering the tap is not paced), so the expectation is `--pace`/2 answers a
  second. Aims: at least 0.95 times that, and no second with more than 30 messages sent or
  edited (the emulator's busiest second, any second, counted from the bot's start).

Prints per run: answers, seconds, answers a second, the bot's CPU seconds per answer (all its
threads, from Linux's /proc; the render worker, idle while people answer, is left out),
p50/p95/p99 of tap→next statement, the bot's peak memory (VmHWM), the share of a core that the
bot and this process (the emulator and the people) used, and the busiest second. Then pooled per
kind, the ratios, and whether the aims were met; exits with 1 when one was not, or when a run
went wrong (a Bot API rule broken other than the flood limit without pacing, a traceback in a
bot's log, answers missing from the database).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import functools
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from load import (
    TIMEOUT,
    Cpu,
    Watcher,
    data_of,
    insert_rows,
    open_round,
    peak_memory,
    percentiles,
    start_process,
    step,
)

from content import load_content
from emulator import BotApiEmulator, MessageRecord

STATEMENTS = 48
PERSON_IDS = 1000  # the people answering; those stored have ids from STORED_IDS
STORED_IDS = 10_000_000
SETTLE = 1.0  # seconds between opening the rounds and the first tap
# Seconds to wait for the message after the last answer: the overview picture, which everybody
# asks for at about the same time and the render worker draws one after the other, at the lowest
# priority (bot/rendering.py): on a busy machine that takes minutes.
LAST_TIMEOUT = 300.0
MESSAGES_PER_ANSWER = 2  # paced: the statement edited, the next one sent
STORED_AIM = 1.1  # CPU per answer, stored / empty database, at most
PACE_AIM = 0.95  # answers a second paced, of the expectation, at least
BUSIEST_AIM = 30  # messages in any second, at most (Telegram's limit)
ECHO = ["benchmarks/echo_bot.py"]
BOT = ["-m", "bot"]


@dataclasses.dataclass
class Run:
    name: str
    kind: str  # "echo", "empty", "stored" or "paced"
    answers: int
    seconds: float
    cpu: float  # seconds the bot ran on a core in the window
    shares: tuple[float, float]  # of a core in the window: the bot, this process
    samples: list[float]  # tap→next statement, seconds
    peak: float  # MB
    busiest: int  # messages in the busiest second
    problems: list[str]


@dataclasses.dataclass
class Pool:
    """Runs of one kind taken together."""

    runs: list[Run]

    @property
    def per_second(self) -> float:
        return sum(r.answers for r in self.runs) / sum(r.seconds for r in self.runs)

    @property
    def cpu_per_answer(self) -> float:
        return sum(r.cpu for r in self.runs) / sum(r.answers for r in self.runs)

    @property
    def latencies(self) -> tuple[float, float, float]:
        return percentiles([s for r in self.runs for s in r.samples])

    @property
    def peak(self) -> float:
        return max(r.peak for r in self.runs)


def has_buttons(message: MessageRecord) -> bool:
    return bool(message.buttons)


async def answer(
    emulator: BotApiEmulator,
    watcher: Watcher,
    user_id: int,
    statement: MessageRecord,
    count: int,
    timeout: float = TIMEOUT,
) -> tuple[list[float], MessageRecord]:
    """Answer ``count`` statements one after the other, each as soon as it arrives: the times
    tap→next message with buttons, and that message. The answers go round the four values."""
    samples = []
    for turn in range(count):
        answers = data_of(statement, "a")
        tap = functools.partial(
            emulator.tap_data, user_id, statement.message_id, answers[(user_id + turn) % 4]
        )
        took, statement = await step(watcher, user_id, tap, has_buttons, timeout)
        samples.append(took)
    return samples, statement


async def one_run(
    name: str, kind: str, arguments: argparse.Namespace, stored: Path | None, folder: Path
) -> Run:
    db_path, log_path = folder / f"{name}.sqlite3", folder / f"{name}.log"
    if kind == "stored":
        shutil.copyfile(stored, db_path)
    people = [PERSON_IDS + n for n in range(arguments.people)]
    statements = arguments.paced_statements if kind == "paced" else STATEMENTS
    measured = min(statements, STATEMENTS - 1)  # the last answer ends the round: not measured
    async with BotApiEmulator() as emulator:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": "1:benchmark",
            "TELEGRAM_BASE_URL": emulator.base_url,
            "BOT_DB_PATH": str(db_path),
            "BOT_MESSAGES_PER_SECOND": str(arguments.pace if kind == "paced" else 0),
        }
        watcher = Watcher(emulator)
        watching = asyncio.create_task(watcher.run())
        process = await start_process(emulator, ECHO if kind == "echo" else BOT, env, log_path)
        try:
            firsts = await asyncio.gather(*(open_round(emulator, watcher, p) for p in people))
            await asyncio.sleep(SETTLE)
            cpu = Cpu(process.pid)
            used, started = cpu.now(), time.perf_counter()
            answered = await asyncio.gather(
                *(
                    answer(emulator, watcher, p, s, measured)
                    for p, s in zip(people, firsts, strict=True)
                )
            )
            seconds, now = time.perf_counter() - started, cpu.now()
            await asyncio.gather(
                *(
                    answer(emulator, watcher, p, s, statements - measured, LAST_TIMEOUT)
                    for p, (_, s) in zip(people, answered, strict=True)
                )
            )
            peak = peak_memory(process.pid)
        finally:
            process.terminate()
            await process.wait()
            watching.cancel()
        breaks = [
            b
            for b in emulator.rule_breaks()
            if kind == "paced" or not b.description.startswith("flood limit")
        ]
        busiest = emulator.busiest_second
    problems = [f"{name}: broke a Bot API rule: {b}" for b in breaks[:3]]
    if "Traceback" in log_path.read_text(errors="replace"):
        problems.append(f"{name}: a traceback in the bot's log")
    if kind != "echo":
        problems += stored_answers(db_path, people, statements, name)
    return Run(
        name,
        kind,
        answers=len(people) * measured,
        seconds=seconds,
        cpu=now[0] - used[0],
        shares=((now[0] - used[0]) / seconds, (now[2] - used[2]) / seconds),
        samples=[s for samples, _ in answered for s in samples],
        peak=peak,
        busiest=busiest,
        problems=problems,
    )


def stored_answers(db_path: Path, people: list[int], statements: int, name: str) -> list[str]:
    """What is wrong with the people's rounds in the database: none, when each has one round
    with ``statements`` answers, complete with all 48."""
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT r.user_id, r.status, COUNT(a.statement_id) FROM rounds r"
            " LEFT JOIN answers a USING (round_id) WHERE r.user_id BETWEEN ? AND ?"
            " GROUP BY r.round_id",
            (people[0], people[-1]),
        ).fetchall()
    status = "complete" if statements == STATEMENTS else "answering"
    expected = sorted((p, status, statements) for p in people)
    if sorted(rows) == expected:
        return []
    wrong = sorted(set(expected) ^ set(rows))[:3]
    return [f"{name}: not every person has one {status} round of {statements}: {wrong} ..."]


async def fill(path: Path, people: int) -> tuple[int, int]:
    """A database with ``people`` people as they leave it: half have filled in the whole list
    once, a fifth stopped halfway, a tenth did three competencies, a fifth came back for a second
    round (done or not); a twentieth speak English. One transaction. (rounds, answers) made."""
    instrument = load_content().language().instrument
    competencies = [(c.id, [s.id for s in c.statements]) for c in instrument.competencies]
    begin = datetime(2025, 1, 1, tzinfo=UTC)

    def at(seconds: int) -> str:
        return (begin + timedelta(seconds=seconds)).isoformat(timespec="seconds")

    def plan(n: int) -> list[tuple[int, int]]:
        """Per round: (competencies chosen, statements answered)."""
        kind = n % 10
        if kind < 5:
            return [(12, STATEMENTS)]
        if kind < 7:
            return [(12, 1 + n % (STATEMENTS - 1))]
        if kind == 7:
            return [(3, 12)]
        return [(12, STATEMENTS), (12, 1 + n % STATEMENTS)]

    rounds = []  # (round_id, user_id, number, chosen, answered, started)
    for n in range(people):
        for number, (chosen, answered) in enumerate(plan(n), 1):
            started = n * 300 + (number - 1) * 90 * 86400
            rounds.append((len(rounds) + 1, STORED_IDS + n, number, chosen, answered, started))

    def users() -> Iterator[tuple]:
        for n in range(people):
            language = "en" if n % 20 == 0 else "nl"
            yield STORED_IDS + n, f"Deelnemer {n}", language, at(n * 300), at(n * 300 + 86400)

    def round_rows() -> Iterator[tuple]:
        for round_id, user_id, number, chosen, answered, started in rounds:
            first = (round_id * 5) % (len(competencies) - chosen + 1)
            selection = ",".join(c for c, _ in competencies[first : first + chosen])
            complete = answered == chosen * 4
            yield (
                round_id,
                user_id,
                number,
                "complete" if complete else "answering",
                selection,
                None if complete else 100 + answered,
                at(started),
                at(started + 20 * answered) if complete else None,
            )

    def answer_rows() -> Iterator[tuple]:
        for round_id, _, _, chosen, answered, started in rounds:
            first = (round_id * 5) % (len(competencies) - chosen + 1)
            statements = [s for _, ids in competencies[first : first + chosen] for s in ids]
            for k, statement_id in enumerate(statements[:answered]):
                yield round_id, statement_id, 1 + (round_id + k) % 4, at(started + 20 * (k + 1))

    answers = await insert_rows(
        path,
        [
            (
                "INSERT INTO users (user_id, first_name, language, created_at, last_seen_at)"
                " VALUES (?, ?, ?, ?, ?)",
                users(),
            ),
            (
                "INSERT INTO rounds (round_id, user_id, number, status, selection,"
                " prompt_message_id, started_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                round_rows(),
            ),
            ("INSERT INTO answers VALUES (?, ?, ?, ?)", answer_rows()),
        ],
    )
    return len(rounds), answers


def runs_in_order(arguments: argparse.Namespace) -> list[tuple[str, str]]:
    """(name, kind): echo, bot, stored, stored, bot, echo, paced."""
    stored = [("stored 1", "stored"), ("stored 2", "stored")] if arguments.stored else []
    paced = [("paced", "paced")] if arguments.pace else []
    return [
        ("echo 1", "echo"),
        ("bot 1", "empty"),
        *stored,
        ("bot 2", "empty"),
        ("echo 2", "echo"),
        *paced,
    ]


HEADER = (
    f"{'run':<9} {'answers':>7} {'s':>6} {'ans/s':>6} {'CPU ms':>7} {'p50 ms':>7} {'p95 ms':>7}"
    f" {'p99 ms':>7} {'peak MB':>7} {'bot %':>5} {'drv %':>5} {'max/s':>5}"
)


def row(name: str, pool: Pool) -> str:
    answers, seconds = sum(r.answers for r in pool.runs), sum(r.seconds for r in pool.runs)
    p50, p95, p99 = pool.latencies
    bot = sum(r.shares[0] * r.seconds for r in pool.runs) / seconds
    driver = sum(r.shares[1] * r.seconds for r in pool.runs) / seconds
    return (
        f"{name:<9} {answers:>7} {seconds:>6.1f} {pool.per_second:>6.1f}"
        f" {pool.cpu_per_answer * 1000:>7.2f} {p50 * 1000:>7.0f} {p95 * 1000:>7.0f}"
        f" {p99 * 1000:>7.0f} {pool.peak:>7.0f} {bot * 100:>5.0f} {driver * 100:>5.0f}"
        f" {max(r.busiest for r in pool.runs):>5}"
    )


def ratio(name: str, value: float, reference: float) -> str:
    return f"{name} {value / reference:.2f}×"


def report(runs: list[Run], arguments: argparse.Namespace) -> list[str]:
    """Print the pools, the ratios and the aims; the aims missed."""
    pools = {
        kind: Pool([r for r in runs if r.kind == kind])
        for kind in ("echo", "empty", "stored", "paced")
        if any(r.kind == kind for r in runs)
    }
    print(f"\n{HEADER.replace('run      ', 'pooled   ')}")
    names = {"echo": "echo", "empty": "bot", "stored": "stored", "paced": "paced"}
    for kind, pool in pools.items():
        print(row(names[kind], pool))
    echo, bot = pools["echo"], pools["empty"]

    def versus(pool: Pool, reference: Pool) -> str:
        return ", ".join(
            [
                ratio("answers a second", pool.per_second, reference.per_second),
                ratio("CPU per answer", pool.cpu_per_answer, reference.cpu_per_answer),
                *(
                    ratio(f"p{cut}", mine, theirs)
                    for cut, mine, theirs in zip(
                        (50, 95, 99), pool.latencies, reference.latencies, strict=True
                    )
                ),
                ratio("peak memory", pool.peak, reference.peak),
            ]
        )

    print(f"\nbot / echo: {versus(bot, echo)}")
    missed = []
    if "stored" in pools:
        stored = pools["stored"]
        cost = stored.cpu_per_answer / bot.cpu_per_answer
        met = cost <= STORED_AIM
        print(
            f"{arguments.stored:,} stored / empty database: {versus(stored, bot)}"
            f" (aim: CPU per answer at most {STORED_AIM}×: {'met' if met else 'MISSED'})"
        )
        if not met:
            missed.append(f"CPU per answer with {arguments.stored:,} people stored: {cost:.2f}×")
    if "paced" in pools:
        paced = pools["paced"]
        expected = arguments.pace / MESSAGES_PER_ANSWER
        share = paced.per_second / expected
        busiest = max(r.busiest for r in paced.runs)
        print(
            f"paced at {arguments.pace:g} messages a second: {paced.per_second:.1f} answers a"
            f" second, {share:.2f}× the {expected:g} expected (aim: at least {PACE_AIM}×:"
            f" {'met' if share >= PACE_AIM else 'MISSED'}); busiest second {busiest} messages"
            f" (aim: at most {BUSIEST_AIM}: {'met' if busiest <= BUSIEST_AIM else 'MISSED'})"
        )
        if share < PACE_AIM:
            missed.append(f"answers a second paced: {share:.2f}× the expected {expected:g}")
        if busiest > BUSIEST_AIM:
            missed.append(f"busiest second paced: {busiest} messages")
    return missed


async def run(arguments: argparse.Namespace) -> int:
    order = runs_in_order(arguments)
    print(
        f"{arguments.people} people answering {STATEMENTS} statements at once, {STATEMENTS - 1}"
        f" of them measured ({arguments.paced_statements} paced); runs:"
        f" {', '.join(name for name, _ in order)}; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        stored = None
        if arguments.stored:
            started = time.perf_counter()
            stored = folder / "stored.sqlite3"
            rounds, answers = await fill(stored, arguments.stored)
            print(
                f"filled a database with {arguments.stored:,} people, {rounds:,} rounds and"
                f" {answers:,} answers ({stored.stat().st_size / 2**20:.0f} MB) in"
                f" {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        print(f"\n{HEADER}", flush=True)
        runs = []
        for name, kind in order:
            done = await one_run(name, kind, arguments, stored, folder)
            runs.append(done)
            print(row(name, Pool([done])), flush=True)
    missed = report(runs, arguments)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (other processes on the machine)")
    print(
        "(CPU ms: the bot's CPU per answer; bot %, drv %: the share of a core the bot and this"
        " process (the emulator and the people) used; max/s: the busiest second's messages)"
    )
    problems = [p for r in runs for p in r.problems]
    for problem in problems:
        print(f"PROBLEM: {problem}")
    for aim in missed:
        print(f"AIM MISSED: {aim}")
    return 1 if problems or missed else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=50, help="people answering at once")
    parser.add_argument(
        "--stored", type=int, default=100_000, help="people already stored (0: no such runs)"
    )
    parser.add_argument(
        "--pace", type=float, default=28, help="messages a second of the paced run (0: none)"
    )
    parser.add_argument(
        "--paced-statements",
        type=int,
        default=12,
        choices=range(1, STATEMENTS + 1),
        metavar=f"1..{STATEMENTS}",
        help=f"statements each person answers in the paced run ({STATEMENTS}: the whole list,"
        " about 3 minutes at 28 messages a second)",
    )
    sys.exit(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
