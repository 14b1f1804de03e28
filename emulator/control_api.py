"""The small HTTP test API under /_emulator/, for humans (curl) and tools in other processes.

It exposes the same user actions and readings as the Python API of BotApiEmulator:
  POST /_emulator/users/{user_id}/text   {"text": ..., "first_name": ...?}
  POST /_emulator/users/{user_id}/tap    {"label": ...}
  GET  /_emulator/chats/{chat_id}/messages
  GET  /_emulator/rule-breaks
An action answers with the user's message or tap. With ?wait=1 it answers once the bot is done
with it (wait_idle), with the bot's messages in the chat sent or edited since the last wait: a
script needs no sleeps, and sees what the bot did. A failed action (unknown button, bad input,
a bot that does not answer within 30 s) answers 400 {"error": "..."}. JSON answers are one line
each, with a newline, and keep non-ASCII text as it is, to be read in a terminal.
"""

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from emulator.server import BotApiEmulator

_Handler = Callable[[web.Request], Awaitable[web.Response]]
WAIT_TIMEOUT = 30.0  # seconds; also covers a bot that is still starting


def routes(emulator: "BotApiEmulator") -> list[web.RouteDef]:
    async def user_text(request: web.Request) -> web.Response:
        wait, body = _wait(request), await _json_body(request)
        user_id = _int(request, "user_id")
        message = await emulator.send_text(
            user_id, str(body["text"]), first_name=body.get("first_name")
        )
        return await answer_action(user_id, wait, message.summary())

    async def user_tap(request: web.Request) -> web.Response:
        wait, body = _wait(request), await _json_body(request)
        user_id = _int(request, "user_id")
        query = await emulator.tap(user_id, str(body["label"]))
        return await answer_action(
            user_id, wait, {"callback_query_id": query.id, "data": query.data}
        )

    async def answer_action(user_id: int, wait: bool, action: dict) -> web.Response:
        if not wait:
            return _json(action)
        replies = await emulator.wait_idle(user_id, timeout=WAIT_TIMEOUT)
        return _json([message.summary() for message in replies])

    async def chat_messages(request: web.Request) -> web.Response:
        messages = emulator.messages(_int(request, "chat_id"))
        return _json([message.summary() for message in messages])

    async def rule_breaks(request: web.Request) -> web.Response:
        return _json(
            [
                {"method": b.method, "description": b.description, "text": str(b)}
                for b in emulator.rule_breaks()
            ]
        )

    return [
        web.post("/_emulator/users/{user_id}/text", _answer_errors(user_text)),
        web.post("/_emulator/users/{user_id}/tap", _answer_errors(user_tap)),
        web.get("/_emulator/chats/{chat_id}/messages", _answer_errors(chat_messages)),
        web.get("/_emulator/rule-breaks", rule_breaks),
    ]


def _answer_errors(handler: _Handler) -> _Handler:
    """Turn a failed action or bad input into 400 {"error": ...} instead of a 500 page."""

    async def wrapper(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except (AssertionError, KeyError, ValueError) as error:
            text = f"missing field {error}" if isinstance(error, KeyError) else str(error)
            return _json({"error": text}, status=400)

    return wrapper


async def _json_body(request: web.Request) -> dict:
    body = await request.json()
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    return body


def _int(request: web.Request, name: str) -> int:
    return int(request.match_info[name])


def _wait(request: web.Request) -> bool:
    value = request.query.get("wait", "0")
    if value not in ("0", "1"):
        raise ValueError(f"wait is 0 or 1, not {value!r}")
    return value == "1"


def _json(data: object, status: int = 200) -> web.Response:
    text = json.dumps(data, ensure_ascii=False) + "\n"
    return web.Response(text=text, status=status, content_type="application/json")
