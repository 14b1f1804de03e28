"""Which lane of the pace each kind of message takes (bot/pacing.py): pictures, files and what
is marked bulk wait for the replies to taps."""

from __future__ import annotations

from types import SimpleNamespace

from telegram import InputFile

from bot import messaging
from bot.pacing import Lane
from bot.shown import Shown


class RecordingBot:
    """Notes each call's method and rate_limit_args (None: not given)."""

    def __init__(self) -> None:
        self.lanes: list[tuple[str, Lane | None]] = []

    def __getattr__(self, method: str):
        async def call(*args, rate_limit_args: Lane | None = None, **kwargs):
            self.lanes.append((method, rate_limit_args))

        return call


async def test_replies_by_default_and_pictures_files_and_what_is_marked_as_bulk():
    bot = RecordingBot()
    context = SimpleNamespace(bot=bot, deps=SimpleNamespace(shown=Shown()), tapped=None)
    await messaging.send(context, 7, "de volgende uitspraak")
    await messaging.edit(context, 7, 1, "beantwoord")
    await messaging.send(context, 7, "een lange uitleg", lane=Lane.BULK)
    await messaging.send_photo(context, 7, InputFile(b"png", filename="profiel.png"), "bijschrift")
    await messaging.send_document(context, 7, InputFile(b"pdf", filename="pagina.pdf"), "pagina")
    assert bot.lanes == [
        ("send_message", Lane.REPLY),
        ("edit_message_text", None),  # the pace takes no lane as the reply lane
        ("send_message", Lane.BULK),
        ("send_photo", Lane.BULK),
        ("send_document", Lane.BULK),
    ]
