"""A repeat of the same tap on the same snapshot of a message counts as a double tap only
within the window; the bot's own last edit of a message tells its buttons better than a
snapshot."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Chat, InaccessibleMessage, InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.double_taps import EDITS_REMEMBERED, WINDOW_SECONDS, RecentTaps


def test_a_repeat_within_the_window_is_a_double_tap_and_later_it_is_a_new_tap():
    now = [100.0]
    taps = RecentTaps(clock=lambda: now[0])
    key = (1, 1, 5, "sum|3", None)
    assert not taps.is_repeat(key)
    now[0] += WINDOW_SECONDS - 0.5
    assert taps.is_repeat(key)
    assert not taps.is_repeat((1, 1, 5, "sum|3", 1700000000))  # the message changed since
    now[0] += 0.5  # the first tap is exactly WINDOW_SECONDS ago now
    assert not taps.is_repeat(key)


CHAT = Chat(7, Chat.PRIVATE)
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="del|1")]])


def snapshot(message_id: int, markup: InlineKeyboardMarkup | None = KEYBOARD) -> Message:
    """A tapped message as the tap brings it."""
    return Message(message_id, datetime(2026, 1, 1, tzinfo=UTC), CHAT, reply_markup=markup)


def test_the_bots_own_last_edit_tells_the_buttons_better_than_a_taps_snapshot():
    taps = RecentTaps()
    assert taps.has_buttons(snapshot(5))
    assert not taps.has_buttons(snapshot(6, None))
    taps.edited(7, 5, buttons=False)  # the first tap took them away: the snapshot is older
    assert not taps.has_buttons(snapshot(5))
    taps.edited(7, 5, buttons=True)
    assert taps.has_buttons(snapshot(5, None))
    # too old for Telegram to show its content: as if it had buttons, as before
    assert taps.has_buttons(InaccessibleMessage(CHAT, 9))


def test_only_the_last_edits_are_remembered():
    taps = RecentTaps()
    for message_id in range(EDITS_REMEMBERED + 1):
        taps.edited(7, message_id, buttons=False)
    assert taps.has_buttons(snapshot(0))  # forgotten: the snapshot counts again
    assert not taps.has_buttons(snapshot(1))
