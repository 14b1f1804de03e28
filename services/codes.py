"""Codes in personal links (a colleague's reaction, a team's invite): made here, kept only as a
hash, so a copy of the database opens no link.

A code is 128 random bits in URL-safe base64 (22 characters), which fits in a Telegram
deep link's start parameter (at most 64 characters of A-Z, a-z, 0-9, _ and -) with room for a
short prefix that says what the link is for.
"""

from __future__ import annotations

import hashlib
import secrets

CODE_BYTES = 16  # 128 bits


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def code_hash(code: str) -> str:
    """What storage keeps and looks a code up by. SHA-256 without a salt is enough: the code
    itself has 128 random bits, so there is nothing to guess from a list of hashes."""
    return hashlib.sha256(code.encode("ascii", errors="replace")).hexdigest()
