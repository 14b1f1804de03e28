"""Reaction requests, stored whole; the rules are domain/reaction.py's. The link's code never
comes here: only its hash, to look a request up by."""

from __future__ import annotations

import aiosqlite

from domain.reaction import Given, ReactionRequest, Recognition, Status, Step

_COLUMNS = (
    "r.request_id, r.asker_id, r.created_at, r.expires_at, r.shares_answers, r.status,"
    " r.colleague_id, r.colleague_step, r.recognises, r.suits_best, r.could_grow, r.remark,"
    " r.colleague_message_id, r.answered_at, u.first_name"
)
# The colleague's first name is theirs (users), read with the request, never copied into it.
_FROM = "reaction_requests r LEFT JOIN users u ON u.user_id = r.colleague_id"


def _request(row: tuple) -> ReactionRequest:
    (rid, asker, created, expires, shares, status, colleague, step, recognises, picks) = row[:10]
    grow, remark, message_id, answered_at, name = row[10:]
    return ReactionRequest(
        request_id=rid,
        asker_id=asker,
        created_at=created,
        expires_at=expires,
        shares_answers=bool(shares),
        status=Status(status),
        colleague_id=colleague,
        step=Step(step) if step else None,
        given=Given(
            Recognition(recognises) if recognises else None,
            tuple(c for c in picks.split(",") if c),
            grow,
            remark,
        ),
        message_id=message_id,
        answered_at=answered_at,
        colleague_name=name,
    )


class ReactionRepository:
    def __init__(self, connection: aiosqlite.Connection) -> None:
        self._db = connection

    async def _many(self, where: str, *args: object) -> list[ReactionRequest]:
        rows = await self._db.execute_fetchall(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE {where}", args
        )
        return [_request(row) for row in rows]

    async def _one(self, where: str, *args: object) -> ReactionRequest | None:
        found = await self._many(where, *args)
        return found[0] if found else None

    async def by_code(self, code_hash: str) -> ReactionRequest | None:
        return await self._one("r.code_hash = ?", code_hash)

    async def get(self, request_id: int) -> ReactionRequest | None:
        return await self._one("r.request_id = ?", request_id)

    async def asked_by(self, asker_id: int) -> list[ReactionRequest]:
        """Every request the person made, oldest first."""
        return await self._many("r.asker_id = ? ORDER BY r.request_id", asker_id)

    async def given_by(self, colleague_id: int) -> list[ReactionRequest]:
        """Every request the person answers or answered as a colleague, oldest first."""
        return await self._many("r.colleague_id = ? ORDER BY r.request_id", colleague_id)

    async def create(self, request: ReactionRequest, code_hash: str) -> ReactionRequest:
        [(request_id,)] = await self._db.execute_fetchall(
            "INSERT INTO reaction_requests"
            " (asker_id, code_hash, shares_answers, status, created_at, expires_at)"
            " VALUES (?, ?, ?, ?, ?, ?) RETURNING request_id",
            (
                request.asker_id,
                code_hash,
                int(request.shares_answers),
                request.status,
                request.created_at,
                request.expires_at,
            ),
        )
        created = await self.get(request_id)
        assert created is not None
        return created

    async def save(self, request: ReactionRequest) -> None:
        given = request.given
        await self._db.execute(
            "UPDATE reaction_requests SET status = ?, colleague_id = ?, colleague_step = ?,"
            " recognises = ?, suits_best = ?, could_grow = ?, remark = ?,"
            " colleague_message_id = ?, answered_at = ? WHERE request_id = ?",
            (
                request.status,
                request.colleague_id,
                request.step,
                given.recognition,
                ",".join(given.picks),
                given.grow,
                given.remark,
                request.message_id,
                request.answered_at,
                request.request_id,
            ),
        )

    async def delete(self, request_id: int) -> None:
        await self._db.execute("DELETE FROM reaction_requests WHERE request_id = ?", (request_id,))
