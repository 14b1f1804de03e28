"""Filling in the list as a person would: all of it, a part, going back, typing."""

from __future__ import annotations

import json

from domain.summary import summarise
from tests.e2e.conftest import rows

LABELS = ["Zeer waar", "Meestal waar", "Beetje waar", "Niet waar"]


async def test_commands_menu_is_registered_in_dutch(emulator, anna):
    commands = dict(emulator.commands())
    assert list(commands) == [
        "start",
        "verder",
        "overzicht",
        "opnieuw",
        "privacy",
        "mijngegevens",
        "wis",
        "help",
    ]
    assert commands["verder"] == "Ga verder waar je was"


async def test_the_whole_list_then_a_summary_that_follows_from_bijlage_1(
    anna, instrument, texts, db_path
):
    welcome = await anna.send("/start")
    assert len(welcome) == 1
    assert "48 korte zinnen" in welcome[0].text and "/privacy" in welcome[0].text
    assert welcome[0].button_labels == ["Alle 12 competenties", "Zelf kiezen"]

    await anna.tap("Alle 12 competenties")
    assert "Signaleren en analyseren · 1 van 4 · totaal 1 van 48" in anna.open_statement.text

    asked, given = [], {}
    for number in range(1, 49):
        statement = anna.open_statement
        assert f"totaal {number} van 48" in statement.text
        label = LABELS[(number * 7) % 4]
        asked.append(statement.text.split("\n")[-1])
        await anna.answer(label)
        # the answered statement keeps its text, shows the choice, and has no buttons left
        answered = next(m for m in anna.messages if m.message_id == statement.message_id)
        assert answered.buttons == [] and answered.text.endswith(label)
        given[instrument.statements[number - 1].id] = LABELS.index(label) + 1

    assert asked == [s.text for s in instrument.statements]  # each once, in order
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(48,)]
    text = anna.text()
    assert "Klaar!" in text
    for section in (
        "Dit ligt je goed",
        "Je leerpunten",
        "Taken die bij je passen",
        "De vier fases",
    ):
        assert section in text
    assert "Waar ben je goed in?" in text and "Wat wil je leren?" in text
    assert "Wie kan je daarbij helpen?" in text
    summary = summarise(instrument, given)
    for fit in summary.fitting_tasks:
        assert (
            f"Taak {fit.task.id}: {fit.task.short}\n{len(fit.suiting)} van de {fit.needed}" in text
        )
    assert all(len(m.text or "") <= 4096 for m in anna.messages)


async def test_a_partial_choice_then_more_later(anna):
    await anna.send("/start")
    await anna.tap("Zelf kiezen")
    await anna.tap("Klaar, begin maar")
    assert "Kies eerst minstens één competentie" in anna.last.text
    await anna.tap("⬜ Netwerken")
    await anna.tap("⬜ Lef")
    await anna.tap("✅ Lef")  # and off again
    await anna.tap("⬜ Lef")
    await anna.tap("Klaar, begin maar")
    assert "Je koos: Lef, Netwerken." in anna.text()
    assert "Lef · 1 van 4 · totaal 1 van 8" in anna.open_statement.text
    for _ in range(8):
        await anna.answer("Meestal waar")
    assert "Klaar!" in anna.text()
    assert (
        "Lef" in anna.text()
        and "Politiek/bestuurlijk inzicht" not in anna.text().split("Klaar!")[1].split("Taken")[0]
    )

    await anna.tap("Meer competenties invullen")
    labels = anna.last.button_labels
    assert "✔️ Lef (al ingevuld)" in labels and "⬜ Samenwerken" in labels
    await anna.tap("⬜ Samenwerken")
    await anna.tap("Klaar, begin maar")
    assert "Samenwerken · 1 van 4 · totaal 9 van 12" in anna.open_statement.text


async def test_vorige_changes_the_previous_answer_and_asks_nothing_twice(anna, db_path):
    await anna.send("/start")
    await anna.tap("Alle 12 competenties")
    await anna.answer("Zeer waar")
    await anna.answer("Zeer waar")
    await anna.tap("⬅️ Vorige", anna.open_statement.message_id)
    reopened = anna.open_statement
    assert "2 van 4" in reopened.text and "Je antwoord was: Zeer waar" in reopened.text
    assert "👉 Zeer waar" in reopened.button_labels
    await anna.answer("Niet waar")
    assert "3 van 4 · totaal 3 van 48" in anna.open_statement.text
    assert rows(db_path, "SELECT statement_id, value FROM answers ORDER BY statement_id") == [
        ("signaleren.1", 1),
        ("signaleren.2", 4),
    ]
    # only one statement message carries live buttons
    assert len([m for m in anna.with_buttons() if "totaal" in m.text]) == 1


async def test_typed_answers_and_a_kind_hint_for_anything_else(anna, db_path):
    await anna.send("/start")
    await anna.tap("Alle 12 competenties")
    await anna.send("2")
    await anna.send("meestal WAAR")
    await anna.send("Niet waar.")
    assert "4 van 4" in anna.open_statement.text
    old = anna.open_statement.message_id
    replies = await anna.send("misschien wel")
    assert "Of typ een cijfer: 1 = Zeer waar" in replies[-1].text
    assert "4 van 4" in anna.open_statement.text and anna.open_statement.message_id != old
    assert rows(db_path, "SELECT value FROM answers ORDER BY statement_id") == [(2,), (2,), (4,)]


async def test_uitleg_and_pauze(anna):
    await anna.send("/start")
    await anna.tap("Alle 12 competenties")
    await anna.tap("ℹ️ Uitleg", anna.open_statement.message_id)
    assert "Belangenbehartigers herkennen belangrijke" in anna.open_statement.text
    await anna.tap("⏸ Pauze", anna.open_statement.message_id)
    assert "Alles is bewaard" in anna.last.text and "/verder" in anna.last.text
    assert not [m for m in anna.with_buttons() if "totaal" in m.text]
    await anna.send("/verder")
    assert "1 van 4 · totaal 1 van 48" in anna.open_statement.text


async def test_summary_at_any_time_over_what_is_answered(anna):
    assert "nog niets ingevuld" in (await anna.send("/overzicht"))[-1].text
    await anna.send("/start")
    await anna.tap("Alle 12 competenties")
    for _ in range(4):
        await anna.answer("Zeer waar")
    replies = await anna.send("/overzicht")
    text = "\n".join(m.text for m in replies)
    assert "4 van de 48 zinnen" in text and "Signaleren en analyseren" in text
    assert "Typ /verder" in replies[-1].text
    # the statement is still open and works
    await anna.answer("Zeer waar")
    assert "totaal 6 van 48" in anna.open_statement.text


async def test_a_new_round_keeps_the_old_one(anna):
    await anna.send("/start")
    await anna.tap("Alle 12 competenties")
    await anna.answer("Beetje waar")
    await anna.send("/opnieuw")
    assert "nog niet klaar" in anna.last.text
    await anna.tap("Nee, ga verder")
    assert "totaal 2 van 48" in anna.open_statement.text
    await anna.send("/opnieuw")
    await anna.tap("Ja, nieuwe ronde")
    assert "Je vorige antwoorden blijven bewaard" in anna.last.text
    await anna.send("/mijngegevens")
    data = json.loads(anna.last.document.content)
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    assert len(data["rounds"][0]["answers"]) == 1
