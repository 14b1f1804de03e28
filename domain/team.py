"""A team: a coordinator and the volunteers who chose to share their overview with them.

The brochure: "een belangenbehartiger hoeft niet alle competenties in huis te hebben;
belangenbehartiging voer je uit met een team". A coordinator makes a team and invites people
with a link; whoever opens it decides, Ja or Nee, whether the team's coordinators may see their
verdicts, card choices and progress. Nothing else of a member ever reaches a coordinator.

The rules here, and nowhere else:

- a team has at least one coordinator for as long as it exists: the last one cannot step down,
  and when the last one leaves (``/wis``) the team ends and everybody in it is told;
- only members who said Ja share; a member can say Nee at any moment, which takes effect at
  once; saying the same again changes nothing (and keeps the time of the first answer);
- a person is in a team at most once, as coordinator or member, and can be in several teams;
- only a coordinator manages the team (invites, digest, schedule, ending it).

Every transition is pure: it returns the new team, or a refusal that changes nothing.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.digest_schedule import DigestSchedule

NAME_MIN = 2
NAME_MAX = 40  # fits a button and a heading on a phone
# After "Nieuw team", what the person types next is the team's name, for this long; later, a
# typed text is read as usual again (an answer to a statement).
NAME_WAIT = timedelta(minutes=30)
# Control characters, spaces and line breaks of any kind: a name is one line of words.
_BLANK = ("Cc", "Zs", "Zl", "Zp")


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    MEMBER = "member"


class Sharing(enum.StrEnum):
    ASKED = "asked"  # opened the invite, has not answered yet
    YES = "yes"
    NO = "no"


class TeamRefusal(enum.Enum):
    """Why a team action was not applied."""

    NOT_ALLOWED = "not_allowed"  # not in the team, or not its coordinator: reveals nothing
    LAST_COORDINATOR = "last_coordinator"  # the team needs at least one coordinator
    SAME = "same"  # nothing to change: a double tap, or already so


class NameProblem(enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Member:
    user_id: int
    first_name: str  # read with the team, never written through it
    role: Role
    sharing: Sharing
    joined_at: str
    consent_at: str | None = None  # when they last answered Ja or Nee

    @property
    def is_coordinator(self) -> bool:
        return self.role is Role.COORDINATOR

    @property
    def shares(self) -> bool:
        return self.sharing is Sharing.YES


@dataclass(frozen=True)
class Invite:
    """An invite link of a team, found by its code. A member link opens for everybody who has
    it, until the coordinator renews it; a co-coordinator link belongs to the first person who
    opens it, and is used up once they say Ja (Nee gives it free again)."""

    team_id: int
    role: Role
    claimed_by: int | None = None

    def opens_for(self, user_id: int) -> bool:
        return self.role is Role.MEMBER or self.claimed_by in (None, user_id)


@dataclass(frozen=True)
class Ended:
    """The team is gone. ``told``: everybody who was in it, but the person who ended it."""

    team: Team
    told: tuple[Member, ...]


@dataclass(frozen=True)
class Team:
    team_id: int | None  # None until stored
    name: str
    created_at: str
    members: tuple[Member, ...]  # in the order they joined
    schedule: DigestSchedule = field(default_factory=DigestSchedule)

    def __post_init__(self) -> None:
        if not any(m.is_coordinator for m in self.members):
            raise ValueError("a team has at least one coordinator")
        ids = [m.user_id for m in self.members]
        if len(set(ids)) != len(ids):
            raise ValueError("a person is in a team once")

    # -- reading ---------------------------------------------------------------------------

    def member(self, user_id: int) -> Member | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    def is_coordinator(self, user_id: int) -> bool:
        member = self.member(user_id)
        return member is not None and member.is_coordinator

    @property
    def coordinators(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.is_coordinator)

    @property
    def sharing(self) -> tuple[Member, ...]:
        """The members whose overview the coordinators see: those who said Ja, and only those
        (also a coordinator who shares their own)."""
        return tuple(m for m in self.members if m.shares)

    # -- transitions -----------------------------------------------------------------------

    def join(self, user_id: int, first_name: str, now: str) -> Team:
        """Opening the member invite: in the team, asked but not yet sharing. Somebody who is
        in it already stays as they are."""
        if self.member(user_id) is not None:
            return self
        joined = Member(user_id, first_name, Role.MEMBER, Sharing.ASKED, now)
        return replace(self, members=(*self.members, joined))

    def decide(self, user_id: int, share: bool, now: str) -> Team | TeamRefusal:
        """Ja or Nee to sharing, also later in /team; takes effect at once."""
        member = self.member(user_id)
        if member is None:
            return TeamRefusal.NOT_ALLOWED
        sharing = Sharing.YES if share else Sharing.NO
        if member.sharing is sharing:
            return TeamRefusal.SAME
        return self._with(replace(member, sharing=sharing, consent_at=now))

    def appoint(self, user_id: int, first_name: str, now: str) -> Team | TeamRefusal:
        """Somebody accepted the co-coordinator invite: a coordinator from now on. A member
        keeps what they decided about sharing their own overview."""
        member = self.member(user_id)
        if member is None:
            coordinator = Member(user_id, first_name, Role.COORDINATOR, Sharing.ASKED, now)
            return replace(self, members=(*self.members, coordinator))
        if member.is_coordinator:
            return TeamRefusal.SAME
        return self._with(replace(member, role=Role.COORDINATOR))

    def step_down(self, user_id: int) -> Team | TeamRefusal:
        """A coordinator becomes a member, while another coordinator remains."""
        if not self.is_coordinator(user_id):
            return TeamRefusal.NOT_ALLOWED
        if len(self.coordinators) == 1:
            return TeamRefusal.LAST_COORDINATOR
        return self._with(replace(self.member(user_id), role=Role.MEMBER))

    def leave(self, user_id: int) -> Team | Ended:
        """The person is gone (/wis). The last coordinator leaving ends the team."""
        if self.member(user_id) is None:
            return self
        if self.is_coordinator(user_id) and len(self.coordinators) == 1:
            return Ended(self, tuple(m for m in self.members if m.user_id != user_id))
        return replace(self, members=tuple(m for m in self.members if m.user_id != user_id))

    def end(self, user_id: int) -> Ended | TeamRefusal:
        """A coordinator ends the team for everybody."""
        if not self.is_coordinator(user_id):
            return TeamRefusal.NOT_ALLOWED
        return Ended(self, tuple(m for m in self.members if m.user_id != user_id))

    def plan(self, user_id: int, schedule: DigestSchedule) -> Team | TeamRefusal:
        """A coordinator sets when the weekly digest comes, or switches it off."""
        if not self.is_coordinator(user_id):
            return TeamRefusal.NOT_ALLOWED
        if schedule == self.schedule:
            return TeamRefusal.SAME
        return replace(self, schedule=schedule)

    def _with(self, changed: Member) -> Team:
        return replace(
            self,
            members=tuple(changed if m.user_id == changed.user_id else m for m in self.members),
        )


def found(name: str, user_id: int, first_name: str, now: str) -> Team | NameProblem:
    """A new team with its maker as its only coordinator, who shares nothing (yet)."""
    checked = team_name(name)
    if isinstance(checked, NameProblem):
        return checked
    coordinator = Member(user_id, first_name, Role.COORDINATOR, Sharing.ASKED, now)
    return Team(None, checked, now, (coordinator,))


def team_name(typed: str) -> str | NameProblem:
    """A typed name, tidied: control characters and line breaks as spaces, spaces as one.
    It needs at least ``NAME_MIN`` characters, a letter or digit among them, and at most
    ``NAME_MAX``."""
    visible = "".join(" " if unicodedata.category(c) in _BLANK else c for c in typed)
    name = " ".join(visible.split())
    if len(name) < NAME_MIN or not any(c.isalnum() for c in name):
        return NameProblem.TOO_SHORT
    if len(name) > NAME_MAX:
        return NameProblem.TOO_LONG
    return name


def waiting_for_name(asked_at: str, now: str) -> bool:
    """Whether a typed text at ``now`` is still the team name asked for at ``asked_at``."""
    return datetime.fromisoformat(now) - datetime.fromisoformat(asked_at) <= NAME_WAIT
