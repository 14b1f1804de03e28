"""What the bot's messages show now: the bot's own last edit of a message tells that better
than a tap's snapshot; of a message it has not edited, the snapshot tells."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.shown import Shown

CHAT = Chat(7, Chat.PRIVATE)
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="del|1")]])
OTHER = InlineKeyboardMarkup([[InlineKeyboardButton("Nee", callback_data="del|0")]])


def snapshot(message_id: int, text: str = "Weet je het zeker?", markup=KEYBOARD) -> Message:
    """A tapped message as the tap brings it."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    return Message(message_id, when, CHAT, text=text, reply_markup=markup)


def test_the_bots_own_last_edit_tells_the_buttons_better_than_a_taps_snapshot():
    shown = Shown()
    assert shown.has_buttons(snapshot(5))
    assert not shown.has_buttons(snapshot(6, markup=None))
    assert not shown.outdated(snapshot(5))
    shown.edited(7, 5, None, None)  # the first tap took them away: the snapshot is older
    assert not shown.has_buttons(snapshot(5))
    assert shown.outdated(snapshot(5))
    assert not shown.outdated(snapshot(5, markup=None))  # a tap that shows them gone
    shown.edited(7, 5, "Kies", KEYBOARD)
    assert shown.has_buttons(snapshot(5, markup=None))
    # too old for Telegram to show its content: as if it had buttons
    assert shown.has_buttons(InaccessibleMessage(CHAT, 9))


def test_an_edit_into_what_the_message_shows_changes_nothing():
    shown = Shown()
    tapped = snapshot(5, "Goed, er is niets gewist.", None)
    # as the tap shows it: the text as a person reads it, trimmed, and no buttons
    assert not shown.would_change(tapped, 7, 5, "<b>Goed</b>, er is niets gewist.\n", None)
    assert shown.would_change(tapped, 7, 5, "Goed, er is niets gewist.", KEYBOARD)
    assert shown.would_change(tapped, 7, 5, "Alles is gewist.", None)
    assert shown.would_change(tapped, 7, 6, "Goed, er is niets gewist.", None)  # not tapped
    assert shown.would_change(None, 7, 5, "Goed, er is niets gewist.", None)  # not known
    # once the bot edited it, that counts, also for a later tap's older snapshot
    shown.edited(7, 5, "Kies &amp; tik", OTHER)
    assert not shown.would_change(tapped, 7, 5, "Kies & tik", OTHER)
    assert shown.would_change(tapped, 7, 5, "Kies & tik", KEYBOARD)
    # buttons taken away: the text stays as it was
    shown.edited(7, 5, None, None)
    assert not shown.would_change(None, 7, 5, None, None)
    assert not shown.would_change(None, 7, 5, "Kies & tik", None)
    # a message too old to show: no snapshot to go by
    assert shown.would_change(InaccessibleMessage(CHAT, 9), 7, 9, "Kies", None)


def test_only_the_last_edits_are_remembered():
    shown = Shown(remembered=3)
    for message_id in range(4):
        shown.edited(7, message_id, None, None)
    assert shown.has_buttons(snapshot(0))  # forgotten: the snapshot counts again
    assert not shown.has_buttons(snapshot(1))
    shown.edited(7, 1, None, None)  # edited again: now the newest
    shown.edited(7, 4, None, None)
    assert not shown.has_buttons(snapshot(1))
    assert shown.has_buttons(snapshot(2))
