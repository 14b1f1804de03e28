"""A person who uses the bot: what we keep of them, and when they were last seen."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Person:
    user_id: int  # Telegram's id of the person, not a phone number
    first_name: str
    language: str  # the content language the bot speaks with them
    created_at: str
    last_seen_at: str
    # When Telegram said the person blocked the bot: nothing of the bot's own goes to them
    # until they write again.
    blocked_at: str | None = None

    def blocked(self, now: str) -> Person:
        """Telegram said the person blocked the bot; the first time it said so is kept."""
        return self if self.blocked_at is not None else replace(self, blocked_at=now)
