"""The Teams use cases on a real SQLite file: making a team, links, consent, the digest on
demand, co-coordinators, ending, /wis and the export, and the weekly digest the scheduler
sends (services/digests.py).
The clock is moved by hand, so every due moment is known.

Profiles (worked out by hand from Bijlage 1, as in tests/e2e/test_teams.py): Ali suits
Signaleren, Sensitiviteit, Communicatie and Netwerken, is half om half in Samenwerken, to
develop in the rest; Bo suits Onderhandelen, Overtuigingskracht, Zelfreflectie,
Stressbestendigheid and Politiek, to develop in the rest.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.digest import shared_profile
from domain.round import GivenAnswer
from domain.team import Member, NameProblem, Role, Sharing, TeamRefusal
from services import digests
from services import teams as teams_service
from services.codes import code_hash
from services.deliveries import Deliveries, Due, Outcome
from services.digests import DueDigests, WeeklyDigest, WeeklyDigests
from services.people import Deleted
from services.rounds import Rounds, Visitor
from services.teams import (
    Appointed,
    CoordinatorOffer,
    Farewell,
    Invitation,
    Recipient,
    Teams,
    TeamView,
    digest_of,
)
from storage import rounds as rounds_storage
from tests.use_cases import Hands, rows

# Wednesday 2 December 2026, 11:00 in Amsterdam (winter time: UTC+1).
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
# The next Monday at 09:00 in Amsterdam.
MONDAY_9 = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)

CARLA = Visitor(5001, "Carla", "nl")
ALI = Visitor(5002, "Ali", "nl")
BO = Visitor(5003, "Bo", "en")
CEM = Visitor(5004, "Cem", "nl")
DIRK = Visitor(5005, "Dirk", "nl")
EVE = Visitor(5006, "Eve", "nl")

ALI_STRONG = {"signaleren", "sensitiviteit", "communicatie", "netwerken"}
BO_STRONG = {"onderhandelen", "overtuigingskracht", "zelfreflectie", "stressbestendigheid"}
BO_STRONG |= {"politiek"}


@pytest.fixture
def hands() -> Hands:
    return Hands(WEDNESDAY)


@pytest.fixture
def teams(database, instrument, clock) -> Teams:
    return Teams(database, instrument, clock)


async def fill_in(rounds: Rounds, instrument, visitor: Visitor, strong, half=()) -> None:
    """All 48 statements: Zeer waar (1) where the competency is strong, two Zeer and two Niet
    waar where half, Niet waar (4) elsewhere."""
    situation, _ = await rounds.begin(visitor)
    await rounds.start(visitor.user_id, situation.round.round_id, everything=True)
    for competency in instrument.competencies:
        if competency.id in strong:
            values = [1, 1, 1, 1]
        elif competency.id in half:
            values = [1, 1, 4, 4]
        else:
            values = [4, 4, 4, 4]
        for value in values:
            await rounds.answer(visitor.user_id, value)


async def make_team(teams: Teams, name: str = "Wmo-raad Zwolle") -> Invitation:
    await teams.ask_name(CARLA)
    made = await teams.typed_name(CARLA.user_id, name)
    assert isinstance(made, Invitation)
    return made


# -- making a team ---------------------------------------------------------------------------


async def test_a_typed_text_is_a_team_name_only_when_asked(teams, db_path, hands):
    assert await teams.typed_name(CARLA.user_id, "Wmo-raad") is None
    await teams.ask_name(CARLA)
    assert rows(db_path, "SELECT user_id, first_name FROM users") == [(5001, "Carla")]
    assert await teams.typed_name(CARLA.user_id, " ! ") is NameProblem.TOO_SHORT
    assert await teams.typed_name(CARLA.user_id, "x" * 41) is NameProblem.TOO_LONG
    made = await teams.typed_name(CARLA.user_id, "  Wmo-raad\n  Zwolle ")
    assert made.team.name == "Wmo-raad Zwolle"
    assert made.team.members == (
        Member(5001, "Carla", Role.COORDINATOR, Sharing.ASKED, "2026-12-02T10:00:00+00:00"),
    )
    assert rows(db_path, "SELECT name, created_at FROM teams") == [
        ("Wmo-raad Zwolle", "2026-12-02T10:00:00+00:00")
    ]
    assert rows(db_path, "SELECT code_hash, role FROM team_invites") == [
        (code_hash(made.code), "member")
    ]
    assert len(made.code) == 22
    # answered: the next text is an answer again
    assert await teams.typed_name(CARLA.user_id, "Nog een") is None
    assert rows(db_path, "SELECT COUNT(*) FROM teams") == [(1,)]


async def test_the_question_for_a_name_lasts_half_an_hour(teams, db_path, hands):
    await teams.ask_name(CARLA)
    hands.at += timedelta(minutes=30)
    assert isinstance(await teams.typed_name(CARLA.user_id, "Op tijd"), Invitation)
    await teams.ask_name(CARLA)
    hands.at += timedelta(minutes=30, seconds=1)
    assert await teams.typed_name(CARLA.user_id, "Te laat") is None
    assert rows(db_path, "SELECT COUNT(*) FROM team_name_requests") == [(0,)]
    await teams.ask_name(CARLA)
    await teams.cancel_name(CARLA.user_id)
    assert await teams.typed_name(CARLA.user_id, "Toch niet") is None
    assert rows(db_path, "SELECT name FROM teams") == [("Op tijd",)]


# -- links -----------------------------------------------------------------------------------


async def test_a_member_link_opens_until_it_is_renewed_and_a_made_up_one_never(teams, db_path):
    made = await make_team(teams)
    assert await teams.open_invite(ALI, "A" * 22) is None
    assert await teams.open_invite(ALI, made.code[:-1]) is None
    assert await teams.open_invite(ALI, "") is None
    assert rows(db_path, "SELECT user_id FROM users") == [(5001,)]  # nothing was stored

    opened = await teams.open_invite(ALI, made.code)
    assert isinstance(opened, TeamView)
    assert opened.me == Member(5002, "Ali", Role.MEMBER, Sharing.ASKED, "2026-12-02T10:00:00+00:00")
    assert opened.team.name == "Wmo-raad Zwolle"
    assert opened.digest is None  # a member sees no digest
    assert opened.mine.complete == 0
    assert rows(db_path, "SELECT user_id, first_name, language FROM users ORDER BY 1") == [
        (5001, "Carla", "nl"),
        (5002, "Ali", "nl"),
    ]

    assert await teams.renew_invite(ALI.user_id, made.team.team_id) is TeamRefusal.NOT_ALLOWED
    renewed = await teams.renew_invite(CARLA.user_id, made.team.team_id)
    assert await teams.open_invite(BO, made.code) is None
    assert isinstance(await teams.open_invite(BO, renewed.code), TeamView)
    # opening again changes nothing
    assert isinstance(await teams.open_invite(ALI, renewed.code), TeamView)
    assert rows(db_path, "SELECT user_id, sharing FROM team_members ORDER BY 1") == [
        (5001, "asked"),
        (5002, "asked"),
        (5003, "asked"),
    ]
    dump = "\n".join(sqlite3.connect(db_path).iterdump())
    assert made.code not in dump and renewed.code not in dump


async def test_a_co_coordinator_link_belongs_to_the_first_who_opens_it(teams, db_path):
    made = await make_team(teams)
    tid = made.team.team_id
    await teams.open_invite(ALI, made.code)
    await teams.decide(ALI.user_id, tid, True)
    await teams.open_invite(CEM, made.code)  # asked, shares nothing

    assert await teams.invite_coordinator(ALI.user_id, tid) is TeamRefusal.NOT_ALLOWED
    link = await teams.invite_coordinator(CARLA.user_id, tid)
    offer = await teams.open_invite(DIRK, link.code)
    assert isinstance(offer, CoordinatorOffer)
    assert offer.team.name == "Wmo-raad Zwolle"
    assert [m.first_name for m in offer.team.coordinators] == ["Carla"]
    assert await teams.open_invite(EVE, link.code) is None  # Dirk's now
    assert isinstance(await teams.open_invite(DIRK, link.code), CoordinatorOffer)
    assert await teams.answer_offer(EVE.user_id, tid, True) is TeamRefusal.NOT_ALLOWED
    # Nee gives it free
    assert await teams.answer_offer(DIRK.user_id, tid, False) is None
    assert isinstance(await teams.open_invite(EVE, link.code), CoordinatorOffer)
    appointed = await teams.answer_offer(EVE.user_id, tid, True)
    assert isinstance(appointed, Appointed)
    assert appointed.view.me.role is Role.COORDINATOR
    assert [m.first_name for m in appointed.view.team.coordinators] == ["Carla", "Eve"]
    # who shares is told: Ali, not Cem (asked), not Carla
    assert appointed.told == (Recipient(5002, "nl"),)
    assert await teams.answer_offer(EVE.user_id, tid, True) is TeamRefusal.SAME
    assert await teams.open_invite(DIRK, link.code) is None  # used up
    assert rows(db_path, "SELECT COUNT(*) FROM team_invites WHERE role = 'coordinator'") == [(0,)]
    # a coordinator opening a new co-coordinator link just sees the team
    again = await teams.invite_coordinator(EVE.user_id, tid)
    assert isinstance(await teams.open_invite(CARLA, again.code), TeamView)

    # a member becomes a coordinator and keeps sharing
    third = await teams.invite_coordinator(CARLA.user_id, tid)
    await teams.open_invite(ALI, third.code)
    appointed = await teams.answer_offer(ALI.user_id, tid, True)
    assert (appointed.view.me.role, appointed.view.me.sharing) == (
        Role.COORDINATOR,
        Sharing.YES,
    )


# -- consent and the digest ------------------------------------------------------------------


async def test_the_digest_holds_exactly_those_who_share(teams, rounds, instrument, db_path, hands):
    await fill_in(rounds, instrument, ALI, ALI_STRONG, {"samenwerken"})
    await fill_in(rounds, instrument, BO, BO_STRONG)
    made = await make_team(teams)
    tid = made.team.team_id
    for visitor in (ALI, BO, CEM):
        await teams.open_invite(visitor, made.code)
    hands.at += timedelta(minutes=5)
    await teams.decide(ALI.user_id, tid, True)
    await teams.decide(BO.user_id, tid, True)
    await teams.decide(CEM.user_id, tid, False)
    assert rows(db_path, "SELECT user_id, sharing, consent_at FROM team_members ORDER BY 1") == [
        (5001, "asked", None),
        (5002, "yes", "2026-12-02T10:05:00+00:00"),
        (5003, "yes", "2026-12-02T10:05:00+00:00"),
        (5004, "no", "2026-12-02T10:05:00+00:00"),
    ]
    # the same answer again keeps the time of the first
    hands.at += timedelta(minutes=5)
    await teams.decide(ALI.user_id, tid, True)
    assert rows(db_path, "SELECT consent_at FROM team_members WHERE user_id = 5002") == [
        ("2026-12-02T10:05:00+00:00",)
    ]

    assert await teams.digest(ALI.user_id, tid) is TeamRefusal.NOT_ALLOWED
    assert await teams.digest(CARLA.user_id, tid + 1) is TeamRefusal.NOT_ALLOWED
    view = await teams.digest(CARLA.user_id, tid)
    digest = view.digest
    assert [m.label for m in digest.members] == ["Ali", "Bo"]
    assert (digest.joined, digest.finished) == (2, 2)
    assert [len(s.members) for s in digest.strengths] == [1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 1]
    assert [(p.phase_id, p.members) for p in digest.phases] == [
        ("1", (5002,)),
        ("2", (5002,)),
        ("3", (5002, 5003)),
        ("4", ()),
    ]
    assert digest.tasks_without_fit == ("2.1", "2.2", "2.4", "3.1", "4.1")
    # no cards: both "want to grow" in the bot's three, the first to develop
    assert [(d.competency_id, d.learner, d.coach) for d in digest.duos] == [
        ("signaleren", 5003, 5002),
        ("sensitiviteit", 5003, 5002),
        ("communicatie", 5003, 5002),
        ("onderhandelen", 5002, 5003),
    ]

    # Bo stops: at once, for whatever is asked next
    stopped = await teams.decide(BO.user_id, tid, False)
    assert stopped.me.sharing is Sharing.NO
    digest = (await teams.digest(CARLA.user_id, tid)).digest
    assert [m.label for m in digest.members] == ["Ali"]
    assert digest.duos == ()
    assert await teams.decide(5999, tid, True) is TeamRefusal.NOT_ALLOWED
    assert await teams.team(5999, tid) is TeamRefusal.NOT_ALLOWED
    assert await teams.team(CEM.user_id, tid + 1) is TeamRefusal.NOT_ALLOWED


async def test_a_coordinator_can_share_too_and_sees_their_own_line(teams, rounds, instrument):
    await fill_in(rounds, instrument, CARLA, ALI_STRONG)
    made = await make_team(teams)
    view = await teams.team(CARLA.user_id, made.team.team_id)
    assert view.digest.members == ()
    assert view.mine.complete == 12
    view = await teams.decide(CARLA.user_id, made.team.team_id, True)
    assert [m.label for m in view.digest.members] == ["Carla"]


async def test_home_lists_every_team_of_the_person(teams):
    first = await make_team(teams, "Eerste")
    second = await make_team(teams, "Tweede")
    await teams.open_invite(ALI, second.code)
    assert [(t.name, m.role) for t, m in await teams.home(CARLA.user_id)] == [
        ("Eerste", Role.COORDINATOR),
        ("Tweede", Role.COORDINATOR),
    ]
    assert [(t.name, m.sharing) for t, m in await teams.home(ALI.user_id)] == [
        ("Tweede", Sharing.ASKED)
    ]
    assert await teams.home(BO.user_id) == ()
    assert first.team.team_id != second.team.team_id


# -- a coordinator's decisions -----------------------------------------------------------------


async def test_the_weekly_digest_is_planned_by_a_coordinator(teams, db_path):
    made = await make_team(teams)
    tid = made.team.team_id
    await teams.open_invite(ALI, made.code)
    assert await teams.plan(ALI.user_id, tid, weekday=2) is TeamRefusal.NOT_ALLOWED
    view = await teams.plan(CARLA.user_id, tid, weekday=2)
    view = await teams.plan(CARLA.user_id, tid, hour=18)
    assert (view.team.schedule.weekday, view.team.schedule.hour) == (2, 18)
    await teams.plan(CARLA.user_id, tid, on=False)
    assert rows(db_path, "SELECT digest_on, digest_weekday, digest_hour FROM teams") == [(0, 2, 18)]
    # another hour or day switches it on again
    view = await teams.plan(CARLA.user_id, tid, hour=8)
    assert view.team.schedule.on is True
    await teams.plan(CARLA.user_id, tid, on=False)
    view = await teams.plan(CARLA.user_id, tid, weekday=3)
    assert (view.team.schedule.on, view.team.schedule.weekday) == (True, 3)
    assert await teams.plan(CARLA.user_id, tid, hour=8) is not TeamRefusal.NOT_ALLOWED


async def test_the_last_coordinator_cannot_step_down(teams):
    made = await make_team(teams)
    tid = made.team.team_id
    assert await teams.step_down(CARLA.user_id, tid) is TeamRefusal.LAST_COORDINATOR
    await co_coordinator(teams, tid, DIRK)
    view = await teams.step_down(CARLA.user_id, tid)
    assert view.me.role is Role.MEMBER and view.digest is None
    assert await teams.step_down(DIRK.user_id, tid) is TeamRefusal.LAST_COORDINATOR
    assert await teams.step_down(CARLA.user_id, tid) is TeamRefusal.NOT_ALLOWED


async def test_ending_a_team_tells_everybody_else_in_their_language(teams, db_path):
    made = await make_team(teams)
    tid = made.team.team_id
    await teams.open_invite(ALI, made.code)
    await teams.open_invite(BO, made.code)
    await teams.decide(BO.user_id, tid, False)
    assert await teams.end(ALI.user_id, tid) is TeamRefusal.NOT_ALLOWED
    ended = await teams.end(CARLA.user_id, tid)
    assert ended == Farewell("Wmo-raad Zwolle", (Recipient(5002, "nl"), Recipient(5003, "en")))
    for table in ("teams", "team_members", "team_invites"):
        assert rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)]
    assert await teams.open_invite(CEM, made.code) is None
    assert await teams.end(CARLA.user_id, tid) is TeamRefusal.NOT_ALLOWED


# -- /wis and the export -----------------------------------------------------------------------


async def test_wis_leaves_every_team_and_the_last_coordinator_ends_theirs(teams, people, db_path):
    first = await make_team(teams, "Eerste")
    second = await make_team(teams, "Tweede")
    for made in (first, second):
        await teams.open_invite(ALI, made.code)
        await teams.decide(ALI.user_id, made.team.team_id, True)
    await teams.open_invite(BO, first.code)
    await co_coordinator(teams, second.team.team_id, DIRK)

    exported = (await people.export(ALI.user_id))["teams"]
    assert [(t["team"], t["role"], t["sharing"]) for t in exported] == [
        ("Eerste", "member", "yes"),
        ("Tweede", "member", "yes"),
    ]
    assert exported[0]["joined_at"] == "2026-12-02T10:00:00+00:00"
    assert exported[0]["consent_answered_at"] == "2026-12-02T10:00:00+00:00"
    carla = (await people.export(CARLA.user_id))["teams"]
    assert carla[0]["weekly_digest"] == {
        "on": True,
        "weekday": 0,
        "hour": 9,
        "time_zone": "Europe/Amsterdam",
    }

    deleted = await people.delete(ALI.user_id)
    assert deleted.farewells == ()
    assert rows(db_path, "SELECT COUNT(*) FROM team_members WHERE user_id = 5002") == [(0,)]

    # Carla: last coordinator of "Eerste" (Bo is told), not of "Tweede" (Dirk stays)
    deleted = await people.delete(CARLA.user_id)
    assert deleted.farewells == (Farewell("Eerste", (Recipient(5003, "en"),)),)
    assert rows(db_path, "SELECT name FROM teams") == [("Tweede",)]
    assert rows(db_path, "SELECT user_id, role FROM team_members") == [(5005, "coordinator")]
    assert [t["team"] for t in (await people.export(BO.user_id))["teams"]] == []


async def test_retention_ends_the_teams_of_a_last_coordinator_and_says_whom_to_tell(
    teams, people, db_path, hands
):
    """Carla, away for 40 days, was the last coordinator of "Eerste": it ends, and of the
    members Ali (nl) and Bo (en) are told. Not Cem, who was away as long and goes too, nor
    Eve, who blocked the bot. Dirk coordinates "Tweede" with her: it goes on, nobody told."""
    first = await make_team(teams, "Eerste")
    second = await make_team(teams, "Tweede")
    for visitor in (ALI, BO, CEM, EVE):
        await teams.open_invite(visitor, first.code)
    await teams.decide(ALI.user_id, first.team.team_id, True)
    await teams.open_invite(ALI, second.code)
    await co_coordinator(teams, second.team.team_id, DIRK)
    hands.at += timedelta(days=40)
    for visitor in (ALI, BO, DIRK, EVE):
        await people.seen(visitor.user_id)
    await people.blocked(EVE.user_id)

    assert await people.delete_inactive(30) == Deleted(
        2, (Farewell("Eerste", (Recipient(5002, "nl"), Recipient(5003, "en"))),)
    )
    assert rows(db_path, "SELECT name FROM teams") == [("Tweede",)]
    assert rows(db_path, "SELECT user_id, role FROM team_members ORDER BY user_id") == [
        (5002, "member"),
        (5005, "coordinator"),
    ]
    assert rows(db_path, "SELECT user_id FROM users ORDER BY user_id") == [
        (5002,),
        (5003,),
        (5005,),
        (5006,),
    ]
    # Nobody is left to go, and no team ends twice.
    assert await people.delete_inactive(30) == Deleted(0)


# -- the weekly digest, sent by the scheduler (services/digests.py) -----------------------------


@pytest.fixture
def deliveries(database, clock) -> Deliveries:
    return Deliveries(database, clock, (DueDigests(),))


@pytest.fixture
def weekly(database, instrument) -> WeeklyDigests:
    return WeeklyDigests(database, instrument)


async def send_all(deliveries: Deliveries, weekly: WeeklyDigests) -> list[tuple[int, str]]:
    """One tick of the scheduler, with Telegram taking every message: the digests sent."""
    sent = []
    for due in await deliveries.due():
        if await deliveries.claim(due) and await send(deliveries, weekly, due):
            sent.append((due.recipient, due.period))
    return sent


async def send(
    deliveries: Deliveries, weekly: WeeklyDigests, due: Due, answer: Outcome = Outcome.SENT
) -> WeeklyDigest | None:
    """What the scheduler does with a claimed digest (bot/handlers/teams.py and bot/jobs.py),
    Telegram answering ``answer``: the digest sent (or tried); None: nothing to send."""
    shown = await weekly.to_send(due)
    if shown is None:
        await deliveries.settle(due, Outcome.SKIPPED)
    else:
        fingerprint = shown.fingerprint if answer is Outcome.SENT else None
        await deliveries.settle(due, answer, fingerprint)
    return shown


async def sharing_team(
    teams, rounds, instrument, name: str = "Wmo-raad Zwolle", fill: bool = True
) -> int:
    """Carla's team, in which Ali (filled in, unless ``fill`` is False: he has already)
    shares and Cem does not."""
    made = await make_team(teams, name)
    tid = made.team.team_id
    if fill:
        await fill_in(rounds, instrument, ALI, ALI_STRONG)
    await teams.open_invite(ALI, made.code)
    await teams.decide(ALI.user_id, tid, True)
    await teams.open_invite(CEM, made.code)
    return tid


async def test_the_weekly_digest_goes_to_each_coordinator_on_monday_at_9(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    hands.at = MONDAY_9 - timedelta(seconds=1)  # Monday 08:59:59 in Amsterdam
    assert await deliveries.due() == []
    hands.at = MONDAY_9
    # only the coordinators, each in their language; not Ali or Cem
    assert await deliveries.due() == [
        Due("digest", 5001, f"2026-W50:{tid}", "nl", "Carla", tid),
        Due("digest", 5003, f"2026-W50:{tid}", "en", "Bo", tid),
    ]
    assert await send_all(deliveries, weekly) == [
        (5001, f"2026-W50:{tid}"),
        (5003, f"2026-W50:{tid}"),
    ]
    assert await send_all(deliveries, weekly) == []
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]


async def ali_answers_lef(rounds: Rounds) -> None:
    """Ali fills in Lef in a new round: all four Zeer waar, so it suits her now."""
    situation = await rounds.ask_new_round(ALI.user_id)
    rid = situation.round.round_id
    await rounds.pick(ALI.user_id, rid, "lef", True)
    await rounds.start(ALI.user_id, rid)
    for _ in range(4):
        await rounds.answer(ALI.user_id, 1)


async def co_coordinator(teams: Teams, tid: int, visitor: Visitor = BO) -> None:
    """Carla invites ``visitor`` (Bo) as the team's second coordinator, and they say yes."""
    link = await teams.invite_coordinator(CARLA.user_id, tid)
    await teams.open_invite(visitor, link.code)
    await teams.answer_offer(visitor.user_id, tid, True)


def recorded(db_path) -> list[tuple]:
    """The team's handled week and the fingerprint of the digest its coordinators saw."""
    return rows(db_path, "SELECT digest_sent_period, digest_sent_fingerprint FROM teams")


async def test_an_unchanged_digest_is_not_sent_and_a_changed_one_is(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{tid}")]
    # a week on, nothing changed: nothing sent, noted as such, and the week is handled
    hands.at = MONDAY_9 + timedelta(days=7)
    assert await send_all(deliveries, weekly) == []
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W51",)]
    assert rows(db_path, "SELECT period, outcome FROM deliveries ORDER BY period") == [
        (f"2026-W50:{tid}", "sent"),
        (f"2026-W51:{tid}", "skipped"),
    ]
    # Ali answers Lef again: the week after, Carla hears of it; a bot that was down on Monday
    # sends it on Tuesday, the same week
    await ali_answers_lef(rounds)
    hands.at = MONDAY_9 + timedelta(days=15)
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W52:{tid}")]
    # switched off: never due
    await teams.plan(CARLA.user_id, tid, on=False)
    await rounds.answer(ALI.user_id, 4)
    hands.at = MONDAY_9 + timedelta(days=21)
    assert await deliveries.due() == []


async def test_the_digest_is_worked_out_once_by_the_sender_and_not_at_the_claim(
    teams, rounds, instrument, deliveries, weekly, hands, db_path, monkeypatch
):
    """The claim and the settle hold the database, so every tap waits while they work; the
    digest of a team of thirty takes a few milliseconds of Python (benchmarks/digest_compute.py).
    Worked out by the sender only."""
    tid = await sharing_team(teams, rounds, instrument)
    made = []
    monkeypatch.setattr(digests, "digest_of", counted(digests.digest_of, made))
    for week, days, sent in (("2026-W50", 0, True), ("2026-W51", 7, False)):
        hands.at = MONDAY_9 + timedelta(days=days)
        (due,) = await deliveries.due()
        assert due == Due("digest", 5001, f"{week}:{tid}", "nl", "Carla", tid)
        assert await deliveries.claim(due)
        assert made == [] and recorded(db_path)[0][0] != week
        assert (await send(deliveries, weekly, due) is not None) is sent
        assert len(made) == 1  # the sender's
        assert recorded(db_path)[0][0] == week
        made.clear()
    # the week without anything new: nothing sent, 'skipped', the week handled
    assert rows(db_path, "SELECT period, outcome FROM deliveries ORDER BY period") == [
        (f"2026-W50:{tid}", "sent"),
        (f"2026-W51:{tid}", "skipped"),
    ]
    assert await deliveries.due() == []


async def test_a_digest_worked_out_ahead_goes_as_it_was_while_the_same_members_share(
    teams, rounds, instrument, deliveries, weekly, hands, monkeypatch
):
    """The scheduler works a digest out right after its claim, while the message before it
    goes out (bot/jobs.py), and the sender looks again right before sending. An answer given
    in between waits for next week's digest; a member who stopped sharing in between is not in
    it: then it is worked out again."""
    tid = await sharing_team(teams, rounds, instrument)
    await teams.decide(CEM.user_id, tid, True)  # Cem shares too (he has filled in nothing)
    made = []
    monkeypatch.setattr(digests, "digest_of", counted(digests.digest_of, made))
    hands.at = MONDAY_9
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    ahead = await weekly.to_send(due)
    assert [m.user_id for m in ahead.digest.members] == [5002, 5004]
    # Ali answers Lef in between: the digest goes as it was worked out, not worked out again
    await ali_answers_lef(rounds)
    assert await weekly.to_send(due, ahead) == ahead
    assert len(made) == 1
    # Cem stops sharing in between: worked out again, without him
    await teams.decide(CEM.user_id, tid, False)
    again = await weekly.to_send(due, ahead)
    assert [m.user_id for m in again.digest.members] == [5002]
    assert again.fingerprint != ahead.fingerprint
    assert len(made) == 2
    # and Ali too: nobody shares, nothing to send
    await teams.decide(ALI.user_id, tid, False)
    assert await weekly.to_send(due, ahead) is None


def counted(function, calls: list):
    def count(*args, **kwargs):
        calls.append(1)
        return function(*args, **kwargs)

    return count


async def test_nothing_new_for_one_coordinator_is_nothing_new_for_the_other(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [
        (5001, f"2026-W50:{tid}"),
        (5003, f"2026-W50:{tid}"),
    ]
    hands.at = MONDAY_9 + timedelta(days=7)
    carla, bo = await deliveries.due()
    assert await deliveries.claim(carla)
    assert await send(deliveries, weekly, carla) is None
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W51",)]
    # Bo's digest is not due any more, and not claimed
    assert await deliveries.due() == []
    assert not await deliveries.claim(bo)
    assert rows(
        db_path, "SELECT recipient, outcome, shown FROM deliveries WHERE period = ?", carla.period
    ) == [(5001, "skipped", None)]


async def test_what_the_coordinators_saw_counts_not_what_changed_after_it(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    """Ali answers Lef between Carla's digest going out and its settle: Carla has not seen
    that, so the week after it is new to her. (Noting the digest as of the settle skipped it.)"""
    tid = await sharing_team(teams, rounds, instrument)
    hands.at = MONDAY_9
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    shown = await weekly.to_send(due)
    await ali_answers_lef(rounds)
    await deliveries.settle(due, Outcome.SENT, shown.fingerprint)
    assert recorded(db_path) == [("2026-W50", shown.fingerprint)]
    assert rows(db_path, "SELECT shown FROM deliveries") == [(shown.fingerprint,)]
    hands.at = MONDAY_9 + timedelta(days=7)
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W51:{tid}")]
    hands.at = MONDAY_9 + timedelta(days=14)
    assert await send_all(deliveries, weekly) == []


async def test_coordinators_who_saw_different_digests_both_get_the_next_one(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    """Ali answers Lef between Carla's digest and Bo's: neither saw what the other saw, so
    the team keeps the digest both saw before, and next week's goes to both."""
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    hands.at = MONDAY_9
    assert len(await send_all(deliveries, weekly)) == 2
    (before,) = recorded(db_path)
    await teams.decide(CEM.user_id, tid, True)  # Cem shares from now on: something new
    hands.at = MONDAY_9 + timedelta(days=7)
    carla, bo = await deliveries.due()
    assert await deliveries.claim(carla)
    to_carla = await send(deliveries, weekly, carla)
    await ali_answers_lef(rounds)
    assert await deliveries.claim(bo)
    to_bo = await send(deliveries, weekly, bo)
    assert to_carla.fingerprint != to_bo.fingerprint
    assert [m.label for m in to_bo.digest.members] == ["Ali", "Cem"]
    assert recorded(db_path) == [("2026-W51", before[1])]
    hands.at = MONDAY_9 + timedelta(days=14)
    assert await send_all(deliveries, weekly) == [
        (5001, f"2026-W52:{tid}"),
        (5003, f"2026-W52:{tid}"),
    ]
    assert recorded(db_path) == [("2026-W52", to_bo.fingerprint)]
    hands.at = MONDAY_9 + timedelta(days=21)
    assert await send_all(deliveries, weekly) == []


async def test_a_week_nobody_saw_leaves_what_they_saw_before(
    teams, rounds, instrument, deliveries, weekly, database, hands, db_path
):
    """Carla blocked the bot: this week's digest reached nobody, so when she is back, what
    changed since the last one she saw is new to her."""
    tid = await sharing_team(teams, rounds, instrument)
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{tid}")]
    (before,) = recorded(db_path)
    await ali_answers_lef(rounds)
    hands.at = MONDAY_9 + timedelta(days=7)
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    assert await send(deliveries, weekly, due, Outcome.BLOCKED) is not None
    assert recorded(db_path) == [("2026-W51", before[1])]
    async with database.transaction() as tx:
        carla = await tx.people.get(CARLA.user_id)
        await tx.people.save(replace(carla, blocked_at=None))  # she wrote again
    hands.at = MONDAY_9 + timedelta(days=14)
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W52:{tid}")]


async def test_somebody_no_longer_a_coordinator_is_skipped_alone(
    teams, rounds, instrument, deliveries, weekly, hands, db_path
):
    """Carla stepped down between the claim and the sending: Bo still gets the week's digest."""
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    hands.at = MONDAY_9
    carla, _ = await deliveries.due()
    assert await deliveries.claim(carla)
    await teams.step_down(CARLA.user_id, tid)
    assert await send(deliveries, weekly, carla) is None
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [(None,)]
    assert await send_all(deliveries, weekly) == [(5003, f"2026-W50:{tid}")]
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]


async def test_an_empty_digest_is_never_sent(teams, deliveries, weekly, hands, db_path):
    await make_team(teams)  # nobody shares
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == []
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]


async def test_a_coordinator_of_two_teams_gets_two_digests(
    teams, rounds, instrument, deliveries, weekly, hands
):
    first = await sharing_team(teams, rounds, instrument, "Eerste")
    second = await sharing_team(teams, rounds, instrument, "Tweede", fill=False)
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [
        (5001, f"2026-W50:{first}"),
        (5001, f"2026-W50:{second}"),
    ]


async def test_a_blocked_coordinator_gets_nothing_and_holds_nobody_up(
    teams, rounds, instrument, deliveries, weekly, database, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    async with database.transaction() as tx:
        await tx.people.save((await tx.people.get(BO.user_id)).blocked("2026-12-03T10:00:00+00:00"))
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{tid}")]
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]


async def test_a_week_with_nobody_to_send_to_reaches_a_coordinator_who_comes_back(
    teams, rounds, instrument, deliveries, weekly, database, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    async with database.transaction() as tx:
        carla = await tx.people.get(CARLA.user_id)
        await tx.people.save(carla.blocked("2026-12-03T10:00:00+00:00"))
    hands.at = MONDAY_9
    assert await deliveries.due() == []
    assert rows(db_path, "SELECT COUNT(*) FROM deliveries") == [(0,)]
    async with database.transaction() as tx:
        await tx.people.save(replace(carla, blocked_at=None))  # she writes again on Tuesday
    hands.at = MONDAY_9 + timedelta(days=1)
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{tid}")]
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]


async def test_the_week_is_handled_once_every_coordinator_has_had_it(
    teams, rounds, instrument, deliveries, hands, db_path
):
    tid = await sharing_team(teams, rounds, instrument)
    await co_coordinator(teams, tid)
    hands.at = MONDAY_9
    carla, bo = await deliveries.due()
    assert await deliveries.claim(carla)
    # killed before the settle: at the restart Carla's is due again, and Bo's still
    assert await deliveries.release_unsettled() == 1
    assert [due.recipient for due in await deliveries.due()] == [5001, 5003]
    assert await deliveries.claim(carla)
    await deliveries.settle(carla, Outcome.SENT)
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [(None,)]
    assert await deliveries.due() == [bo]
    assert await deliveries.claim(bo)
    await deliveries.settle(bo, Outcome.BLOCKED)
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [("2026-W50",)]
    assert await deliveries.due() == []


async def test_moving_the_day_within_a_week_sends_no_second_digest(
    teams, rounds, instrument, deliveries, weekly, hands
):
    tid = await sharing_team(teams, rounds, instrument)
    hands.at = MONDAY_9
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{tid}")]
    await teams.decide(ALI.user_id, tid, False)
    await teams.decide(ALI.user_id, tid, True)
    await teams.plan(CARLA.user_id, tid, weekday=4, hour=10)  # Friday 10:00
    hands.at = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)  # that Friday, 10:00 in Amsterdam
    assert await deliveries.due() == []


async def test_a_team_is_due_from_the_first_moment_after_it_was_made(
    teams, rounds, instrument, deliveries, weekly, hands
):
    # The first team is made (by a clock set wrong) after this week's moment, the second at it.
    hands.at = MONDAY_9 + timedelta(days=2)
    late = await sharing_team(teams, rounds, instrument, "Laat")
    hands.at = MONDAY_9
    on_time = await sharing_team(teams, rounds, instrument, "Op tijd", fill=False)
    hands.at = MONDAY_9 + timedelta(days=3)
    assert await send_all(deliveries, weekly) == [(5001, f"2026-W50:{on_time}")]
    assert late != on_time


async def test_opening_a_link_keeps_what_is_known_of_a_person(teams, people, rounds, db_path):
    await rounds.begin(BO)  # Bo's Telegram is in English
    await people.set_language(BO.user_id, "nl")  # and he chose Dutch
    made = await make_team(teams)
    await teams.open_invite(Visitor(BO.user_id, "Bob", "en"), made.code)
    assert rows(
        db_path, "SELECT first_name, language, created_at FROM users WHERE user_id = ?", BO.user_id
    ) == [("Bo", "nl", "2026-12-02T10:00:00+00:00")]


async def while_running(work, progress) -> list[int]:
    """Run ``work`` and, beside it, a task that notes ``progress()`` at each of its turns: the
    progress it saw while the work was under way."""
    seen = []
    done = False

    async def beside() -> None:
        while not done:
            seen.append(progress())
            await asyncio.sleep(0)

    other = asyncio.create_task(beside())
    await asyncio.sleep(0)  # it runs once before the work begins
    try:
        await work
    finally:
        done = True
        await other
    return seen


async def test_a_teams_digest_lets_the_event_loop_answer_others_between_members(
    instrument, monkeypatch
):
    """A tap that comes while a digest of thirty is worked out waits for a few members of it,
    not all thirty (services/teams.py MEMBERS_AT_A_TIME = 5)."""
    profiled = []
    monkeypatch.setattr(teams_service, "shared_profile", counted(shared_profile, profiled))
    members = [
        Member(6000 + n, f"Lid{n}", Role.MEMBER, Sharing.YES, "2026-12-01T10:00:00+00:00")
        for n in range(12)
    ]
    rounds = {m.user_id: [] for m in members}
    seen = await while_running(digest_of(instrument, members, rounds), lambda: len(profiled))
    assert sorted(set(seen)) == [0, 5, 10]  # before it began, after 5 and after 10 members


async def test_a_digest_awaits_the_pause_it_is_given_after_every_five_members(
    instrument, monkeypatch
):
    """The scheduler's pause also waits while a person's update is handled (bot/handlers/
    teams.py passes bot/processing.py people_first): the digest stops at these moments."""
    profiled, paused_at = [], []
    monkeypatch.setattr(teams_service, "shared_profile", counted(shared_profile, profiled))
    members = [
        Member(6000 + n, f"Lid{n}", Role.MEMBER, Sharing.YES, "2026-12-01T10:00:00+00:00")
        for n in range(12)
    ]

    async def pause() -> None:
        paused_at.append(len(profiled))

    await digest_of(instrument, members, {m.user_id: [] for m in members}, pause)
    assert paused_at == [5, 10]


async def test_many_answers_are_read_into_rounds_250_at_a_time(
    rounds, instrument, database, monkeypatch
):
    """Six people's whole rounds: 288 answers, read with a turn for others after 250."""
    people = [Visitor(6100 + n, f"Lid{n}", "nl") for n in range(6)]
    for person in people:
        await fill_in(rounds, instrument, person, strong=())
    read = []
    monkeypatch.setattr(rounds_storage, "GivenAnswer", counted(GivenAnswer, read))
    async with database.snapshot() as tx:
        found = await while_running(
            tx.rounds.of_people([p.user_id for p in people]), lambda: len(read)
        )
    assert 250 in found and set(found) <= {0, 250, 288}


async def test_the_schedulers_pause_comes_after_the_snapshot_is_closed(
    teams, instrument, database, deliveries, hands
):
    """The scheduler's pause waits while people's updates are handled (bot/handlers/teams.py),
    and one of them may be a coordinator's digest on demand, which reads from the snapshot too.
    Were the pause awaited inside the snapshot, each would wait for the other."""
    made = await make_team(teams)
    tid = made.team.team_id
    for n in range(5):
        member = Visitor(6200 + n, f"Lid{n}", "nl")
        await teams.open_invite(member, made.code)
        await teams.decide(member.user_id, tid, True)
    hands.at = MONDAY_9
    (due,) = await deliveries.due()
    assert await deliveries.claim(due)
    on_demand = []

    async def pause() -> None:
        async with asyncio.timeout(1), database.snapshot() as tx:  # as Teams.digest does
            on_demand.append((await tx.teams.get(tid)).name)

    weekly = WeeklyDigests(database, instrument, pause)
    shown = await weekly.to_send(due)
    assert [m.user_id for m in shown.digest.members] == [6200, 6201, 6202, 6203, 6204]
    assert on_demand == ["Wmo-raad Zwolle"]  # five members: one pause, and it could read
