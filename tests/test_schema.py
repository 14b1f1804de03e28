"""The migrations (storage/schema.py) on a database made by an older bot: brought up to date at
start-up, with nothing lost."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from storage import Database
from storage.schema import MIGRATIONS
from tests.use_cases import rows

# A database as the bot of version 6 left it: two people, and a ledger with a reminder and
# a digest in it.
VERSION_6 = (
    "INSERT INTO users (user_id, first_name, language, created_at) VALUES"
    " (1001, 'Anna', 'nl', '2026-11-01T12:00:00+00:00'),"
    " (5001, 'Carla', 'nl', '2026-11-01T12:00:00+00:00')",
    "INSERT INTO deliveries VALUES"
    " ('reminder', 1001, '2026-11-02T09:00:00+00:00', '2026-11-02T09:00:01+00:00', 'sent',"
    " '2026-11-02T09:00:02+00:00'),"
    " ('digest', 5001, '2026-W45:1', '2026-11-02T08:00:01+00:00', 'blocked',"
    " '2026-11-02T08:00:03+00:00'),"
    " ('digest', 1001, '2026-W45:2', '2026-11-02T08:00:04+00:00', NULL, NULL)",
)


@pytest.fixture
def version_6(db_path):
    with closing(sqlite3.connect(db_path, isolation_level=None)) as raw:
        for statements in MIGRATIONS[:6]:
            for statement in statements:
                raw.execute(statement)
        raw.execute("PRAGMA user_version = 6")
        for statement in VERSION_6:
            raw.execute(statement)
    return db_path


async def test_the_ledger_keeps_its_rows_and_can_say_skipped_and_what_was_shown(version_6):
    database = await Database.open(version_6)
    try:
        assert rows(version_6, "PRAGMA user_version") == [(7,)]
        assert rows(version_6, "SELECT * FROM deliveries ORDER BY claimed_at") == [
            (
                "digest",
                5001,
                "2026-W45:1",
                "2026-11-02T08:00:01+00:00",
                "blocked",
                "2026-11-02T08:00:03+00:00",
                None,
            ),
            ("digest", 1001, "2026-W45:2", "2026-11-02T08:00:04+00:00", None, None, None),
            (
                "reminder",
                1001,
                "2026-11-02T09:00:00+00:00",
                "2026-11-02T09:00:01+00:00",
                "sent",
                "2026-11-02T09:00:02+00:00",
                None,
            ),
        ]
        async with database.transaction() as tx:
            await tx.deliveries.settle(
                "digest", 1001, "2026-W45:2", "skipped", "2026-11-02T08:00:05+00:00", "abc"
            )
            # once only, as before
            assert not await tx.deliveries.claim("digest", 5001, "2026-W45:1", "later")
            assert await tx.deliveries.of(1001) == [
                ("digest", "2026-11-02T08:00:04+00:00", "skipped"),
                ("reminder", "2026-11-02T09:00:01+00:00", "sent"),
            ]
            # /wis still takes a person's ledger with them
            await tx.people.delete(1001)
        assert rows(version_6, "SELECT recipient FROM deliveries") == [(5001,)]
        assert rows(
            version_6, "SELECT type, name FROM sqlite_schema WHERE tbl_name = 'deliveries'"
        ) == [("table", "deliveries"), ("index", "deliveries_of_recipient")]
        assert (
            "WITHOUT ROWID"
            in rows(version_6, "SELECT sql FROM sqlite_schema WHERE name = 'deliveries'")[0][0]
        )
        with closing(sqlite3.connect(version_6)) as raw, pytest.raises(sqlite3.IntegrityError):
            raw.execute("UPDATE deliveries SET outcome = 'lost'")
    finally:
        await database.close()
