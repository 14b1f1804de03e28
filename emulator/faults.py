"""Telegram's everyday failures, simulated: one call at a time (``fail_next``) or at random.

A bot on the real Telegram meets flood control, server errors and slow answers now and then;
tests make the emulator do the same to see that the bot copes. A simulated failure is never
the bot's fault, so it is never recorded as a rule break.
"""

import random
from collections.abc import Hashable, Iterable
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
    seed and the same order of calls give the same faults.

    With ``at_most_in_a_row``, the same call (the same method with the same parameters: a
    call tried again) fails at most that many times in a row; a slow answer is no failure.
    """

    def __init__(
        self,
        rate: float,
        methods: Iterable[str],
        *,
        seed: int,
        retry_after: int,
        delay: tuple[float, float],
        at_most_in_a_row: int | None = None,
    ) -> None:
        if not 0 <= rate <= 1:
            raise ValueError(f"rate is a probability between 0 and 1, not {rate}")
        low, high = delay
        if not 0 <= low <= high:
            raise ValueError(f"delay is (shortest, longest) seconds, not {delay}")
        if at_most_in_a_row is not None and at_most_in_a_row < 0:
            raise ValueError(f"at_most_in_a_row is a number of failures, not {at_most_in_a_row}")
        self._rate = rate
        self._methods = frozenset(methods)
        self._random = random.Random(seed)
        self._retry_after = retry_after
        self._delay = delay
        self._at_most_in_a_row = at_most_in_a_row
        self._in_a_row: dict[Hashable, int] = {}  # failures so far, by call still failing

    def draw(self, method: str, call: Hashable = None) -> tuple[str, ApiError | float] | None:
        """None for a call that goes through; else the kind and the error to answer with, or
        the seconds to wait before handling the call. ``call`` tells a call tried again from
        another: equal for the same method with the same parameters."""
        if method not in self._methods:
            return None
        key = (method, call)
        failed = self._in_a_row.pop(key, 0)
        if self._random.random() >= self._rate:
            return None
        kind = self._random.choice(KINDS)
        if kind == DELAY:
            return kind, self._random.uniform(*self._delay)
        if self._at_most_in_a_row is not None and failed >= self._at_most_in_a_row:
            return None
        self._in_a_row[key] = failed + 1
        if kind == RETRY_AFTER:
            return kind, simulated_error(429, self._retry_after)
        return kind, simulated_error(500, self._retry_after)
