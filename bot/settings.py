"""Settings from the environment (and a .env file, when there is one)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import find_dotenv, load_dotenv

DEFAULT_DB_PATH = Path("data") / "scorelijst.sqlite3"
# Telegram lets a bot send about 30 messages a second in all; 28 leaves room for the odd extra.
DEFAULT_MESSAGES_PER_SECOND = 28.0
# How often the scheduler wakes up to send what is due (reminders, the retention rule).
DEFAULT_SCHEDULER_SECONDS = 60.0
DEFAULT_WEBHOOK_LISTEN = "127.0.0.1"
DEFAULT_WEBHOOK_PORT = 8080
# What Telegram accepts as a webhook's secret_token.
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")

MISSING_TOKEN = """\
TELEGRAM_BOT_TOKEN is not set.

To run the bot on Telegram you need a token from @BotFather:
  1. In Telegram, open a chat with @BotFather and send /newbot.
  2. Choose a name and a username; BotFather answers with a token like 123456:ABC-DEF...
  3. Put it in a file .env in this folder:  TELEGRAM_BOT_TOKEN=123456:ABC-DEF...
     (or export it in your shell), then run `python -m bot` again.

Just want to try it? Run `python -m bot demo`: the bot in your terminal, no Telegram needed.
"""


class SettingsError(Exception):
    pass


@dataclass(frozen=True)
class Webhook:
    """Telegram posts updates to ``url`` (public, HTTPS), with ``secret`` in every request's
    X-Telegram-Bot-Api-Secret-Token header; the bot's server listens on ``listen``:``port``,
    at the URL's path, usually behind a web server that forwards that path unchanged."""

    url: str
    secret: str = field(repr=False)
    listen: str = DEFAULT_WEBHOOK_LISTEN
    port: int = DEFAULT_WEBHOOK_PORT

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    base_url: str | None
    db_path: Path
    # Messages (sent or edited) a second for the whole bot; 0 turns pacing off.
    messages_per_second: float = DEFAULT_MESSAGES_PER_SECOND
    webhook: Webhook | None = None  # None: long polling
    # Who runs the bot and how to reach them: shown in /privacy and /help.
    organisation: str | None = None
    contact: str | None = None
    # Delete people who have not used the bot for this many days; None keeps data until /wis.
    retention_days: int | None = None
    # Tests only: a file with the seconds the bot's clock runs ahead (services/clock.py).
    clock_file: Path | None = None
    # Seconds between two wake-ups of the scheduler (bot/jobs.py); tests make it short.
    scheduler_seconds: float = DEFAULT_SCHEDULER_SECONDS

    @property
    def base_file_url(self) -> str | None:
        """python-telegram-bot's file URL for the same server: .../bot -> .../file/bot."""
        if self.base_url is None:
            return None
        head, sep, tail = self.base_url.rstrip("/").rpartition("/")
        return f"{head}/file/{tail}" if sep else f"{self.base_url}/file"

    @classmethod
    def from_env(cls, *, need_token: bool = True) -> Settings:
        load_dotenv(find_dotenv(usecwd=True))
        token = _env("TELEGRAM_BOT_TOKEN")
        if need_token and not token:
            raise SettingsError(MISSING_TOKEN)
        retention = os.environ.get("BOT_RETENTION_DAYS", "").strip()
        if retention and not (set(retention) <= set("0123456789") and int(retention) > 0):
            raise SettingsError(
                f"BOT_RETENTION_DAYS must be a whole number of days above 0, not {retention!r}"
            )
        return cls(
            token=token,
            base_url=_env("TELEGRAM_BASE_URL") or None,
            db_path=Path(_env("BOT_DB_PATH") or DEFAULT_DB_PATH),
            messages_per_second=_messages_per_second(),
            webhook=_webhook(),
            organisation=os.environ.get("BOT_ORGANISATION", "").strip() or None,
            contact=os.environ.get("BOT_CONTACT", "").strip() or None,
            retention_days=int(retention) if retention else None,
            clock_file=Path(_env("BOT_CLOCK_FILE")) if _env("BOT_CLOCK_FILE") else None,
            scheduler_seconds=_scheduler_seconds(),
        )


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()


def _messages_per_second() -> float:
    text = _env("BOT_MESSAGES_PER_SECOND")
    if not text:
        return DEFAULT_MESSAGES_PER_SECOND
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        raise SettingsError(
            f"BOT_MESSAGES_PER_SECOND must be a number of messages a second (0 turns pacing"
            f" off), not {text!r}."
        )
    return value


def _scheduler_seconds() -> float:
    text = _env("BOT_SCHEDULER_SECONDS")
    if not text:
        return DEFAULT_SCHEDULER_SECONDS
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise SettingsError(
            f"BOT_SCHEDULER_SECONDS must be a number of seconds above 0, not {text!r}."
        )
    return value


def _webhook() -> Webhook | None:
    url, secret = _env("BOT_WEBHOOK_URL"), _env("BOT_WEBHOOK_SECRET")
    if not url:
        if secret:
            raise SettingsError("BOT_WEBHOOK_SECRET is set, but BOT_WEBHOOK_URL is not.")
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SettingsError("BOT_WEBHOOK_URL must be a URL like https://bot.example.org/telegram.")
    if not _SECRET.fullmatch(secret):
        # The secret is never echoed: this message may end up in a log.
        raise SettingsError(
            "BOT_WEBHOOK_SECRET must be set with BOT_WEBHOOK_URL: 1 to 256 characters, only"
            ' A-Z, a-z, 0-9, _ and -. For example: python -c "import secrets;'
            ' print(secrets.token_urlsafe(32))"'
        )
    port = _env("BOT_WEBHOOK_PORT")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise SettingsError(f"BOT_WEBHOOK_PORT must be a port number, not {port!r}.")
    return Webhook(
        url=url,
        secret=secret,
        listen=_env("BOT_WEBHOOK_LISTEN") or DEFAULT_WEBHOOK_LISTEN,
        port=int(port) if port else DEFAULT_WEBHOOK_PORT,
    )
