"""A team's life: who is in it, who shares, at least one coordinator, and a typed name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.digest_schedule import DigestSchedule
from domain.team import (
    NAME_WAIT,
    Ended,
    Invite,
    Member,
    NameProblem,
    Role,
    Sharing,
    Team,
    TeamRefusal,
    found,
    team_name,
    waiting_for_name,
)

T0 = "2026-12-02T10:00:00+00:00"
T1 = "2026-12-02T11:00:00+00:00"
T2 = "2026-12-02T12:00:00+00:00"


def carlas_team() -> Team:
    team = found("Wmo-raad", 1, "Carla", T0)
    assert isinstance(team, Team)
    return team


def with_members() -> Team:
    """Carla coordinates; Ali shares, Bo said Nee, Cem has not answered."""
    team = carlas_team()
    for user_id, name in ((2, "Ali"), (3, "Bo"), (4, "Cem")):
        team = team.join(user_id, name, T1)
    team = team.decide(2, True, T2)
    return team.decide(3, False, T2)


# -- a new team and its name -------------------------------------------------------------------


def test_a_new_team_has_its_maker_as_only_coordinator_who_shares_nothing_yet():
    team = carlas_team()
    assert team.team_id is None
    assert (team.name, team.created_at) == ("Wmo-raad", T0)
    assert team.members == (Member(1, "Carla", Role.COORDINATOR, Sharing.ASKED, T0, None),)
    assert team.sharing == ()
    assert team.schedule == DigestSchedule(on=True, weekday=0, hour=9)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("Wmo-raad Zwolle", "Wmo-raad Zwolle"),
        ("  Wmo-raad \n\t Zwolle  ", "Wmo-raad Zwolle"),
        ("ab", "ab"),
        ("A1", "A1"),
        ("Cliëntenraad 👥", "Cliëntenraad 👥"),
        ("x" * 40, "x" * 40),
        ("Team\x00Noord", "Team Noord"),
        ("Team\u2028Zuid", "Team Zuid"),
    ],
)
def test_a_typed_name_is_tidied(typed, name):
    assert team_name(typed) == name


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", NameProblem.TOO_SHORT),
        ("   ", NameProblem.TOO_SHORT),
        ("a", NameProblem.TOO_SHORT),
        (" a \n", NameProblem.TOO_SHORT),
        ("!?", NameProblem.TOO_SHORT),
        ("👥👥", NameProblem.TOO_SHORT),
        ("x" * 41, NameProblem.TOO_LONG),
        ("x" * 20 + "   " + "y" * 20, NameProblem.TOO_LONG),  # 41 with one space
    ],
)
def test_a_name_needs_two_to_forty_characters_with_a_letter_or_digit(typed, problem):
    assert team_name(typed) is problem
    assert found(typed, 1, "Carla", T0) is problem


def test_a_name_is_waited_for_half_an_hour():
    asked = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    assert timedelta(minutes=30) == NAME_WAIT
    at = asked.isoformat()
    assert waiting_for_name(at, (asked + timedelta(minutes=30)).isoformat()) is True
    assert waiting_for_name(at, (asked + timedelta(minutes=30, seconds=1)).isoformat()) is False


# -- the invariants ------------------------------------------------------------------------------


def test_a_team_without_a_coordinator_cannot_exist():
    member = Member(2, "Ali", Role.MEMBER, Sharing.YES, T0, T0)
    with pytest.raises(ValueError, match=r"^a team has at least one coordinator$"):
        Team(1, "Leeg", T0, (member,))
    with pytest.raises(ValueError, match=r"^a team has at least one coordinator$"):
        Team(1, "Leeg", T0, ())


def test_a_person_is_in_a_team_once():
    carla = Member(1, "Carla", Role.COORDINATOR, Sharing.ASKED, T0)
    with pytest.raises(ValueError, match=r"^a person is in a team once$"):
        Team(1, "Dubbel", T0, (carla, Member(1, "Carla", Role.MEMBER, Sharing.YES, T0)))


# -- joining and sharing ---------------------------------------------------------------------------


def test_opening_the_link_puts_a_person_in_asked_and_again_changes_nothing():
    team = carlas_team().join(2, "Ali", T1)
    assert team.member(2) == Member(2, "Ali", Role.MEMBER, Sharing.ASKED, T1, None)
    assert team.join(2, "Ali", T2) is team
    assert team.join(1, "Carla", T2) is team  # the coordinator stays coordinator
    assert team.sharing == ()


def test_only_those_who_said_ja_share_in_the_order_they_joined():
    team = with_members()
    assert [m.user_id for m in team.sharing] == [2]
    assert team.member(2).consent_at == T2
    assert team.member(3) == Member(3, "Bo", Role.MEMBER, Sharing.NO, T1, T2)
    assert team.member(4).sharing is Sharing.ASKED
    # a coordinator who shares is in it too, in the order of joining
    team = team.decide(1, True, T2)
    assert [m.user_id for m in team.sharing] == [1, 2]


def test_saying_the_same_again_changes_nothing_and_keeps_the_first_time():
    team = with_members()
    assert team.decide(2, True, "later") is TeamRefusal.SAME
    assert team.decide(3, False, "later") is TeamRefusal.SAME


def test_stopping_takes_effect_at_once_and_can_be_undone():
    team = with_members().decide(2, False, "2026-12-03T09:00:00+00:00")
    assert team.sharing == ()
    assert team.member(2).consent_at == "2026-12-03T09:00:00+00:00"
    team = team.decide(2, True, "2026-12-04T09:00:00+00:00")
    assert [m.user_id for m in team.sharing] == [2]


def test_somebody_outside_the_team_decides_nothing():
    assert with_members().decide(99, True, T2) is TeamRefusal.NOT_ALLOWED


# -- coordinators ----------------------------------------------------------------------------------


def test_a_co_coordinator_can_be_new_or_a_member_who_keeps_their_choice():
    team = with_members()
    new = team.appoint(5, "Dirk", T2)
    assert new.member(5) == Member(5, "Dirk", Role.COORDINATOR, Sharing.ASKED, T2)
    promoted = team.appoint(2, "Ali", T2)
    assert (promoted.member(2).role, promoted.member(2).sharing) == (
        Role.COORDINATOR,
        Sharing.YES,
    )
    assert [m.user_id for m in promoted.coordinators] == [1, 2]
    assert team.appoint(1, "Carla", T2) is TeamRefusal.SAME


def test_the_last_coordinator_cannot_step_down():
    team = with_members()
    assert team.step_down(1) is TeamRefusal.LAST_COORDINATOR
    assert team.step_down(2) is TeamRefusal.NOT_ALLOWED
    two = team.appoint(5, "Dirk", T2)
    stepped = two.step_down(1)
    assert stepped.member(1).role is Role.MEMBER
    assert [m.user_id for m in stepped.coordinators] == [5]
    assert stepped.step_down(5) is TeamRefusal.LAST_COORDINATOR


def test_leaving_takes_the_person_out_and_the_last_coordinator_ends_the_team():
    team = with_members()
    assert team.leave(99) is team
    left = team.leave(2)
    assert [m.user_id for m in left.members] == [1, 3, 4]
    ended = team.leave(1)
    assert isinstance(ended, Ended)
    assert ended.team is team
    assert [m.user_id for m in ended.told] == [2, 3, 4]
    # with a second coordinator, the team goes on
    two = team.appoint(5, "Dirk", T2)
    goes_on = two.leave(1)
    assert isinstance(goes_on, Team)
    assert [m.user_id for m in goes_on.coordinators] == [5]
    assert isinstance(goes_on.leave(5), Ended)


def test_only_a_coordinator_ends_the_team_and_everybody_else_is_told():
    team = with_members().appoint(5, "Dirk", T2)
    assert team.end(2) is TeamRefusal.NOT_ALLOWED
    assert team.end(99) is TeamRefusal.NOT_ALLOWED
    ended = team.end(5)
    assert [m.user_id for m in ended.told] == [1, 2, 3, 4]


def test_only_a_coordinator_plans_the_weekly_digest():
    team = with_members()
    friday = DigestSchedule(on=True, weekday=4, hour=16)
    assert team.plan(2, friday) is TeamRefusal.NOT_ALLOWED
    assert team.plan(1, DigestSchedule()) is TeamRefusal.SAME
    assert team.plan(1, friday).schedule == friday


# -- links -----------------------------------------------------------------------------------------


def test_a_member_link_opens_for_everybody_a_coordinator_link_for_who_claimed_it():
    assert Invite(1, Role.MEMBER, claimed_by=7).opens_for(8) is True
    assert Invite(1, Role.COORDINATOR).opens_for(8) is True
    assert Invite(1, Role.COORDINATOR, claimed_by=8).opens_for(8) is True
    assert Invite(1, Role.COORDINATOR, claimed_by=7).opens_for(8) is False
