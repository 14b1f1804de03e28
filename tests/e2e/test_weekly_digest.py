"""The weekly team digest, sent by the scheduler, through the emulator with the bot's clock moved
to the next Monday 09:00 in Amsterdam: it comes to the coordinator once, also after kill -9.

Carla makes a team; Ali joins and shares (she has filled in nothing: the digest shows her, with
0 of 12 filled in). Nothing else changes, so nothing more comes, not even the next week.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import Person, rows
from tests.e2e.test_reminders import FAST, amsterdam, blocked, ledger, settled, ticks
from tests.e2e.test_teams import (
    EVERYTHING,
    TEAM,
    add_coordinator,
    everything_per_member,
    join,
    make_team,
    open_team,
    people,
)

pytestmark = pytest.mark.parametrize("delivery", ["polling"])


def digests(person: Person, team: str = TEAM) -> list:
    """The digest pictures of ``team`` in the person's chat."""
    return [m for m in person.messages if m.photo is not None and team in (m.html or "")]


def under_digests(person: Person) -> list:
    """The messages with the button to everything per member: the last of each digest."""
    return [m for m in person.messages if EVERYTHING in m.button_labels]


def week_of(moment) -> str:
    """The ISO week the bot notes a digest under: "2026-W50"."""
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


async def test_the_weekly_digest_comes_once_on_monday_at_nine_also_after_a_kill(
    emulator, start_bot, bots, clock, db_path
):
    tomorrow = amsterdam(1, 10)
    monday = 1 + ((7 - tomorrow.weekday()) % 7 or 7)  # days to the first Monday after tomorrow
    clock.move_to(tomorrow)
    await start_bot(**FAST)
    carla, ali = Person(emulator, 5001, "Carla"), Person(emulator, 5002, "Ali")
    await join(ali, await make_team(carla), share=True)

    clock.move_to(amsterdam(monday, 8, 59))
    await ticks()
    assert digests(carla) == []
    clock.move_to(amsterdam(monday, 9, 0, 1))
    await emulator.wait_for(lambda: under_digests(carla), timeout=30)
    (picture,) = digests(carla)
    assert "Leden die delen: 1. Klaar met invullen: 0." in picture.caption
    # The short version: the picture, the team in words, and a line per member with the
    # button under it; the block per member only after a tap on that button.
    after = carla.messages[carla.messages.index(picture) + 1 :]
    assert [m.button_labels for m in after] == [[], [EVERYTHING]]
    assert after[-1].text == "Per lid: hoeveel competenties\n\nAli · 0 van 12 ingevuld"
    assert "competenties ingevuld" not in carla.text()
    blocks = await everything_per_member(carla, after[-1].message_id)
    assert blocks == "Alles per lid\n\nAli · 0 van de 12 competenties ingevuld"
    assert digests(ali) == []
    await settled(db_path, [("digest", 5001, "sent")])
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [
        (week_of(amsterdam(monday, 9)),)
    ]

    # not again: not after a while, not after kill -9 and a restart, not later that week
    sent = len(carla.messages)
    await ticks()
    await bots[0].kill()
    await start_bot(**FAST)
    clock.advance(timedelta(days=2))
    await ticks()
    assert len(carla.messages) == sent
    assert ledger(db_path) == [("digest", 5001, "sent")]

    # The next Monday, nothing has changed: the bot notes there was nothing to send, and sends
    # nothing.
    clock.move_to(amsterdam(monday + 7, 9, 0, 1))
    await settled(db_path, [("digest", 5001, "sent"), ("digest", 5001, "skipped")])
    assert len(carla.messages) == sent
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [
        (week_of(amsterdam(monday + 7, 9)),)
    ]


async def test_a_coordinator_who_blocked_the_bot_is_tried_once_and_reached_again_after_writing(
    emulator, start_bot, clock, db_path
):
    """Carla and Dirk coordinate one team, Eva alone another; Ali shares with both. Dirk and
    Eva block the bot without writing, so the bot finds out at Monday's digest: one picture
    is tried to each and refused; Carla gets hers; both weeks are closed, and nothing more is
    tried. Dirk writes again; Bo joins both teams (something new), and the next Monday the
    digest reaches Carla and Dirk. Eva, still blocked, is not even tried, and her team's
    week stays open: nothing was sent in it."""
    tomorrow = amsterdam(1, 10)
    monday = 1 + ((7 - tomorrow.weekday()) % 7 or 7)  # days to the first Monday after tomorrow
    clock.move_to(tomorrow)
    await start_bot(**FAST)
    carla, ali, bo, _ = people(emulator)
    dirk, eva = Person(emulator, 5005, "Dirk"), Person(emulator, 5006, "Eva")
    other = "Cliëntenraad"
    code = await make_team(carla)
    await add_coordinator(carla, dirk)
    other_code = await make_team(eva, other)
    await join(ali, code, share=True)
    await join(ali, other_code, share=True)
    emulator.block(dirk.user_id)
    emulator.block(eva.user_id)

    clock.move_to(amsterdam(monday, 9, 0, 1))
    first_week = [
        ("digest", 5001, "sent"),
        ("digest", 5005, "blocked"),
        ("digest", 5006, "blocked"),
    ]
    await settled(db_path, first_week)
    (picture,) = digests(carla)
    assert "Leden die delen: 1. Klaar met invullen: 0." in picture.caption
    await emulator.wait_for(lambda: under_digests(carla), timeout=30)
    assert "Ali · 0 van 12 ingevuld" in carla.text()
    assert emulator.refused_for_block(dirk.user_id) == ["sendPhoto"]
    assert emulator.refused_for_block(eva.user_id) == ["sendPhoto"]
    assert blocked(db_path) == [5005, 5006]
    week = week_of(amsterdam(monday, 9))
    assert rows(db_path, "SELECT digest_sent_period FROM teams ORDER BY team_id") == [
        (week,),
        (week,),
    ]
    # No retry: not at the next wake-ups, not later in the week.
    await ticks()
    clock.advance(timedelta(days=2))
    await ticks()
    assert emulator.refused_for_block(dirk.user_id) == ["sendPhoto"]
    assert emulator.refused_for_block(eva.user_id) == ["sendPhoto"]
    assert sorted(ledger(db_path), key=str) == sorted(first_week, key=str)

    # Dirk unblocks the bot and writes: he is reachable again.
    emulator.unblock(dirk.user_id)
    await dirk.send("/team", until="Je teams")
    assert blocked(db_path) == [5006]
    await join(bo, code, share=True)
    await join(bo, other_code, share=True)

    clock.move_to(amsterdam(monday + 7, 9, 0, 1))
    await settled(db_path, [*first_week, ("digest", 5001, "sent"), ("digest", 5005, "sent")])
    (picture,) = digests(dirk)
    assert "Leden die delen: 2. Klaar met invullen: 0." in picture.caption
    assert len(digests(carla)) == 2
    assert emulator.refused_for_block(dirk.user_id) == ["sendPhoto"]
    assert emulator.refused_for_block(eva.user_id) == ["sendPhoto"]
    # Eva's team: nobody the bot can reach, so nothing is sent and its week stays open, for
    # Eva if she writes again this week.
    next_week = week_of(amsterdam(monday + 7, 9))
    assert rows(db_path, "SELECT digest_sent_period FROM teams ORDER BY team_id") == [
        (next_week,),
        (week,),
    ]
    assert digests(eva, other) == []

    # Dirk steps down: the button under his digest opens nothing now, and says why.
    await emulator.wait_for(lambda: under_digests(dirk), timeout=30)
    (under,) = under_digests(dirk)
    await open_team(dirk, f"{TEAM} · coördinator")
    await dirk.tap("Stop als coördinator", until="Je bent geen coördinator meer")
    await dirk.tap(EVERYTHING, under.message_id, until=lambda new: True)
    await dirk.settle()
    assert emulator.callback_answers(dirk.user_id)[-1] == (
        "Alleen een coördinator van het team ziet dit. Dat ben jij nu niet."
    )
    assert not any("Alles per lid" in (m.text or "") for m in dirk.messages)
