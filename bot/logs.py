"""Logging without personal data or secrets.

Handlers log no texts, names or answers. Libraries are quieter: httpx logs every request URL at
INFO, and that URL contains the bot token, so httpx logs at WARNING only; the formatter still
removes the token from anything that mentions it, tracebacks included.
"""

from __future__ import annotations

import logging


class _RedactingFormatter(logging.Formatter):
    def __init__(self, token: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._token = token

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace(self._token, "<token>") if self._token else text


def configure(token: str, level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_RedactingFormatter(token))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
