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
        return cls(
            token=token,
            base_url=os.environ.get("TELEGRAM_BASE_URL", "").strip() or None,
            db_path=Path(os.environ.get("BOT_DB_PATH", "").strip() or DEFAULT_DB_PATH),
        )
