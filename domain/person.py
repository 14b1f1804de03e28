"""A person who uses the bot: what we keep of them, and when they were last seen."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    user_id: int  # Telegram's id of the person, not a phone number
    first_name: str
    language: str  # the content language the bot speaks with them
    created_at: str
    last_seen_at: str
