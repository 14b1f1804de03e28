"""The time, from one place, so use cases record it the same way and tests can set it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


class Clock:
    def __init__(self, now: Callable[[], datetime] | None = None) -> None:
        self._now = now or (lambda: datetime.now(UTC))

    def now(self) -> datetime:
        return self._now()

    def text(self, moment: datetime | None = None) -> str:
        """ISO 8601 in UTC to the second: how times are stored, and they sort as text."""
        return (moment or self.now()).astimezone(UTC).isoformat(timespec="seconds")
