"""Everything else a person (or Telegram) can throw at the bot: junk, double taps, old and
forged buttons, groups, a blocked bot, flood control, and a bot killed mid-way."""

from __future__ import annotations

import json

from tests.e2e.conftest import Person, rows


async def _begin(person: Person) -> None:
    await person.send("/start")
    await person.tap("Alle 12 competenties")


async def test_text_before_start_stickers_photos_and_unknown_commands(anna, emulator):
    assert "Typ /start" in (await anna.send("hoi"))[-1].text
    await anna.send("/start")
    await emulator.send_sticker(anna.user_id)
    reply = await anna.idle()
    assert "alleen tekst en knoppen" in reply[-1].text
    assert reply[-1].button_labels == ["Alle 12 competenties", "Zelf kiezen"]
    await anna.tap("Alle 12 competenties")
    await emulator.send_photo(anna.user_id)
    reply = await anna.idle()
    assert "alleen tekst en knoppen" in reply[-1].text and "1 van 4" in reply[-1].text
    assert "ken ik niet" in (await anna.send("/bestaatniet"))[-1].text
    help_text = (await anna.send("/help"))[-1].text
    assert "/verder – Ga verder waar je was" in help_text
    assert "Wat bewaren we?" in (await anna.send("/privacy"))[-1].text
    assert "totaal 1 van 48" in anna.open_statement.text


async def test_a_double_tap_counts_once_and_asks_the_next_statement_once(anna, emulator, db_path):
    await _begin(anna)
    statement = anna.open_statement
    data = statement.buttons[0][0][1]
    await emulator.tap_data(anna.user_id, statement.message_id, data)
    await emulator.tap_data(anna.user_id, statement.message_id, statement.buttons[3][0][1])
    await anna.idle()
    assert rows(db_path, "SELECT statement_id, value FROM answers") == [("signaleren.1", 1)]
    asked = [m for m in anna.messages if "totaal 2 van 48" in (m.text or "")]
    assert len(asked) == 1


async def test_double_taps_on_start_and_delete_do_nothing_twice(anna, emulator, db_path):
    await anna.send("/start")
    choice = anna.last
    for _ in range(2):
        await emulator.tap_data(anna.user_id, choice.message_id, choice.buttons[0][0][1])
    await anna.idle()
    assert len([m for m in anna.messages if "totaal 1 van 48" in m.text]) == 1
    assert rows(db_path, "SELECT COUNT(*) FROM rounds") == [(1,)]
    await anna.send("/wis")
    confirm = anna.last
    for _ in range(2):
        await emulator.tap_data(anna.user_id, confirm.message_id, confirm.buttons[0][0][1])
    await anna.idle()
    assert "Alles is gewist" in anna.last.text
    assert emulator.callback_answers(anna.user_id) == []  # no "werkt niet meer" for a double tap


async def test_forged_and_stale_buttons_are_never_applied(anna, emulator, db_path):
    await _begin(anna)
    await anna.answer("Zeer waar")
    statement = anna.open_statement
    rid = statement.buttons[0][0][1].split("|")[1]
    forged = [
        f"a|{rid}|signaleren.4|1",  # a statement further on
        f"a|{rid}|signaleren.1|4",  # an answered one
        f"a|{int(rid) + 1}|signaleren.2|1",  # another round
        f"a|{rid}|signaleren.2|9",  # no such answer
        f"a|{rid}|onbekend.1|1",  # no such statement
        "a|1|signaleren.2",  # broken
        "x" * 64,
        f"b|{rid}|signaleren.4",  # Vorige of a statement that is not open
    ]
    for data in forged:
        await emulator.tap_data(anna.user_id, statement.message_id, data)
        await anna.idle()
    assert rows(db_path, "SELECT statement_id, value FROM answers") == [("signaleren.1", 1)]
    assert emulator.callback_answers(anna.user_id)  # each got an answer (checked at teardown)


async def test_old_buttons_after_wis_expire_and_nothing_is_left(anna, emulator, db_path):
    await _begin(anna)
    await anna.answer("Meestal waar")
    statement = anna.open_statement
    await anna.send("/wis")
    await anna.tap("Nee, niet wissen")
    assert "niets gewist" in anna.last.text
    await anna.send("/wis")
    await anna.tap("Ja, wis alles")
    assert "Alles is gewist" in anna.last.text
    assert rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM rounds") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(0,)]
    await emulator.tap_data(anna.user_id, statement.message_id, statement.buttons[0][0][1])
    await anna.idle()
    assert "werkt niet meer" in emulator.callback_answers(anna.user_id)[-1]
    assert "niets van je bewaard" in (await anna.send("/mijngegevens"))[-1].text
    assert "Hallo Annadorothea" in (await anna.send("/start"))[-1].text


async def test_mijngegevens_sends_every_answer_as_json(anna):
    await _begin(anna)
    await anna.answer("Beetje waar")
    await anna.answer("Zeer waar")
    replies = await anna.send("/mijngegevens")
    document = replies[-1].document
    assert document.filename.endswith(".json")
    data = json.loads(document.content)
    assert data["person"]["user_id"] == anna.user_id
    assert data["person"]["first_name"] == "Annadorothea"
    answers = data["rounds"][0]["answers"]
    assert [(a["statement_id"], a["answer"]) for a in answers] == [
        ("signaleren.1", "Beetje waar"),
        ("signaleren.2", "Zeer waar"),
    ]
    assert answers[0]["statement"] == "Ik oordeel niet te snel, maar onderzoek eerst de feiten."
    assert all(a["answered_at"] for a in answers)


async def test_groups_get_a_pointer_to_the_private_chat_or_silence(anna, emulator):
    await emulator.send_group_text(-500, anna.user_id, "/start@scorelijst_emulator_bot")
    await emulator.wait_idle(anna.user_id, chat_id=-500)
    (reply,) = emulator.bot_messages(-500)
    assert "privégesprek" in reply.text
    await emulator.send_group_text(-500, anna.user_id, "/start@eenanderebot")
    await emulator.wait_idle(anna.user_id, chat_id=-500)
    assert len(emulator.bot_messages(-500)) == 1
    assert anna.messages == []


async def test_killed_mid_way_continues_exactly_where_it_was(
    anna, emulator, bots, start_bot, db_path
):
    await _begin(anna)
    for label in ("Zeer waar", "Meestal waar", "Beetje waar", "Niet waar", "Zeer waar"):
        await anna.answer(label)
    assert "totaal 6 van 48" in anna.open_statement.text
    await bots[0].kill()

    # taps and texts while the bot is down are handled when it is back, in order
    await emulator.tap(anna.user_id, "Meestal waar", message_id=anna.open_statement.message_id)
    await emulator.send_text(anna.user_id, "3")
    await start_bot()
    await anna.idle()
    assert "totaal 8 van 48" in anna.open_statement.text
    await anna.send("/verder")
    reopened = anna.open_statement
    assert "Welkom terug" in reopened.text and "totaal 8 van 48" in reopened.text
    assert rows(db_path, "SELECT COUNT(*), COUNT(DISTINCT statement_id) FROM answers") == [(7, 7)]

    await bots[1].kill()
    await start_bot()
    await anna.answer("Zeer waar")
    assert "totaal 9 van 48" in anna.open_statement.text
    shown = {
        n: sum(f"totaal {n} van 48" in (m.text or "") for m in anna.messages) for n in range(1, 10)
    }
    # every statement was asked once; only /verder showed the open one again
    assert shown == {**dict.fromkeys(range(1, 10), 1), 8: 2}


async def test_a_person_who_blocked_the_bot_does_not_disturb_others(anna, emulator):
    await _begin(anna)
    emulator.block(anna.user_id)
    await emulator.send_text(anna.user_id, "1")
    await anna.idle()
    emulator.unblock(anna.user_id)
    bo = Person(emulator, 2002, "Bo")
    assert "Hallo Bo" in (await bo.send("/start"))[-1].text


async def test_flood_control_is_waited_out(anna, emulator):
    await anna.send("/start")
    emulator.fail_next("sendMessage", error_code=429, retry_after=1)
    await anna.tap("Alle 12 competenties")
    # python-telegram-bot's rate limiter waits the second Telegram asks for, then sends again
    await emulator.wait_for(lambda: "totaal 1 van 48" in anna.text(), timeout=10)
    await anna.idle()
    assert len([m for m in anna.messages if "totaal 1 van 48" in m.text]) == 1


async def test_a_network_failure_loses_no_answer(anna, emulator, db_path, bot_log):
    await _begin(anna)
    emulator.fail_next("sendMessage", error_code=502)
    await anna.answer("Zeer waar")  # saved, but the next statement does not arrive
    assert not [m for m in anna.with_buttons() if "totaal" in m.text]
    assert rows(db_path, "SELECT statement_id FROM answers") == [("signaleren.1",)]
    await anna.send("/verder")
    assert "totaal 2 van 48" in anna.open_statement.text
    assert "network problem" in bot_log.read_text()
