"""The bot's connection to the Bot API: python-telegram-bot's requests made with aiohttp.

python-telegram-bot makes its requests with httpx by default. Under httpx, httpcore makes every
read and write of a socket through anyio, with a cancel scope each: of the event loop's time
while the weekly digests went out, two thirds of the work of sending a message, and two thirds
of the work of a tap, went to the HTTP client (py-spy, benchmarks/digest_load.py). aiohttp uses
asyncio's own transports and parses HTTP in C: a sendMessage costs the bot 0.4 ms of CPU instead
of 0.9, a sendPhoto 0.6 instead of 1.3 (benchmarks/http_client.py). The bot has aiohttp already:
the local Bot API emulator is built on it.

This is python-telegram-bot's way to change the HTTP client (a BaseRequest), after the one in
python-telegram-bot's own ptbcontrib (aiohttp_request), which is not on PyPI. Timeouts and
errors are the same as with httpx: a timeout is TimedOut (the request may have arrived), any
other failure on the way is NetworkError, and the answer itself is read by python-telegram-bot.
Certificates come from certifi, as with httpx, so a machine without its own store of them (a
slim container, Python on macOS) reaches api.telegram.org all the same.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from typing import Any

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# What a call leaves out (python-telegram-bot's DefaultValue): the timeout of this client.
_NOT_GIVEN = type(BaseRequest.DEFAULT_NONE)
# python-telegram-bot's defaults for httpx, in seconds.
READ_TIMEOUT = 5.0
WRITE_TIMEOUT = 5.0
MEDIA_WRITE_TIMEOUT = 20.0  # a request with a file (a picture, the printout)
CONNECT_TIMEOUT = 5.0
POOL_TIMEOUT = 1.0


class AiohttpRequest(BaseRequest):
    """Requests to the Bot API over a pool of at most ``connection_pool_size`` connections.

    aiohttp has no timeout for writing; the sum of all four caps the whole request, so an
    upload that stalls ends too."""

    def __init__(self, connection_pool_size: int) -> None:
        self._pool_size = connection_pool_size
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """What python-telegram-bot adds to a long poll's wait for its own read timeout."""
        return READ_TIMEOUT

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size,
                ssl=ssl.create_default_context(cafile=certifi.where()),
            )
            self._session = aiohttp.ClientSession(
                connector=connector, headers={"User-Agent": self.USER_AGENT}
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data is not None else {}
        read = _given(read_timeout, READ_TIMEOUT)
        write = _given(write_timeout, MEDIA_WRITE_TIMEOUT if files else WRITE_TIMEOUT)
        connect = _given(connect_timeout, CONNECT_TIMEOUT)
        pool = _given(pool_timeout, POOL_TIMEOUT)
        parts = (read, write, connect, pool)
        timeout = aiohttp.ClientTimeout(
            total=None if None in parts else sum(parts),  # type: ignore[arg-type]
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:  # aiohttp's timeouts are TimeoutErrors too
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _given(timeout: object, default: float) -> float | None:
    """The timeout the call gave (None: no limit), else ours."""
    return default if isinstance(timeout, _NOT_GIVEN) else timeout  # type: ignore[return-value]


def _body(
    request_data: RequestData | None, files: Mapping[str, tuple[str, Any, str]]
) -> aiohttp.FormData | dict[str, str] | None:
    """The parameters as a form, as httpx sends them: multipart when there is a file."""
    if request_data is None:
        return None
    if not files:
        return request_data.json_parameters
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
