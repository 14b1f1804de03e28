"""Callback data: what the buttons carry, and what forged data turns into."""

from __future__ import annotations

import pytest

from bot.callbacks import Action, Callback, encode, parse


def test_round_trip():
    data = encode(Action.ANSWER, 123, "stressbestendigheid.4", 2)
    assert parse(data) == Callback(Action.ANSWER, 123, "stressbestendigheid.4", 2)
    assert parse(encode(Action.CHOOSE, 5, "lef", 0)) == Callback(Action.CHOOSE, 5, "lef", 0)
    assert parse(encode(Action.GO, 5)) == Callback(Action.GO, 5)
    assert parse(encode(Action.DELETE, 1)) == Callback(Action.DELETE, value=1)
    assert parse(encode(Action.LANGUAGE, "en")) == Callback(Action.LANGUAGE, item="en")
    assert parse(encode(Action.UNPICK, 5)) == Callback(Action.UNPICK, 5)
    assert parse(encode(Action.REMIND, 5, 3)) == Callback(Action.REMIND, 5, "3")
    assert parse(encode(Action.REMIND, 5, "off")) == Callback(Action.REMIND, 5, "off")


def test_longest_data_fits_telegrams_64_bytes():
    assert len(encode(Action.ANSWER, 10**12 - 1, "stressbestendigheid.4", 4).encode()) <= 64


def test_over_64_bytes_is_refused():
    with pytest.raises(ValueError):
        encode(Action.ANSWER, 1, "x" * 80, 1)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "a|1|lef.1",
        "a|1|lef.1|1|extra",
        "a|x|lef.1|1",
        "a|1|LEF.1|1",
        "a|1|lef.1|0",
        "c|1|lef|2",
        "del|2",
        "lang|EN",
        "lang|eng",
        "lang|",
        "go|",
        "zzz|1",
        "rem|1|2",  # 1, 3 or 7 days only
        "rem|1|14",
        "rem|1|aan",
        "rem|off",
        "a|1|lef.1|1\n",
    ],
)
def test_forged_or_broken_data_is_not_understood(data):
    assert parse(data) is None
