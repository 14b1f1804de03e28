"""Telegram's everyday failures, simulated: one call at a time (``fail_next``) or at random.

A bot on the real Telegram meets flood control, server errors and slow answers now and then;
tests make the emulator do the same to see that the bot copes. A simulated failure is never
the bot's fault, so it is never recorded as a rule break.
"""

import random
from collections.abc import Iterable
from http import HTTPStatus

from emulator.validation import ApiError

RETRY_AFTER = "retry_after"  # 429 Too Many Requests, with parameters.retry_after
SERVER_ERROR = "server_error"  # 500 Internal Server Error
DELAY = "delay"  # a slow answer: the call is handled normally after a wait
KINDS = (RETRY_AFTER, SERVER_ERROR, DELAY)


def simulated_error(code: int, retry_after: int, description: str | None = None) -> ApiError:
    """Telegram's answer for an error ``code``: 429 tells when to try again."""
    if description is None:
        description = (
            f"Too Many Requests: retry after {retry_after}"
            if code == 429
            else HTTPStatus(code).phrase
        )
    return ApiError(code, description, retry_after if code == 429 else None)


class RandomFaults:
    """Fails each call of ``methods`` (lower-case names) with probability ``rate``; the kind
    is drawn evenly from :data:`KINDS`. Seeded, so a failing run can be replayed: the same
    seed and the same order of calls give the same faults."""

    def __init__(
        self,
        rate: float,
        methods: Iterable[str],
        *,
        seed: int,
        retry_after: int,
        delay: tuple[float, float],
    ) -> None:
        if not 0 <= rate <= 1:
            raise ValueError(f"rate is a probability between 0 and 1, not {rate}")
        low, high = delay
        if not 0 <= low <= high:
            raise ValueError(f"delay is (shortest, longest) seconds, not {delay}")
        self._rate = rate
        self._methods = frozenset(methods)
        self._random = random.Random(seed)
        self._retry_after = retry_after
        self._delay = delay

    def draw(self, method: str) -> tuple[str, ApiError | float] | None:
        """None for a call that goes through; else the kind and the error to answer with, or
        the seconds to wait before handling the call."""
        if method not in self._methods or self._random.random() >= self._rate:
            return None
        kind = self._random.choice(KINDS)
        if kind == RETRY_AFTER:
            return kind, simulated_error(429, self._retry_after)
        if kind == SERVER_ERROR:
            return kind, simulated_error(500, self._retry_after)
        return kind, self._random.uniform(*self._delay)
