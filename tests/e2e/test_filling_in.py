"""Filling in the list as a person would: all of it, a part, going back, typing."""

from __future__ import annotations

import json

from tests.e2e.conftest import rows, statement_with

STRENGTHS = {"onderhandelen", "netwerken", "samenwerken", "politiek"}
# Per competency in brochure order: 3 of 4 suiting answers for the four strengths, 1 of 4 for
# the other eight.
STRONG = ["Zeer waar", "Meestal waar", "Zeer waar", "Beetje waar"]
OTHER = ["Niet waar", "Beetje waar", "Meestal waar", "Niet waar"]
ORDER = [
    "signaleren",
    "sensitiviteit",
    "communicatie",
    "lef",
    "creativiteit",
    "onderhandelen",
    "overtuigingskracht",
    "netwerken",
    "samenwerken",
    "zelfreflectie",
    "stressbestendigheid",
    "politiek",
]


async def test_commands_menu_is_registered_in_dutch_and_english(emulator, anna):
    commands = dict(emulator.commands())
    assert list(commands) == [
        "start",
        "verder",
        "overzicht",
        "team",
        "opnieuw",
        "reactie",
        "taal",
        "privacy",
        "mijngegevens",
        "wis",
        "help",
    ]
    assert commands["verder"] == "Ga verder waar je was"
    english = dict(emulator.commands(language_code="en"))
    assert list(english) == list(commands)
    assert english["verder"] == "Go on where you left off"


async def test_the_whole_list_then_a_summary_worked_out_from_bijlage_1(anna, db_path):
    welcome = await anna.send("/start", until="48 korte zinnen")
    assert len(welcome) == 1
    assert "/privacy" in welcome[0].text
    assert "Een competentie is een kwaliteit" in welcome[0].text
    assert welcome[0].button_labels == ["Alle 12 competenties", "Zelf kiezen"]

    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    assert "Signaleren en analyseren · 1 van 4 · totaal 1 van 48" in anna.open_statement.text

    for index, competency in enumerate(ORDER):
        labels = STRONG if competency in STRENGTHS else OTHER
        for position, label in enumerate(labels):
            number = index * 4 + position + 1
            statement = anna.open_statement
            assert f"totaal {number} van 48" in statement.text
            until = "Wie kan je daarbij helpen?" if number == 48 else None
            await anna.answer(label, until=until)
            # the answered statement keeps its text, shows the choice, and has no buttons left
            answered = next(m for m in anna.messages if m.message_id == statement.message_id)
            assert answered.buttons == [] and answered.text.endswith(label)

    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(48,)]
    text = anna.text()
    assert "Klaar!" in text and "Je hebt alle 48 zinnen ingevuld." in text
    assert (
        "Dit ligt je goed: Onderhandelen, Netwerken, Samenwerken en Politiek/bestuurlijk inzicht."
        in text
    )
    photo = next(m for m in anna.messages if m.caption and "Jouw overzicht" in m.caption)
    (tasks,) = await anna.tap("🧩 Taken", photo.message_id, until=lambda new: new)
    # Bijlage 1: task 2.4 needs exactly the four strengths; no other task has more than half.
    assert tasks.text.count("Omdat je goed bent in") == 1
    assert "Taak 2.4 (in Bijlage 1: taak 2.1):" in tasks.text
    # Within reach, best share first: 2 of 4 (2.1), then 2 of 5 (2.3 first in brochure order).
    reach = tasks.text.split("Bijna binnen bereik")[1]
    order = [part.split(" ")[0] for part in reach.split("Taak ")[1:]]
    assert order == ["2.1", "2.3"]
    assert all(len(m.text or m.caption or "") <= 4096 for m in anna.messages)


async def test_a_partial_choice_then_more_later(anna):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Zelf kiezen", until="Klaar, begin maar")
    await anna.tap("Klaar, begin maar", until="Kies eerst minstens één competentie")
    await anna.tap("⬜ Netwerken", until="✅ Netwerken")
    await anna.tap("⬜ Lef", until="✅ Lef")
    await anna.tap("✅ Lef", until="⬜ Lef")  # and off again
    await anna.tap("⬜ Lef", until="✅ Lef")
    await anna.tap("Klaar, begin maar", until="totaal 1 van 8")
    assert "Je koos: Lef, Netwerken." in anna.text()
    assert "Lef · 1 van 4 · totaal 1 van 8" in anna.open_statement.text
    for _ in range(7):
        await anna.answer("Meestal waar")
    await anna.answer("Meestal waar", until="Wil je nog meer competenties invullen?")
    text = anna.text().split("Klaar!")[1]
    assert "Je hebt alle 8 zinnen ingevuld die je koos." in text
    assert "Je kunt later nog meer competenties invullen." in text
    assert "Dit ligt je goed: Lef en Netwerken." in text

    await anna.tap("Meer competenties invullen", until="Samenwerken")
    labels = anna.last.button_labels
    assert "✔️ Lef (al ingevuld)" in labels and "⬜ Samenwerken" in labels
    assert labels[-1] == "⬅️ Terug"
    await anna.tap("⬜ Samenwerken", until="✅ Samenwerken")
    await anna.tap("Klaar, begin maar", until="totaal 9 van 12")
    assert "Samenwerken · 1 van 4 · totaal 9 van 12" in anna.open_statement.text


async def test_vorige_changes_the_previous_answer_and_asks_nothing_twice(anna, db_path):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    first = anna.open_statement
    assert "⬅️ Vorige" not in first.button_labels  # nothing before the very first statement
    await anna.answer("Zeer waar")
    assert "⬅️ Vorige" in anna.open_statement.button_labels
    await anna.answer("Zeer waar")
    await anna.tap("⬅️ Vorige", anna.open_statement.message_id, until="Je antwoord was")
    reopened = anna.open_statement
    assert "2 van 4" in reopened.text and "Je antwoord was: Zeer waar." in reopened.text
    assert "👉 Zeer waar" in reopened.button_labels
    await anna.answer("Niet waar")
    assert "3 van 4 · totaal 3 van 48" in anna.open_statement.text
    assert rows(db_path, "SELECT statement_id, value FROM answers ORDER BY statement_id") == [
        ("signaleren.1", 1),
        ("signaleren.2", 4),
    ]


async def test_typed_answers_numbers_words_and_a_kind_hint_for_anything_else(anna, db_path):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await anna.send("2", until="totaal 2 van 48")
    await anna.send("meestal WAAR", until="totaal 3 van 48")
    await anna.send("Niet waar.", until="totaal 4 van 48")
    await anna.send("beetje!", until="totaal 5 van 48")
    await anna.send("zeerwaar", until="totaal 6 van 48")
    await anna.send("Meestal", until="totaal 7 van 48")
    await anna.send("niet", until="totaal 8 van 48")
    assert rows(db_path, "SELECT statement_id, value FROM answers ORDER BY statement_id") == [
        ("sensitiviteit.1", 1),
        ("sensitiviteit.2", 2),
        ("sensitiviteit.3", 4),
        ("signaleren.1", 2),
        ("signaleren.2", 2),
        ("signaleren.3", 4),
        ("signaleren.4", 3),
    ]
    old = anna.open_statement.message_id
    replies = await anna.send("waar", until=statement_with("Welk antwoord bedoel je?"))
    assert "1 = Zeer waar, 2 = Meestal waar, 3 = Beetje waar, 4 = Niet waar" in replies[-1].text
    await anna.send("misschien wel", until=statement_with("Of typ een cijfer: 1 = Zeer waar"))
    assert "totaal 8 van 48" in anna.open_statement.text
    assert anna.open_statement.message_id != old
    for odd in ("²", "①", "₂", "0", "5", "12"):
        await anna.send(odd, until=statement_with("Of typ een cijfer"))
    assert rows(db_path, "SELECT COUNT(*) FROM answers") == [(7,)]


async def test_uitleg_and_pauze_then_a_typed_answer_shows_what_it_answered(anna, db_path):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await anna.tap("ℹ️ Uitleg", anna.open_statement.message_id, until="Zo zegt de brochure het")
    assert "Belangenbehartigers herkennen belangrijke" in anna.open_statement.text
    await anna.tap("⏸ Pauze", anna.open_statement.message_id, until="/verder")
    assert "We hebben alles bewaard" in anna.last.text
    assert anna.with_buttons() == [anna.last]  # no answer buttons: only the offer of a reminder
    replies = await anna.send("1", until="totaal 2 van 48")
    assert "Ik oordeel niet te snel, maar onderzoek eerst de feiten." in replies[0].text
    assert replies[0].text.endswith("✅ Zeer waar")
    assert rows(db_path, "SELECT statement_id, value FROM answers") == [("signaleren.1", 1)]


async def test_summary_in_the_middle_draws_no_conclusions(anna):
    assert "nog niets ingevuld" in (await anna.send("/overzicht", until="nog niets"))[-1].text
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    for _ in range(2):
        await anna.answer("Zeer waar")
    replies = await anna.send("/overzicht", until="Typ /verder om verder te gaan met invullen")
    text = "\n".join(m.text or m.caption for m in replies)
    assert "Je hebt 2 van de 48 zinnen ingevuld die je koos." in text
    assert "Nog niet af: Signaleren en analyseren." in text
    (phases,) = await anna.tap("🔄 Stappen", replies[0].message_id, until=lambda new: new)
    assert "Vul alle competenties in. Dan zie je welke stap het best bij je past." in phases.text
    for conclusion in ("evenveel", "de meeste", "nog eens in met /opnieuw"):
        assert conclusion not in text + phases.text
    # the statement is still open and works
    await anna.answer("Zeer waar")
    assert "totaal 4 van 48" in anna.open_statement.text


async def test_a_new_round_keeps_the_old_one(anna):
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Alle 12 competenties", until="totaal 1 van 48")
    await anna.answer("Beetje waar")
    await anna.send("/opnieuw", until="nog niet klaar")
    await anna.tap("Nee, ga verder", until="totaal 2 van 48")
    await anna.send("/opnieuw", until="nog niet klaar")
    await anna.tap("Ja, nieuwe ronde", until="Je vorige antwoorden blijven bewaard")
    assert anna.with_buttons()[-1].button_labels == ["Alle 12 competenties", "Zelf kiezen"]
    replies = await anna.send("/mijngegevens", until=lambda new: new and new[-1].document)
    data = json.loads(replies[-1].document.content)
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    assert len(data["rounds"][0]["answers"]) == 1


async def test_picking_more_in_a_complete_round_keeps_it_complete(anna, db_path):
    """The bug: finish Lef, tap "Meer", switch Netwerken on and off: the round went back to
    choosing, lost its completion time, and "Klaar" asked to pick at least one."""
    await anna.send("/start", until="Zelf kiezen")
    await anna.tap("Zelf kiezen", until="⬜ Lef")
    await anna.tap("⬜ Lef", until="✅ Lef")
    await anna.tap("Klaar, begin maar", until="totaal 1 van 4")
    for _ in range(3):
        await anna.answer("Zeer waar")
    await anna.answer("Zeer waar", until="Wil je nog meer competenties invullen?")
    ((status, completed),) = rows(db_path, "SELECT status, completed_at FROM rounds")
    assert status == "complete" and completed
    await anna.tap("Meer competenties invullen", until="⬜ Netwerken")
    await anna.tap("⬜ Netwerken", until="✅ Netwerken")
    await anna.tap("✅ Netwerken", until="⬜ Netwerken")
    assert rows(db_path, "SELECT status, completed_at FROM rounds") == [("complete", completed)]
    await anna.tap("✔️ Lef (al ingevuld)", until="Lef heb je al ingevuld in deze ronde.")
    await anna.tap("Klaar, begin maar", until="Kies eerst een nieuwe competentie.")
    assert rows(db_path, "SELECT status, completed_at FROM rounds") == [("complete", completed)]
    await anna.tap("⬅️ Terug", until="Wat wil je nu doen?")
    assert anna.last.button_labels == [
        "Bekijk je overzicht",
        "Meer competenties invullen",
        "Nieuwe ronde beginnen",
    ]
