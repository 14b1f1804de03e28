"""A repeat of the same tap on the same snapshot of a message counts as a double tap only
within the window."""

from __future__ import annotations

from bot.double_taps import WINDOW_SECONDS, RecentTaps


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
