"""Everything else a person (or Telegram) can throw at the bot: junk, double taps, groups, a
blocked bot, flood control, failed calls, and a bot killed mid-way."""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path

import pytest

from tests.e2e.conftest import Person, rows, statement_with


async def _begin(person: Person) -> None:
    await person.send("/start", until="Zelf kiezen")
    await person.tap("Alle 12 competenties", until="totaal 1 van 48")


async def test_text_before_start_stickers_photos_and_unknown_commands(anna, emulator):
    assert "Typ /start" in (await anna.send("hoi", until="Typ /start"))[-1].text
    await anna.send("/start", until="Zelf kiezen")
    await emulator.send_sticker(anna.user_id)
    await emulator.wait_for(lambda: "alleen tekst en knoppen" in anna.last.text, timeout=30)
    assert anna.last.button_labels == ["Alle 12 competenties", "Zelf kiezen"]
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await emulator.send_photo(anna.user_id)
    await emulator.wait_for(
        lambda: any("alleen tekst en knoppen" in m.text for m in anna.with_buttons()), timeout=30
    )
    assert "1 van 4" in anna.open_statement.text
    assert "ken ik niet" in (await anna.send("/bestaatniet", until="ken ik niet"))[-1].text
    help_text = (await anna.send("/help", until="Zo werkt het"))[-1].text
    assert "/verder – Ga verder waar je was" in help_text
    assert "/taal – Kies je taal (Nederlands of English)" in help_text
    assert "Wat bewaren we?" in (await anna.send("/privacy", until="Wat bewaren we?"))[-1].text
    assert "totaal 1 van 48" in anna.open_statement.text


async def test_a_double_tap_counts_once_and_asks_the_next_statement_once(anna, db_path):
    await _begin(anna)
    statement = anna.open_statement
    await anna.emulator.tap_data(anna.user_id, statement.message_id, statement.buttons[0][0][1])
    await anna.emulator.tap_data(anna.user_id, statement.message_id, statement.buttons[3][0][1])
    await anna.settle()
    assert rows(db_path, "SELECT statement_id, value FROM answers") == [("signaleren.1", 1)]
    asked = [m for m in anna.messages if "totaal 2 van 48" in (m.text or "")]
    assert len(asked) == 1


async def test_double_taps_on_start_and_delete_do_nothing_twice(anna, emulator, db_path):
    await anna.send("/start", until="Zelf kiezen")
    choice = anna.last
    for _ in range(2):
        await emulator.tap_data(anna.user_id, choice.message_id, choice.buttons[0][0][1])
    await anna.settle()
    assert len([m for m in anna.messages if "totaal 1 van 48" in m.text]) == 1
    assert rows(db_path, "SELECT COUNT(*) FROM rounds") == [(1,)]
    await anna.send("/wis", until="Weet je het zeker?")
    confirm = anna.last
    for _ in range(2):
        await emulator.tap_data(anna.user_id, confirm.message_id, confirm.buttons[0][0][1])
    await emulator.wait_for(lambda: "Alles is gewist" in confirm.text, timeout=30)
    await emulator.wait_for(lambda: not emulator.pending(anna.user_id), timeout=30)
    assert emulator.callback_answers(anna.user_id) == []  # no "werkt niet meer" for a double tap


async def test_double_taps_on_uitleg_and_pauze_act_once(anna, emulator):
    await _begin(anna)
    statement = anna.open_statement
    explain = next(d for row in statement.buttons for label, d in row if label == "ℹ️ Uitleg")
    for _ in range(2):
        await emulator.tap_data(anna.user_id, statement.message_id, explain)
    await anna.settle()
    assert len([m for m in anna.messages if "Zo zegt de brochure het" in m.text]) == 1
    assert emulator.callback_answers(anna.user_id) == []
    statement = anna.open_statement
    pause = next(d for row in statement.buttons for label, d in row if label == "⏸ Pauze")
    for _ in range(2):
        await emulator.tap_data(anna.user_id, statement.message_id, pause)
    await anna.settle()
    assert len([m for m in anna.messages if "we stoppen even" in m.text]) == 1
    assert emulator.callback_answers(anna.user_id) == []


async def test_mijngegevens_sends_every_answer_as_json(anna):
    await _begin(anna)
    await anna.answer("Beetje waar")
    await anna.answer("Zeer waar")
    replies = await anna.send("/mijngegevens", until=lambda new: new and new[-1].document)
    document = replies[-1].document
    assert document.filename == "scorelijst-mijn-gegevens.json"
    data = json.loads(document.content)
    assert data["person"]["user_id"] == anna.user_id
    assert data["person"]["first_name"] == "Annadorothea"
    assert data["person"]["language"] == "nl"
    answers = data["rounds"][0]["answers"]
    assert [(a["statement_id"], a["answer"]) for a in answers] == [
        ("signaleren.1", "Beetje waar"),
        ("signaleren.2", "Zeer waar"),
    ]
    assert answers[0]["statement"] == "Ik oordeel niet te snel, maar onderzoek eerst de feiten."
    assert all(a["answered_at"] for a in answers)


async def test_groups_get_a_pointer_to_the_private_chat_or_silence(anna, emulator):
    await emulator.send_group_text(-500, anna.user_id, "/start@scorelijst_emulator_bot")
    await emulator.wait_for(lambda: emulator.bot_messages(-500), timeout=30)
    (reply,) = emulator.bot_messages(-500)
    assert "privégesprek" in reply.text
    await emulator.send_group_text(-500, anna.user_id, "/start@eenanderebot")
    await anna.settle()  # the group update came first, so it is handled by now
    assert len(emulator.bot_messages(-500)) == 1
    assert [m.text for m in anna.messages] == [anna.last.text]  # only /help's answer


async def test_killed_mid_way_continues_exactly_where_it_was(
    anna, emulator, bots, start_bot, db_path
):
    await _begin(anna)
    for label in ("Zeer waar", "Meestal waar", "Beetje waar", "Niet waar", "Zeer waar"):
        await anna.answer(label)
    assert "totaal 6 van 48" in anna.open_statement.text
    # Killed once the bot has noted which message carries the live buttons: a kill before
    # that costs one harmless "message is not modified" later, which the emulator counts.
    await anna.settle()
    await bots[0].kill()

    # taps and texts while the bot is down are handled when it is back, in order
    await emulator.tap(anna.user_id, "Meestal waar", message_id=anna.open_statement.message_id)
    await emulator.send_text(anna.user_id, "3")
    await start_bot()
    await emulator.wait_for(lambda: "totaal 8 van 48" in anna.text(), timeout=30)
    await anna.send("/verder", until=statement_with("Welkom terug"))
    reopened = anna.open_statement
    assert "Welkom terug" in reopened.text and "totaal 8 van 48" in reopened.text
    assert rows(db_path, "SELECT COUNT(*), COUNT(DISTINCT statement_id) FROM answers") == [(7, 7)]

    await anna.settle()
    await bots[1].kill()
    await start_bot()
    await anna.answer("Zeer waar")
    assert "totaal 9 van 48" in anna.open_statement.text
    shown = {
        n: sum(f"totaal {n} van 48" in (m.text or "") for m in anna.messages) for n in range(1, 10)
    }
    # every statement was asked once; only /verder showed the open one again
    assert shown == {**dict.fromkeys(range(1, 10), 1), 8: 2}


def _children(pid: int) -> set[int]:
    """The processes whose parent is ``pid`` (Linux: read from /proc)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    """Not ended (a zombie that nobody has reaped yet has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("delivery", ["polling"])
async def test_a_killed_bot_leaves_no_process_behind(anna, bots):
    """The picture worker (and multiprocessing's helper) end with the bot, also after kill -9,
    when the bot cannot stop them; a bot restarted after every kill would pile them up."""
    helpers = _children(bots[0].pid)
    assert helpers  # started with the bot, so the first picture need not wait for it
    await bots[0].kill()
    for _ in range(100):
        if not any(_running(pid) for pid in helpers):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"still running 10 s after the bot was killed: {helpers}")


async def test_a_person_who_blocked_the_bot_does_not_disturb_others(
    anna, emulator, db_path, bot_log
):
    await _begin(anna)
    emulator.block(anna.user_id)
    await emulator.send_text(anna.user_id, "1")
    await emulator.wait_for(lambda: "has blocked the bot" in bot_log.read_text(), timeout=30)
    bo = Person(emulator, 2002, "Bo")
    assert "Hallo Bo" in (await bo.send("/start", until="Hallo Bo"))[-1].text
    # The answer was saved before the bot found out it cannot send: it is there when Anna
    # unblocks the bot and goes on.
    assert rows(db_path, "SELECT statement_id, value FROM answers") == [("signaleren.1", 1)]
    emulator.unblock(anna.user_id)
    await anna.send("/verder", until=statement_with("totaal 2 van 48"))


async def test_flood_control_is_waited_out(anna, emulator):
    await anna.send("/start", until="Zelf kiezen")
    emulator.fail_next("sendMessage", error_code=429, retry_after=1)
    # python-telegram-bot's rate limiter waits the second Telegram asks for, then sends again
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await anna.settle()
    assert len([m for m in anna.messages if "totaal 1 van 48" in m.text]) == 1


async def test_failed_calls_are_tried_again_and_never_stop_the_flow(anna, emulator, db_path):
    await _begin(anna)
    # Telegram fails the tap's answer, the edit and the next statement once each: all are
    # tried again, and the person sees the next statement without typing /verder.
    emulator.fail_next("answerCallbackQuery", error_code=500)
    emulator.fail_next("editMessageText", error_code=500)
    emulator.fail_next("sendMessage", error_code=502)
    await anna.answer("Zeer waar")
    assert "totaal 2 van 48" in anna.open_statement.text
    assert rows(db_path, "SELECT statement_id FROM answers") == [("signaleren.1",)]
    answered = [m for m in anna.messages if m.text.endswith("✅ Zeer waar")]
    assert len(answered) == 1


async def test_a_network_failure_that_lasts_loses_no_answer(anna, emulator, db_path, bot_log):
    await _begin(anna)
    for _ in range(3):  # more than the bot tries
        emulator.fail_next("sendMessage", error_code=502)
    statement = anna.open_statement
    await anna.tap("Zeer waar", statement.message_id, until="✅ Zeer waar")
    await anna.settle()
    assert "totaal 2 van 48" not in anna.text()
    assert rows(db_path, "SELECT statement_id FROM answers") == [("signaleren.1",)]
    await anna.send("/verder", until=statement_with("totaal 2 van 48"))
    assert "network problem" in bot_log.read_text()


async def test_klaar_again_on_a_list_that_says_it_already_changes_nothing(anna):
    """ "Klaar" with nothing picked, tapped again once the list says so: no edit that Telegram
    would refuse as unchanged."""
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Zelf kiezen", until="Klaar, begin maar")
    listing = anna.last
    await anna.tap("Klaar, begin maar", until="Kies eerst minstens één competentie.")
    await anna.tap("Klaar, begin maar", listing.message_id, until=lambda new: True)
    await anna.settle()
    assert listing.text.count("Kies eerst minstens één competentie.") == 1
