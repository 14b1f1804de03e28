"""A workshop: many people at once, each typing quickly; every answer lands on its statement."""

from __future__ import annotations

import asyncio

from tests.e2e.conftest import Person, live_statements, rows

PEOPLE = 15
TYPED = ["1", "4", "2", "3", "2", "1"]


async def test_many_people_at_once_each_in_order(emulator, start_bot, db_path):
    await start_bot()
    people = [Person(emulator, 5000 + i, f"Deelnemer{i}") for i in range(PEOPLE)]
    await asyncio.gather(*(p.send("/start", until="Zelf kiezen") for p in people))
    await asyncio.gather(*(p.tap("Alle 12 competenties", until="totaal 1 van 48") for p in people))

    for text in TYPED:  # no waiting in between: the bot must keep each person's order
        for person in people:
            await emulator.send_text(person.user_id, text)

    def everyone_at_statement_7() -> bool:
        return all(
            not emulator.pending(p.user_id)
            and any("totaal 7 van 48" in m.text for m in live_statements(p.messages))
            for p in people
        )

    await emulator.wait_for(everyone_at_statement_7, timeout=60)
    expected = [(f"signaleren.{i}", int(v)) for i, v in enumerate(TYPED[:4], 1)] + [
        ("sensitiviteit.1", 2),
        ("sensitiviteit.2", 1),
    ]
    for person in people:
        saved = rows(
            db_path,
            "SELECT a.statement_id, a.value FROM answers a JOIN rounds r USING (round_id)"
            " WHERE r.user_id = ?",
            person.user_id,
        )
        assert sorted(saved) == sorted(expected)
        assert "totaal 7 van 48" in person.open_statement.text
