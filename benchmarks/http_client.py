"""The bot's CPU per Bot API call: python-telegram-bot's default HTTP client (httpx) against the
bot's own (aiohttp, bot/http_client.py).

    .venv/bin/python benchmarks/http_client.py [calls]

A stand-in for Telegram runs in a process of its own and answers every call at once, as
Telegram does a sendMessage or a sendPhoto; this process sends ``calls`` (default 500) of each,
one after the other, through python-telegram-bot's Bot, after 20 to warm up. Printed: the CPU
time of this process per call (building the request, the HTTP client, reading the answer into
python-telegram-bot's objects), the median of three rounds. That is the time a call holds the
bot's event loop, in which nobody's tap is answered.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import socket
import statistics
import sys
import time
from pathlib import Path

from aiohttp import web
from telegram import Bot, InputFile
from telegram.request import BaseRequest, HTTPXRequest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.http_client import AiohttpRequest  # noqa: E402

TOKEN = "123:abc"
WARM_UP = 20
ROUNDS = 3
TEXT = "Een regel van een overzicht, met wat woorden erin. " * 30  # 1,500 characters
PICTURE = (ROOT / "docs" / "team.png").read_bytes()
CHAT = {"id": 7, "type": "private", "first_name": "Anna"}
SENT = {"message_id": 41, "date": 1_700_000_000, "chat": CHAT}
ANSWERS = {
    "getMe": {"id": 1, "is_bot": True, "first_name": "Scorelijst", "username": "scorelijst_bot"},
    "sendMessage": {**SENT, "text": TEXT},
    "sendPhoto": {
        **SENT,
        "caption": TEXT[:900],
        "photo": [  # Telegram answers with the picture in several sizes
            {"file_id": f"f{n}", "file_unique_id": f"u{n}", "width": w, "height": w, "file_size": w}
            for n, w in enumerate((90, 320, 800, 1280))
        ],
    },
}


def telegram(listening: socket.socket) -> None:
    """The stand-in, on a socket this process opened: reads each call's form, as Telegram
    does, and answers it."""

    async def answer(request: web.Request) -> web.Response:
        await request.post()
        return web.json_response({"ok": True, "result": ANSWERS[request.match_info["method"]]})

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/bot{token}/{method}", answer)
    web.run_app(app, sock=listening, print=None, access_log=None)


async def cpu_per_call(request: BaseRequest, base_url: str, method: str, calls: int) -> float:
    async with Bot(TOKEN, base_url=base_url, request=request) as bot:

        async def call() -> None:
            if method == "sendMessage":
                await bot.send_message(7, TEXT)
            else:
                await bot.send_photo(7, InputFile(PICTURE, filename="team.png"), TEXT[:900])

        for _ in range(WARM_UP):
            await call()
        rounds = []
        for _ in range(ROUNDS):
            started = time.process_time()
            for _ in range(calls):
                await call()
            rounds.append((time.process_time() - started) / calls)
    return statistics.median(rounds)


async def main(calls: int, base_url: str) -> None:
    clients = {
        "httpx (python-telegram-bot's default)": lambda: HTTPXRequest(connection_pool_size=256),
        "aiohttp (bot/http_client.py)": lambda: AiohttpRequest(connection_pool_size=256),
    }
    print(f"CPU of this process per call, ms (median of {ROUNDS} rounds of {calls} calls)")
    print(f"{'client':40} {'sendMessage':>12} {'sendPhoto':>10}")
    for name, client in clients.items():
        cpu = [await cpu_per_call(client(), base_url, m, calls) for m in ANSWERS if m != "getMe"]
        print(f"{name:40} {cpu[0] * 1000:>12.2f} {cpu[1] * 1000:>10.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("calls", type=int, nargs="?", default=500)
    args = parser.parse_args()
    # Listening before the stand-in starts: calls wait for it instead of failing.
    listening = socket.create_server(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    server = multiprocessing.get_context("spawn").Process(target=telegram, args=(listening,))
    server.start()
    try:
        asyncio.run(main(args.calls, f"http://127.0.0.1:{port}/bot"))
    finally:
        server.terminate()
        server.join()
