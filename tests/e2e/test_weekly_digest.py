"""The weekly team digest, sent by the scheduler, through the emulator with the bot's clock moved
to the next Monday 09:00 in Amsterdam: it comes to the coordinator once, also after kill -9.

Carla makes a team; Ali joins and shares (she has filled in nothing: the digest shows her, with
0 of 12 filled in). Nothing else changes, so nothing more comes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import Person, rows
from tests.e2e.test_reminders import FAST, amsterdam, ledger, settled, ticks
from tests.e2e.test_teams import TEAM, join, make_team

pytestmark = pytest.mark.parametrize("delivery", ["polling"])


def digests(person: Person) -> list:
    """The digest pictures in the person's chat."""
    return [m for m in person.messages if m.photo is not None and TEAM in (m.html or "")]


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
    await emulator.wait_for(
        lambda: any("Per lid" in (m.text or "") for m in carla.messages), timeout=30
    )
    (picture,) = digests(carla)
    assert "Leden die delen: 1. Klaar met invullen: 0." in picture.caption
    assert "Ali · 0 van de 12 competenties ingevuld" in carla.text()
    assert digests(ali) == []
    await settled(db_path, [("digest", 5001, "sent")])
    year, week, _ = amsterdam(monday, 9).isocalendar()
    assert rows(db_path, "SELECT digest_sent_period FROM teams") == [(f"{year}-W{week:02d}",)]

    # not again: not after a while, not after kill -9 and a restart, not later that week
    sent = len(carla.messages)
    await ticks()
    await bots[0].kill()
    await start_bot(**FAST)
    clock.advance(timedelta(days=2))
    await ticks()
    assert len(carla.messages) == sent
    assert ledger(db_path) == [("digest", 5001, "sent")]
