"""Logging without personal data or secrets.

Handlers log no texts, names or answers. Libraries are quieter:
- A request URL contains the bot token. The HTTP client (bot/http_client.py, aiohttp) logs no
  URLs; the formatter still removes the token (and the webhook secret) from anything that
  mentions it.
- python-telegram-bot logs the raw update it could not read (texts and names in it) and the
  exception with it. Its records keep their words, but data passed into them is left out, and
  an exception is named, not printed, since its message can echo the data.
"""

from __future__ import annotations

import logging

from telegram import TelegramObject

_LEFT_OUT = "<left out: may hold personal data>"


class _RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<secret>")
        return text


class _NoUpdateData(logging.Filter):
    """For python-telegram-bot's own records: no update data, no exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("telegram"):
            return True
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                _LEFT_OUT if isinstance(a, dict | list | tuple | TelegramObject) else a
                for a in args
            )
        if record.exc_info and record.exc_info[0] is not None:
            record.msg = f"{record.msg} ({record.exc_info[0].__name__})"
            record.exc_info = None
            record.exc_text = None
        return True


def configure(*secrets: str, level: int = logging.INFO) -> None:
    """Log to stderr, with ``secrets`` (the token, the webhook secret) cut out."""
    handler = logging.StreamHandler()
    handler.setFormatter(_RedactingFormatter(secrets))
    handler.addFilter(_NoUpdateData())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    # APScheduler notes every run of the scheduler (bot/jobs.py), twice a minute; only trouble.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
