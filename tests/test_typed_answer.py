"""Typed answers: numbers, labels, one word of a label; a word that fits two answers is asked
about, never guessed."""

from __future__ import annotations

import pytest

from domain.typed_answer import read_typed_answer

DUTCH = {1: "Zeer waar", 2: "Meestal waar", 3: "Beetje waar", 4: "Niet waar"}
ENGLISH = {1: "Very true", 2: "Mostly true", 3: "A little true", 4: "Not true"}


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1", 1),
        (" 4 ", 4),
        ("2.", 2),
        ("Meestal waar", 2),
        ("meestal waar", 2),
        ("BEETJE   WAAR", 3),
        ("niet waar.", 4),
        ("Zeer waar!", 1),
        ("meestal", 2),
        ("Beetje", 3),
        ("zeer", 1),
        ("niet!", 4),
        ("zeerwaar", 1),
        ("Meestal-waar", 2),
        ("waar", (1, 2, 3, 4)),
        ("5", None),
        ("0", None),
        ("12", None),
        ("²", None),
        ("①", None),
        ("₂", None),
        ("٣", None),
        ("ja", None),
        ("", None),
        ("!!", None),
        ("niet zo", None),
        ("meestal niet", None),
    ],
)
def test_dutch(typed, value):
    assert read_typed_answer(typed, DUTCH) == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("mostly", 2),
        ("a little", 3),
        ("little", 3),
        ("Not true", 4),
        ("very", 1),
        ("true", (1, 2, 3, 4)),
        ("3", 3),
    ],
)
def test_english(typed, value):
    assert read_typed_answer(typed, ENGLISH) == value
