"""What the emulator remembers, in the shapes tests and the demo read.

These are plain records: the emulator's state owns and mutates them, and readers get
the live objects, so an edit made later shows on a record read earlier.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath


@dataclass
class Attachment:
    """A file in a message: a bot's upload, or what a user sent (photo, sticker)."""

    file_id: str
    file_unique_id: str
    content: bytes
    filename: str | None = None
    mime_type: str | None = None
    caption: str | None = None

    @property
    def file_path(self) -> str:
        """Where getFile says the file is, relative to the file base URL."""
        return f"files/{self.file_unique_id}{PurePosixPath(self.filename or '').suffix}"


@dataclass
class Chat:
    id: int
    type: str  # "private", "group" or "channel"
    title: str  # the group's or channel's title, or the user's first name for a private chat
    messages: dict[int, "MessageRecord"] = field(default_factory=dict)

    @property
    def next_message_id(self) -> int:
        return max(self.messages, default=0) + 1

    def to_json(self) -> dict:
        if self.type == "private":
            return {"id": self.id, "type": "private", "first_name": self.title}
        return {"id": self.id, "type": self.type, "title": self.title}


@dataclass
class MessageRecord:
    """One message in a chat, by a user or by the bot, as it is now."""

    chat_id: int
    message_id: int
    date: int
    sender: dict  # Bot API User JSON; in a channel, the channel's Chat JSON
    from_bot: bool
    text: str | None = None  # plain text (tags stripped); None for media messages
    html: str | None = None  # the text or caption as the bot sent it with parse_mode HTML
    entities: tuple[dict, ...] = ()  # of the text, or of the caption for media
    reply_markup: dict | None = None
    document: Attachment | None = None
    photo: Attachment | None = None
    sticker: Attachment | None = None
    location: dict | None = None  # Bot API Location JSON
    contact: dict | None = None  # Bot API Contact JSON
    reply_to: int | None = None
    link_preview_options: dict | None = None  # as sendMessage got it: {"is_disabled": true}
    edited: int = 0
    edit_date: int | None = None
    deleted: bool = False
    changed_seq: int = 0  # the emulator's change counter when this was sent or last edited

    @property
    def attachment(self) -> Attachment | None:
        return self.document or self.photo or self.sticker

    @property
    def caption(self) -> str | None:
        return self.attachment.caption if self.attachment else None

    @property
    def buttons(self) -> list[list[tuple[str, str | None]]]:
        """Inline keyboard rows as (text, callback_data); callback_data is None for links."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [[(b["text"], b.get("callback_data")) for b in row] for row in rows]

    @property
    def button_labels(self) -> list[str]:
        return [text for row in self.buttons for text, _ in row]

    def summary(self) -> dict:
        """A JSON-friendly view for the HTTP test API and dumps."""
        data: dict = {
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "text": self.text,
            "html": self.html,
            "buttons": [[list(button) for button in row] for row in self.buttons],
            "edited": self.edited,
            "deleted": self.deleted,
        }
        for kind in ("document", "photo", "sticker"):
            item = getattr(self, kind)
            if item is not None:
                data[kind] = {
                    "filename": item.filename,
                    "size": len(item.content),
                    "caption": item.caption,
                }
        for kind in ("location", "contact"):
            if getattr(self, kind) is not None:
                data[kind] = getattr(self, kind)
        return data

    def describe(self) -> str:
        """One readable line (plus indented continuation lines) for assertion dumps."""
        who = "bot" if self.from_bot else self.sender.get("first_name", self.sender.get("title"))
        body = self.text
        if self.attachment:
            kind = "document" if self.document else "photo" if self.photo else "sticker"
            name = f" {self.attachment.filename}" if self.attachment.filename else ""
            body = f"[{kind}{name}] {self.caption or ''}".rstrip()
        elif self.location is not None:
            body = f"[location {self.location['latitude']}, {self.location['longitude']}]"
        elif self.contact is not None:
            body = f"[contact {self.contact['first_name']} {self.contact['phone_number']}]"
        notes = [f"edited {self.edited}x"] * bool(self.edited) + ["deleted"] * self.deleted
        note = f" ({', '.join(notes)})" if notes else ""
        lines = [f"#{self.message_id} {who}{note}: " + (body or "").replace("\n", "\n      ")]
        lines += ["      " + " ".join(f"[{text}]" for text, _ in row) for row in self.buttons]
        return "\n".join(lines)


@dataclass
class CallbackQueryRecord:
    """A tap on an inline button, and how (and whether) the bot answered it."""

    id: str
    user_id: int
    chat_id: int
    message_id: int
    data: str
    created_at: float  # emulator clock
    answered_at: float | None = None
    answer_text: str | None = None
    show_alert: bool = False
    update_id: int = 0  # of the callback_query update that brought it to the bot
    lost: bool = False  # taken by a bot process that was killed before it answered

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


@dataclass
class UpdateRecord:
    update_id: int
    kind: str  # "message" or "callback_query": the update's field, as in allowed_updates
    user_id: int
    chat_id: int
    payload: dict
    fetched: bool = False

    def to_json(self) -> dict:
        return {"update_id": self.update_id, self.kind: self.payload}


@dataclass(frozen=True)
class Webhook:
    """Where the bot asked (setWebhook) to get its updates, instead of calling getUpdates."""

    url: str
    secret_token: str | None
    max_connections: int


@dataclass(frozen=True)
class RuleBreak:
    """A Bot API call Telegram would have refused, or a rule the bot broke while calling."""

    method: str
    description: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={_short(value)}" for name, value in self.params.items())
        return f"{self.method}: {self.description}" + (f" ({shown})" if shown else "")


def _short(value: object, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class EventKind(StrEnum):
    MESSAGE_SENT = "message_sent"  # also documents and photos: see event.message.attachment
    MESSAGE_EDITED = "message_edited"
    REPLY_MARKUP_EDITED = "reply_markup_edited"
    MESSAGE_DELETED = "message_deleted"
    CALLBACK_ANSWERED = "callback_answered"  # only when the answer has a text to show


@dataclass(frozen=True)
class Event:
    """A bot action a user would see, as delivered to ``emulator.subscribe()`` queues."""

    kind: EventKind
    chat_id: int
    message: MessageRecord | None
    text: str | None = None  # the callback answer's text
    show_alert: bool = False
