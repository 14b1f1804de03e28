"""What the bot's messages show now, as far as this process knows: so that the bot never asks
Telegram for an edit that changes nothing, which Telegram refuses ("message is not modified").

A tap brings a snapshot of its message, as it was when the person tapped. When the bot is slow
(pacing, under load), a second tap can be made before the first tap's edit reached Telegram:
its snapshot still shows buttons that are gone. And an old or made-up tap can ask for a screen
the message shows already. So the bot remembers, for the last messages it edited, what it left
on them (the text as a person reads it, and the buttons), and believes that over a snapshot; of
a message it has not edited, the tapped message's snapshot tells. It is no person's state: it
lives in memory, and after a restart the snapshots tell again.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from dataclasses import dataclass

from telegram import InlineKeyboardMarkup, Message

EDITS_REMEMBERED = 10_000  # messages; what the bot's last edit left stays true for good
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Look:
    text: str | None  # as a person reads it; None where only the buttons are known
    buttons: InlineKeyboardMarkup | None


class Shown:
    def __init__(self, remembered: int = EDITS_REMEMBERED) -> None:
        self._remembered = remembered
        self._looks: OrderedDict[tuple[int, int], Look] = OrderedDict()  # oldest first

    def edited(
        self,
        chat_id: int,
        message_id: int,
        html_text: str | None,
        buttons: InlineKeyboardMarkup | None,
    ) -> None:
        """The bot has edited a message into ``html_text`` (None: kept its text) and
        ``buttons``."""
        key = (chat_id, message_id)
        known = self._looks.pop(key, None)
        text = _readable(html_text) if html_text is not None else known and known.text
        self._looks[key] = Look(text, _buttons(buttons))
        if len(self._looks) > self._remembered:
            self._looks.popitem(last=False)

    def look(self, message) -> Look | None:
        """The message as it is now: as the bot's last edit left it, else as ``message`` (a
        tap's snapshot) shows it; None when neither tells (a message too old for Telegram to
        show its content)."""
        known = self._looks.get((message.chat.id, message.message_id))
        if known is not None:
            return known
        if not isinstance(message, Message):
            return None
        return Look(message.text, _buttons(message.reply_markup))

    def has_buttons(self, message) -> bool:
        """Whether a tapped message has buttons now (not knowing: as if it had)."""
        look = self.look(message)
        return look is None or look.buttons is not None

    def outdated(self, message) -> bool:
        """Whether a tap's snapshot shows buttons that the bot has taken away since: a second
        tap made before the first one's edit arrived."""
        known = self._looks.get((message.chat.id, message.message_id))
        shows = isinstance(message, Message) and _buttons(message.reply_markup) is not None
        return shows and known is not None and known.buttons is None

    def would_change(
        self,
        tapped: Message | None,
        chat_id: int,
        message_id: int,
        html_text: str | None,
        buttons: InlineKeyboardMarkup | None,
    ) -> bool:
        """Whether an edit into ``html_text`` (None: only the buttons) and ``buttons`` changes
        the message. ``tapped`` is the message of the tap being handled, if any."""
        known = self._looks.get((chat_id, message_id))
        if known is None and tapped is not None and tapped.message_id == message_id:
            known = self.look(tapped)
        if known is None or _buttons(buttons) != known.buttons:
            return True
        return html_text is not None and _readable(html_text) != (known.text or "").strip()


def _readable(html_text: str) -> str:
    """The text as a person reads it (and as Telegram keeps it: trimmed)."""
    return html.unescape(_TAG.sub("", html_text)).strip()


def _buttons(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    return markup if markup is not None and markup.inline_keyboard else None
