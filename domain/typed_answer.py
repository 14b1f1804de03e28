"""Reading an answer that a person typed instead of tapped.

People type the number ("2"), the label in any case ("Meestal waar!"), one word of it
("meestal", "beetje", "niet") or the label without its space ("zeerwaar"). A word that fits more
than one answer ("waar") is not guessed: the person is asked which they mean.
"""

from __future__ import annotations

from collections.abc import Mapping

_DIGITS = frozenset("0123456789")


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if ch.isalnum() else " " for ch in text.casefold())
    return cleaned.split()


def read_typed_answer(text: str, labels: Mapping[int, str]) -> int | tuple[int, ...] | None:
    """The answer value meant, a tuple of the values it could mean, or None for no answer.

    ``labels`` maps answer values to labels; a typed number is the value itself (1 = the first
    answer). Only the digits 0–9 count as a number, so "²" or "①" is simply not an answer.
    """
    words = _words(text)
    if not words:
        return None
    if len(words) == 1 and set(words[0]) <= _DIGITS:
        return int(words[0]) if int(words[0]) in labels else None
    joined = "".join(words)
    candidates = []
    for value, label in labels.items():
        label_words = _words(label)
        runs = (label_words[i : i + len(words)] for i in range(len(label_words) - len(words) + 1))
        if joined == "".join(label_words) or words in runs:
            candidates.append(value)
    if len(candidates) == 1:
        return candidates[0]
    return tuple(candidates) or None
