"""Start-up time: from starting `python -m bot` to its first getUpdates, against the emulator.

    .venv/bin/python benchmarks/startup.py [runs]

Prints each run and the median; the bot should be polling within 1.5 s.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator import BotApiEmulator  # noqa: E402


async def one_run(emulator: BotApiEmulator, db_path: Path) -> float:
    polls = emulator.polls
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "1:benchmark",
        "TELEGRAM_BASE_URL": emulator.base_url,
        "BOT_DB_PATH": str(db_path),
    }
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env, stderr=asyncio.subprocess.DEVNULL
    )
    await emulator.wait_for(lambda: emulator.polls > polls, timeout=30)
    elapsed = time.perf_counter() - started
    process.terminate()
    await process.wait()
    return elapsed


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        async with BotApiEmulator() as emulator:
            times = []
            for run in range(runs):
                times.append(await one_run(emulator, Path(folder) / "bot.sqlite3"))
                print(f"run {run + 1}: {times[-1]:.3f} s to the first poll")
    print(f"median: {statistics.median(times):.3f} s")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 5))
