"""The time, from one place, so use cases record it the same way and tests can set it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path


class Clock:
    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))

    @classmethod
    def ahead_by_file(cls, path: Path) -> Clock:
        """The real time plus the seconds written in ``path`` (none while it is missing or
        empty): end-to-end tests move the time of a running bot process forward this way, to
        see links expire and scheduled messages fall due without waiting days."""

        def now() -> datetime:
            try:
                ahead = float(path.read_text() or 0)
            except FileNotFoundError:
                ahead = 0.0
            return datetime.now(UTC) + timedelta(seconds=ahead)

        return cls(now)

    def now(self) -> datetime:
        return self._now()

    def text(self, moment: datetime | None = None) -> str:
        return as_text(moment or self.now())


def as_text(moment: datetime) -> str:
    """ISO 8601 in UTC to the second: how times are stored, and they sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_text(text: str | None) -> datetime | None:
    """A stored time back as a datetime (None stays None)."""
    return datetime.fromisoformat(text) if text is not None else None
