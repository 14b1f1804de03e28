"""`python -m bot health`, the container's health check, against the running bot."""

from __future__ import annotations

import asyncio
import sys

from tests.e2e.conftest import ROOT, BotProcess


async def health(bot: BotProcess, **changes: str) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "health",
        cwd=ROOT,
        env=bot.environment | changes,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode, output.decode()


async def test_healthy_while_it_runs_and_not_without_its_database_or_server(
    start_bot, delivery, tmp_path
):
    bot = await start_bot()
    assert await health(bot) == (0, "healthy\n")
    code, said = await health(bot, BOT_DB_PATH=str(tmp_path / "elders.sqlite3"))
    assert code == 1 and "there is no database at" in said
    assert not (tmp_path / "elders.sqlite3").exists()  # the check creates nothing
    if delivery == "webhook":
        await bot.stop()
        code, said = await health(bot)
        assert code == 1 and "the webhook server does not answer" in said
    # (A polling bot that stops ends its process: the container sees that by itself.)
