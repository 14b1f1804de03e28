"""What the use-case tests (tests/test_*_service.py and friends) share besides their fixtures
(tests/conftest.py): a clock a test moves by hand, and a look into the database file as it is
on disk, past the use cases."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

START = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Hands:
    """A clock that stands still until a test moves it (``hands.at = ...``), so every stored
    time is known."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at


def rows(path: Path, sql: str, *args: object) -> list[tuple]:
    """What a query finds in the database file, through a connection of its own."""
    with closing(sqlite3.connect(path)) as raw:
        return raw.execute(sql, args).fetchall()
