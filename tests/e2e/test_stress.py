"""The bot under stress, three ways: Telegram failing calls at random while twenty people fill
in the whole list, the bot killed at random moments while ten people answer, and over 5,000
random updates of every kind from thirty people.

Randomness is seeded: each test prints its seed, and STRESS_SEED=<number> runs it again with
that seed. What the people do is then the same; which call a fault or a kill hits also depends
on how fast the machine is.

The emulator's flood limit is FLOOD_LIMIT messages a second, as Telegram's is for a bot allowed
more than 30 (paid broadcasts), and the bot paces itself just under it, as it keeps to 28 under
Telegram's 30: at 28 a second the same loads take minutes, and test nothing more.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import time
from collections.abc import AsyncIterator, Awaitable
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from emulator import BotApiEmulator, MessageRecord
from tests.e2e.conftest import (
    BotProcess,
    Person,
    live_statements,
    next_statement_after,
    rows,
)

FLOOD_LIMIT = 100
PACE = FLOOD_LIMIT * 28 // 30  # messages a second, 93
DEFAULT_SEED = 20250611
# Seconds a step may take: a person's step can wait for pictures that a worker at the lowest
# priority draws for everybody in turn, slow where the machine is busy.
STEP_TIMEOUT = 90.0
# Long polling only: these tests are about the bot, not about how its updates come in.
pytestmark = pytest.mark.parametrize("delivery", ["polling"])


@pytest.fixture
async def emulator() -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(messages_per_second=FLOOD_LIMIT) as running:
        yield running


@pytest.fixture
def seed() -> int:
    value = int(os.environ.get("STRESS_SEED", DEFAULT_SEED))
    print(f"seed {value}: run again with STRESS_SEED={value}")
    return value


def answer_buttons(statement: MessageRecord) -> list[tuple[str, str]]:
    """(label, data) of a statement's answer buttons; the data is a|round|statement|value."""
    return [(label, data) for row in statement.buttons for label, data in row if data[:2] == "a|"]


def stored_answers(db_path: Path) -> set[tuple[int, str, int]]:
    """(person, statement, value) of every answer in the database."""
    return set(
        rows(
            db_path,
            "SELECT r.user_id, a.statement_id, a.value"
            " FROM answers a JOIN rounds r USING (round_id)",
        )
    )


# -- Telegram failing calls ----------------------------------------------------------------


async def test_twenty_people_fill_in_the_whole_list_while_telegram_fails_one_call_in_ten(
    emulator, start_bot, db_path, seed
):
    """About 10 % of taps' answers, edits and sends fail with 429 (retry after 1 s) or 500, or
    take 2–3 s. A call tried again fails at most twice in a row (Telegram's everyday failures
    pass), and the bot tries three times, so it never has to give up: everybody gets to the end
    without /verder, every statement is shown answered once, and the database holds every
    answer once, as tapped."""
    await start_bot(BOT_MESSAGES_PER_SECOND=str(PACE))
    people = [Person(emulator, 11000 + i, f"Storing{i}", timeout=STEP_TIMEOUT) for i in range(20)]
    await asyncio.gather(*(p.send("/start", until="Zelf kiezen") for p in people))
    emulator.inject_faults(0.1, seed=seed, at_most_in_a_row=2)
    tapped: set[tuple[int, str, int]] = set()

    async def fill_in(person: Person) -> None:
        draw = random.Random(f"{seed}-{person.user_id}")
        await person.tap("Alle 12 competenties", until="totaal 1 van 48")
        for _ in range(48):
            statement = person.open_statement
            label, data = draw.choice(answer_buttons(statement))
            _, _, statement_id, value = data.split("|")
            tapped.add((person.user_id, statement_id, int(value)))
            await person.tap(label, statement.message_id, until=next_statement_after(statement))

    await asyncio.gather(*(fill_in(p) for p in people))
    emulator.stop_faults()
    print(f"faults: {emulator.faults_injected}")
    assert all(count >= 30 for count in emulator.faults_injected.values())
    assert len(tapped) == 20 * 48
    assert stored_answers(db_path) == tapped
    assert rows(db_path, "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM rounds") == [(20, 20)]
    for person in people:
        assert "Klaar!" in person.text()
        assert "/verder" not in person.text()
        assert len([m for m in person.messages if "✅" in (m.text or "")]) == 48


# -- the bot killed ------------------------------------------------------------------------

RECOVERY = 0.8  # seconds a restarted bot gets to finish what the killed one had taken
DONE = "Je hebt alles ingevuld wat je koos"  # in "Klaar!", and in /verder once done


class Killer:
    """Kills the bot with SIGKILL at random moments, and starts it again at once."""

    def __init__(self, bots: list[BotProcess], start_bot, draw: random.Random) -> None:
        self._bots = bots
        self._start_bot = start_bot
        self._draw = draw
        self.kills = 0
        self._up_since: float | None = time.monotonic()

    async def run(self, times: int, settings: dict[str, str]) -> None:
        for _ in range(times):
            await asyncio.sleep(self._draw.uniform(0.2, 1.6))
            await self._bots[-1].kill()
            self.kills += 1
            self._up_since = None
            await self._start_bot(**settings)
            self._up_since = time.monotonic()

    async def survive(self, step: Awaitable[object]) -> bool:
        """Wait for a person's step; False when a kill cut it off: the bot was killed after
        the step began, and has been back for RECOVERY seconds without finishing it (it fetches
        what the killed one had not confirmed at once, and needs a fraction of that)."""
        kills = self.kills
        task = asyncio.ensure_future(step)
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.1)
            if done:
                task.result()
                return True
            up = self._up_since
            if self.kills > kills and up is not None and time.monotonic() - up > RECOVERY:
                return not await _cancel(task)


async def _cancel(task: asyncio.Task) -> bool:
    """Cancel ``task``; False when it finished first."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.1)
    if task.cancelled():
        return True
    task.result()
    return False


def statement_or_done(new: list[MessageRecord]) -> bool:
    return bool(live_statements(new)) or any(DONE in (m.text or "") for m in new)


async def test_killed_twenty_times_while_ten_people_answer(
    emulator, start_bot, bots, db_path, seed
):
    """SIGKILL at 20 random moments while ten people answer the whole list, the bot started
    again at once; whoever sees nothing come of a tap types /verder. Every answer the bot showed
    as given (✅) is stored as given; none is stored twice, nor shown answered twice; the
    database is intact; everybody gets to the end, and /verder says so.

    A kill can leave what no bot could note (see BotApiEmulator.bot_killed): a statement sent
    just before it keeps its buttons, at most one per kill."""
    settings = {"BOT_MESSAGES_PER_SECOND": str(PACE)}
    await start_bot(**settings)
    people = [Person(emulator, 12000 + i, f"Val{i}", timeout=STEP_TIMEOUT) for i in range(10)]
    for person in people:
        await person.send("/start", until="Zelf kiezen")
        await person.tap("Alle 12 competenties", until="totaal 1 van 48")
    killer = Killer(bots, start_bot, random.Random(seed))
    tapped: dict[tuple[int, int], tuple[str, int]] = {}  # (user, message) -> statement, value

    async def answer_all(person: Person) -> None:
        draw = random.Random(f"{seed}-{person.user_id}")
        while DONE not in person.text():
            live = live_statements(person.messages)
            if live:
                statement = live[-1]
                label, data = draw.choice(answer_buttons(statement))
                _, _, statement_id, value = data.split("|")
                tapped[person.user_id, statement.message_id] = statement_id, int(value)
                await asyncio.sleep(draw.uniform(0.0, 0.3))
                after = next_statement_after(statement)
                if await killer.survive(person.tap(label, statement.message_id, until=after)):
                    continue
            await killer.survive(person.send("/verder", until=statement_or_done))

    async with asyncio.TaskGroup() as everybody:
        everybody.create_task(killer.run(20, settings))
        for person in people:
            everybody.create_task(answer_all(person))
    assert killer.kills == 20
    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    stored = stored_answers(db_path)
    acknowledged = {
        (person.user_id, *tapped[person.user_id, m.message_id])
        for person in people
        for m in person.messages
        if "✅" in (m.text or "") and (person.user_id, m.message_id) in tapped
    }
    assert acknowledged <= stored
    assert len(stored) == 10 * 48
    assert rows(db_path, "SELECT COUNT(*), COUNT(DISTINCT user_id) FROM rounds") == [(10, 10)]
    for person in people:
        await person.send("/verder", until=DONE)
        for position in range(1, 49):
            shown = [m for m in person.messages if f"totaal {position} van 48" in (m.text or "")]
            assert sum("✅" in m.text for m in shown) <= 1, (person.first_name, position)
    left = [m for p in people for m in live_statements(p.messages)]
    assert len(left) <= killer.kills and all(emulator.left_by_a_kill(m) for m in left)


# -- random input ------------------------------------------------------------------------

PEOPLE = 30
ACTIONS = 170  # per person: 5,100 updates in all
GROUPS = (-2001, -2002, -2003, -2004, -2005, -2006)
CHANNEL = -3001
# Commands to the bot per group at most: Telegram allows a bot 20 messages a minute in a group.
GROUP_COMMANDS = 15
QUIET = 0.1  # seconds the bot does nothing in a chat: a person's next action may come
COMMANDS = ("start", "verder", "overzicht", "team", "opnieuw", "reactie", "taal", "privacy")
COMMANDS += ("mijngegevens", "wis", "help", "bestaatniet", "START", "x" * 32)
ANSWER_WORDS = ("1", "2", "3", "4", "zeer waar", "Meestal waar", "beetje", "niet waar", "2.")
ANSWER_WORDS += (" 3 ", "0", "5", "-1", "waar", "meestal", "very true", "één")
MARKUP = ("<b>vet</b> & <i>schuin", "<a href='tg://x'>link</a>", "&amp; &lt;b&gt;", "*x* _y_")
MARKUP += ("</code>", "<script>alert(1)</script>", "{name} {0} %s", "\\u0000")
# Emoji, right-to-left, combining marks, CJK, zero-width and other odd characters.
ODD = "🎉👍🏽🧑‍🦽‍➡️אבגعربي̸̢́中文ㅤ\u200b\u200e\u2028\ufeff\U0001f600"


def token(index: int) -> str:
    """What marks a person's data: in their name and in some of what they type."""
    return f"Zq{index:02d}k"


def names(index: int) -> list[str]:
    """First names a person goes by (Telegram lets them change it). The first four have none:
    an empty one, or one of invisible characters."""
    if index < 4:
        return ["", "\u3164"]
    mark = token(index)
    return [f"<b>{mark}</b>", f"{mark} & Co", f"<i>{mark}", f"Ann {mark} 🎉", f"&lt;{mark}&gt;"]


def random_text(draw: random.Random, mark: str, answers: bool) -> str:
    """Any text; with ``answers``, also the ones the bot may read as an answer."""
    kind = draw.randrange(6)
    if kind == 0 and answers:
        return draw.choice(ANSWER_WORDS)
    if kind <= 1:
        return draw.choice(MARKUP)
    if kind == 2:
        return "".join(draw.choice(ODD) for _ in range(draw.randint(1, 40))) + "x"
    if kind == 3:
        return " ".join(
            draw.choice(("hallo", mark, "waar", "?", "ik", "weet", "niet"))
            for _ in range(draw.randint(1, 700))
        )[:4096]
    if kind == 4:
        return f"ik ben {mark}, mijn nummer is 0612345678"
    return draw.choice(("hoi", "Help!", "?", "stop", "wat moet ik doen", "ok", "👍"))


def random_command(draw: random.Random, mark: str) -> str:
    name = draw.choice(COMMANDS)
    at = draw.choice(("", "", "", "@scorelijst_emulator_bot", "@eenanderebot"))
    argument = draw.choice(
        ("", "", "", " nu", " 123 abc", f" {mark}", " <b>x</b>", " " + "y" * 300)
    )
    return f"/{name}{at}{argument}"


def forged_data(draw: random.Random, own: list[str], others: list[str]) -> str:
    """Callback data made up, changed from a button's, or of somebody else's button."""
    kind = draw.randrange(5)
    if kind == 0 or not own:
        length = draw.randint(1, 64)
        return (
            "".join(draw.choice("a|0123456789.xyzé🎉") for _ in range(length))
            .encode()[:64]
            .decode(errors="ignore")
            or "|"
        )
    if kind == 1 and others:
        return draw.choice(others)  # another person's button: their round, not ours
    data = draw.choice(own)
    if kind == 2:
        parts = data.split("|")
        parts[draw.randrange(len(parts))] = draw.choice(
            ("0", "9", "999999999999", "x", "", "-1", "lef.9")
        )
        return "|".join(parts)[:64]
    if kind == 3:
        return (data + draw.choice(("|1", "x", "|", " ")))[:64]
    return draw.choice(("del|1", "del|0", "lang|en", "lang|xx", "all|1", "go|0", "d|1|tasks"))


class Stranger:
    """One of thirty people who do anything at all, one thing at a time: each waits until the
    bot is done with it (every update fetched, every tap answered, and the bot quiet in the
    chat for QUIET seconds), and checks that a private message got an answer."""

    def __init__(self, emulator: BotApiEmulator, index: int, seed: int, pool: dict) -> None:
        self.emulator = emulator
        self.index = index
        self.user_id = 20000 + index
        self.mark = token(index)
        self.draw = random.Random(f"{seed}-{self.user_id}")
        self.name = self.draw.choice(names(index))
        self.language = self.draw.choice(("nl", "nl", "en", "fr", None))
        self.types_answers = index % 5 != 0  # the others only tap, so their answers are known
        self.pool = pool  # every person's button data, by user id: to forge with
        self.pool[self.user_id] = set()
        self.tapped: set[str] = set()
        self.updates = 0
        self.wipe_at = self.draw.randrange(40, 120)  # /wis, then old buttons

    async def run(self, group_commands: dict[int, int]) -> None:
        for number in range(ACTIONS):
            if number == self.wipe_at:
                await self.wipe_then_tap_old_buttons()
            else:
                await self.act(group_commands)
            self.pool[self.user_id] |= {d for m in self.bot_messages for _, d in _buttons(m)}

    def random_text(self) -> str:
        return random_text(self.draw, self.mark, answers=self.types_answers)

    @property
    def bot_messages(self) -> list[MessageRecord]:
        return [m for m in self.emulator.bot_messages(self.user_id) if not m.deleted]

    async def act(self, group_commands: dict[int, int]) -> None:
        draw = self.draw
        if draw.random() < 0.05:
            self.name = draw.choice(names(self.index))  # renamed on Telegram
        kind = (
            draw.choices(
                ("answer", "button", "stale", "forged", "typed", "text", "command", "photo"),
                (30, 10, 6, 6, 10, 8, 10, 2),
            )[0]
            if draw.random() < 0.85
            else draw.choice(
                ("sticker", "location", "contact", "document", "edit", "group", "channel", "block")
            )
        )
        if kind in ("answer", "button", "stale", "forged"):
            await self.tap(kind)
        elif kind == "typed" and self.types_answers:
            await self.message(text=draw.choice(ANSWER_WORDS))
        elif kind in ("typed", "text"):
            await self.message(text=self.random_text())
        elif kind == "command":
            await self.message(text=random_command(draw, self.mark))
        elif kind == "edit":
            await self.edit()
        elif kind == "group":
            await self.in_group(group_commands)
        elif kind == "channel":
            await self.emulator.send_channel_post(CHANNEL, self.random_text())
            self.updates += 1
        elif kind == "block":
            await self.block_for_a_moment()
        else:
            await self.message(media=kind)

    async def message(self, *, text: str | None = None, media: str | None = None) -> None:
        """A message in the private chat, and its answer."""
        emulator, draw, name = self.emulator, self.draw, self.name
        caption = draw.choice((None, f"van {self.mark}", "<b>kijk</b>"))
        if text is not None:
            sent = await emulator.send_text(
                self.user_id, text, first_name=name, language_code=self.language
            )
        elif media == "photo":
            sent = await emulator.send_photo(self.user_id, caption=caption, first_name=name)
        elif media == "sticker":
            sent = await emulator.send_sticker(self.user_id, first_name=name)
        elif media == "location":
            latitude, longitude = draw.uniform(-90, 90), draw.uniform(-180, 180)
            sent = await emulator.send_location(self.user_id, latitude, longitude, first_name=name)
        elif media == "contact":
            sent = await emulator.send_contact(
                self.user_id,
                f"+31 6 {draw.randrange(10**8):08d}",
                f"Kim {self.mark}",
                contact_user_id=draw.choice((None, 20000 + draw.randrange(PEOPLE))),
                first_name=name,
            )
        else:
            sent = await emulator.send_document(
                self.user_id,
                filename=draw.choice(("lijst.pdf", "foto.jpg", "x" * 60 + ".exe", "geen")),
                content=draw.randbytes(draw.randrange(1, 2000)),
                mime_type=draw.choice(("application/pdf", "image/jpeg", "text/plain")),
                caption=caption,
                first_name=name,
            )
        self.updates += 1

        def answered() -> bool:
            return not emulator.pending(self.user_id) and any(
                m.message_id > sent.message_id for m in self.bot_messages
            )

        try:
            await emulator.wait_for(answered, timeout=STEP_TIMEOUT, chat_id=self.user_id)
        except AssertionError as timeout:
            raise AssertionError(f"no answer to {sent.describe()!r}") from timeout
        await self.idle()

    async def tap(self, kind: str) -> None:
        emulator, draw = self.emulator, self.draw
        messages = self.bot_messages
        if not messages:
            await self.message(text="/start")
            return
        with_buttons = [m for m in messages if _buttons(m)]
        live = live_statements(messages)
        if kind == "answer" and live:
            message = live[-1]
            data = draw.choice(answer_buttons(message))[1]
        elif kind in ("answer", "button") and with_buttons:
            message = draw.choice(with_buttons)
            data = draw.choice(_buttons(message))[1]
        elif kind == "forged":
            message = draw.choice(messages)
            others = [d for user, data in self.pool.items() if user != self.user_id for d in data]
            data = forged_data(draw, sorted(self.pool[self.user_id]), sorted(others))
        else:  # stale: a button this person saw before, on any message of theirs
            message = draw.choice(messages)
            data = draw.choice(sorted(self.pool[self.user_id]) or ["sum|1"])
        self.tapped.add(data)
        await emulator.tap_data(self.user_id, message.message_id, data)
        self.updates += 1
        await self.idle()

    async def wipe_then_tap_old_buttons(self) -> None:
        await self.message(text="/wis")
        question = self.bot_messages[-1]
        if any(d == "del|1" for _, d in _buttons(question)):
            self.tapped.add("del|1")
            await self.emulator.tap_data(self.user_id, question.message_id, "del|1")
            self.updates += 1
            await self.idle()
        for _ in range(3):
            await self.tap("stale")

    async def edit(self) -> None:
        """Edits a text sent before: the bot does not ask Telegram for edits, so none comes."""
        texts = [
            m for m in self.emulator.messages(self.user_id) if not m.from_bot and m.text is not None
        ]
        if not texts:
            await self.message(text="/start")
            return
        await self.emulator.edit_text(
            self.user_id, self.draw.choice(texts).message_id, self.random_text()
        )
        self.updates += 1
        await self.idle()

    async def in_group(self, group_commands: dict[int, int]) -> None:
        """A command for the bot gets one pointer to the private chat; the bot does not see
        other talk (privacy mode), and a command for another bot gets silence."""
        draw, group = self.draw, self.draw.choice(GROUPS)
        if group_commands.get(group, 0) < GROUP_COMMANDS and draw.random() < 0.5:
            group_commands[group] = group_commands.get(group, 0) + 1
            text = "/" + draw.choice(COMMANDS) + draw.choice(("", "@scorelijst_emulator_bot"))
        else:
            text = draw.choice(
                (
                    self.random_text(),
                    "/start@eenanderebot",
                    "hoi @scorelijst_emulator_bot",
                )
            )
        await self.emulator.send_group_text(
            group, self.user_id, text, first_name=self.name, title=f"Groep {group}"
        )
        self.updates += 1
        await self.idle(group)

    async def block_for_a_moment(self) -> None:
        """Writes, and blocks the bot before its answer: nobody to answer, until unblocked."""
        await self.emulator.send_text(self.user_id, self.random_text())
        self.emulator.block(self.user_id)
        self.updates += 1
        await self.idle()
        self.emulator.unblock(self.user_id)

    async def idle(self, chat_id: int | None = None) -> None:
        await self.emulator.wait_idle(
            self.user_id, chat_id=chat_id, quiet=QUIET, timeout=STEP_TIMEOUT
        )


def _buttons(message: MessageRecord) -> list[tuple[str, str]]:
    return [(label, data) for row in message.buttons for label, data in row if data]


async def test_five_thousand_random_updates_from_thirty_people(
    emulator, start_bot, db_path, bot_log, seed
):
    """Anything at all from thirty people, one thing at a time each: texts, commands with
    arguments, taps with made-up, changed, old and other people's data, photos, stickers,
    locations, contacts, files, edits, group and channel posts, no name or markup as a name,
    /wis and then old buttons, blocking the bot.

    Every private message is answered: the bot sends at least one message in that chat after
    it, before the person does anything else (a person acts again once the bot has fetched
    all their updates, answered all their taps, and done nothing in the chat for QUIET
    seconds). Not answered, on purpose: a message sent just before blocking the bot (nobody to
    answer), edits of a sent message and channel posts (the bot does not ask Telegram for
    them), talk in a group that is not a command for the bot (privacy mode: the bot does not
    get it), and a command in a group meant for another bot. Checked besides: no rule break,
    every tap answered, no traceback (the harness); the bot wrote only in the private chats of
    people who wrote to it and once in a group per command for it, and nobody's name or words
    are in anyone else's chat (texts, buttons, files); a person's data export is theirs; the
    database is intact, and holds only answers a person gave.
    """
    await start_bot(BOT_MESSAGES_PER_SECOND=str(PACE))
    pool: dict[int, set[str]] = {}
    people = [Stranger(emulator, index, seed, pool) for index in range(PEOPLE)]
    group_commands: dict[int, int] = {}
    async with asyncio.TaskGroup() as everybody:
        for person in people:
            everybody.create_task(person.run(group_commands))
    assert sum(p.updates for p in people) >= 5000

    # The bot wrote only in the private chats of people who wrote to it, and once in a group
    # for each command meant for it.
    for chat_id in {*GROUPS, CHANNEL}:
        assert len(emulator.bot_messages(chat_id)) == group_commands.get(chat_id, 0), chat_id
    for chat_id in emulator.private_chats():
        assert chat_id in {p.user_id for p in people}
    # Nobody's name or words in another's chat.
    for person in people:
        for chat_id in [*GROUPS, *(p.user_id for p in people if p is not person)]:
            shown = "\n".join(_everything_in(m) for m in emulator.bot_messages(chat_id))
            assert person.mark not in shown, (person.mark, chat_id)
    for person in people:
        for message in emulator.bot_messages(person.user_id):
            if message.document is not None and message.document.filename.endswith(".json"):
                export = json.loads(message.document.content)
                assert export["person"]["user_id"] == person.user_id
    log = bot_log.read_text(errors="replace")
    assert not [p.mark for p in people if p.mark in log]

    assert rows(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db_path, "PRAGMA foreign_key_check") == []
    by_id = {p.user_id: p for p in people}
    for user_id, first_name in rows(db_path, "SELECT user_id, first_name FROM users"):
        assert first_name in names(by_id[user_id].index)
    answers = rows(
        db_path,
        "SELECT r.user_id, r.round_id, a.statement_id, a.value"
        " FROM answers a JOIN rounds r USING (round_id)",
    )
    for user_id, round_id, statement_id, value in answers:
        person = by_id[user_id]
        tapped = f"a|{round_id}|{statement_id}|{value}" in person.tapped
        assert tapped or person.types_answers, (user_id, round_id, statement_id, value)


def _everything_in(message: MessageRecord) -> str:
    """A bot message's text, its markup, its buttons and a file's text, as one text (a
    picture's pixels are left out)."""
    parts = [message.text or "", message.html or "", message.caption or "", *message.button_labels]
    document = message.document
    if document is not None and (document.filename or "").endswith(".pdf"):
        parts += [page.extract_text() for page in PdfReader(BytesIO(document.content)).pages]
    elif document is not None:
        parts.append(document.content.decode(errors="replace"))
    return "\n".join(parts)
