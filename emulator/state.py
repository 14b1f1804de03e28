"""The emulated Telegram: users, chats, messages, pending updates, callback queries, files.

The state is shared by the Bot API side (the bot's HTTP calls) and the user side (tests
acting as Telegram users). Everything runs on one asyncio loop, so there is no locking;
every change bumps ``seq`` and wakes whoever waits on ``signal`` (long polls, wait_for,
wait_idle).
"""

import asyncio
import contextlib
import itertools
import time
from collections import Counter, deque
from collections.abc import Callable, Hashable

from emulator.faults import RandomFaults
from emulator.records import (
    Attachment,
    CallbackQueryRecord,
    Chat,
    Event,
    EventKind,
    MessageRecord,
    RuleBreak,
    UpdateRecord,
    Webhook,
)
from emulator.validation import ApiError

CALLBACK_ANSWER_DEADLINE = 10.0  # seconds a user watches the button's spinner at most
CALLBACK_QUERY_LIFETIME = 15 * 60.0  # after this Telegram refuses answerCallbackQuery
MESSAGES_PER_SECOND = 30  # Telegram's overall limit for a bot
GROUP_MESSAGES_PER_MINUTE = 20  # Telegram's limit per group chat
# What a bot gets when it never chose allowed_updates (or chose []): Telegram's default
# leaves out only member and reaction updates, so every type the emulator makes.
_DEFAULT_UPDATE_TYPES = frozenset({"message", "edited_message", "channel_post", "callback_query"})


class ChangeSignal:
    """Wakes every current waiter at once whenever the state changes."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait(self, timeout: float) -> None:
        """Return on the next change, or after ``timeout`` seconds."""
        event = self._event
        # asyncio.timeout, not wait_for: no task per wait (tests wait on every change), and a
        # cancel that comes as the change does is not lost.
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(max(timeout, 0)):
                await event.wait()


class EmulatorState:
    """Everything the emulated Telegram knows. Ages use ``clock`` (monotonic seconds)."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        messages_per_second: int = MESSAGES_PER_SECOND,
    ) -> None:
        self.clock = clock
        self.messages_per_second = messages_per_second
        self.signal = ChangeSignal()
        self.seq = 0
        self.polls = 0  # getUpdates calls so far
        self.closing = False
        self.users: dict[int, dict] = {}
        self.chats: dict[int, Chat] = {}
        self.blocked: set[int] = set()
        self.refused_for_block: dict[int, list[str]] = {}  # chat id -> methods refused (403)
        self.updates: list[UpdateRecord] = []  # not yet confirmed by the bot
        self.allowed_updates: list[str] = []
        self.webhook: Webhook | None = None  # set: updates are posted, getUpdates is refused
        self.webhooks_set = 0  # setWebhook calls with a URL so far
        self.webhook_error: tuple[int, str] | None = None  # (unix time, message) of the last
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.waiting_queries: dict[str, CallbackQueryRecord] = {}  # a bot may still answer
        self.files: dict[str, Attachment] = {}  # by file_id
        self.commands: dict[tuple[str, str], list[dict]] = {}  # by (scope JSON, language)
        self.descriptions: dict[tuple[str, str], str] = {}  # by (kind, language)
        self.simulated_failures: dict[str, deque[ApiError]] = {}  # by lower-case method
        self.random_faults: RandomFaults | None = None
        self.faults_injected: Counter[str] = Counter()  # random faults so far, by kind
        self.last_kill_seq = 0  # seq when the bot's process was last killed; 0: never
        self._blind_edits: set[tuple[int, int]] = set()  # (chat, message) since that kill
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(4_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._rule_breaks: list[RuleBreak] = []
        self._last_bot_activity: dict[int, float] = {}  # chat id -> time.monotonic()
        self._recent_sends: deque[float] = deque()
        self.busiest_second = 0  # the most sends and edits within one second so far
        self._recent_group_sends: dict[int, deque[float]] = {}
        self._rate_reported: dict[int | None, float] = {}
        self._subscribers: list[asyncio.Queue[Event]] = []

    # -- changes and events ------------------------------------------------------------

    def changed(self) -> int:
        self.seq += 1
        self.signal.notify()
        return self.seq

    def subscribe(self) -> asyncio.Queue[Event]:
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Event]) -> None:
        self._subscribers.remove(queue)

    def publish(self, event: Event) -> None:
        for queue in self._subscribers:
            queue.put_nowait(event)

    # -- simulated failures ------------------------------------------------------------

    def next_failure(self, method: str, call: Hashable = None) -> ApiError | float | None:
        """What Telegram does to this call of ``method`` (lower-case) instead of handling it
        right away: an error to answer with, seconds to wait first, or None. Queued failures
        (fail_next) come before random ones. ``call`` is equal for a call tried again."""
        queued = self.simulated_failures.get(method)
        if queued:
            return queued.popleft()
        fault = self.random_faults.draw(method, call) if self.random_faults else None
        if fault is None:
            return None
        kind, failure = fault
        self.faults_injected[kind] += 1
        self.changed()  # tests waiting on the counts re-check now
        return failure

    # -- users and chats ---------------------------------------------------------------

    def user(
        self, user_id: int, first_name: str | None = None, language_code: str | None = None
    ) -> dict:
        """The Bot API User JSON of a (human) user; a given first_name renames them (also to
        "": a name of invisible characters reaches a bot as good as empty), a given
        language_code sets the language of their Telegram app."""
        if user_id <= 0:
            raise ValueError(f"a user id is a positive number, not {user_id}")
        user = self.users.setdefault(
            user_id,
            {"id": user_id, "is_bot": False, "first_name": "Anna", "language_code": "nl"},
        )
        if first_name is not None:
            user["first_name"] = first_name
        if language_code:
            user["language_code"] = language_code
        return user

    def private_chat(self, user: dict) -> Chat:
        chat = self.chats.setdefault(user["id"], Chat(user["id"], "private", user["first_name"]))
        chat.title = user["first_name"]
        return chat

    def group_chat(self, chat_id: int, title: str, kind: str = "group") -> Chat:
        """A group (or with ``kind`` "channel", a channel) that has the bot as member."""
        if chat_id >= 0:
            raise ValueError(f"a {kind} chat id is negative, not {chat_id}")
        chat = self.chats.setdefault(chat_id, Chat(chat_id, kind, title))
        if chat.type != kind:
            raise ValueError(f"chat {chat_id} is a {chat.type}, not a {kind}")
        chat.title = title
        return chat

    # -- messages ----------------------------------------------------------------------

    def add_message(self, chat: Chat, sender: dict, **fields: object) -> MessageRecord:
        """Append a message (of the user or the bot) to a chat; bot messages are published."""
        from_bot = bool(sender.get("is_bot"))
        message = MessageRecord(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            date=int(time.time()),
            sender=sender,
            from_bot=from_bot,
            **fields,  # type: ignore[arg-type]
        )
        chat.messages[message.message_id] = message
        message.changed_seq = self.changed()
        if from_bot:
            self.publish(Event(EventKind.MESSAGE_SENT, chat.id, message))
        return message

    def message_edited(self, message: MessageRecord, kind: EventKind) -> None:
        message.edited += 1
        message.edit_date = int(time.time())
        message.changed_seq = self.changed()
        self.publish(Event(kind, message.chat_id, message))

    def message_deleted(self, message: MessageRecord) -> None:
        message.deleted = True
        self.changed()
        self.publish(Event(EventKind.MESSAGE_DELETED, message.chat_id, message))

    def message_json(self, message: MessageRecord, *, with_reply: bool = True) -> dict:
        """The Bot API Message object, as Telegram would send it now."""
        chat = self.chats[message.chat_id]
        data: dict = {"message_id": message.message_id}
        if chat.type == "channel":  # posted as the channel, by nobody in particular
            data["sender_chat"] = chat.to_json()
        else:
            data["from"] = message.sender
        data |= {"chat": chat.to_json(), "date": message.date}
        if message.edit_date:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
        if message.document:
            data["document"] = self._file_json(message.document) | {
                "file_name": message.document.filename,
                "mime_type": message.document.mime_type,
            }
        if message.photo:
            data["photo"] = [self._file_json(message.photo) | {"width": 0, "height": 0}]
        if message.sticker:
            data["sticker"] = self._file_json(message.sticker) | {
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
            }
        if message.location is not None:
            data["location"] = message.location
        if message.contact is not None:
            data["contact"] = message.contact
        if message.caption:
            data["caption"] = message.caption
        if message.entities:
            data["caption_entities" if message.attachment else "entities"] = list(message.entities)
        if message.reply_markup and "inline_keyboard" in message.reply_markup:
            data["reply_markup"] = message.reply_markup
        target = chat.messages.get(message.reply_to or 0)
        if with_reply and target and not target.deleted:
            data["reply_to_message"] = self.message_json(target, with_reply=False)
        return data

    @staticmethod
    def _file_json(file: Attachment) -> dict:
        return {
            "file_id": file.file_id,
            "file_unique_id": file.file_unique_id,
            "file_size": len(file.content),
        }

    def register_file(
        self, content: bytes, filename: str | None, mime_type: str | None, caption: str | None
    ) -> Attachment:
        number = next(self._file_ids)
        file = Attachment(f"file-{number}", f"u{number}", content, filename, mime_type, caption)
        self.files[file.file_id] = file
        return file

    def file_by_path(self, path: str) -> Attachment | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    # -- updates -----------------------------------------------------------------------

    def push_update(self, kind: str, payload: dict, user_id: int, chat_id: int) -> UpdateRecord:
        update = UpdateRecord(next(self._update_ids), kind, user_id, chat_id, payload)
        self.updates.append(update)
        self.changed()
        return update

    def add_callback_query(
        self, user: dict, message: MessageRecord, data: str
    ) -> CallbackQueryRecord:
        query = CallbackQueryRecord(
            id=str(next(self._query_ids)),
            user_id=user["id"],
            chat_id=message.chat_id,
            message_id=message.message_id,
            data=data,
            created_at=self.clock(),
        )
        self.callback_queries[query.id] = self.waiting_queries[query.id] = query
        payload = {
            "id": query.id,
            "from": user,
            "message": self.message_json(message),
            "chat_instance": str(abs(message.chat_id) * 7919 + 17),
            "data": data,
        }
        query.update_id = self.push_update(
            "callback_query", payload, user["id"], message.chat_id
        ).update_id
        return query

    def confirm_updates(self, offset: int | None) -> None:
        """getUpdates' offset: forget updates below it (negative: keep only the last -offset)."""
        if offset is None or offset == 0:
            return
        if offset < 0:
            self.updates = self.updates[offset:]
        else:
            self.updates = [u for u in self.updates if u.update_id >= offset]

    def wanted_updates(self) -> list[UpdateRecord]:
        """The pending updates, oldest first; types the bot did not ask for are dropped."""
        wanted = set(self.allowed_updates) or _DEFAULT_UPDATE_TYPES
        self.updates = [u for u in self.updates if u.kind in wanted]
        return self.updates

    def take_updates(self, limit: int) -> list[UpdateRecord]:
        """The next updates for getUpdates."""
        batch = self.wanted_updates()[:limit]
        first_fetch = [u for u in batch if not u.fetched]
        for update in first_fetch:
            update.fetched = True
            self.touch(update.chat_id)
        if first_fetch:
            self.changed()
        return batch

    def delivered(self, update: UpdateRecord) -> None:
        """The bot's webhook took the update: like Telegram, forget it."""
        if update in self.updates:
            self.updates.remove(update)
        update.fetched = True
        self.touch(update.chat_id)
        self.changed()

    def delivery_failed(self, error: str) -> None:
        """Remember the error for getWebhookInfo (and for tests waiting on the update);
        Telegram tries again later, and so does the emulator. Not a rule break: a bot can be
        down for a moment, and a webhook may refuse an update it cannot read."""
        self.webhook_error = (int(time.time()), error)
        self.changed()

    def bot_killed(self) -> None:
        """The bot's process is gone without a goodbye: the taps it had taken (confirmed, or
        posted to its webhook) and not answered, it never will. A tap still pending comes to
        the next process."""
        pending = {update.update_id for update in self.updates}
        for query in list(self.waiting_queries.values()):
            if query.update_id not in pending:
                query.lost = True
                del self.waiting_queries[query.id]
        self.last_kill_seq = self.changed()
        self._blind_edits.clear()

    def left_by_a_kill(self, message: MessageRecord) -> bool:
        """The bot's process was killed after it last changed this message: the next process
        may not know what the killed one did to it (sent it, edited it) if it had no time to
        note that."""
        return message.changed_seq < self.last_kill_seq

    def blind_after_kill(self, message: MessageRecord) -> bool:
        """Whether an edit of ``message`` that changes nothing is the first one since a kill
        of a message the killed process changed last: a restarted bot that cleans up (removes
        buttons) without knowing that the killed one already did. Not a rule break, once."""
        key = (message.chat_id, message.message_id)
        if not self.left_by_a_kill(message) or key in self._blind_edits:
            return False
        self._blind_edits.add(key)
        return True

    def drop_updates(self) -> None:
        self.updates.clear()
        self.changed()

    # -- bot activity, rates and rule breaks ------------------------------------------

    def touch(self, chat_id: int) -> None:
        """Note that the bot is busy with a chat (fetched its update, or called for it)."""
        self._last_bot_activity[chat_id] = time.monotonic()

    def quiet_for(self, chat_id: int) -> float:
        """Seconds since the bot last did anything for this chat."""
        last = self._last_bot_activity.get(chat_id)
        return float("inf") if last is None else time.monotonic() - last

    def count_bot_message(self, method: str, chat_id: int | None) -> None:
        """Count a send or edit the bot makes, refused or not, and record (not refuse) one that
        goes over Telegram's flood limits."""
        now = self.clock()
        self._check_rate(method, None, self._recent_sends, now, 1.0, self.messages_per_second)
        self.busiest_second = max(self.busiest_second, len(self._recent_sends))
        if chat_id is not None and chat_id < 0:
            recent = self._recent_group_sends.setdefault(chat_id, deque())
            self._check_rate(method, chat_id, recent, now, 60.0, GROUP_MESSAGES_PER_MINUTE)

    def _check_rate(
        self,
        method: str,
        chat_id: int | None,
        recent: deque[float],
        now: float,
        window: float,
        limit: int,
    ) -> None:
        recent.append(now)
        while recent and recent[0] <= now - window:
            recent.popleft()
        if len(recent) <= limit or self._rate_reported.get(chat_id, -window) > now - window:
            return  # within the limit, or this burst was already reported
        self._rate_reported[chat_id] = now
        where = "overall" if chat_id is None else f"to group chat {chat_id}"
        span = "one second" if window == 1.0 else "one minute"
        self.record(
            method,
            f"flood limit: more than {limit} messages {where} within {span}",
            {"chat_id": chat_id} if chat_id is not None else {},
        )

    def record(self, method: str, description: str, params: dict) -> None:
        self._rule_breaks.append(RuleBreak(method, description, dict(params)))
        self.changed()

    def rule_breaks(self) -> list[RuleBreak]:
        """Recorded rule breaks, plus callback queries still unanswered past the deadline."""
        now = self.clock()
        overdue = [
            RuleBreak(
                "answerCallbackQuery",
                f"callback query {q.id} (data {q.data!r}) of user {q.user_id} still not "
                f"answered after {now - q.created_at:.1f} s",
                {"chat_id": q.chat_id, "message_id": q.message_id},
            )
            for q in self.waiting_queries.values()
            if now - q.created_at > CALLBACK_ANSWER_DEADLINE
        ]
        return [*self._rule_breaks, *overdue]

    # -- reading -----------------------------------------------------------------------

    def pending_for(self, user_id: int) -> list[str]:
        """Why the bot is not done with a user yet: unfetched updates, unanswered taps."""
        undelivered = f" (webhook: {self.webhook_error[1]})" if self.webhook_error else ""
        reasons = [
            f"update {u.update_id} ({u.kind}) not yet fetched by the bot{undelivered}"
            for u in self.updates
            if u.user_id == user_id and not u.fetched
        ]
        reasons += [
            f"callback query {q.id} (data {q.data!r}) not answered"
            for q in self.waiting_queries.values()
            if q.user_id == user_id
        ]
        return reasons

    def transcript(self, chat_id: int | None = None) -> str:
        """A readable dump of one chat (or all) for assertion messages."""
        chats = [self.chats[chat_id]] if chat_id in self.chats else list(self.chats.values())
        if not chats:
            return "(no chats yet: no user has written to the bot)"
        parts = []
        for chat in chats:
            lines = [f"chat {chat.id} ({chat.type}, {chat.title}):"]
            lines += ["  " + m.describe().replace("\n", "\n  ") for m in chat.messages.values()]
            parts.append("\n".join(lines))
        return "\n".join(parts)
