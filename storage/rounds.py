"""Rounds with their answers: loaded whole, stored whole. The rules are domain/round.py's."""

from __future__ import annotations

import asyncio

import aiosqlite

from domain.cards import Cards
from domain.round import GivenAnswer, Round, RoundStatus

_COLUMNS = (
    "round_id, user_id, number, status, started_at, selection, picked, cursor,"
    " prompt_message_id, completed_at, cards_strong, cards_grow"
)
# Answers read into a round before the event loop answers others: a team's digest reads some
# 1,500 at once, a few milliseconds of Python in one piece (services/teams.py digest_of).
ANSWERS_AT_A_TIME = 250


def _ids(text: str) -> tuple[str, ...]:
    return tuple(s for s in text.split(",") if s)


class RoundRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def _one(self, where: str, *args: object) -> Round | None:
        rounds = await self._many(f"{where} LIMIT 1", *args)
        return rounds[0] if rounds else None

    async def _many(self, where: str, *args: object) -> list[Round]:
        """The rounds ``where`` says, each with its answers: two queries however many rounds
        (a team's digest reads the rounds of thirty people at once)."""
        rows = await self._db.execute_fetchall(f"SELECT {_COLUMNS} FROM rounds WHERE {where}", args)
        answered: dict[int, dict[str, GivenAnswer]] = {row[0]: {} for row in rows}
        if rows:
            found = await self._db.execute_fetchall(
                "SELECT round_id, statement_id, value, answered_at FROM answers"
                f" WHERE round_id IN ({', '.join('?' * len(answered))})",
                tuple(answered),
            )
            for start in range(0, len(found), ANSWERS_AT_A_TIME):
                if start:
                    await asyncio.sleep(0)
                for rid, sid, value, at in found[start : start + ANSWERS_AT_A_TIME]:
                    answered[rid][sid] = GivenAnswer(value, at)
        rounds = []
        for row in rows:
            rid, uid, number, status, started, selection, picked, cursor, prompt, done = row[:10]
            strong, grow = row[10:]
            answers = answered[rid]
            rounds.append(
                Round(
                    round_id=rid,
                    user_id=uid,
                    number=number,
                    status=RoundStatus(status),
                    started_at=started,
                    selection=_ids(selection),
                    picked=_ids(picked),
                    answers=answers,
                    cursor=cursor,
                    prompt_message_id=prompt,
                    completed_at=done,
                    cards=Cards(_ids(strong), _ids(grow)),
                )
            )
        return rounds

    async def current(self, user_id: int) -> Round | None:
        """The person's newest round: the only one that can still change."""
        return await self._one("user_id = ? ORDER BY number DESC", user_id)

    async def get(self, round_id: int) -> Round | None:
        return await self._one("round_id = ?", round_id)

    async def latest_with_answers(self, user_id: int) -> Round | None:
        return await self._one(
            "user_id = ? AND EXISTS (SELECT 1 FROM answers a WHERE a.round_id = rounds.round_id)"
            " ORDER BY number DESC",
            user_id,
        )

    async def all_of(self, user_id: int) -> list[Round]:
        return await self._many("user_id = ? ORDER BY number", user_id)

    async def of_people(self, user_ids: list[int]) -> dict[int, list[Round]]:
        """Every round of each of these people, oldest first."""
        if not user_ids:
            return {}
        found: dict[int, list[Round]] = {uid: [] for uid in user_ids}
        marks = ", ".join("?" * len(user_ids))
        for round_ in await self._many(f"user_id IN ({marks}) ORDER BY number", *user_ids):
            found[round_.user_id].append(round_)
        return found

    async def create(self, user_id: int, now: str) -> Round:
        [(round_id,)] = await self._db.execute_fetchall(
            "INSERT INTO rounds (user_id, number, status, started_at)"
            " SELECT ?, COALESCE(MAX(number), 0) + 1, ?, ? FROM rounds WHERE user_id = ?"
            " RETURNING round_id",
            (user_id, RoundStatus.CHOOSING, now, user_id),
        )
        created = await self.get(round_id)
        assert created is not None
        return created

    async def save(self, round_: Round, before: Round) -> None:
        """Store what a transition changed: the round's fields, and the answers that are new or
        different from ``before`` (answers are never removed from a round)."""
        await self._db.execute(
            "UPDATE rounds SET status = ?, selection = ?, picked = ?, cursor = ?,"
            " prompt_message_id = ?, completed_at = ?, cards_strong = ?, cards_grow = ?"
            " WHERE round_id = ?",
            (
                round_.status,
                ",".join(round_.selection),
                ",".join(round_.picked),
                round_.cursor,
                round_.prompt_message_id,
                round_.completed_at,
                ",".join(round_.cards.strong),
                ",".join(round_.cards.grow),
                round_.round_id,
            ),
        )
        changed = [
            (round_.round_id, sid, given.value, given.answered_at)
            for sid, given in round_.answers.items()
            if before.answers.get(sid) != given
        ]
        if changed:
            await self._db.executemany(
                "INSERT INTO answers (round_id, statement_id, value, answered_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (round_id, statement_id)"
                " DO UPDATE SET value = excluded.value, answered_at = excluded.answered_at",
                changed,
            )
