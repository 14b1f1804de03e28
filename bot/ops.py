"""Commands for whoever runs the bot on a server: `python -m bot backup PATH` and
`python -m bot health`. Each reads the same settings as the bot, prints one line and returns
the exit code; neither needs the token."""

from __future__ import annotations

import contextlib
import sqlite3
import sys
import urllib.error
import urllib.request
from pathlib import Path

from bot.settings import Settings, SettingsError, Webhook
from storage.backup import BackupError, backup


class Unhealthy(Exception):
    pass


def backup_command(path: Path) -> int:
    try:
        source = Settings.from_env(need_token=False).db_path
        backup(source, path)
    except (SettingsError, BackupError, OSError) as error:
        print(error, file=sys.stderr)
        return 1
    print(f"backed up {source} to {path}")
    return 0


def health_command() -> int:
    """0 when the running bot can work: its database opens and, in webhook mode, its webhook
    server answers. For a container's health check. Long polling needs no check of its own:
    python-telegram-bot ends the process when it cannot poll (a wrong token, for one)."""
    try:
        settings = Settings.from_env(need_token=False)
        _database_opens(settings.db_path)
        if settings.webhook is not None:
            _webhook_answers(settings.webhook)
    except (SettingsError, Unhealthy) as error:
        print(error, file=sys.stderr)
        return 1
    print("healthy")
    return 0


def _database_opens(path: Path) -> None:
    if not path.is_file():
        raise Unhealthy(f"there is no database at {path}")
    try:
        # mode=rw: never create an empty database; reading the schema reads the file.
        uri = f"{path.resolve().as_uri()}?mode=rw"
        with contextlib.closing(sqlite3.connect(uri, uri=True)) as db:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        raise Unhealthy(f"the database at {path} cannot be read: {error}") from error


def _webhook_answers(webhook: Webhook) -> None:
    host = "127.0.0.1" if webhook.listen in ("", "0.0.0.0") else webhook.listen
    host = "[::1]" if host == "::" else f"[{host}]" if ":" in host else host
    url = f"http://{host}:{webhook.port}{webhook.path}"
    try:
        urllib.request.urlopen(url, timeout=3).close()
    except urllib.error.HTTPError:
        return  # it answers: a GET gets 405, the server takes only Telegram's POSTs
    except OSError as error:  # URLError too: refused, timed out
        raise Unhealthy(f"the webhook server does not answer at {url}: {error}") from error
