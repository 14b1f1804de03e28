"""BotApiEmulator: a local Telegram for one bot, driven by tests and the terminal demo.

The bot talks to it over HTTP exactly as to api.telegram.org (point python-telegram-bot's
``base_url``/``base_file_url`` at :attr:`BotApiEmulator.base_url` and
:attr:`BotApiEmulator.base_file_url`). Tests act as Telegram users through the Python
methods here, in the same event loop, and read back what the bot did. Every call that
Telegram would refuse is answered with Telegram's error and recorded, so a test can end
with :meth:`BotApiEmulator.assert_no_rule_breaks`.
"""

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Self

from aiohttp import web

from emulator import bot_api, control_api, faults
from emulator.formatting import command_entities
from emulator.records import CallbackQueryRecord, Chat, Event, MessageRecord, RuleBreak
from emulator.state import MESSAGES_PER_SECOND, EmulatorState
from emulator.validation import ApiError, Upload, bad_request
from emulator.webhook import WebhookDelivery

# Big enough for Telegram's 50 MB document limit, so the limit is answered as Telegram does.
_MAX_REQUEST_BYTES = 64 * 1024 * 1024


class BotApiEmulator:
    """A Telegram Bot API server plus the users who chat with the bot.

    ``clock`` (monotonic seconds) drives the Telegram rules that depend on age: callback
    query deadlines and flood limits. Tests can pass a fake clock to age things instantly.
    Waiting (long polls, :meth:`wait_for`, :meth:`wait_idle`) always uses real time.

    ``messages_per_second`` is the overall flood limit: more messages sent or edited within
    one second is a rule break. Telegram's is about 30; a bot allowed more (paid broadcasts)
    sets its pace higher, and so can a test that loads the bot harder than 30 a second.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        messages_per_second: int = MESSAGES_PER_SECOND,
    ) -> None:
        self._state = EmulatorState(clock, messages_per_second)
        self._runner: web.AppRunner | None = None
        self._delivery: asyncio.Task | None = None  # posts updates once a webhook is set
        self._host = "127.0.0.1"
        self._port: int | None = None
        self._idle_cursors: dict[int, int] = {}  # chat id -> state.seq at the last wait_idle

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on ``host``:``port`` (0 picks a free port; read it from :attr:`port`)."""
        if self._runner is not None:
            raise RuntimeError("the emulator is already running")
        app = web.Application(client_max_size=_MAX_REQUEST_BYTES)
        app.add_routes(
            [
                web.get("/bot{token}/{method}", self._handle_bot_api),
                web.post("/bot{token}/{method}", self._handle_bot_api),
                web.get("/file/bot{token}/{path:.+}", self._handle_file),
                *control_api.routes(self),
            ]
        )
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        self._runner, self._host = runner, host
        self._port = runner.addresses[0][1]
        self._state.closing = False
        self._delivery = asyncio.create_task(WebhookDelivery(self._state).run())

    async def stop(self) -> None:
        """Stop serving; long polls still waiting are answered (empty) first."""
        if self._runner is None:
            return
        self._state.closing = True
        self._state.changed()  # wakes the delivery loop, which then ends
        await self._delivery
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """python-telegram-bot's ``base_url``: it appends the token and the method."""
        return f"http://{self._url_host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self._url_host}:{self.port}/file/bot"

    @property
    def _url_host(self) -> str:
        return "127.0.0.1" if self._host in ("", "0.0.0.0") else self._host

    # -- HTTP --------------------------------------------------------------------------

    async def _handle_bot_api(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        try:
            params = await _read_params(request)
        except ConnectionResetError:  # the bot went away halfway (killed): nobody to answer
            return web.Response(status=400)
        except ApiError as error:
            status, body = bot_api.refuse(self._state, method, error, {})
        else:
            status, body = await bot_api.call(self._state, token, method, params)
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        file = self._state.file_by_path(request.match_info["path"])
        if file is None or not bot_api.is_valid_token(request.match_info["token"]):
            raise web.HTTPNotFound()
        return web.Response(body=file.content, content_type=file.mime_type)

    # -- simulated conditions ----------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        error_code: int = 429,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next call of ``method`` fail, as Telegram sometimes does.

        429 answers "Too Many Requests: retry after N" with ``parameters.retry_after``
        (python-telegram-bot raises RetryAfter); 502 is a "Bad Gateway" (NetworkError).
        Calls can be queued: each fail_next fails one more call. Simulated failures are
        not rule breaks.
        """
        _check_methods([method])
        error = faults.simulated_error(error_code, retry_after, description)
        self._state.simulated_failures.setdefault(method.lower(), deque()).append(error)

    def inject_faults(
        self,
        rate: float,
        *,
        methods: Iterable[str] = ("sendMessage", "editMessageText", "answerCallbackQuery"),
        seed: int = 0,
        retry_after: int = 1,
        delay: tuple[float, float] = (2.0, 3.0),
        at_most_in_a_row: int | None = None,
    ) -> None:
        """From now on, fail each call of ``methods`` with probability ``rate``.

        The kind of failure is drawn evenly: 429 "Too Many Requests: retry after
        ``retry_after``" or 500 "Internal Server Error" (the call has no effect), or a wait
        of a random ``delay`` seconds (real time) after which the call is handled as usual.
        The draws come from ``random.Random(seed)``, so a run can be replayed. Calling again
        replaces the previous settings; :meth:`fail_next` failures go first. Like those,
        these are not rule breaks. :attr:`faults_injected` counts them.

        With ``at_most_in_a_row``, a call tried again (the same method with the same
        parameters) fails at most that many times in a row, as Telegram's everyday failures
        pass: a bot that tries often enough then never has to give up (0: only slow answers).
        Without it, every try is drawn anew, and now and then one fails more often than any
        bot tries.
        """
        methods = list(methods)
        _check_methods(methods)
        self._state.random_faults = faults.RandomFaults(
            rate,
            [method.lower() for method in methods],
            seed=seed,
            retry_after=retry_after,
            delay=delay,
            at_most_in_a_row=at_most_in_a_row,
        )

    def stop_faults(self) -> None:
        """No more random faults (delayed calls already waiting still finish)."""
        self._state.random_faults = None

    @property
    def faults_injected(self) -> dict[str, int]:
        """Random faults injected so far, by kind: "retry_after" (429), "server_error"
        (500) and "delay"; counted since the emulator was made, across inject_faults."""
        return {kind: self._state.faults_injected[kind] for kind in faults.KINDS}

    # -- users acting ------------------------------------------------------------------
    # User actions are coroutines: each yields to the event loop once, so a bot polling in
    # the same loop picks the update up before the test carries on.

    async def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        language_code: str | None = None,
    ) -> MessageRecord:
        """The user writes ``text`` in their private chat (a leading /command is tagged)."""
        return await self._send_private(
            user_id,
            first_name,
            language_code,
            text=text,
            entities=tuple(command_entities(text)),
        )

    async def send_sticker(self, user_id: int, *, first_name: str | None = None) -> MessageRecord:
        sticker = self._state.register_file(b"sticker", "sticker.webp", "image/webp", None)
        return await self._send_private(user_id, first_name, sticker=sticker)

    async def send_photo(
        self,
        user_id: int,
        *,
        caption: str | None = None,
        content: bytes = b"emulated photo",
        first_name: str | None = None,
    ) -> MessageRecord:
        """The user sends a photo; the bot can download ``content`` through getFile."""
        photo = self._state.register_file(content, "photo.jpg", "image/jpeg", caption)
        return await self._send_private(user_id, first_name, photo=photo)

    async def send_document(
        self,
        user_id: int,
        *,
        filename: str = "document.pdf",
        content: bytes = b"emulated document",
        mime_type: str = "application/pdf",
        caption: str | None = None,
        first_name: str | None = None,
    ) -> MessageRecord:
        """The user sends a file; the bot can download ``content`` through getFile."""
        document = self._state.register_file(content, filename, mime_type, caption)
        return await self._send_private(user_id, first_name, document=document)

    async def send_location(
        self,
        user_id: int,
        latitude: float = 52.09,
        longitude: float = 5.12,
        *,
        first_name: str | None = None,
    ) -> MessageRecord:
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send_private(user_id, first_name, location=location)

    async def send_contact(
        self,
        user_id: int,
        phone_number: str = "+31612345678",
        contact_name: str = "Kim",
        *,
        contact_user_id: int | None = None,
        first_name: str | None = None,
    ) -> MessageRecord:
        """The user shares a contact from their phone (``contact_user_id``: one on Telegram)."""
        contact: dict = {"phone_number": phone_number, "first_name": contact_name}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        return await self._send_private(user_id, first_name, contact=contact)

    async def _send_private(
        self,
        user_id: int,
        first_name: str | None,
        language_code: str | None = None,
        **fields: object,
    ) -> MessageRecord:
        user = self._state.user(user_id, first_name, language_code)
        message = self._state.add_message(self._state.private_chat(user), user, **fields)
        return await self._deliver(message)

    async def edit_text(self, user_id: int, message_id: int, text: str) -> MessageRecord:
        """The user edits a text they sent in their private chat: Telegram sends the bot an
        edited_message update, if the bot asked for those (allowed_updates)."""
        chat = self._chat(user_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted or message.from_bot or message.text is None:
            raise AssertionError(f"no text of user {user_id} as message #{message_id}")
        message.text, message.entities = text, tuple(command_entities(text))
        message.edited += 1
        message.edit_date = int(time.time())
        message.changed_seq = self._state.changed()
        payload = self._state.message_json(message)
        self._state.push_update("edited_message", payload, user_id, chat.id)
        await asyncio.sleep(0)
        return message

    async def send_group_text(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        title: str = "Scorelijst groep",
        first_name: str | None = None,
    ) -> MessageRecord:
        """The user writes in a group (negative ``chat_id``) that has the bot as member.

        The bot has privacy mode on (can_read_all_group_messages is false), so like on
        Telegram it only receives commands meant for it and texts that mention it.
        """
        user = self._state.user(user_id, first_name)
        chat = self._state.group_chat(chat_id, title)
        entities = command_entities(text)
        message = self._state.add_message(chat, user, text=text, entities=tuple(entities))
        command = text[: entities[0]["length"]] if entities else ""
        for_us = command and ("@" not in command or command.endswith(f"@{bot_api.BOT_USERNAME}"))
        if for_us or f"@{bot_api.BOT_USERNAME}" in text:
            return await self._deliver(message)
        return message

    async def send_channel_post(
        self, chat_id: int, text: str, *, title: str = "Scorelijst nieuws"
    ) -> MessageRecord:
        """A post in a channel (negative ``chat_id``) that has the bot as administrator: a
        channel_post update, if the bot asked for those (allowed_updates)."""
        chat = self._state.group_chat(chat_id, title, kind="channel")
        message = self._state.add_message(
            chat, chat.to_json(), text=text, entities=tuple(command_entities(text))
        )
        self._state.push_update("channel_post", self._state.message_json(message), chat_id, chat_id)
        await asyncio.sleep(0)
        return message

    async def send_raw_update(self, user_id: int, kind: str, payload: dict) -> None:
        """An update exactly as given, also one Telegram would never send: for a bot's
        behaviour on data it cannot read."""
        self._state.push_update(kind, payload, user_id, user_id)
        await asyncio.sleep(0)

    def drop_pending_updates(self) -> None:
        """Forget every update the bot has not confirmed, as Telegram does after 24 hours."""
        self._state.drop_updates()

    async def _deliver(self, message: MessageRecord) -> MessageRecord:
        payload = self._state.message_json(message)
        self._state.push_update("message", payload, message.sender["id"], message.chat_id)
        await asyncio.sleep(0)
        return message

    async def tap(
        self,
        user_id: int,
        label: str,
        *,
        message_id: int | None = None,
        chat_id: int | None = None,
    ) -> CallbackQueryRecord:
        """The user taps the inline button labelled ``label``.

        Looks on the newest bot message that has such a button (or on ``message_id``):
        first for an exact label, then for the one button whose label contains ``label``
        (ignoring case). Fails with the visible buttons listed when there is none, or
        when the choice is ambiguous. The chat is the user's private chat by default.
        """
        chat = self._chat(user_id if chat_id is None else chat_id)
        message, data = _find_button(chat, label, message_id)
        return await self._callback_query(user_id, message, data)

    async def tap_data(
        self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None
    ) -> CallbackQueryRecord:
        """A callback query with any ``data`` on a bot message: for forged or stale taps."""
        chat = self._chat(user_id if chat_id is None else chat_id)
        message = chat.messages.get(message_id)
        if message is None or message.deleted or not message.from_bot:
            raise AssertionError(f"no bot message #{message_id} in chat {chat.id}")
        return await self._callback_query(user_id, message, data)

    async def _callback_query(
        self, user_id: int, message: MessageRecord, data: str
    ) -> CallbackQueryRecord:
        query = self._state.add_callback_query(self._state.user(user_id), message, data)
        await asyncio.sleep(0)
        return query

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sending to them now fails with 403 Forbidden."""
        self._state.blocked.add(user_id)
        self._state.changed()

    def unblock(self, user_id: int) -> None:
        self._state.blocked.discard(user_id)
        self._state.changed()

    def refused_for_block(self, user_id: int) -> list[str]:
        """The methods the bot called for this user's chat while the user blocked it (each
        answered 403 Forbidden), in order: a bot that learns from the first one tries no more."""
        return list(self._state.refused_for_block.get(user_id, []))

    def _chat(self, chat_id: int) -> Chat:
        chat = self._state.chats.get(chat_id)
        if chat is None:
            raise AssertionError(f"chat {chat_id} does not exist: nobody wrote to the bot there")
        return chat

    # -- reading what the bot did ------------------------------------------------------

    def messages(self, chat_id: int) -> list[MessageRecord]:
        """All messages of a chat in order, the users' and the bot's, deleted ones flagged."""
        chat = self._state.chats.get(chat_id)
        return list(chat.messages.values()) if chat else []

    def private_chats(self) -> list[int]:
        return [c.id for c in self._state.chats.values() if c.type == "private"]

    def bot_messages(self, chat_id: int) -> list[MessageRecord]:
        return [m for m in self.messages(chat_id) if m.from_bot]

    def callback_answers(self, user_id: int) -> list[str]:
        """The texts the bot showed this user when answering their taps, in order."""
        return [
            q.answer_text
            for q in self._state.callback_queries.values()
            if q.user_id == user_id and q.answer_text
        ]

    @property
    def seq(self) -> int:
        """Grows with every change: note it before an action to see what changed after."""
        return self._state.seq

    def pending(self, user_id: int) -> list[str]:
        """Why the bot is not done with a user yet: unfetched updates, unanswered taps."""
        return self._state.pending_for(user_id)

    def unanswered_callback_queries(self) -> list[CallbackQueryRecord]:
        """Taps the bot has not answered yet (those lost with a killed bot left out)."""
        return list(self._state.waiting_queries.values())

    def bot_killed(self) -> None:
        """Tell the emulator that the bot's process was killed (``kill -9``): the taps it had
        taken and not answered are lost with it. On Telegram their spinner just stops; here
        they no longer count as unanswered, pending or overdue. Taps the bot had not yet
        taken go to the next process, as on Telegram.

        What the killed process did last, it may not have noted: the next process's first
        edit of such a message that changes nothing (removing buttons it already removed) is
        no rule break, and see :meth:`left_by_a_kill`."""
        self._state.bot_killed()

    def left_by_a_kill(self, message: MessageRecord) -> bool:
        """The bot was killed after it last changed ``message``, so the next process may not
        know of it: a statement sent just before the kill may keep its buttons."""
        return self._state.left_by_a_kill(message)

    @property
    def polls(self) -> int:
        """How many times the bot has called getUpdates: it is polling once this grows."""
        return self._state.polls

    @property
    def busiest_second(self) -> int:
        """The most messages the bot sent or edited within one second (any second, not only
        whole clock seconds) since the emulator was made: Telegram allows about 30."""
        return self._state.busiest_second

    @property
    def webhooks_set(self) -> int:
        """How many times the bot has set a webhook: it is (re)starting in webhook mode once
        this grows, and gets its updates posted as soon as its server listens."""
        return self._state.webhooks_set

    def commands(self, scope: dict | None = None, language_code: str = "") -> list[tuple[str, str]]:
        """The bot's registered commands as (command, description) for a scope/language."""
        key = (json.dumps(scope or {"type": "default"}, sort_keys=True), language_code)
        return [(c["command"], c["description"]) for c in self._state.commands.get(key, [])]

    def rule_breaks(self) -> list[RuleBreak]:
        """Every Bot API rule the bot broke so far, including taps left unanswered > 10 s."""
        return self._state.rule_breaks()

    def assert_no_rule_breaks(self) -> None:
        breaks = self.rule_breaks()
        if breaks:
            listing = "\n".join(f"  - {rule_break}" for rule_break in breaks)
            raise AssertionError(f"the bot broke {len(breaks)} Bot API rule(s):\n{listing}")

    def transcript(self, chat_id: int | None = None) -> str:
        """A readable dump of one chat, or of all chats."""
        return self._state.transcript(chat_id)

    def subscribe(self) -> asyncio.Queue[Event]:
        """A queue receiving an :class:`Event` for every bot action a user would see."""
        return self._state.subscribe()

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self._state.unsubscribe(queue)

    # -- waiting -----------------------------------------------------------------------

    async def wait_for(
        self, predicate: Callable[[], object], timeout: float = 10.0, *, chat_id: int | None = None
    ) -> None:
        """Wait until ``predicate()`` is true; it is re-checked on every change.

        On timeout, raises AssertionError with the chat (``chat_id``, or all chats) dumped.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(
                    f"condition still false after {timeout} s\n{self.transcript(chat_id)}"
                )
            await self._state.signal.wait(remaining)

    async def wait_idle(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        quiet: float = 0.3,
        timeout: float = 10.0,
    ) -> list[MessageRecord]:
        """Wait until the bot is done with what this user did, and say what it did.

        Done means: the bot fetched every update of the user, answered every tap of
        theirs, and made no call for the chat (default: the user's private chat) for
        ``quiet`` seconds. Returns the bot messages in that chat that were sent or edited
        since the previous wait_idle for the chat (not deleted ones), in chat order.
        """
        chat_id = user_id if chat_id is None else chat_id
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            pending = self._state.pending_for(user_id)
            settling = quiet - self._state.quiet_for(chat_id)  # seconds of quiet still needed
            if not pending and settling <= 0:
                break
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(self._idle_timeout_report(user_id, chat_id, timeout, pending))
            await self._state.signal.wait(remaining if pending else min(remaining, settling))
        cursor = self._idle_cursors.get(chat_id, 0)
        self._idle_cursors[chat_id] = self._state.seq
        return [m for m in self.bot_messages(chat_id) if m.changed_seq > cursor and not m.deleted]

    def _idle_timeout_report(
        self, user_id: int, chat_id: int, timeout: float, pending: list[str]
    ) -> str:
        reasons = pending or [f"the bot kept calling for chat {chat_id}"]
        hint = ""
        if any(u.user_id == user_id and not u.fetched for u in self._state.updates):
            hint = f"\n(is the bot polling this emulator at {self.base_url}?)"
        return (
            f"wait_idle({user_id}) timed out after {timeout} s: "
            + "; ".join(reasons)
            + hint
            + "\n"
            + self.transcript(chat_id)
        )


def _check_methods(methods: Iterable[str]) -> None:
    for method in methods:
        if not bot_api.is_known_method(method):
            raise ValueError(f"unknown Bot API method {method!r}")


def _find_button(chat: Chat, label: str, message_id: int | None) -> tuple[MessageRecord, str]:
    messages = [
        m
        for m in reversed(chat.messages.values())
        if m.from_bot and not m.deleted and m.buttons
        if message_id is None or m.message_id == message_id
    ]
    for exact in (True, False):
        for message in messages:
            hits = [
                (text, data)
                for row in message.buttons
                for text, data in row
                if (text == label if exact else label.casefold() in text.casefold())
            ]
            if len(hits) > 1:
                raise AssertionError(
                    f"{label!r} matches several buttons on message #{message.message_id}: "
                    + ", ".join(repr(text) for text, _ in hits)
                )
            if hits:
                text, data = hits[0]
                if data is None:
                    raise AssertionError(f"button {text!r} is a link, not a callback button")
                return message, data
    visible = "\n".join(
        f"  #{m.message_id}: " + " | ".join(f"[{text}]" for text in m.button_labels)
        for m in messages
    )
    where = f"message #{message_id}" if message_id is not None else f"chat {chat.id}"
    raise AssertionError(
        f"no inline button {label!r} in {where}; visible buttons:\n{visible or '  (none)'}"
    )


async def _read_params(request: web.Request) -> dict[str, object]:
    """The call's parameters from the query string and a form, multipart or JSON body."""
    params: dict[str, object] = dict(request.query)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON request body") from None
        if not isinstance(body, dict):
            raise bad_request("JSON request body must be an object")
        params.update(body)
    elif request.body_exists:
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                params[name] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[name] = value
    return params
