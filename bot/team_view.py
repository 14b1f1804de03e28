"""Teams in words and buttons: the screens of /team, the invite and its consent, and the
digest as a picture with a caption and text messages. Texts come from content; here they are
only put together, within Telegram's limits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from html import escape
from itertools import groupby
from urllib.parse import quote

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import Action
from bot.heatmap import HeatmapText, MemberRow
from bot.overview_view import CAPTION_LIMIT, date, fit
from bot.render import button, join, keyboard
from content import Instrument, Texts
from domain.digest import FEW, Digest, MemberLine
from domain.digest_schedule import AMSTERDAM, HOURS, WEEKDAYS
from domain.scoring import Verdict
from domain.team import Member, Sharing, Team
from services.teams import Farewell, TeamView

MESSAGE_LIMIT = 4096
HOURS_PER_ROW = 5
# The verdicts a member line names, in this order; "not answered" is what is left of 12.
LINE_VERDICTS = (Verdict.SUITS, Verdict.BETWEEN, Verdict.DEVELOP, Verdict.OPEN)


def listing(texts: Texts, words: Iterable[str]) -> str:
    """ "A, B en C" (already escaped words)."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + texts("summary.and") + words[-1]


def _competencies(texts: Texts, instrument: Instrument, ids: Iterable[str]) -> str:
    wanted = set(ids)
    return listing(texts, (escape(c.name) for c in instrument.competencies if c.id in wanted))


def coordinators(texts: Texts, team: Team) -> str:
    names = [escape(m.first_name) for m in team.coordinators]
    key = "team.coordinators_one" if len(names) == 1 else "team.coordinators_many"
    return texts(key, names=listing(texts, names))


def _share_url(link: str, words: str) -> str:
    """Telegram's share sheet with the link in it."""
    return f"https://t.me/share/url?url={quote(link, safe='')}&text={quote(words, safe='')}"


# -- /team -----------------------------------------------------------------------------------


def home(texts: Texts, entries: Sequence[tuple[Team, Member]]) -> tuple[str, InlineKeyboardMarkup]:
    new = [button(texts("team.buttons.new"), Action.NEW_TEAM, 1)]
    if not entries:
        return texts("team.home_empty"), keyboard(new)
    rows = []
    for team, me in entries:
        if me.is_coordinator:
            key = "team.in_list_coordinator"
        else:
            key = {
                Sharing.YES: "team.in_list_sharing",
                Sharing.NO: "team.in_list_not_sharing",
                Sharing.ASKED: "team.in_list_asked",
            }[me.sharing]
        rows.append([button(texts(key, name=team.name), Action.TEAM, team.team_id, "open")])
    return texts("team.home"), keyboard(*rows, new)


def name_prompt(texts: Texts) -> tuple[str, InlineKeyboardMarkup]:
    return texts("team.ask_name"), keyboard(
        [button(texts("team.buttons.cancel"), Action.NEW_TEAM, 0)]
    )


def invitation(
    texts: Texts, team: Team, link: str, *, created: bool
) -> tuple[str, InlineKeyboardMarkup]:
    """The member link, just made: with the team for the first time, or renewed."""
    head = texts("team.created" if created else "team.renewed", name=escape(team.name))
    return join(head, texts("team.invite", link=link)), keyboard(
        [
            InlineKeyboardButton(
                texts("team.buttons.share_link"),
                url=_share_url(link, texts("team.invite_share_text")),
            )
        ],
        [button(texts("team.buttons.to_team"), Action.TEAM, team.team_id, "show")],
    )


def coordinator_invitation(texts: Texts, team: Team, link: str) -> tuple[str, InlineKeyboardMarkup]:
    return texts("team.cocoord", name=escape(team.name), link=link), keyboard(
        [
            InlineKeyboardButton(
                texts("team.buttons.share_link"),
                url=_share_url(link, texts("team.cocoord_share_text")),
            )
        ],
        [button(texts("team.buttons.to_team"), Action.TEAM, team.team_id, "show")],
    )


def consent(
    texts: Texts, instrument: Instrument, view: TeamView
) -> tuple[str, InlineKeyboardMarkup]:
    """What the person would share, with whom, exactly as the coordinators would see it now;
    then Ja or Nee."""
    team = view.team
    text = texts(
        "team.consent",
        name=escape(team.name),
        coordinators=coordinators(texts, team),
        line=member_block(texts, instrument, view.mine),
    )
    return text, keyboard(
        [button(texts("team.buttons.yes_share"), Action.SHARE, team.team_id, "m", 1)],
        [button(texts("team.buttons.no_share"), Action.SHARE, team.team_id, "m", 0)],
    )


def offer(texts: Texts, team: Team) -> tuple[str, InlineKeyboardMarkup]:
    text = texts("team.offer", name=escape(team.name), coordinators=coordinators(texts, team))
    return text, keyboard(
        [button(texts("team.buttons.yes_coordinate"), Action.SHARE, team.team_id, "c", 1)],
        [button(texts("team.buttons.no_coordinate"), Action.SHARE, team.team_id, "c", 0)],
    )


def team_screen(
    texts: Texts, instrument: Instrument, view: TeamView
) -> tuple[str, InlineKeyboardMarkup]:
    if view.me.is_coordinator:
        return _coordinator_screen(texts, view)
    return _member_screen(texts, instrument, view)


def _coordinator_screen(texts: Texts, view: TeamView) -> tuple[str, InlineKeyboardMarkup]:
    team, digest, tid = view.team, view.digest, view.team.team_id
    lines = [
        texts(
            "team.coordinator_view",
            name=escape(team.name),
            coordinators=coordinators(texts, team),
        )
    ]
    if not digest.members:
        lines.append(texts("team.nobody_shares"))
    else:
        lines.append(texts("team.joined", count=digest.joined))
        done = [escape(m.label) for m in digest.members if m.finished]
        busy = [
            texts("team.busy_member", name=escape(m.label), complete=m.complete)
            for m in digest.members
            if not m.finished
        ]
        if done:
            lines.append(texts("team.finished", names=listing(texts, done)))
        if busy:
            lines.append(texts("team.busy", names=listing(texts, busy)))
    lines.append(schedule_words(texts, team))
    if view.me.shares:
        lines.append(texts("team.own_sharing"))
    own = (
        button(texts("team.buttons.stop"), Action.TEAM, tid, "stop")
        if view.me.shares
        else button(texts("team.buttons.share_own"), Action.TEAM, tid, "share")
    )
    step_down = (
        [button(texts("team.buttons.step_down"), Action.TEAM, tid, "stepdown")]
        if len(team.coordinators) > 1
        else []
    )
    return "\n".join(lines), keyboard(
        [button(texts("team.buttons.digest"), Action.TEAM, tid, "digest")],
        [button(texts("team.buttons.invite"), Action.TEAM, tid, "invite")],
        [button(texts("team.buttons.cocoord"), Action.TEAM, tid, "cocoord")],
        [button(texts("team.buttons.when"), Action.TEAM, tid, "when")],
        [own],
        step_down,
        [button(texts("team.buttons.end"), Action.TEAM, tid, "end")],
    )


def _member_screen(
    texts: Texts, instrument: Instrument, view: TeamView
) -> tuple[str, InlineKeyboardMarkup]:
    team, me, tid = view.team, view.me, view.team.team_id
    head = texts("team.member_view", name=escape(team.name), coordinators=coordinators(texts, team))
    if me.shares:
        state = texts(
            "team.sharing_since",
            date=date(texts, me.consent_at),
            line=member_block(texts, instrument, view.mine),
        )
        action = button(texts("team.buttons.stop"), Action.TEAM, tid, "stop")
    else:
        said_no = me.sharing is Sharing.NO
        state = texts("team.not_sharing" if said_no else "team.not_decided")
        label = texts("team.buttons.share_again" if said_no else "team.buttons.decide")
        action = button(label, Action.TEAM, tid, "share")
    return join(head, state), keyboard([action])


def stopped(texts: Texts, team: Team) -> tuple[str, InlineKeyboardMarkup]:
    return texts("team.stopped", name=escape(team.name)), keyboard(
        [button(texts("team.buttons.share_again"), Action.TEAM, team.team_id, "share")]
    )


def schedule_words(texts: Texts, team: Team) -> str:
    schedule = team.schedule
    if not schedule.on:
        return texts("team.schedule_off")
    day = texts("team.days").split(", ")[schedule.weekday]
    return texts("team.schedule_on", day=day, hour=schedule.hour)


def schedule_screen(texts: Texts, team: Team) -> tuple[str, InlineKeyboardMarkup]:
    """The weekly digest: a button per day and per hour, the chosen ones ticked."""
    schedule, tid = team.schedule, team.team_id
    days = texts("team.days").split(", ")

    def day(number: int) -> InlineKeyboardButton:
        chosen = schedule.on and schedule.weekday == number
        label = texts("team.buttons.day_on" if chosen else "team.buttons.day", day=days[number])
        return button(label, Action.DIGEST_WHEN, tid, "day", number)

    def hour(value: int) -> InlineKeyboardButton:
        chosen = schedule.on and schedule.hour == value
        label = texts("team.buttons.hour_on" if chosen else "team.buttons.hour", hour=value)
        return button(label, Action.DIGEST_WHEN, tid, "hour", value)

    day_rows = [[day(d) for d in WEEKDAYS[:4]], [day(d) for d in WEEKDAYS[4:]]]
    hour_rows = [
        [hour(h) for h in HOURS[i : i + HOURS_PER_ROW]] for i in range(0, len(HOURS), HOURS_PER_ROW)
    ]
    off = [button(texts("team.buttons.switch_off"), Action.TEAM, tid, "off")] if schedule.on else []
    text = texts("team.when", name=escape(team.name), now=schedule_words(texts, team))
    return text, keyboard(
        *day_rows,
        *hour_rows,
        off,
        [button(texts("team.buttons.back"), Action.TEAM, tid, "open")],
    )


def end_confirm(texts: Texts, team: Team) -> tuple[str, InlineKeyboardMarkup]:
    tid = team.team_id
    return texts("team.end_confirm", name=escape(team.name)), keyboard(
        [button(texts("team.buttons.end_yes"), Action.TEAM, tid, "endyes")],
        [button(texts("team.buttons.end_no"), Action.TEAM, tid, "open")],
    )


# -- the digest ------------------------------------------------------------------------------


def member_block(texts: Texts, instrument: Instrument, line: MemberLine) -> str:
    """A member as the coordinators see them: progress, the competencies per verdict, cards."""
    lines = [texts("team.member_line", name=escape(line.label), complete=line.complete)]
    ids = [c.id for c in instrument.competencies]
    for verdict in LINE_VERDICTS:
        with_it = [cid for cid, v in zip(ids, line.verdicts, strict=True) if v is verdict]
        if with_it:
            lines.append(
                texts(
                    "team.member_verdict",
                    verdict=texts(f"team.verdicts.{verdict.value}"),
                    names=_competencies(texts, instrument, with_it),
                )
            )
    if not line.cards.empty:
        none = texts("team.none")
        lines.append(
            texts(
                "team.member_cards",
                strong=_competencies(texts, instrument, line.cards.strong) or none,
                grow=_competencies(texts, instrument, line.cards.grow) or none,
            )
        )
    return "\n".join(lines)


def heatmap_input(
    texts: Texts, instrument: Instrument, team_name: str, digest: Digest
) -> tuple[list[MemberRow], HeatmapText]:
    rows = [MemberRow(m.label, tuple(v.value for v in m.verdicts)) for m in digest.members]
    text = HeatmapText(
        title=texts("team.picture_title", name=team_name),
        competencies=tuple(c.name for c in instrument.competencies),
        verdicts={v.value: texts(f"team.picture_verdicts.{v.value}") for v in Verdict},
        count=texts("team.picture_count"),
    )
    return rows, text


def digest_caption(
    texts: Texts, instrument: Instrument, team_name: str, digest: Digest, now: datetime
) -> str:
    """The short version under the picture, and its text alternative in brief."""
    strong = [s.competency_id for s in digest.strengths if s.members]
    nobody = [s.competency_id for s in digest.strengths if not s.members]
    lines = [
        texts(
            "team.caption",
            name=escape(team_name),
            date=date(texts, now.astimezone(AMSTERDAM).date().isoformat()),
            joined=digest.joined,
            finished=digest.finished,
        )
    ]
    if not strong:
        lines.append(texts("team.caption_no_strong"))
    else:
        lines.append(texts("team.caption_strong", names=_competencies(texts, instrument, strong)))
        lines.append(
            texts("team.caption_nobody", names=_competencies(texts, instrument, nobody))
            if nobody
            else texts("team.caption_everything")
        )
    lines.append(texts("team.caption_picture"))
    return fit("\n".join(lines), CAPTION_LIMIT)


def digest_messages(texts: Texts, instrument: Instrument, digest: Digest) -> list[str]:
    """The digest in words, short enough to read on a phone every week: the team (per
    competency, the steps of the work, tasks without a fit, duos), then one line per member.
    The member lines come last, so the button to everything per member (members_messages)
    sits right under them. Each part starts a message; a part too long for one message goes
    on in the next, between lines."""
    parts = [
        join(
            _strengths(texts, instrument, digest),
            _phases(texts, instrument, digest),
            _tasks(texts, instrument, digest),
            _duos(texts, instrument, digest),
        ),
        join(texts("team.lines_title"), "\n".join(member_line(texts, m) for m in digest.members)),
    ]
    return [message for part in parts for message in split(part, MESSAGE_LIMIT)]


def members_messages(texts: Texts, instrument: Instrument, digest: Digest) -> list[str]:
    """Everything per member in words, behind the digest's button: the text alternative of
    the picture for a coordinator who cannot see it."""
    blocks = join(
        texts("team.members_title"), *(member_block(texts, instrument, m) for m in digest.members)
    )
    return split(blocks, MESSAGE_LIMIT)


def ended(texts: Texts, farewell: Farewell) -> str:
    """The coordinator's confirmation, with how many people the bot tells: the members who
    blocked it get nothing, so "all members" would not be true."""
    told = len(farewell.told)
    key = "team.ended_none" if not told else "team.ended_one" if told == 1 else "team.ended_many"
    return texts(key, name=escape(farewell.team_name), count=told)


def members_button(texts: Texts, team_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(texts("team.buttons.members"), Action.TEAM, team_id, "members")])


def member_line(texts: Texts, line: MemberLine) -> str:
    """A member in one line: progress, and how many competencies have each verdict."""
    counts = (
        texts(
            "team.member_count",
            verdict=texts(f"team.picture_verdicts.{verdict.value}"),
            count=line.verdicts.count(verdict),
        )
        for verdict in LINE_VERDICTS
        if verdict in line.verdicts
    )
    head = texts("team.member_short", name=escape(line.label), complete=line.complete)
    return " · ".join((head, *counts))


def _names_of(texts: Texts, digest: Digest, user_ids: Iterable[int]) -> str:
    return listing(texts, (escape(digest.label(uid)) for uid in user_ids))


def _strengths(texts: Texts, instrument: Instrument, digest: Digest) -> str:
    lines = [texts("team.strengths_title")]
    for competency, strength in zip(instrument.competencies, digest.strengths, strict=True):
        values = {"number": competency.number, "name": escape(competency.name)}
        count = len(strength.members)
        if 0 < count <= FEW:
            names = _names_of(texts, digest, strength.members)
            lines.append(texts("team.strength_names", count=count, names=names, **values))
        else:
            lines.append(texts("team.strength", count=count, **values))
    nobody = [s.competency_id for s in digest.strengths if not s.members]
    if nobody:
        lines.append("")
        lines.append(texts("team.nobody_strong", names=_competencies(texts, instrument, nobody)))
    return "\n".join(lines)


def _phases(texts: Texts, instrument: Instrument, digest: Digest) -> str:
    lines = [texts("team.phases_title"), texts("team.phases_intro")]
    for phase, cover in zip(instrument.phases, digest.phases, strict=True):
        values = {"id": phase.id, "name": escape(phase.name)}
        if not cover.members:
            lines.append(texts("team.phase_nobody", **values))
        elif cover.few:
            names = _names_of(texts, digest, cover.members)
            lines.append(texts("team.phase_few", names=names, **values))
        else:
            lines.append(texts("team.phase_many", count=len(cover.members), **values))
    if any(not cover.members for cover in digest.phases):
        lines.append(texts("team.phases_nobody"))
    return "\n".join(lines)


def _tasks(texts: Texts, instrument: Instrument, digest: Digest) -> str:
    if not digest.tasks_without_fit:
        return "\n".join((texts("team.tasks_title"), texts("team.tasks_all")))
    by_id = {t.id: t for t in instrument.tasks}
    lines = [texts("team.tasks_title")]
    for task_id in digest.tasks_without_fit:
        task = by_id[task_id]
        appendix = (
            texts("details.appendix", id=task.appendix_id) if task.appendix_id != task.id else ""
        )
        lines.append(texts("team.task", id=task.id, appendix=appendix, plain=escape(task.plain)))
    lines.append(texts("team.tasks_note"))
    return "\n".join(lines)


def _duos(texts: Texts, instrument: Instrument, digest: Digest) -> str:
    if not digest.duos:
        return "\n".join((texts("team.duos_title"), texts("team.no_duos")))
    lines = [texts("team.duos_title"), texts("team.duos_intro")]
    # A line per competency, the learners of one coach together: thirty members wishing three
    # competencies each make up to ninety duos, too many for a line each.
    for competency_id, duos in groupby(digest.duos, key=lambda duo: duo.competency_id):
        learners: dict[int, list[int]] = {}
        for duo in duos:
            learners.setdefault(duo.coach, []).append(duo.learner)
        pairs = (
            texts(
                "team.duo_one" if len(theirs) == 1 else "team.duo_many",
                learners=_names_of(texts, digest, theirs),
                coach=escape(digest.label(coach)),
            )
            for coach, theirs in learners.items()
        )
        name = escape(instrument.competency(competency_id).name)
        lines.append(texts("team.duo", competency=name, pairs=" ".join(pairs)))
    return "\n".join(lines)


def split(text: str, limit: int) -> list[str]:
    """Messages of at most ``limit`` characters: cut between paragraphs where it can, else
    between lines. Tags never span a line here, so every piece is whole HTML."""
    messages: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        for piece in _pieces(paragraph, limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph, or its lines grouped into pieces of at most ``limit``."""
    if len(paragraph) <= limit:
        return [paragraph]
    pieces: list[str] = []
    current = ""
    for line in paragraph.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit or not current:
            current = candidate[:limit]
        else:
            pieces.append(current)
            current = line[:limit]
    pieces.append(current)
    return pieces
