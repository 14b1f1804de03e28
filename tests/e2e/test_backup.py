"""`python -m bot backup PATH` while people answer: every copy is whole and consistent."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import ROOT, Person, rows

LABELS = ["Zeer waar", "Meestal waar", "Beetje waar", "Niet waar"]  # values 1-4
# The first twelve statements, in the order the bot asks them.
STATEMENTS = [
    *("signaleren.1", "signaleren.2", "signaleren.3", "signaleren.4"),
    *("sensitiviteit.1", "sensitiviteit.2", "sensitiviteit.3", "sensitiviteit.4"),
    *("communicatie.1", "communicatie.2", "communicatie.3", "communicatie.4"),
]
PEOPLE = 4


def value(person: int, number: int) -> int:
    """The answer (1-4) person ``person`` gives to the ``number``-th statement (from 1)."""
    return (person + number) % 4 + 1


async def run_backup(db_path: Path, target: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["BOT_DB_PATH"] = str(db_path)  # no token needed
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "backup", str(target), cwd=ROOT, env=env
    )
    assert await process.wait() == 0


def answers_by_person(path: Path) -> dict[int, list[tuple[str, int]]]:
    found: dict[int, list[tuple[str, int]]] = {}
    for user_id, statement_id, answer in rows(
        path,
        "SELECT r.user_id, a.statement_id, a.value FROM answers a JOIN rounds r USING (round_id)",
    ):
        found.setdefault(user_id, []).append((statement_id, answer))
    return found


@pytest.mark.parametrize("delivery", ["polling"])  # how updates arrive does not matter here
async def test_backups_while_people_answer_are_whole_and_consistent(
    emulator, start_bot, db_path, tmp_path
):
    await start_bot()
    people = [Person(emulator, 7000 + i, f"Kopie{i}") for i in range(PEOPLE)]
    for person in people:
        await person.send("/start", until="Zelf kiezen")
        await person.tap("Alle 12 competenties", until="totaal 1 van 48")

    async def fill_in(index: int, person: Person) -> None:
        for number in range(1, len(STATEMENTS) + 1):
            await person.answer(LABELS[value(index, number) - 1])

    filling = asyncio.gather(*(fill_in(i, p) for i, p in enumerate(people)))
    copies: list[Path] = []
    while not filling.done():
        copies.append(tmp_path / f"backup-{len(copies)}.sqlite3")
        await run_backup(db_path, copies[-1])
    await filling
    await run_backup(db_path, tmp_path / "backup-last.sqlite3")

    expected = {
        7000 + i: [(sid, value(i, n)) for n, sid in enumerate(STATEMENTS, 1)] for i in range(PEOPLE)
    }
    counts = []
    for copy in copies:
        assert rows(copy, "PRAGMA integrity_check") == [("ok",)]
        saved = answers_by_person(copy)
        # A snapshot: each person's answers so far, in the order asked, none half-saved.
        for user_id, answers in saved.items():
            assert sorted(answers) == sorted(expected[user_id][: len(answers)])
        counts.append(sum(len(a) for a in saved.values()))
    # Some copies were made while answers were coming in (the rest, before or after).
    assert any(0 < count < PEOPLE * len(STATEMENTS) for count in counts), counts

    last = tmp_path / "backup-last.sqlite3"
    assert answers_by_person(last) == answers_by_person(db_path)
    assert {u: sorted(a) for u, a in answers_by_person(last).items()} == {
        u: sorted(a) for u, a in expected.items()
    }
    for table in ("users", "rounds", "answers"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert rows(last, query) == rows(db_path, query)
    with contextlib.closing(sqlite3.connect(last)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file
