"""A person's own data: the language they read, a copy of everything kept, deleting it all, and
deleting people who have been away longer than the organisation keeps data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import timedelta

from content import Content
from content.model import Instrument
from services import teams
from services.clock import Clock
from services.reactions import exported
from services.reminders import reminders_export
from storage import Database


@dataclass(frozen=True)
class Deleted:
    """People deleted: by /wis (the one person), or by the retention rule (``people`` of them,
    maybe none). ``farewells``: teams that ended because a deleted person was their last
    coordinator, each with the members still here to be told (bot/handlers/teams.py
    tell_farewell), once.

    The farewells are sent after the deletion is committed and are kept nowhere: a bot killed
    (kill -9) in between loses those not sent yet, and nobody is told later. That is the
    choice: keeping them for after a restart would keep the ended team's name and members
    beyond the deletion /wis and the retention rule exist for, and a send across a restart
    can still repeat one (services/deliveries.py). A lost farewell does no harm: the team is
    gone from the member's /team, and nobody sees what they shared any more."""

    people: int = 1
    farewells: tuple[teams.Farewell, ...] = ()


class People:
    def __init__(self, database: Database, content: Content, clock: Clock) -> None:
        self._db = database
        self._content = content
        self._clock = clock

    async def seen(self, user_id: int) -> str | None:
        """A person sent something: note the day they were last seen (one write a day at most,
        for the retention rule) and say which language they read; None for somebody unknown."""
        today = self._clock.text()[:10]
        async with self._db.transaction() as tx:
            person = await tx.people.get(user_id)
            if person is None:
                return None
            # Writing again after blocking the bot means it may write to them again.
            if person.last_seen_at[:10] != today or person.blocked_at is not None:
                await tx.people.save(
                    replace(person, last_seen_at=self._clock.text(), blocked_at=None)
                )
            return person.language

    async def blocked(self, user_id: int) -> None:
        """Telegram said the person blocked the bot: send them nothing of the bot's own."""
        async with self._db.transaction() as tx:
            person = await tx.people.get(user_id)
            if person is not None:
                await tx.people.save(person.blocked(self._clock.text()))

    async def set_language(self, user_id: int, code: str) -> bool:
        """Keep the person's choice of language; False for an unknown person or language."""
        if code not in self._content.languages:
            return False
        async with self._db.transaction() as tx:
            person = await tx.people.get(user_id)
            if person is None:
                return False
            await tx.people.save(replace(person, language=code))
            return True

    async def export(self, user_id: int) -> dict | None:
        """Everything kept of the person, in their language, for /mijngegevens."""
        async with self._db.transaction() as tx:
            person = await tx.people.get(user_id)
            if person is None:
                return None
            rounds = await tx.rounds.all_of(user_id)
            asked = await tx.reactions.asked_by(user_id)
            given = await tx.reactions.given_by(user_id)
            in_teams = await teams.exported(tx, user_id)
            reminders = reminders_export(
                await tx.reminders.get(user_id), await tx.deliveries.of(user_id)
            )
        instrument = self._content.language(person.language).instrument
        return {
            "person": {
                "user_id": person.user_id,
                "first_name": person.first_name,
                "language": person.language,
                "created_at": person.created_at,
                "last_seen_at": person.last_seen_at,
                "blocked_bot_at": person.blocked_at,
            },
            "reminders": reminders,
            "rounds": [
                {
                    "number": round_.number,
                    "status": str(round_.status),
                    "started_at": round_.started_at,
                    "completed_at": round_.completed_at,
                    "chosen_competencies": _names(instrument, (*round_.selection, *round_.picked)),
                    "cards": {
                        "strengths": _names(instrument, round_.cards.strong),
                        "to_develop": _names(instrument, round_.cards.grow),
                    },
                    "answers": [
                        {
                            "statement_id": sid,
                            "statement": instrument.statement(sid).text
                            if instrument.has_statement(sid)
                            else None,
                            "answer": instrument.answer(given.value).label,
                            "answered_at": given.answered_at,
                        }
                        for sid, given in sorted(
                            round_.answers.items(), key=lambda item: (item[1].answered_at, item[0])
                        )
                    ],
                }
                for round_ in rounds
            ],
            **exported(instrument, asked, given, self._clock.text()),
            "teams": in_teams,
        }

    async def delete(self, user_id: int) -> Deleted | None:
        """/wis: the person and everything of theirs, gone from the database and its log: also
        their reaction requests (the links stop working), the reactions they gave, and their
        place in teams; None when there was nothing (left) to delete."""
        async with self._db.transaction() as tx:
            farewells = await teams.leave_all(tx, user_id)
            deleted = await tx.people.delete(user_id)
        if not deleted:
            return None
        await self._db.truncate_wal()
        return Deleted(farewells=farewells)

    async def delete_inactive(self, days: int) -> Deleted:
        """The retention rule: delete everybody not seen on any of the last ``days`` days, as
        thoroughly as /wis, and end the teams they were the last coordinator of, as /wis does.
        Somebody deleted in the same go is not told about a team (see :class:`Deleted`).

        Only the day of the last visit is exact (seen() writes once a day), so whole days are
        compared: nobody goes before ``days`` days after their last message."""
        cutoff = (self._clock.now() - timedelta(days=days)).date().isoformat()
        farewells: list[teams.Farewell] = []
        async with self._db.transaction() as tx:
            gone = await tx.people.not_seen_since(cutoff)
            for user_id in gone:
                farewells += await teams.leave_all(tx, user_id)
                await tx.people.delete(user_id)
        if gone:
            await self._db.truncate_wal()
        told = (
            replace(farewell, told=tuple(r for r in farewell.told if r.user_id not in gone))
            for farewell in farewells
        )
        return Deleted(len(gone), tuple(farewell for farewell in told if farewell.told))


def _names(instrument: Instrument, competency_ids: Iterable[str]) -> list[str]:
    """The competencies' names in the person's language; one the content no longer has (it can
    change after people answered) has no name to show."""
    return [instrument.competency(c).name for c in competency_ids if instrument.has_competency(c)]
