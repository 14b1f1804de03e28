"""storage.backup on its own: a live WAL database in, one checked self-contained file out."""

from __future__ import annotations

import contextlib
import sqlite3

import pytest

from storage.backup import BackupError, backup


@pytest.fixture
def live(tmp_path):
    """A database in WAL mode whose last rows are only in the write-ahead log, with a
    transaction still open on another connection, as while the bot writes."""
    path = tmp_path / "live.sqlite3"
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA wal_autocheckpoint = 0")  # nothing leaves the log by itself
        db.execute("CREATE TABLE answers (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        db.executemany("INSERT INTO answers (value) VALUES (?)", [(1,), (2,), (3,)])
        writer = sqlite3.connect(path, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO answers (value) VALUES (4)")  # not committed
        yield path
        writer.execute("ROLLBACK")
        writer.close()


def test_the_copy_has_what_is_committed_including_the_log_and_is_one_file(live, tmp_path):
    assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0
    target = tmp_path / "backups" / "copy.sqlite3"
    backup(live, target)
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT value FROM answers ORDER BY id").fetchall() == [
            (1,),
            (2,),
            (3,),
        ]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert sorted(p.name for p in target.parent.iterdir()) == ["copy.sqlite3"]


def test_an_existing_copy_is_replaced(live, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"an old copy")
    backup(live, target)
    with contextlib.closing(sqlite3.connect(target)) as copy:
        assert copy.execute("SELECT COUNT(*) FROM answers").fetchone() == (3,)


def test_no_database_no_copy_and_nothing_created(tmp_path):
    with pytest.raises(BackupError, match="there is no database at"):
        backup(tmp_path / "missing.sqlite3", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_no_database_gives_no_copy(tmp_path):
    (tmp_path / "notes.txt").write_text("geen database" * 100)
    with pytest.raises(BackupError, match="could not back up"):
        backup(tmp_path / "notes.txt", tmp_path / "copy.sqlite3")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
