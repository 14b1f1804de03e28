"""Other people's taps while pictures render: how long a tap on a statement waits for the next
statement, without pictures and while ten people get their overview picture at once.

    .venv/bin/python benchmarks/overview_load.py [--tappers 10] [--viewers 10] [--baseline 8]
        [--bursts 5] [--pairs 2] [--one-core] [--unpaced]

Starts the project's Bot API emulator and the real bot (`python -m bot`) on a fresh database.
`--tappers` people answer statements without a pause: tap an answer, wait for the next
statement, tap "Vorige" on it, wait for the statement again, and so on. They never finish a
round (which would draw a picture) and every phase has the same mix of taps. Each tap→next
statement time is one sample: from the tap reaching the emulator to the next statement's
sendMessage reaching it. Meanwhile the run goes through phases:

- baseline: `--baseline` seconds without pictures;
- load: `--viewers` other people (each with one statement answered) send /overzicht at the same
  moment, `--bursts` times in a row; a burst starts when everybody has the picture of the one
  before (and the message after it).

The order is baseline, load, baseline, load (`--pairs` times), so a drift of the shared machine
falls on both kinds. Before them the tappers warm up, and one burst meets the cold render worker
(its start and the matplotlib import, paid once per start of the bot): reported apart, in no
pool. Taps count for the phase they start in; those in the half second between phases count for
none. The run is bounded: the phases are timed or counted, and every wait gives up after 30 s.

Prints per phase its seconds, taps, p50/p95/p99 of tap→next statement and /overzicht→picture
times, the same pooled per kind, and the ratio of the pooled p99s: the aim is at most 1.25 (a
tap waits at most a quarter longer while pictures render). To tell causes apart it also prints,
from Linux's /proc, the share of each phase that the bot, its render worker and this process
(the emulator and the people) ran on a core, and that the bot's threads were ready to run but
waited for one.

By default every process may use every core: the bot, its render worker, and this process.
With `--one-core` the bot (and so its render worker, which inherits it) runs on one core and this
process on the others: a one-core server whose Telegram is elsewhere.

Pacing: the bot runs with its default pace, 28 messages a second. The ten people answering alone
fill it, so every picture and the message after it takes a turn from their messages. Replies to
taps get the turns first, pictures and what follows them one in ten while replies wait
(bot/pacing.py): their taps wait about a tenth longer while pictures go out. `--unpaced` starts
the bot with pacing off (BOT_MESSAGES_PER_SECOND=0), to see rendering alone; the emulator then
notes that the bot sent over 30 messages a second. The run says which it was.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import statistics
import tempfile
import time
from pathlib import Path

from load import (
    TIMEOUT,
    Cpu,
    Tapper,
    Watcher,
    begin,
    percentiles,
    start_process,
)

from bot.settings import DEFAULT_MESSAGES_PER_SECOND
from emulator import BotApiEmulator, MessageRecord

SETTLE = 0.5  # seconds between phases whose taps count for no phase
WARM_UP = 3.0  # seconds of tapping before anything is measured
TAPPER_IDS = 5000
VIEWER_IDS = 6000
PACING_SETTING = "BOT_MESSAGES_PER_SECOND"


async def overview_burst(
    emulator: BotApiEmulator, watcher: Watcher, viewers: list[int], pictures: list[float]
) -> None:
    """Everybody in ``viewers`` sends /overzicht at once; back when each has the picture and
    the message after it (the overview of an unfinished round ends with one)."""

    async def one(user_id: int) -> None:
        seen: list[tuple[float, MessageRecord]] = []

        def done(message: MessageRecord) -> bool:
            seen.append((time.perf_counter(), message))
            return seen[0][1].photo is None or len(seen) >= 2  # a refusal cannot hang the run

        future = watcher.expect(user_id, done)
        sent_at = time.perf_counter()
        await emulator.send_text(user_id, "/overzicht")
        await asyncio.wait_for(future, TIMEOUT)
        arrived, first = seen[0]
        if first.photo is None:
            raise RuntimeError(f"no picture for /overzicht of {user_id}: {first.text!r}")
        pictures.append(arrived - sent_at)

    await asyncio.gather(*(one(user_id) for user_id in viewers))


@dataclasses.dataclass
class Phase:
    name: str
    kind: str  # "baseline", "load" or "cold"
    start: float
    end: float
    pictures: list[float]
    # Shares of the phase's time: running bot, render worker, emulator and people; the bot
    # ready to run but waiting for a core.
    cpu: tuple[float, float, float, float]


def line(name: str, seconds: float, values: list[float], cpu: str = "", note: str = "") -> str:
    head = f"{name:<14} {seconds:>5.1f} {len(values):>5}"
    if len(values) < 2:
        return head
    p50, p95, p99 = percentiles(values)
    return (
        f"{head} {p50 * 1000:>7.1f} {p95 * 1000:>7.1f} {p99 * 1000:>7.1f} {cpu:>21}  {note}"
    ).rstrip()


def pictures_note(pictures: list[float]) -> str:
    if not pictures:
        return ""
    return (
        f"{len(pictures)} pictures, /overzicht→picture p50 {statistics.median(pictures):.2f} s,"
        f" max {max(pictures):.2f} s"
    )


def pacing(env: dict[str, str], unpaced: bool) -> str:
    """Set the bot's pace; what the run says about it."""
    if unpaced:
        env[PACING_SETTING] = "0"
        return f"off ({PACING_SETTING}=0)"
    env[PACING_SETTING] = f"{DEFAULT_MESSAGES_PER_SECOND:g}"
    return f"on, the bot's default: {PACING_SETTING}={env[PACING_SETTING]}"


def place(one_core: bool) -> tuple[set[int] | None, str]:
    """The cores of the bot (None: all), and what the run says about it."""
    if not hasattr(os, "sched_getaffinity"):  # not Linux
        return None, "every process on any core"
    cores = sorted(os.sched_getaffinity(0))
    if not one_core or len(cores) < 2:
        return None, f"every process on any of {len(cores)} core(s)"
    os.sched_setaffinity(0, set(cores[:-1]))
    return {cores[-1]}, (
        f"the bot and its render worker on core {cores[-1]}; the emulator and the people on "
        f"{', '.join(map(str, cores[:-1]))}"
    )


async def run(arguments: argparse.Namespace) -> None:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": "1:benchmark"}
    print(f"pacing: {pacing(env, arguments.unpaced)}")
    bot_cores, where = place(arguments.one_core)
    print(f"cores: {where}")
    print(
        f"{arguments.tappers} people answering, {arguments.viewers} asking for their overview"
        f" {arguments.bursts} times per load phase, {arguments.baseline:g} s per baseline phase",
        flush=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        log_path = Path(folder) / "bot.log"
        async with BotApiEmulator() as emulator:
            env["TELEGRAM_BASE_URL"] = emulator.base_url
            env["BOT_DB_PATH"] = str(Path(folder) / "bot.sqlite3")
            watcher = Watcher(emulator)
            watching = asyncio.create_task(watcher.run())
            process = await start_process(emulator, ["-m", "bot"], env, log_path)
            if bot_cores is not None:
                os.sched_setaffinity(process.pid, bot_cores)
            try:
                measured = await measure(emulator, watcher, arguments, Cpu(process.pid))
            finally:
                process.terminate()
                await process.wait()
                watching.cancel()
            breaks = emulator.rule_breaks()
        log_text = log_path.read_text(errors="replace")
    report(*measured)
    if breaks:
        floods = sum("flood limit" in b.description for b in breaks)
        print(
            f"the bot broke {len(breaks)} Bot API rule(s), {floods} of them flood limits"
            f" (to be expected without pacing); the first: {breaks[0]}"
        )
    if "Traceback" in log_text:
        print("the bot logged a traceback:\n" + log_text[log_text.index("Traceback") :][:3000])


async def measure(
    emulator: BotApiEmulator, watcher: Watcher, arguments: argparse.Namespace, cpu: Cpu
) -> tuple[list[Phase], list[Tapper]]:
    tappers = [Tapper(emulator, watcher, TAPPER_IDS + n) for n in range(arguments.tappers)]
    viewers = [VIEWER_IDS + n for n in range(arguments.viewers)]
    statements = await asyncio.gather(
        *(begin(emulator, watcher, t.user_id) for t in tappers),
        *(begin(emulator, watcher, v) for v in viewers),
    )
    for tapper, statement in zip(tappers, statements, strict=False):
        tapper.statement = statement

    stop = asyncio.Event()
    tapping = [asyncio.create_task(t.run(stop)) for t in tappers]
    phases: list[Phase] = []

    def phase(name: str, kind: str, start: float, used: tuple, pictures: list[float]) -> None:
        end = time.perf_counter()
        now = cpu.now()
        share = tuple((now[n] - used[n]) / (end - start) for n in range(4))
        phases.append(Phase(name, kind, start, end, pictures, share))

    async def load(name: str, kind: str, bursts: int) -> None:
        pictures: list[float] = []
        start, used = time.perf_counter(), cpu.now()
        for _ in range(bursts):
            await overview_burst(emulator, watcher, viewers, pictures)
        phase(name, kind, start, used, pictures)
        print(f"{name}: {pictures_note(pictures)}", flush=True)

    try:
        await asyncio.sleep(WARM_UP)
        await load("cold load", "cold", 1)
        for pair in range(1, arguments.pairs + 1):
            await asyncio.sleep(SETTLE)
            start, used = time.perf_counter(), cpu.now()
            await asyncio.sleep(arguments.baseline)
            phase(f"baseline {pair}", "baseline", start, used, [])
            print(f"baseline {pair}", flush=True)
            await asyncio.sleep(SETTLE)
            await load(f"load {pair}", "load", arguments.bursts)
    finally:
        stop.set()
        results = await asyncio.gather(*tapping, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    if errors:
        raise errors[0]
    return phases, tappers


def report(phases: list[Phase], tappers: list[Tapper]) -> None:
    samples = sorted(s for t in tappers for s in t.samples)

    def within(phase: Phase) -> list[float]:
        return [took for started, took in samples if phase.start <= started < phase.end]

    print(
        f"\n{'tap→next statement':<14} {'s':>5} {'taps':>5} {'p50 ms':>7} {'p95 ms':>7}"
        f" {'p99 ms':>7} {'% bot/rw/em':>15} {'wait':>5}"
    )
    pools: dict[str, list[float]] = {"baseline": [], "load": []}
    seconds = {"baseline": 0.0, "load": 0.0}
    for phase in phases:
        values = within(phase)
        cpu = "/".join(f"{share * 100:.0f}" for share in phase.cpu[:3]) + (
            f" {phase.cpu[3] * 100:>5.0f}"
        )
        took = phase.end - phase.start
        print(line(phase.name, took, values, cpu, pictures_note(phase.pictures)))
        if phase.kind in pools:
            pools[phase.kind] += values
            seconds[phase.kind] += took
    pictures = [p for phase in phases if phase.kind == "load" for p in phase.pictures]
    print(line("baseline, all", seconds["baseline"], pools["baseline"]))
    print(line("load, all", seconds["load"], pools["load"], "", pictures_note(pictures)))
    print(
        "(% bot/rw/em: time on a core of the bot, of its render worker and of the emulator with"
        " the people, in % of the phase; wait: of the bot's threads ready to run, waiting for a"
        " core)"
    )
    if len(pools["baseline"]) >= 2 and len(pools["load"]) >= 2:
        ratio = percentiles(pools["load"])[2] / percentiles(pools["baseline"])[2]
        verdict = "within" if ratio <= 1.25 else "OVER"
        print(f"p99 load / p99 baseline: {ratio:.2f} ({verdict} the aim of 1.25)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tappers", type=int, default=10, help="people answering statements")
    parser.add_argument("--viewers", type=int, default=10, help="people asking for pictures")
    parser.add_argument("--baseline", type=float, default=8.0, help="seconds per baseline phase")
    parser.add_argument("--bursts", type=int, default=5, help="bursts of /overzicht per load")
    parser.add_argument("--pairs", type=int, default=2, help="baseline+load pairs")
    parser.add_argument(
        "--one-core", action="store_true", help="the bot on one core, the emulator on the others"
    )
    parser.add_argument(
        "--unpaced",
        action="store_true",
        help=f"start the bot with pacing off ({PACING_SETTING}=0)",
    )
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
