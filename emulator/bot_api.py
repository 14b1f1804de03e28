"""The Bot API methods, answered the way Telegram answers them.

:func:`call` is the single entry point for the bot's HTTP requests: it checks the token,
applies simulated failures, runs the method and turns every refusal into Telegram's
error JSON, recording it as a rule break so tests can fail on it.
"""

import asyncio
import dataclasses
import inspect
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from emulator import validation
from emulator.records import Chat, Event, EventKind, MessageRecord
from emulator.state import CALLBACK_ANSWER_DEADLINE, CALLBACK_QUERY_LIFETIME, EmulatorState
from emulator.validation import NOT_MODIFIED, ApiError, Upload, bad_request, required

BOT_FIRST_NAME = "Scorelijst (emulator)"
BOT_USERNAME = "scorelijst_emulator_bot"
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 10 * 1024 * 1024
_TOKEN = re.compile(r"(\d+):\S+")


@dataclass
class Call:
    """One Bot API request: the state it acts on, the calling bot and its parameters."""

    state: EmulatorState
    bot_id: int
    params: dict[str, Any]

    @property
    def bot(self) -> dict:
        return bot_user(self.bot_id)


Handler = Callable[[Call], Any]
_HANDLERS: dict[str, Handler] = {}  # by lower-case method name: Telegram ignores case
_NAMES: dict[str, str] = {}  # lower-case -> documented spelling, for rule breaks


def _method(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            _HANDLERS[name.lower()] = handler
            _NAMES[name.lower()] = name
        return handler

    return register


def is_valid_token(token: str) -> bool:
    """Telegram's token shape, <bot id>:<secret>; any secret is accepted here."""
    return _TOKEN.fullmatch(token) is not None


def is_known_method(name: str) -> bool:
    return name.lower() in _HANDLERS


def bot_user(bot_id: int) -> dict:
    return {"id": bot_id, "is_bot": True, "first_name": BOT_FIRST_NAME, "username": BOT_USERNAME}


async def call(
    state: EmulatorState, token: str, method: str, raw_params: Mapping[str, object]
) -> tuple[int, dict]:
    """Answer one request: (HTTP status, JSON body). The token never leaves this function."""
    key = method.lower()
    name = _NAMES.get(key, method)
    handler = _HANDLERS.get(key)
    if not is_valid_token(token) or handler is None:
        return refuse(state, name, ApiError(404, "Not Found"), raw_params)
    failure = state.next_failure(key, _identity(raw_params))
    if isinstance(failure, ApiError):  # a simulated condition, not the bot's fault: not recorded
        return failure.code, failure.to_json()
    try:
        params = validation.decode_params(raw_params)
    except ApiError as error:
        return refuse(state, name, error, raw_params)
    chat_id = params.get("chat_id") if isinstance(params.get("chat_id"), int) else None
    if key.startswith(("send", "edit")) and key != "sendchataction":
        # Counted when the bot sends it: a slow answer does not make the bot send faster.
        state.count_bot_message(name, chat_id)
    if failure is not None:
        await asyncio.sleep(failure)  # a slow answer; then the call is handled as usual
    if chat_id is not None:
        state.touch(chat_id)
    try:
        result = handler(Call(state, int(token.split(":", 1)[0]), params))
        if inspect.isawaitable(result):
            result = await result
    except ApiError as error:
        return refuse(state, name, error, params)
    if chat_id is not None:
        state.touch(chat_id)
    if key != "getupdates":
        # Whatever a method changed (commands, answered taps, messages), waiters re-check now.
        state.changed()
    return 200, {"ok": True, "result": result}


def _identity(params: Mapping[str, object]) -> tuple:
    """What tells a call tried again from another of the same method: its parameters."""
    return tuple(
        sorted(
            (name, str(value)) for name, value in params.items() if not isinstance(value, Upload)
        )
    )


def refuse(
    state: EmulatorState, method: str, error: ApiError, params: Mapping[str, object]
) -> tuple[int, dict]:
    """Answer with an error the way Telegram would, and record it as a rule break when it is
    the bot's fault."""
    if error.the_bots_fault:
        state.record(method, error.description, dict(params))
    elif error.code == 403 and isinstance(params.get("chat_id"), int):
        state.refused_for_block.setdefault(params["chat_id"], []).append(method)
    return error.code, error.to_json()


# -- lookups shared by the methods -----------------------------------------------------


def _chat(call: Call) -> Chat:
    """The chat a bot writes to: it must exist, and a private chat's user must not block."""
    chat_id = required(call.params, "chat_id")
    chat = call.state.chats.get(chat_id) if isinstance(chat_id, int) else None
    if chat is None:
        raise bad_request("chat not found")
    if chat.id in call.state.blocked:
        raise ApiError(403, "Forbidden: bot was blocked by the user")
    return chat


def _message(call: Call, chat: Chat, missing: str) -> MessageRecord:
    message = chat.messages.get(required(call.params, "message_id"))  # type: ignore[arg-type]
    if message is None or message.deleted:
        raise bad_request(missing)
    return message


def _editable_message(call: Call) -> MessageRecord:
    message = _message(call, _chat(call), "message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return message


def _not_modified(call: Call, message: MessageRecord) -> ApiError:
    """Telegram's answer to an edit that changes nothing: a rule break, except the first one
    for a message since a kill, when the killed bot had changed it last (see
    EmulatorState.blind_after_kill)."""
    blind = call.state.blind_after_kill(message)
    return ApiError(400, f"Bad Request: {NOT_MODIFIED}", the_bots_fault=not blind)


def _inline_keyboard(message: MessageRecord) -> dict | None:
    markup = message.reply_markup
    return markup if markup and "inline_keyboard" in markup else None


def _set_inline_keyboard(message: MessageRecord, markup: dict | None) -> None:
    """Edits replace the inline keyboard, or remove it when sent without reply_markup."""
    if markup is not None or _inline_keyboard(message) is not None:
        message.reply_markup = markup


def _reply_target(chat: Chat, params: Mapping[str, Any]) -> int | None:
    reply = params.get("reply_parameters")
    if not isinstance(reply, dict):
        reply = {
            "message_id": params.get("reply_to_message_id"),
            "allow_sending_without_reply": params.get("allow_sending_without_reply"),
        }
    message_id, allow_without = reply.get("message_id"), reply.get("allow_sending_without_reply")
    if message_id is None:
        return None
    target = chat.messages.get(message_id)
    if target is None or target.deleted:
        if allow_without:
            return None
        raise bad_request("message to be replied not found")
    return message_id


# -- the methods -----------------------------------------------------------------------


@_method("getMe")
def get_me(call: Call) -> dict:
    return call.bot | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


@_method("logOut", "close")
def log_out(call: Call) -> bool:
    return True


@_method("setWebhook")
def set_webhook(call: Call) -> bool:
    """From now on updates are posted to the URL (see emulator/webhook.py); an empty URL
    removes the webhook, as deleteWebhook does."""
    state, params = call.state, call.params
    if not params.get("url"):
        return delete_webhook(call)
    webhook = validation.webhook(params)
    allowed = validation.allowed_updates(params)
    if params.get("drop_pending_updates"):
        state.drop_updates()
    if allowed is not None:
        state.allowed_updates = allowed
    state.webhook, state.webhook_error = webhook, None
    state.webhooks_set += 1
    return True


@_method("deleteWebhook")
def delete_webhook(call: Call) -> bool:
    if call.params.get("drop_pending_updates"):
        call.state.drop_updates()
    call.state.webhook = None
    return True


@_method("getWebhookInfo")
def get_webhook_info(call: Call) -> dict:
    state = call.state
    info: dict = {
        "url": state.webhook.url if state.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(state.updates),
    }
    if state.webhook:
        info["max_connections"] = state.webhook.max_connections
        if state.allowed_updates:
            info["allowed_updates"] = state.allowed_updates
    if state.webhook_error:
        info["last_error_date"], info["last_error_message"] = state.webhook_error
    return info


@_method("getUpdates")
async def get_updates(call: Call) -> list[dict]:
    """Long polling: answer as soon as there is an update, or after ``timeout`` seconds."""
    state, params = call.state, call.params
    if state.webhook is not None:
        raise ApiError(
            409,
            "Conflict: can't use getUpdates method while webhook is active;"
            " use deleteWebhook to delete the webhook first",
        )
    state.polls += 1
    state.changed()  # a bot that polls is ready: tests waiting for that re-check
    state.confirm_updates(params.get("offset"))
    allowed = validation.allowed_updates(params)
    if allowed is not None:  # like Telegram, the choice sticks until the next one
        state.allowed_updates = allowed
    limit = min(max(params.get("limit") or 100, 1), 100)
    deadline = time.monotonic() + max(params.get("timeout") or 0, 0)
    while True:
        batch = state.take_updates(limit)
        remaining = deadline - time.monotonic()
        if batch or remaining <= 0 or state.closing:
            return [update.to_json() for update in batch]
        await state.signal.wait(remaining)


@_method("sendMessage")
def send_message(call: Call) -> dict:
    chat = _chat(call)
    formatted, html = validation.message_text(call.params)
    message = call.state.add_message(
        chat,
        call.bot,
        text=formatted.text,
        html=html,
        entities=formatted.entities,
        reply_markup=validation.reply_markup(call.params),
        reply_to=_reply_target(chat, call.params),
        link_preview_options=call.params.get("link_preview_options"),
    )
    return call.state.message_json(message)


@_method("editMessageText")
def edit_message_text(call: Call) -> dict:
    message = _editable_message(call)
    if message.attachment:
        raise bad_request("there is no text in the message to edit")
    formatted, html = validation.message_text(call.params)
    markup = validation.reply_markup(call.params, inline_only=True)
    if (formatted.text, formatted.entities, markup) == (
        message.text,
        message.entities,
        _inline_keyboard(message),
    ):
        raise _not_modified(call, message)
    message.text, message.html, message.entities = formatted.text, html, formatted.entities
    _set_inline_keyboard(message, markup)
    call.state.message_edited(message, EventKind.MESSAGE_EDITED)
    return call.state.message_json(message)


@_method("editMessageReplyMarkup")
def edit_message_reply_markup(call: Call) -> dict:
    message = _editable_message(call)
    markup = validation.reply_markup(call.params, inline_only=True)
    if markup == _inline_keyboard(message):
        raise _not_modified(call, message)
    _set_inline_keyboard(message, markup)
    call.state.message_edited(message, EventKind.REPLY_MARKUP_EDITED)
    return call.state.message_json(message)


@_method("deleteMessage")
def delete_message(call: Call) -> bool:
    chat = _chat(call)
    message = _message(call, chat, "message to delete not found")
    if not message.from_bot and chat.type != "private":
        raise bad_request("message can't be deleted")  # the bot is no group admin here
    call.state.message_deleted(message)
    return True


@_method("answerCallbackQuery")
def answer_callback_query(call: Call) -> bool:
    state = call.state
    query_id = str(required(call.params, "callback_query_id"))
    text = validation.callback_answer_text(call.params)
    query = state.callback_queries.get(query_id)
    now = state.clock()
    if query is None or query.answered or now - query.created_at > CALLBACK_QUERY_LIFETIME:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    query.answered_at, query.answer_text = now, text
    query.show_alert = bool(call.params.get("show_alert"))
    state.waiting_queries.pop(query_id, None)
    state.touch(query.chat_id)
    if now - query.created_at > CALLBACK_ANSWER_DEADLINE:
        state.record(
            "answerCallbackQuery",
            f"callback query answered after {now - query.created_at:.1f} s: the user's "
            f"button spinner gives up after {CALLBACK_ANSWER_DEADLINE:.0f} s",
            {"callback_query_id": query_id, "text": text},
        )
    state.changed()
    if text:
        message = state.chats[query.chat_id].messages.get(query.message_id)
        state.publish(
            Event(EventKind.CALLBACK_ANSWERED, query.chat_id, message, text, query.show_alert)
        )
    return True


def _send_file(call: Call, field: str, max_bytes: int, default_mime: str) -> MessageRecord:
    chat = _chat(call)
    formatted, html = validation.caption(call.params)
    caption = formatted.text or None
    value = call.params.get(field)
    if isinstance(value, Upload):
        if len(value.content) > max_bytes:
            raise ApiError(413, "Request Entity Too Large")
        file = call.state.register_file(
            value.content, value.filename, value.mime_type or default_mime, caption
        )
    elif isinstance(value, str) and value in call.state.files:  # re-sending by file_id
        file = dataclasses.replace(call.state.files[value], caption=caption)
    elif value:
        raise bad_request("wrong file identifier/HTTP URL specified")
    else:
        raise bad_request(f"there is no {field} in the request")
    return call.state.add_message(
        chat,
        call.bot,
        html=html,
        entities=formatted.entities,
        reply_markup=validation.reply_markup(call.params),
        reply_to=_reply_target(chat, call.params),
        **{field: file},
    )


@_method("sendDocument")
def send_document(call: Call) -> dict:
    message = _send_file(call, "document", MAX_DOCUMENT_BYTES, "application/octet-stream")
    return call.state.message_json(message)


@_method("sendPhoto")
def send_photo(call: Call) -> dict:
    message = _send_file(call, "photo", MAX_PHOTO_BYTES, "image/jpeg")
    return call.state.message_json(message)


@_method("sendChatAction")
def send_chat_action(call: Call) -> bool:
    _chat(call)
    if required(call.params, "action") not in validation.CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


@_method("getFile")
def get_file(call: Call) -> dict:
    file = call.state.files.get(str(required(call.params, "file_id")))
    if file is None:
        raise bad_request("invalid file_id")
    return {
        "file_id": file.file_id,
        "file_unique_id": file.file_unique_id,
        "file_size": len(file.content),
        "file_path": file.file_path,
    }


@_method("setMyCommands")
def set_my_commands(call: Call) -> bool:
    commands = validation.commands(call.params)
    call.state.commands[validation.command_scope_key(call.params)] = commands
    return True


@_method("getMyCommands")
def get_my_commands(call: Call) -> list[dict]:
    return call.state.commands.get(validation.command_scope_key(call.params), [])


@_method("deleteMyCommands")
def delete_my_commands(call: Call) -> bool:
    call.state.commands.pop(validation.command_scope_key(call.params), None)
    return True


def _set_description(call: Call, kind: str, limit: int) -> bool:
    language = str(call.params.get("language_code") or "")
    call.state.descriptions[kind, language] = validation.description(call.params, kind, limit)
    return True


def _get_description(call: Call, kind: str) -> dict:
    language = str(call.params.get("language_code") or "")
    return {kind: call.state.descriptions.get((kind, language), "")}


@_method("setMyDescription")
def set_my_description(call: Call) -> bool:
    return _set_description(call, "description", validation.MAX_DESCRIPTION)


@_method("getMyDescription")
def get_my_description(call: Call) -> dict:
    return _get_description(call, "description")


@_method("setMyShortDescription")
def set_my_short_description(call: Call) -> bool:
    return _set_description(call, "short_description", validation.MAX_SHORT_DESCRIPTION)


@_method("getMyShortDescription")
def get_my_short_description(call: Call) -> dict:
    return _get_description(call, "short_description")
