"""The bot's HTTP client (bot/http_client.py) through python-telegram-bot's Bot, against a
stand-in for Telegram that records what arrives: the same forms as with httpx, and the same
errors for a slow, refusing or absent server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.http_client import AiohttpRequest
from tests.ports import free_port

TOKEN = "123:abc"
CHAT = {"id": 7, "type": "private", "first_name": "Anna"}
ME = {"id": 123, "is_bot": True, "first_name": "Scorelijst", "username": "scorelijst_bot"}
SENT = {"message_id": 41, "date": 1_700_000_000, "chat": CHAT, "text": "hallo"}


class Telegram:
    """Answers every Bot API call with ``answer`` (after ``delay`` seconds) and keeps what
    came in: the method, the content type and the form."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.answer: tuple[int, dict] = (200, {"ok": True, "result": SENT})
        self.delay = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        form = {}
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                value = (value.filename, value.content_type, value.file.read())
            form[name] = value
        method = request.match_info["method"]
        if method == "getMe":  # python-telegram-bot asks who it is when it starts
            return web.json_response({"ok": True, "result": ME})
        self.calls.append((method, request.content_type, form))
        await asyncio.sleep(self.delay)
        status, body = self.answer
        return web.json_response(body, status=status)


@pytest.fixture
async def telegram() -> AsyncIterator[tuple[Telegram, str]]:
    fake = Telegram()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", fake.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield fake, f"http://127.0.0.1:{port}/bot"
    await runner.cleanup()


def bot_at(base_url: str) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=AiohttpRequest(connection_pool_size=4))


async def test_a_message_goes_as_a_form_and_its_answer_comes_back_as_a_message(telegram):
    fake, base_url = telegram
    async with bot_at(base_url) as bot:
        sent = await bot.send_message(7, "Goedemorgen, Anna!")
    assert sent.message_id == 41 and sent.chat.first_name == "Anna"
    method, content_type, form = fake.calls[-1]
    assert (method, content_type) == ("sendMessage", "application/x-www-form-urlencoded")
    assert form == {"chat_id": "7", "text": "Goedemorgen, Anna!"}


async def test_a_picture_goes_as_multipart_with_its_name_type_and_bytes(telegram):
    fake, base_url = telegram
    async with bot_at(base_url) as bot:
        await bot.send_photo(7, InputFile(b"\x89PNG plaatje", filename="team.png"), "Het team")
    method, content_type, form = fake.calls[-1]
    assert (method, content_type) == ("sendPhoto", "multipart/form-data")
    assert form["chat_id"] == "7" and form["caption"] == "Het team"
    assert form["photo"] == ("team.png", "image/png", b"\x89PNG plaatje")


async def test_telegrams_refusal_is_python_telegram_bots_error(telegram):
    fake, base_url = telegram
    fake.answer = (403, {"ok": False, "error_code": 403, "description": "Forbidden: blocked"})
    async with bot_at(base_url) as bot:
        with pytest.raises(Forbidden, match="blocked"):
            await bot.send_message(7, "hallo")


async def test_an_answer_slower_than_the_read_timeout_is_timed_out(telegram):
    fake, base_url = telegram
    fake.delay = 2.0
    async with bot_at(base_url) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(7, "hallo", read_timeout=0.2)
    assert [method for method, _, _ in fake.calls] == ["sendMessage"]  # it did arrive


async def test_nobody_listening_is_a_network_error_not_a_timeout():
    request = AiohttpRequest(connection_pool_size=1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{free_port()}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(raised.value, TimedOut)
