"""Every refusal, for every kind of button, end to end.

A tap that names another person's round, one's own older round, a round that never existed, a
statement or competency that is not there, or a statement that is not the open one, is refused:
nothing is stored or sent, the person gets a short note (a toast), and the tapped message loses
its buttons, unless it is the statement open now (forged data must not take those away). A
double tap acts once, and the second tap gets silence.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from emulator import MessageRecord
from tests.e2e.conftest import Person, rows, shown, statement_with

EXPIRED = "Deze knop werkt niet meer. Typ /verder om verder te gaan."
NOT_OPEN = "Deze zin heb je al beantwoord. Met Vorige kun je een antwoord veranderen."
NEVER = 987654  # a round id that never existed
OPEN = "signaleren.2"  # the statement open in the round now, where a statement is open

TABLES = {
    "users": "SELECT user_id, first_name, language, created_at FROM users ORDER BY user_id",
    "rounds": "SELECT round_id, user_id, number, status, selection, picked, cursor,"
    " prompt_message_id, completed_at FROM rounds ORDER BY round_id",
    "answers": "SELECT * FROM answers ORDER BY round_id, statement_id",
    "reminders": "SELECT * FROM reminders ORDER BY user_id",
}


def database(db_path: Path) -> dict[str, list[tuple]]:
    return {table: rows(db_path, sql) for table, sql in TABLES.items()}


# -- getting somewhere ---------------------------------------------------------------------


async def start_all(person: Person) -> None:
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Alle 12 competenties", until="totaal 1 van 48")


async def pick_lef(person: Person) -> None:
    await person.tap("Zelf kiezen", until="Klaar, begin maar")
    await person.tap("⬜ Lef", until="✅ Lef")


async def finish_lef(person: Person) -> None:
    """From the choice screen: Lef only, all four answered, so the round is complete."""
    await pick_lef(person)
    await person.tap("Klaar, begin maar", until="totaal 1 van 4")
    for _ in range(3):
        await person.answer("Zeer waar")
    await person.answer("Zeer waar", until="Wil je nog meer competenties invullen?")


@dataclass
class World:
    """Anna, whose first round was left half done for a new one ("Ja, nieuwe ronde"), and Bo,
    somebody else with a round of his own."""

    anna: Person
    bo: Person
    current: int  # Anna's round now
    stale: int  # Anna's round before "Ja, nieuwe ronde"
    foreign: int  # Bo's round
    answered: MessageRecord | None = None  # a statement message of the round now, answered


async def build_world(anna: Person, db_path: Path) -> World:
    bo = Person(anna.emulator, 2002, "Bo")
    await bo.send("/start", until="Zelf kiezen")
    await start_all(anna)
    await anna.answer("Zeer waar")
    await anna.send("/opnieuw", until="nog niet klaar")
    await anna.tap("Ja, nieuwe ronde", until="Je vorige antwoorden blijven bewaard")
    (foreign,) = rows(db_path, "SELECT round_id FROM rounds WHERE user_id = ?", bo.user_id)
    stale, current = rows(
        db_path, "SELECT round_id FROM rounds WHERE user_id = ? ORDER BY number", anna.user_id
    )
    return World(anna, bo, current[0], stale[0], foreign[0])


# -- a tap, and everything it changed ------------------------------------------------------


@dataclass(frozen=True)
class Seen:
    toast: str | None
    buttons: str  # of the tapped message: "kept", "gone", or "none" (it had none)
    changes: tuple[str, ...] = ()  # stored, sent or edited besides, and Bot API rule breaks


def _chat(person: Person) -> dict[int, tuple[str, list]]:
    return {m.message_id: (m.text or "", m.buttons) for m in person.messages}


async def tap_and_see(
    person: Person, db_path: Path, message: MessageRecord, data: str, *others: Person
) -> Seen:
    """``person`` taps ``data`` on ``message``; afterwards (once the bot has handled it), what
    the person was told and what changed anywhere: the database, any chat, the rules."""
    emulator, people = person.emulator, (person, *others)
    stored, chats = database(db_path), [_chat(p) for p in people]
    breaks = len(emulator.rule_breaks())
    buttons = message.buttons
    query = await emulator.tap_data(person.user_id, message.message_id, data)
    await person.settle()
    assert query.answered
    changes = [
        f"{table}: {before} -> {after}"
        for (table, before), after in zip(stored.items(), database(db_path).values(), strict=True)
        if before != after
    ]
    for who, before in zip(people, chats, strict=True):
        after = _chat(who)
        if who is person:  # settle()'s /help is not the tap's doing
            after.pop(who.last.message_id)
        for message_id, (text, markup) in after.items():
            if message_id not in before:
                changes.append(f"sent #{message_id}: {text[:60]}")
            elif message_id == message.message_id:
                if text != before[message_id][0]:
                    changes.append(f"edited #{message_id}: {text[:60]}")
            elif (text, markup) != before[message_id]:
                changes.append(f"edited #{message_id}: {text[:60]}")
    changes += [f"rule break: {b}" for b in emulator.rule_breaks()[breaks:]]
    now = next(m for m in person.messages if m.message_id == message.message_id)
    kept = "none" if not buttons else "kept" if now.buttons == buttons else "gone"
    return Seen(query.answer_text, kept, tuple(changes))


# -- every kind of button, with another person's, an old and a made-up round ----------------


async def statement(w: World) -> None:
    """Anna's round now: statement 1 answered, statement 2 open."""
    await w.anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    w.answered = w.anna.open_statement
    await w.anna.answer("Zeer waar")


async def nothing(w: World) -> None:
    """Anna's round now is at its first screen already: all twelve, or pick some."""


async def pick_list(w: World) -> None:
    await pick_lef(w.anna)


async def complete(w: World) -> None:
    await finish_lef(w.anna)


async def the_statement(w: World) -> MessageRecord:
    return w.anna.open_statement


def screen(command: str, until: str) -> Callable[[World], Awaitable[MessageRecord]]:
    """A new copy of a screen with buttons, for each tap (a refused tap takes its buttons)."""

    async def show(w: World) -> MessageRecord:
        return (await w.anna.send(command, until=until))[-1]

    return show


async def offer(w: World) -> MessageRecord:
    """A new offer of a reminder: /verder, then Pauze."""
    await w.anna.send("/verder", until=statement_with("totaal 2 van 48"))
    statement = w.anna.open_statement.message_id
    return (await w.anna.tap("⏸ Pauze", statement, until="Zal ik je later"))[-1]


CHOICE = screen("/verder", "Een paar kiezen mag ook")
PICK_LIST = screen("/verder", "Klaar, begin maar")
DONE = screen("/verder", "Wat wil je nu doen?")
CONFIRM = screen("/opnieuw", "nog niet klaar")


@dataclass(frozen=True)
class Kind:
    prepare: Callable[[World], Awaitable[None]]  # get Anna where the button is live
    message: Callable[[World], Awaitable[MessageRecord]]  # a message with the live button
    data: str  # the button's data, with {round} and {item}
    item: str | None = None  # the statement or competency the live button names


KINDS = {
    "answer": Kind(statement, the_statement, "a|{round}|{item}|2", OPEN),
    "vorige": Kind(statement, the_statement, "b|{round}|{item}", OPEN),
    "uitleg": Kind(statement, the_statement, "i|{round}|{item}", OPEN),
    "pauze": Kind(statement, the_statement, "p|{round}|{item}", OPEN),
    "all": Kind(nothing, CHOICE, "all|{round}"),
    "pick": Kind(nothing, CHOICE, "pick|{round}"),
    "choose": Kind(pick_list, PICK_LIST, "c|{round}|{item}|1", "netwerken"),
    "go": Kind(pick_list, PICK_LIST, "go|{round}"),
    "unpick": Kind(pick_list, PICK_LIST, "unpick|{round}"),
    "summary": Kind(complete, DONE, "sum|{round}"),
    "more": Kind(complete, DONE, "pick|{round}"),
    "new round (done)": Kind(complete, DONE, "new|{round}"),
    "new round (confirm)": Kind(statement, CONFIRM, "new|{round}"),
    "keep going": Kind(statement, CONFIRM, "cont|{round}"),
    # "No", "never" and "on again" are the person's own settings, whatever round they name.
    "remind me": Kind(statement, offer, "rem|{round}|3"),
}


def variants(w: World, kind: Kind) -> dict[str, tuple[str, str]]:
    """What to tap, and the toast it must get."""

    def data(round_id: int, item: str | None = kind.item) -> str:
        return kind.data.format(round=round_id, item=item)

    cases = {
        "another person's round": (data(w.foreign), EXPIRED),
        "an older round": (data(w.stale), EXPIRED),
        "a round that never existed": (data(NEVER), EXPIRED),
    }
    if kind.item == OPEN:
        cases["a statement that does not exist"] = (data(w.current, "nope.1"), EXPIRED)
        cases["a statement not asked yet"] = (data(w.current, "signaleren.3"), EXPIRED)
        # answered "Zeer waar" (1); the tap says "Meestal waar" (2), so it is no double tap
        cases["an answered statement"] = (data(w.current, "signaleren.1"), NOT_OPEN)
    elif kind.item is not None:
        cases["a competency that does not exist"] = (data(w.current, "nope"), EXPIRED)
    return cases


@pytest.mark.parametrize("name", KINDS)
async def test_a_tap_naming_the_wrong_round_or_item_is_refused(name, anna, db_path):
    kind = KINDS[name]
    w = await build_world(anna, db_path)
    await kind.prepare(w)
    await anna.settle()  # the open statement's message is noted in its round
    # The open statement keeps its buttons; any other message loses them.
    on_statement = kind.message is the_statement
    seen, expected = {}, {}
    for variant, (data, toast) in variants(w, kind).items():
        message = await kind.message(w)
        seen[variant] = await tap_and_see(anna, db_path, message, data, w.bo)
        expected[variant] = Seen(toast, "kept" if on_statement else "gone")
        if on_statement:  # and where a statement's buttons were: an answered one
            old = f"{variant}, on the answered statement"
            seen[old] = await tap_and_see(anna, db_path, w.answered, data, w.bo)
            expected[old] = Seen(toast, "none")
    wrong = [f"{v}: got {seen[v]}, want {expected[v]}" for v in seen if seen[v] != expected[v]]
    if wrong:
        pytest.fail("\n".join(wrong), pytrace=False)


SHOWS = {"/wis": "Weet je het zeker?", "/taal": "In welke taal"}


@pytest.mark.parametrize(
    ("command", "data"),
    [
        ("/wis", "del|2"),
        ("/wis", "del|"),
        ("/taal", "lang|xx"),  # a language the bot does not speak
        ("/taal", "lang|NL"),
        ("/taal", "a|1|x"),  # no button of this bot looks like this
    ],
)
async def test_made_up_data_on_delete_and_language_buttons_is_refused(command, data, anna, db_path):
    await start_all(anna)
    await anna.answer("Zeer waar")
    await anna.settle()
    message = (await anna.send(command, until=SHOWS[command]))[-1]
    assert await tap_and_see(anna, db_path, message, data) == Seen(EXPIRED, "gone")


async def test_after_wis_old_buttons_store_nothing_until_start(anna, db_path):
    await start_all(anna)
    await anna.answer("Zeer waar")
    offers = []
    for _ in range(2):  # two offers of a reminder, one for each button tapped below
        await anna.tap("⏸ Pauze", anna.open_statement.message_id, until="Zal ik je later")
        offers.append(anna.last)
        await anna.send("/verder", until=statement_with("totaal 2 van 48"))
    remind, never = offers
    new_round = (await anna.send("/opnieuw", until="nog niet klaar"))[-1]
    keep_going = (await anna.send("/opnieuw", until="nog niet klaar"))[-1]
    statement = anna.open_statement
    ((old_round,),) = rows(db_path, "SELECT round_id FROM rounds")
    await anna.send("/wis", until="Weet je het zeker?")
    await anna.tap("Ja, wis alles", until="Alles is gewist")
    empty = {"users": [], "rounds": [], "answers": [], "reminders": []}
    assert database(db_path) == empty
    for message, label in (
        (new_round, "Ja, nieuwe ronde"),
        (keep_going, "Nee, ga verder"),
        (statement, "Meestal waar"),
        (remind, "Over 1 dag"),
        (never, "🔕 Nooit meer herinneringen"),
    ):
        data = next(d for row in message.buttons for text, d in row if text == label)
        assert await tap_and_see(anna, db_path, message, data) == Seen(EXPIRED, "gone"), label
    await anna.send("/verder", until="Typ /start om te beginnen")
    assert database(db_path) == empty
    await anna.send("/start", until="Hallo Annadorothea")
    ((round_id, number, status),) = rows(db_path, "SELECT round_id, number, status FROM rounds")
    assert round_id > old_round and (number, status) == (1, "choosing")
    assert rows(db_path, "SELECT user_id FROM users") == [(anna.user_id,)]


# -- a double tap on every kind of button --------------------------------------------------


async def answered_one(person: Person) -> None:
    await start_all(person)
    await person.answer("Zeer waar")


async def at_choice(person: Person) -> None:
    await person.send("/start", until="Zelf kiezen")


async def at_pick_list(person: Person) -> None:
    await at_choice(person)
    await pick_lef(person)


async def at_confirm(person: Person) -> None:
    await answered_one(person)
    await person.send("/opnieuw", until="nog niet klaar")


async def at_done(person: Person) -> None:
    await at_choice(person)
    await finish_lef(person)
    await person.send("/verder", until="Wat wil je nu doen?")


async def at_wis(person: Person) -> None:
    await at_choice(person)
    await person.send("/wis", until="Weet je het zeker?")


async def at_offer(person: Person) -> None:
    await start_all(person)
    await person.tap("⏸ Pauze", person.open_statement.message_id, until="Zal ik je later")


async def at_taal(person: Person) -> None:
    await at_choice(person)
    await person.send("/taal", until="In welke taal")


# kind: (how to get there, the button, a text its tap shows, how often it shows after one tap)
DOUBLE_TAPS = {
    "answer": (start_all, "Zeer waar", "totaal 2 van 48", 1),
    "vorige": (answered_one, "⬅️ Vorige", "Je antwoord was", 1),
    "uitleg": (start_all, "ℹ️ Uitleg", "Zo zegt de brochure het", 1),
    "pauze": (start_all, "⏸ Pauze", "we stoppen even", 1),
    "all": (at_choice, "Alle 12 competenties", "totaal 1 van 48", 1),
    "pick": (at_choice, "Zelf kiezen", "Tik daarna op", 1),
    "choose": (at_pick_list, "⬜ Netwerken", "✅ Netwerken", 1),
    "go": (at_pick_list, "Klaar, begin maar", "totaal 1 van 4", 1),
    "unpick": (at_pick_list, "⬅️ Terug", "Een paar kiezen mag ook", 1),
    "summary": (at_done, "Bekijk je overzicht", "Jouw overzicht", 2),  # one came at the end
    "more": (at_done, "Meer competenties invullen", "er nog bij wilt invullen", 1),
    "new round": (at_confirm, "Ja, nieuwe ronde", "Een nieuwe ronde!", 1),
    "keep going": (at_confirm, "Nee, ga verder", "totaal 2 van 48", 2),  # and the one before
    "delete": (at_wis, "Ja, wis alles", "Alles is gewist", 1),
    "do not delete": (at_wis, "Nee, niet wissen", "er is niets gewist", 1),
    "language": (at_taal, "Nederlands", "we praten nu Nederlands", 1),
    "remind me": (at_offer, "Over 1 dag", "Ik stuur je een herinnering op", 1),
    "no reminder": (at_offer, "Nee, dank je", "Goed, geen herinnering", 1),
    "no reminders ever": (at_offer, "🔕 Nooit meer herinneringen", "geen herinneringen meer", 1),
}


@pytest.mark.parametrize("name", DOUBLE_TAPS)
async def test_a_double_tap_acts_once_and_the_second_gets_silence(name, anna, emulator):
    get_there, label, shows, times = DOUBLE_TAPS[name]
    await get_there(anna)
    await anna.settle()
    message = next(m for m in reversed(anna.with_buttons()) if label in m.button_labels)
    data = next(d for row in message.buttons for text, d in row if text == label)
    for _ in range(2):
        await emulator.tap_data(anna.user_id, message.message_id, data)
    await anna.settle()
    assert sum(shows in shown(m) for m in anna.messages) == times
    assert emulator.callback_answers(anna.user_id) == []
    assert [str(b) for b in emulator.rule_breaks()] == []


# -- a second tap made before the first one's edit arrived, and other stale copies -----------


async def test_vorige_on_an_older_copy_of_the_open_statement_goes_back_once(anna):
    """A hint shows the open statement again as a new message; Vorige from the copy before
    it goes back, and the live statement gives way, not the copy (whose buttons are gone)."""
    await start_all(anna)
    await anna.answer("Zeer waar")
    older = anna.open_statement
    back = next(d for row in older.buttons for text, d in row if text == "⬅️ Vorige")
    await anna.send("hoi", until=statement_with("Tik op een knop onder de zin"))
    await anna.tap_data(older.message_id, back, until=statement_with("totaal 1 van 48"))
    assert "Je antwoord was" in anna.open_statement.text


async def test_a_quick_second_tap_on_another_button_of_a_changed_screen_does_nothing(
    anna, emulator
):
    """ "Alle 12" and "Zelf kiezen" tapped at once: both taps show the choice with its buttons,
    but the first has taken them away by the time the second is handled."""
    await at_choice(anna)
    choice = anna.last
    for label in ("Alle 12 competenties", "Zelf kiezen"):
        data = next(d for row in choice.buttons for text, d in row if text == label)
        await emulator.tap_data(anna.user_id, choice.message_id, data)
    await anna.settle()
    assert [m.text for m in anna.messages if "totaal 1 van 48" in m.text]
    assert "Tik daarna op" not in anna.text()  # no pick list
    assert emulator.callback_answers(anna.user_id) == []


async def test_quick_taps_on_an_old_statement_take_its_buttons_once(anna, emulator, db_path):
    """After /wis, two answers tapped at once on the old statement: both refused, and its
    buttons go once (a second removal would be refused by Telegram as "not modified")."""
    await start_all(anna)
    statement = anna.open_statement
    await anna.send("/wis", until="Weet je het zeker?")
    await anna.tap("Ja, wis alles", until="Alles is gewist")
    for label in ("Zeer waar", "Niet waar"):
        data = next(d for row in statement.buttons for text, d in row if text == label)
        await emulator.tap_data(anna.user_id, statement.message_id, data)
    await anna.settle()
    assert emulator.callback_answers(anna.user_id) == [EXPIRED, EXPIRED]
    assert statement.buttons == []
    assert not any(database(db_path).values())


async def test_on_the_overview_picture_only_its_own_buttons_act(anna, emulator, db_path):
    """The picture has no text to turn into another screen: the pick list's data, or made-up
    data, tapped on it gets silence and changes nothing."""
    await at_choice(anna)
    await finish_lef(anna)
    await anna.settle()
    picture = next(m for m in reversed(anna.messages) if m.photo)
    ((round_id,),) = rows(db_path, "SELECT round_id FROM rounds")
    before = database(db_path)
    for data in (f"c|{round_id}|netwerken|1", f"go|{round_id}", f"unpick|{round_id}", "x|y"):
        seen = await tap_and_see(anna, db_path, picture, data)
        assert seen == Seen(None, "kept"), data
    assert database(db_path) == before


async def test_an_old_tap_asking_for_the_screen_there_is_changes_nothing(anna, emulator):
    """ "Zelf kiezen" turned the choice into the list; its data tapped on the list (no double
    tap: the message changed in between) asks for the list that is there: no edit that
    changes nothing, which Telegram would refuse."""
    await at_choice(anna)
    choice = anna.last
    pick = next(d for row in choice.buttons for text, d in row if text == "Zelf kiezen")
    await anna.tap("Zelf kiezen", until="Tik daarna op")
    listing = choice.text
    await anna.tap_data(choice.message_id, pick, until=lambda new: True)
    await anna.settle()
    assert choice.text == listing and choice.edited == 1
    assert emulator.callback_answers(anna.user_id) == []
