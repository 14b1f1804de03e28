"""`python -m bot demo`: the real bot and the local Telegram emulator in one process, with a chat
in this terminal. No Telegram account or token needed.

Messages are printed as text, buttons are numbered: type a number to tap it, anything else is
sent as a message. A script works too (`python -m bot demo < script.txt`, or a pipe): its lines
are sent one by one, each once the bot has answered the one before, and the demo ends after the
last. Progress is kept in data/demo.sqlite3, so you can stop (Ctrl+C) and start the demo again
to see the bot go on where you were.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import sys
import textwrap
import threading
from pathlib import Path

from bot.app import build_application, start, stop
from bot.callbacks import Action, parse
from bot.settings import Settings
from content import Content
from emulator import BotApiEmulator, Event, EventKind, MessageRecord

DEMO_DB_PATH = Path("data") / "demo.sqlite3"
DEMO_TOKEN = "123456:demo-token-for-the-local-emulator"
DEMO_USER_ID = 1001
DEMO_NAME = "Sam"
WIDTH = 72
REPLY_TIMEOUT = 15

INTRO = """\
Scorelijst demo — the bot runs here, Telegram is emulated on this computer.
Type a number to tap a button, or type a message. /help lists the commands.
Stop with Ctrl+C (or Ctrl+D); start the demo again to go on where you were.
"""


class Terminal:
    """Prints what the bot does and remembers the buttons on screen by number.

    Messages are printed once; when the bot edits one, only what is new is printed again.
    """

    def __init__(self) -> None:
        self.buttons: dict[int, tuple[int, str]] = {}  # number -> (message id, label)
        self._texts: dict[int, str] = {}  # message id -> its text as last printed

    def show(self, event: Event) -> None:
        message = event.message
        if event.kind is EventKind.CALLBACK_ANSWERED:
            print(f"   ({event.text})")
        elif message is None or event.kind is EventKind.MESSAGE_DELETED:
            return
        elif event.kind is EventKind.MESSAGE_SENT or message.buttons:
            # New, or an edit that changes the buttons (choosing competencies): show it all.
            self._print_message(message)
        else:
            self._show_edit_without_buttons(message)

    def _show_edit_without_buttons(self, message: MessageRecord) -> None:
        """An edit that took the buttons away. Print what a reader has not seen yet: nothing
        when the text stayed, only the last line when that is all that is new (a statement
        with its ✅ answer below it), and otherwise the whole message, which was rewritten
        (the delete confirmation that became "Alles is gewist …")."""
        text, before = message.text or "", self._texts.get(message.message_id, "")
        self.buttons = {n: b for n, b in self.buttons.items() if b[0] != message.message_id}
        if text == before:
            return
        seen, _, last_line = text.strip().rpartition("\n")
        if seen.strip() in before:
            _print_text(last_line)
            self._texts[message.message_id] = text
        else:
            self._print_message(message)

    def _print_message(self, message: MessageRecord) -> None:
        print()
        if message.attachment is not None:
            path = Path("data") / message.attachment.filename
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(message.attachment.content)
            print(f"🤖 [{message.attachment.filename}, saved as {path}]")
            _print_text(message.caption or "")
        else:
            self._texts[message.message_id] = message.text or ""
            _print_text(message.text or "")
        if message.buttons:
            buttons = [button for row in message.buttons for button in row if button[1]]
            self.buttons = {}
            for number, (label, _) in zip(_numbers(buttons), buttons, strict=True):
                self.buttons[number] = (message.message_id, label)
                print(f"   [{number}] {label}")
            # A link button opens something outside the chat (the share sheet): shown, not tapped.
            for row in (message.reply_markup or {}).get("inline_keyboard", []):
                for button in row:
                    if "url" in button:
                        print(f"   [{button['text']}: {button['url']}]")

    def button(self, text: str) -> tuple[int, str] | None:
        return self.buttons.get(int(text)) if text.isdecimal() else None


def _print_text(text: str) -> None:
    for paragraph in text.split("\n"):
        for line in textwrap.wrap(paragraph, WIDTH - 3) or [""]:
            print(f"   {line}")


# Each control of a statement has one number, so the numbers do not shift when Vorige is
# left out (on the first statement).
_CONTROL_NUMBERS = {Action.BACK: 5, Action.EXPLAIN: 6, Action.PAUSE: 7}


def _numbers(buttons: list[tuple[str, str | None]]) -> list[int]:
    """The number to type for each button. On a statement an answer has its value, the number
    the bot also reads when it is typed (1 = Zeer waar … 4 = Niet waar), and each control its
    fixed number; other buttons count 1, 2, 3… in order."""
    callbacks = [parse(data) for _, data in buttons]
    if not any(c is not None and c.action is Action.ANSWER for c in callbacks):
        return list(range(1, len(buttons) + 1))
    return [c.value if c.action is Action.ANSWER else _CONTROL_NUMBERS[c.action] for c in callbacks]


def _lines() -> asyncio.Queue[str | None]:
    """The lines of standard input as they come: typed in the terminal, or from a file or a
    pipe; None at the end.

    A thread reads them, because the event loop cannot watch a file (`< script.txt`). It is a
    daemon, because a blocking read cannot be cancelled, and it reads through a file object of
    its own, so it holds none of sys.stdin's locks, which Python takes when the demo exits.
    """
    queue: asyncio.Queue[str | None] = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def read() -> None:
        with open(
            sys.stdin.fileno(), encoding=sys.stdin.encoding, errors="replace", closefd=False
        ) as stdin:
            for line in itertools.chain(stdin, [None]):
                try:
                    loop.call_soon_threadsafe(queue.put_nowait, line)
                except RuntimeError:  # the demo has ended and closed its event loop
                    return

    threading.Thread(target=read, name="demo-stdin", daemon=True).start()
    return queue


async def run_demo(content: Content) -> None:
    """Chat until the end of the input. At a terminal the demo opens with /start; lines from a
    file or a pipe are the whole conversation, so a script says exactly what is sent, and they
    are echoed, so the output reads as the chat."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    print(INTRO)
    terminal = Terminal()
    typed = sys.stdin.isatty()
    async with BotApiEmulator() as emulator:
        settings = Settings(token=DEMO_TOKEN, base_url=emulator.base_url, db_path=DEMO_DB_PATH)
        application = build_application(settings, content)
        events = emulator.subscribe()
        await start(application)
        try:
            if typed:
                await emulator.send_text(DEMO_USER_ID, "/start", first_name=DEMO_NAME)
                await _print_reply(emulator, events, terminal)
            lines = _lines()
            while (line := await lines.get()) is not None:
                line = line.strip()
                if not line:
                    continue
                if not typed:
                    print(line)
                target = terminal.button(line)
                if target is None:
                    await emulator.send_text(DEMO_USER_ID, line, first_name=DEMO_NAME)
                else:
                    message_id, label = target
                    await emulator.tap(DEMO_USER_ID, label, message_id=message_id)
                await _print_reply(emulator, events, terminal, typed_text=target is None)
        finally:
            await stop(application)
            _print_events(events, terminal)  # what was left when Ctrl+C came
            print("\nTot ziens! Start the demo again to go on where you were.")


async def _print_reply(
    emulator: BotApiEmulator,
    events: asyncio.Queue[Event],
    terminal: Terminal,
    *,
    typed_text: bool = False,
) -> None:
    """Wait until the bot has done everything it does about the last line, then print it.

    A typed message always gets a message back, so for one the wait first goes on until
    something came (a picture can take a moment); a tap may get only a note, which wait_idle
    waits for."""
    if typed_text:
        with contextlib.suppress(TimeoutError):
            terminal.show(await asyncio.wait_for(events.get(), REPLY_TIMEOUT))
    await emulator.wait_idle(DEMO_USER_ID, quiet=0.6, timeout=REPLY_TIMEOUT)
    _print_events(events, terminal)


def _print_events(events: asyncio.Queue[Event], terminal: Terminal) -> None:
    while not events.empty():
        terminal.show(events.get_nowait())
