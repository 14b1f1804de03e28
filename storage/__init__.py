"""SQLite storage of people, rounds and answers. Knows nothing of Telegram."""

from storage.repository import Round, RoundStatus, Storage

__all__ = ["Round", "RoundStatus", "Storage"]
