"""Logging without personal data or secrets.

Handlers log no texts, names or answers. Libraries are quieter: httpx logs every request URL at
INFO, and that URL contains the bot token, so httpx logs at WARNING only; the formatter still
removes the token (and the webhook secret) from anything that mentions it, tracebacks included.
"""

from __future__ import annotations

import logging


class _RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._secrets = tuple(secret for secret in secrets if secret)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "<secret>")
        return text


def configure(*secrets: str, level: int = logging.INFO) -> None:
    """Log to stderr, with ``secrets`` (the token, the webhook secret) cut out."""
    handler = logging.StreamHandler()
    handler.setFormatter(_RedactingFormatter(secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
