"""The small HTTP test API under /_emulator/, for humans (curl) and tools in other processes.

It exposes the same user actions and readings as the Python API of BotApiEmulator:
  POST /_emulator/users/{user_id}/text   {"text": ..., "first_name": ...?}
  POST /_emulator/users/{user_id}/tap    {"label": ...}
  GET  /_emulator/chats/{chat_id}/messages
  GET  /_emulator/rule-breaks
A failed action (unknown button, bad input) answers 400 {"error": "..."}.
"""

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from emulator.server import BotApiEmulator

_Handler = Callable[[web.Request], Awaitable[web.Response]]


def routes(emulator: "BotApiEmulator") -> list[web.RouteDef]:
    async def user_text(request: web.Request) -> web.Response:
        body = await _json_body(request)
        message = await emulator.send_text(
            _int(request, "user_id"), str(body["text"]), first_name=body.get("first_name")
        )
        return web.json_response(message.summary())

    async def user_tap(request: web.Request) -> web.Response:
        body = await _json_body(request)
        query = await emulator.tap(_int(request, "user_id"), str(body["label"]))
        return web.json_response({"callback_query_id": query.id, "data": query.data})

    async def chat_messages(request: web.Request) -> web.Response:
        messages = emulator.messages(_int(request, "chat_id"))
        return web.json_response([message.summary() for message in messages])

    async def rule_breaks(request: web.Request) -> web.Response:
        return web.json_response(
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
            return web.json_response({"error": text}, status=400)

    return wrapper


async def _json_body(request: web.Request) -> dict:
    body = await request.json()
    if not isinstance(body, dict):
        raise ValueError("the request body must be a JSON object")
    return body


def _int(request: web.Request, name: str) -> int:
    return int(request.match_info[name])
