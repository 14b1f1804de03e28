"""`python -m emulator [--port 8081]`: the Bot API emulator on its own, for a bot in another
process (TELEGRAM_BASE_URL=http://127.0.0.1:8081/bot) and people acting through its HTTP test
API (see emulator/control_api.py), e.g. with curl."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from emulator.server import BotApiEmulator


async def serve(host: str, port: int) -> None:
    """Serve until Ctrl+C or `kill` (SIGTERM), and then stop cleanly, so a script that started
    the emulator in the background can end it quietly."""
    emulator = BotApiEmulator()
    await emulator.start(host, port)
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    try:
        print(f"Bot API emulator on {emulator.base_url}  (test API under /_emulator/)")
        print(f"Run the bot with TELEGRAM_BASE_URL={emulator.base_url}; stop with Ctrl+C.")
        await stopped.wait()
    finally:
        await emulator.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args.host, args.port))


if __name__ == "__main__":
    main()
