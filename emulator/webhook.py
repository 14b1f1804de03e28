"""Webhook delivery: once the bot has called setWebhook, updates are posted to it, as Telegram
does, instead of waiting for getUpdates.

Each update is one POST of the Update JSON with the X-Telegram-Bot-Api-Secret-Token header
(when the bot set a secret). An update is forgotten once the bot answers 2xx; otherwise it is
tried again, sooner than Telegram would, to keep tests quick. One person's updates are posted
one after the other, in order; different people's at the same time, up to the webhook's
max_connections.
"""

import asyncio
import time

import aiohttp

from emulator.records import UpdateRecord, Webhook
from emulator.state import EmulatorState

FIRST_RETRY = 0.1  # seconds; doubled after every failed attempt, up to LAST_RETRY
LAST_RETRY = 2.0
ANSWER_TIMEOUT = 10.0  # seconds the bot has to answer a delivery
_IDLE = 3600.0  # nothing due: sleep until the next change


class WebhookDelivery:
    """Posts pending updates to the bot's webhook until the emulator stops."""

    def __init__(self, state: EmulatorState) -> None:
        self._state = state
        self._in_flight: dict[int, asyncio.Task] = {}  # by update id
        self._failures: dict[int, int] = {}  # failed attempts, by update id
        self._retry_at: dict[int, float] = {}  # time.monotonic() of the next try, by update id

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=ANSWER_TIMEOUT)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            try:
                while not self._state.closing:
                    await self._state.signal.wait(self._start_due(http))
            finally:
                for task in self._in_flight.values():
                    task.cancel()
                await asyncio.gather(*self._in_flight.values(), return_exceptions=True)

    def _start_due(self, http: aiohttp.ClientSession) -> float:
        """Start posting every update that may go now; return the seconds until a retry is
        due (the loop also wakes on any change: a new update, a delivery done, a webhook)."""
        webhook = self._state.webhook
        if webhook is None:
            return _IDLE
        now = time.monotonic()
        next_retry = _IDLE
        people_served: set[int] = set()  # a person's later updates wait for the earliest
        for update in self._state.wanted_updates():
            if update.user_id in people_served:
                continue
            people_served.add(update.user_id)
            if update.update_id in self._in_flight:
                continue
            if len(self._in_flight) >= webhook.max_connections:
                break
            due = self._retry_at.get(update.update_id, now)
            if due > now:
                next_retry = min(next_retry, due - now)
                continue
            self._in_flight[update.update_id] = asyncio.create_task(
                self._post(http, webhook, update)
            )
        return next_retry

    async def _post(
        self, http: aiohttp.ClientSession, webhook: Webhook, update: UpdateRecord
    ) -> None:
        headers = {}
        if webhook.secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        try:
            async with http.post(webhook.url, json=update.to_json(), headers=headers) as answer:
                if 200 <= answer.status < 300:
                    error = None
                else:
                    error = f"Wrong response from the webhook: {answer.status} {answer.reason}"
        except (aiohttp.ClientError, TimeoutError) as failure:
            error = f"Connection failed: {type(failure).__name__}"
        finally:
            del self._in_flight[update.update_id]
        if error is None:
            self._failures.pop(update.update_id, None)
            self._retry_at.pop(update.update_id, None)
            self._state.delivered(update)
            return
        failures = self._failures[update.update_id] = self._failures.get(update.update_id, 0) + 1
        delay = min(FIRST_RETRY * 2 ** (failures - 1), LAST_RETRY)
        self._retry_at[update.update_id] = time.monotonic() + delay
        self._state.delivery_failed(error)
