"""Decoding a Bot API call's parameters and checking them against Telegram's rules.

Everything here either returns clean values or raises :class:`ApiError` carrying the
status code and description Telegram itself would answer with.
"""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from emulator.formatting import FormattedText, FormattingError, format_text, utf16_len
from emulator.records import Webhook

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_ANSWER = 200
MAX_CALLBACK_DATA_BYTES = 64
MAX_COMMANDS = 100
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120

# python-telegram-bot JSON-encodes every non-string value; which fields to decode how is
# decided by name, so that a text "1" stays the string "1".
_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "cache_time",
        "reply_to_message_id",
        "max_connections",
    }
)
_NUMBER_FIELDS = frozenset({"timeout"})
_BOOL_FIELDS = frozenset(
    {
        "show_alert",
        "drop_pending_updates",
        "disable_notification",
        "protect_content",
        "disable_web_page_preview",
        "allow_sending_without_reply",
    }
)

_INLINE_BUTTON_KINDS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_URL_SCHEMES = ("http://", "https://", "tg://")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
# Telegram posts to any public HTTPS address; the emulator only to this machine.
_LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
_SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``.

    ``the_bots_fault``: whether it is a rule break; by default all but a block (403), which a
    bot cannot know of before Telegram says so.
    """

    def __init__(
        self,
        code: int,
        description: str,
        retry_after: int | None = None,
        *,
        the_bots_fault: bool | None = None,
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after
        self.the_bots_fault = code != 403 if the_bots_fault is None else the_bots_fault

    def to_json(self) -> dict:
        body: dict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(text: str) -> ApiError:
    return ApiError(400, f"Bad Request: {text}")


@dataclass(frozen=True)
class Upload:
    """A file that arrived as a multipart/form-data part."""

    filename: str
    content: bytes
    mime_type: str | None

    def __repr__(self) -> str:  # rule breaks show parameters; never dump file bytes
        return f"<upload {self.filename!r}, {len(self.content)} bytes>"


def decode_params(raw: Mapping[str, object]) -> dict[str, object]:
    """Decode form fields (all strings) or a JSON body into typed values, by field name."""
    params: dict[str, object] = {}
    for name, value in raw.items():
        if isinstance(value, str):
            if name in _JSON_FIELDS:
                value = _decode_json(name, value)
            elif name in _INT_FIELDS:
                value = _decode_int(name, value)
            elif name in _NUMBER_FIELDS:
                value = _decode_number(name, value)
            elif name in _BOOL_FIELDS:
                value = value.strip().lower() in ("true", "1")
        params[name] = value
    return params


def _decode_json(name: str, value: str) -> object:
    try:
        return json.loads(value)
    except ValueError:
        if name == "reply_markup":
            raise bad_request("can't parse reply keyboard markup JSON object") from None
        raise bad_request(f"can't parse {name} JSON object") from None


def _decode_int(name: str, value: str) -> int:
    try:
        number = float(value) if "." in value else int(value)
    except ValueError:
        if name == "chat_id":  # Telegram looks a non-numeric chat_id up as a @username
            raise bad_request("chat not found") from None
        raise bad_request(f'parameter "{name}" must be an Integer') from None
    if number != int(number):
        raise bad_request(f'parameter "{name}" must be an Integer')
    return int(number)


def _decode_number(name: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise bad_request(f'parameter "{name}" must be a Number') from None


def required(params: Mapping[str, object], name: str) -> object:
    """A parameter the method cannot do without, with Telegram's complaint when missing."""
    value = params.get(name)
    if value is None or value == "":
        if name == "chat_id":
            raise bad_request("chat_id is empty")
        if name == "text":
            raise bad_request("message text is empty")
        if name == "message_id":
            raise bad_request("message identifier is not specified")
        raise bad_request(f'parameter "{name}" is required')
    return value


def message_text(params: Mapping[str, object]) -> tuple[FormattedText, str | None]:
    """The checked text of sendMessage/editMessageText, and the raw HTML when parsed as such."""
    formatted, html = _formatted(str(required(params, "text")), params, "entities")
    if not formatted.text:
        raise bad_request("message text is empty")
    if formatted.length > MAX_TEXT:
        raise bad_request("message is too long")
    return formatted, html


def caption(params: Mapping[str, object]) -> tuple[FormattedText, str | None]:
    """The checked (optional) caption of a document or photo."""
    formatted, html = _formatted(str(params.get("caption") or ""), params, "caption_entities")
    if formatted.length > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return formatted, html


def _formatted(
    raw: str, params: Mapping[str, object], entities_field: str
) -> tuple[FormattedText, str | None]:
    entities = params.get(entities_field)
    if entities is not None and not (
        isinstance(entities, list) and all(isinstance(e, dict) for e in entities)
    ):
        raise bad_request("can't parse entities JSON object")
    mode = params.get("parse_mode")
    mode = str(mode) if mode else None
    try:
        formatted = format_text(raw, mode, entities)
    except FormattingError as error:
        raise bad_request(f"can't parse entities: {error}") from None
    is_html = bool(raw) and entities is None and mode is not None and mode.lower() == "html"
    return formatted, raw if is_html else None


def reply_markup(params: Mapping[str, object], *, inline_only: bool = False) -> dict | None:
    """The checked reply_markup, or None when absent.

    Edits only take inline keyboards; sends also take reply keyboards, remove_keyboard
    and force_reply.
    """
    markup = params.get("reply_markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in markup:
        return {"inline_keyboard": _inline_keyboard(markup["inline_keyboard"])}
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        _reply_keyboard(markup["keyboard"])
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def _rows(rows: object, field_name: str, markup_name: str) -> list[list]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field_name}" of the {markup_name} should be an Array of Arrays')
    return rows


def _inline_keyboard(rows: object) -> list[list[dict]]:
    for row in _rows(rows, "inline_keyboard", "InlineKeyboardMarkup"):
        for button in row:
            _inline_button(button)
    return rows  # type: ignore[return-value]  # checked by _rows and _inline_button


def _inline_button(button: object) -> None:
    problem = "can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise bad_request(problem + "InlineKeyboardButton should be an Object")
    if "text" not in button:
        raise bad_request(problem + 'Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise bad_request(problem + 'Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    kinds = [kind for kind in _INLINE_BUTTON_KINDS if kind in button]
    if not kinds:
        raise bad_request(problem + "Text buttons are unallowed in the inline keyboard")
    if len(kinds) > 1:
        raise bad_request(problem + f"exactly one of {', '.join(kinds)} must be used")
    data = button.get("callback_data")
    if "callback_data" in button and not (
        isinstance(data, str) and 1 <= len(data.encode()) <= MAX_CALLBACK_DATA_BYTES
    ):
        raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and not (isinstance(url, str) and url.startswith(_URL_SCHEMES)):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def _reply_keyboard(rows: object) -> None:
    for row in _rows(rows, "keyboard", "ReplyKeyboardMarkup"):
        for button in row:
            text = button.get("text") if isinstance(button, dict) else button
            if not isinstance(text, str) or not text.strip():
                raise bad_request('can\'t parse keyboard button: Field "text" must be non-empty')


def callback_answer_text(params: Mapping[str, object]) -> str | None:
    text = params.get("text")
    if text is None or text == "":
        return None
    if utf16_len(str(text)) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    return str(text)


def commands(params: Mapping[str, object]) -> list[dict]:
    """The checked command list of setMyCommands, as {"command", "description"} dicts."""
    value = required(params, "commands")
    if not isinstance(value, list):
        raise bad_request("can't parse commands JSON object")
    if len(value) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    checked = []
    for item in value:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand should be an Object")
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_NAME.fullmatch(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not description.strip():
            raise bad_request("command description must be non-empty")
        if len(description) > 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        checked.append({"command": command, "description": description})
    return checked


def command_scope_key(params: Mapping[str, object]) -> tuple[str, str]:
    """Where a command list applies: (canonical scope JSON, language code)."""
    scope = params.get("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    language = str(params.get("language_code") or "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language


def description(params: Mapping[str, object], name: str, limit: int) -> str:
    text = str(params.get(name) or "")
    if len(text) > limit:
        raise bad_request(f"{name} is too long")
    return text


def allowed_updates(params: Mapping[str, object]) -> list[str] | None:
    value = params.get("allowed_updates")
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise bad_request("can't parse allowed_updates JSON object")
    return value


def webhook(params: Mapping[str, object]) -> Webhook:
    """setWebhook's url, secret_token and max_connections. Telegram wants HTTPS; the emulator
    takes http too, but only to a loopback address, so it never sends anything off this
    machine."""
    url = str(params["url"])
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.hostname not in _LOOPBACK_HOSTS:
        raise bad_request("bad webhook: the emulator delivers only to http(s)://127.0.0.1")
    secret = params.get("secret_token")
    if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
        raise bad_request("secret token contains unallowed characters")
    max_connections = params.get("max_connections", 40)
    if not isinstance(max_connections, int) or not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    return Webhook(url, None if secret is None else str(secret), max_connections)
