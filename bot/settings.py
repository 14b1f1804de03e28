"""Settings from the environment (and a .env file, when there is one)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import find_dotenv, load_dotenv

DEFAULT_DB_PATH = Path("data") / "scorelijst.sqlite3"

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
class Settings:
    token: str
    base_url: str | None
    db_path: Path
    # Who runs the bot and how to reach them: shown in /privacy and /help.
    organisation: str | None = None
    contact: str | None = None
    # Delete people who have not used the bot for this many days; None keeps data until /wis.
    retention_days: int | None = None

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
        token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
        if need_token and not token:
            raise SettingsError(MISSING_TOKEN)
        retention = os.environ.get("BOT_RETENTION_DAYS", "").strip()
        if retention and not (set(retention) <= set("0123456789") and int(retention) > 0):
            raise SettingsError(
                f"BOT_RETENTION_DAYS must be a whole number of days above 0, not {retention!r}"
            )
        return cls(
            token=token,
            base_url=os.environ.get("TELEGRAM_BASE_URL", "").strip() or None,
            db_path=Path(os.environ.get("BOT_DB_PATH", "").strip() or DEFAULT_DB_PATH),
            organisation=os.environ.get("BOT_ORGANISATION", "").strip() or None,
            contact=os.environ.get("BOT_CONTACT", "").strip() or None,
            retention_days=int(retention) if retention else None,
        )
