"""`python -m bot` runs the bot on Telegram; `python -m bot demo` runs it in this terminal;
`python -m bot backup PATH` and `python -m bot health` are for running it on a server."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.settings import Settings, SettingsError
from content import ContentError, load_content


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Scorelijst: the competency score list for volunteer advocates, on Telegram.",
    )
    parser.add_argument(
        "mode",
        nargs="?",
        choices=["run", "demo", "backup", "health"],
        default="run",
        help="run: the bot on Telegram, long polling or a webhook (needs TELEGRAM_BOT_TOKEN); "
        "demo: the bot and a local Telegram emulator, chatting in this terminal; "
        "backup PATH: a consistent copy of the database (BOT_DB_PATH), also while the bot runs; "
        "health: exit 0 when the running bot's database and webhook server answer",
    )
    parser.add_argument("path", nargs="?", type=Path, help="backup only: where to write the copy")
    parser.add_argument(
        "--fresh", action="store_true", help="demo only: start with an empty demo database"
    )
    args = parser.parse_args(argv)
    if (args.mode == "backup") != (args.path is not None):
        parser.error("a PATH goes with backup, and only with backup")
    if args.mode in ("backup", "health"):
        from bot import ops

        return ops.backup_command(args.path) if args.path else ops.health_command()
    try:
        content = load_content()
        if args.mode == "demo":
            from bot.demo import DEMO_DB_PATH, run_demo

            if args.fresh:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{DEMO_DB_PATH}{suffix}").unlink(missing_ok=True)
            asyncio.run(run_demo(content))
            return 0
        settings = Settings.from_env()
    except (SettingsError, ContentError) as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 0
    from bot.app import run
    from bot.logs import configure

    configure(settings.token, settings.webhook.secret if settings.webhook else "")
    run(settings, content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
