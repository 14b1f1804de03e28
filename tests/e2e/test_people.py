"""A person's language, what /privacy says about who keeps what and for how long, the retention
job, /wis while others use the bot, and data the bot cannot read."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.e2e.conftest import Person, rows, statement_with


async def test_a_person_whose_telegram_is_english_gets_english(emulator, start_bot, db_path):
    await start_bot()
    sam = Person(emulator, 3003, "Sam", language_code="en-GB")
    welcome = await sam.send("/start", until="48 short sentences")
    assert "A quality is something you can do or know" in welcome[-1].text
    assert welcome[-1].button_labels == ["All 12 qualities", "Let me choose"]
    await sam.tap("All 12 qualities", until="total 1 of 48")
    assert sam.open_statement.button_labels[:4] == [
        "Very true",
        "Mostly true",
        "A little true",
        "Not true",
    ]
    assert "I do not judge too quickly" in sam.open_statement.text
    await sam.send("mostly", until="total 2 of 48")
    assert rows(db_path, "SELECT language FROM users") == [("en",)]


async def test_dutch_when_we_do_not_have_their_language(emulator, start_bot, db_path):
    await start_bot()
    marie = Person(emulator, 3004, "Marie", language_code="fr")
    await marie.send("/start", until="48 korte zinnen")
    assert rows(db_path, "SELECT language FROM users") == [("nl",)]


async def test_taal_switches_and_the_choice_is_kept_across_a_restart(
    anna, emulator, bots, start_bot, db_path
):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await anna.send("/taal", until="In welke taal")
    assert anna.last.button_labels == ["English", "Nederlands"]
    await anna.tap("English", until="we now speak English")
    await anna.send("/verder", until=statement_with("total 1 of 48"))
    assert "Spotting and analysing · 1 of 4 · total 1 of 48" in anna.open_statement.text
    await anna.settle()
    await bots[0].stop()
    await start_bot()
    await anna.answer("Very true")
    assert "total 2 of 48" in anna.open_statement.text
    await anna.send("/taal", until="In which language")
    await anna.tap("Nederlands", until="we praten nu Nederlands")
    await anna.send("/verder", until=statement_with("totaal 2 van 48"))
    assert rows(db_path, "SELECT language FROM users") == [("nl",)]


async def test_taal_before_start_points_to_start(anna, db_path):
    await anna.send("/taal", until="In welke taal")
    await anna.tap("English", until="Type /start")
    assert rows(db_path, "SELECT COUNT(*) FROM users") == [(0,)]


async def test_privacy_and_help_say_who_keeps_what_and_for_how_long(emulator, start_bot):
    await start_bot(
        BOT_ORGANISATION="Stichting Samen Sterk",
        BOT_CONTACT="privacy@samensterk.nl",
        BOT_RETENTION_DAYS="365",
    )
    jan = Person(emulator, 4004, "Jan")
    text = (await jan.send("/privacy", until="Wat bewaren we?"))[-1].text
    for line in (
        "• je Telegram-ID (dat is niet je telefoonnummer)",
        "• je voornaam en de taal waarin we praten",
        "Stichting Samen Sterk gebruikt deze bot.",
        "Vragen? Neem contact op: privacy@samensterk.nl",
        "Gebruik je de bot 365 dagen niet? Dan wissen we al je gegevens.",
    ):
        assert line in text
    assert "Telegram-nummer" not in text
    help_text = (await jan.send("/help", until="Zo werkt het"))[-1].text
    assert "Stichting Samen Sterk gebruikt deze bot." in help_text


async def test_privacy_without_settings_is_honest(anna):
    text = (await anna.send("/privacy", until="Wat bewaren we?"))[-1].text
    assert "Wie deze bot gebruikt, heeft geen naam en contact ingesteld." in text
    assert "Tot je ze zelf wist met /wis." in text


async def test_people_away_longer_than_the_retention_are_deleted(
    emulator, start_bot, bots, db_path
):
    await start_bot()
    old, recent = Person(emulator, 5005, "Oud"), Person(emulator, 5006, "Recent")
    for person in (old, recent):
        await person.send("/start", until="Zelf kiezen")
        await person.tap("Alle 12 competenties", until="totaal 1 van 48")
        await person.answer("Zeer waar")
    await bots[0].stop()
    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE users SET last_seen_at = '2020-01-01T00:00:00+00:00' WHERE user_id = ?",
            (old.user_id,),
        )
    await start_bot(BOT_RETENTION_DAYS="30")  # the scheduler wakes up a second after start-up
    await emulator.wait_for(
        lambda: rows(db_path, "SELECT user_id FROM users") == [(recent.user_id,)], timeout=30
    )
    assert rows(db_path, "SELECT DISTINCT user_id FROM rounds") == [(recent.user_id,)]
    assert b"Oud" not in db_path.read_bytes()
    assert b"Oud" not in db_path.with_name(db_path.name + "-wal").read_bytes()


async def test_wis_while_others_use_the_bot(emulator, start_bot, db_path):
    """The old /wis checkpointed the log outside the write lock: with others reading at the
    same time it raised "database table is locked" and left the name in the -wal file."""
    await start_bot()
    busy = [Person(emulator, 6000 + i, f"Bezig{i}") for i in range(10)]
    wipers = [Person(emulator, 7000 + i, f"Wisser{i}") for i in range(10)]
    everyone = busy + wipers
    await asyncio.gather(*(p.send("/start", until="Zelf kiezen") for p in everyone))
    await asyncio.gather(
        *(p.tap("Alle 12 competenties", until="totaal 1 van 48") for p in everyone)
    )
    await asyncio.gather(*(p.send("/wis", until="Weet je het zeker?") for p in wipers))

    async def keep_answering(person: Person) -> None:
        for _ in range(6):
            await person.answer("Meestal waar")

    await asyncio.gather(
        *(keep_answering(p) for p in busy),
        *(p.tap("Ja, wis alles", until="Alles is gewist") for p in wipers),
    )
    assert rows(db_path, "SELECT COUNT(*) FROM users WHERE user_id >= 7000") == [(0,)]
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(60,)]
    files = db_path.read_bytes() + db_path.with_name(db_path.name + "-wal").read_bytes()
    assert not [p.first_name for p in wipers if p.first_name.encode() in files]


async def test_an_update_the_bot_cannot_read_leaves_no_personal_data_in_the_log(
    emulator, start_bot, bot_log
):
    await start_bot()
    # A message without chat and date: python-telegram-bot cannot turn it into an update.
    await emulator.send_raw_update(
        8008,
        "message",
        {
            "message_id": 1,
            "from": {"id": 8008, "is_bot": False, "first_name": "Geheimnaam"},
            "text": "mijn geheime antwoord",
        },
    )
    failures = ("Error while parsing updates", "Something went wrong processing the data")
    await emulator.wait_for(lambda: any(f in bot_log.read_text() for f in failures), timeout=30)
    log = bot_log.read_text()
    assert "Geheimnaam" not in log and "geheime antwoord" not in log
    assert "<left out: may hold personal data>" in log
    # The update comes again (asked for again, or posted again to the webhook, which refuses
    # it) until it is gone; then all is well.
    emulator.drop_pending_updates()
    bo = Person(emulator, 8009, "Bo")
    await bo.send("/start", until="Hallo Bo")
