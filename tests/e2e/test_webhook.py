"""Webhook mode: only Telegram, which knows the secret, can hand the bot an update."""

from __future__ import annotations

import aiohttp
import pytest

from tests.e2e.conftest import WEBHOOK_SECRET, Person


@pytest.mark.parametrize("delivery", ["webhook"])
async def test_an_update_without_the_right_secret_is_refused_and_never_handled(emulator, start_bot):
    bot = await start_bot()
    mallory = Person(emulator, 3003, "Mallory")
    await mallory.send("/start", until="Hallo Mallory")
    forged = {
        "update_id": 900,
        "message": {
            "message_id": 99,
            "date": 1_700_000_000,
            "chat": {"id": mallory.user_id, "type": "private", "first_name": "Mallory"},
            "from": {"id": mallory.user_id, "is_bot": False, "first_name": "Mallory"},
            "text": "/privacy",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        },
    }
    async with aiohttp.ClientSession() as http:
        for headers in (
            {"X-Telegram-Bot-Api-Secret-Token": "not-the-secret"},
            {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET.upper()},
            {},
        ):
            async with http.post(bot.webhook_url, json=forged, headers=headers) as answer:
                assert answer.status == 403
        # The same update with the secret is handled: the refusals were the secret's doing.
        right = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with http.post(bot.webhook_url, json=forged, headers=right) as answer:
            assert answer.status == 200
    # One person's updates are handled in order: had a refused one been handled, its reply
    # would come before this one.
    await emulator.wait_for(lambda: "Wat bewaren we?" in mallory.last.text)
    await mallory.settle()  # /help: everything before it is handled
    assert len(mallory.messages) == 3
