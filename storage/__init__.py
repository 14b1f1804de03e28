"""SQLite storage of people, rounds and answers. Knows nothing of Telegram; decides nothing."""

from storage.database import Database, Transaction

__all__ = ["Database", "Transaction"]
