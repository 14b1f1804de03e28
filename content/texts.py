"""User-facing texts of one language, looked up by dotted key."""

from __future__ import annotations

from collections.abc import Iterator, Mapping


class Texts:
    """Dotted keys (``welcome.title``) to texts with ``{placeholders}``.

    Lookups of a key that does not exist raise ``KeyError`` at once: a missing text is a bug that
    tests must catch, not an empty message for a volunteer.
    """

    def __init__(self, flat: Mapping[str, str]) -> None:
        self._flat = dict(flat)

    def __call__(self, key: str, /, **values: object) -> str:
        text = self._flat[key]
        return text.format(**values) if values else text

    def __contains__(self, key: str) -> bool:
        return key in self._flat

    def __iter__(self) -> Iterator[str]:
        return iter(self._flat)
