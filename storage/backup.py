"""A consistent copy of the live database, safe to make while the bot writes to it.

Copying the file with cp can catch a transaction half-way and misses what is still only in the
write-ahead log. SQLite's online backup API copies the database as one snapshot, as a reader
sees it: every committed transaction, including those still in the log, and nothing of one
that is not committed yet. The bot keeps writing meanwhile (readers never block a writer in
WAL mode).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    pass


def backup(source: Path, target: Path) -> None:
    """Copy the database at ``source`` to ``target`` (replaced if it exists).

    The copy is one self-contained file (rollback journal, not WAL): restoring is copying it
    back while the bot is stopped. It is written beside ``target``, checked with
    ``PRAGMA integrity_check`` and only then renamed into place, so ``target`` is never a
    half-written or broken copy.
    """
    if not source.is_file():
        raise BackupError(f"there is no database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        # mode=rw: never create an empty database where the real one was expected.
        with (
            contextlib.closing(
                sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)
            ) as live,
            contextlib.closing(sqlite3.connect(partial)) as copy,
        ):
            live.execute("PRAGMA busy_timeout = 5000")
            live.backup(copy)  # all pages in one step: one snapshot
            copy.execute("PRAGMA journal_mode = DELETE")
            check = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            raise BackupError(f"the copy fails its integrity check: {'; '.join(check[:5])}")
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"could not back up {source}: {error}") from error
    finally:
        partial.unlink(missing_ok=True)
