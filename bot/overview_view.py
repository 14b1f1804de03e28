"""The overview in words: the caption under the profile picture (the short version and the
text alternative of the picture), the detail messages behind its buttons, and the input for
the picture and the page to print. Texts come from content; here they are only put together.
"""

from __future__ import annotations

import re
from html import escape, unescape

from bot.picture import CompetencyBar, PictureText
from bot.printout import Printout
from content import Instrument, Texts
from domain.reaction import Beside
from domain.round import RoundStatus
from domain.scoring import CompetencyResult, Verdict
from domain.task_fit import TaskFit
from services.profiles import Overview

CAPTION_LIMIT = 1024
DETAIL_LIMIT = 1500
TOP_TASKS = 2  # in the caption
SHOWN_TASKS = 3  # in the tasks message, with their reason
SHOWN_REACH = 2
PARTS = ("learning", "tasks", "phases", "competencies", "changes", "reactions")


def names(texts: Texts, instrument: Instrument, ids) -> str:
    """ "A, B en C": names in the person's language, in brochure order."""
    listed = [escape(c.name) for c in _in_order(instrument, ids)]
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + texts("summary.and") + listed[-1]


def _in_order(instrument: Instrument, ids) -> list:
    wanted = set(ids)
    return [c for c in instrument.competencies if c.id in wanted]


def date(texts: Texts, iso: str) -> str:
    year, month, day = iso[:10].split("-")
    months = texts("summary.months").split(", ")
    return texts("summary.date", day=int(day), month=months[int(month) - 1], year=year)


def _counted(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    round_ = overview.round
    if round_.status is not RoundStatus.COMPLETE:
        total = len(round_.order(instrument))
        return texts("summary.so_far", answered=len(round_.answers), total=total)
    if len(round_.done_competencies(instrument)) == len(instrument.competencies):
        return texts("summary.complete_all", total=len(instrument.statements))
    return texts("summary.complete_part", answered=len(round_.order(instrument)))


def _with(results, verdict: Verdict) -> list[str]:
    return [r.competency.id for r in results if r.verdict is verdict]


def caption(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    results = overview.summary.results
    lines = [texts("summary.title"), _counted(texts, instrument, overview), texts("summary.rule")]
    strong = _with(results, Verdict.SUITS)
    lines.append(
        texts("summary.strengths", names=names(texts, instrument, strong))
        if strong
        else texts("summary.no_strengths")
    )
    for verdict, key in (
        (Verdict.DEVELOP, "summary.grow"),
        (Verdict.BETWEEN, "summary.between"),
        (Verdict.OPEN, "summary.open"),
    ):
        ids = _with(results, verdict)
        if ids:
            lines.append(texts(key, names=names(texts, instrument, ids)))
    top = overview.summary.fitting_tasks[:TOP_TASKS]
    if top:
        tasks = texts("summary.and").join(
            texts("summary.task_ref", id=f.task.id, short=escape(_first_sentence(f.task.plain)))
            for f in top
        )
        lines.append(texts("summary.top_tasks", tasks=tasks))
    else:
        lines.append(texts("summary.no_top_tasks"))
    lines += _marked(texts, instrument, overview.reactions)
    lines.append(texts("summary.more"))
    return fit("\n".join(lines), CAPTION_LIMIT)


def _marked(texts: Texts, instrument: Instrument, reactions: tuple[Beside, ...]) -> list[str]:
    """What the markers in the picture stand for, and whose choice they are: the text
    alternative of the colleagues' picks."""
    if not reactions:
        return []
    picks = {c for b in reactions for c in b.request.given.picks}
    growing = [b for b in reactions if b.request.given.grow is not None]
    lines = [
        texts(
            "reactions.caption_picks",
            colleagues=_people(texts, list(reactions)),
            names=names(texts, instrument, picks),
        )
    ]
    if growing:
        lines.append(
            texts(
                "reactions.caption_grow",
                colleagues=_people(texts, growing),
                names=names(texts, instrument, {b.request.given.grow for b in growing}),
            )
        )
    return lines


def _people(texts: Texts, reactions: list[Beside]) -> str:
    """ "Bo en Chris": the colleagues' first names, each once."""
    listed = list(dict.fromkeys(escape(b.request.colleague_name or "?") for b in reactions))
    if len(listed) <= 1:
        return "".join(listed)
    return ", ".join(listed[:-1]) + texts("summary.and") + listed[-1]


def _first_sentence(text: str) -> str:
    """The plain sentence of a task, to stand in brackets: "taak 2.4 (je zoekt ...)"."""
    first = text.split(". ")[0].rstrip(".")
    return first[:1].lower() + first[1:]


def fit(text: str, limit: int) -> str:
    """Never over Telegram's limit: cut at a line (the buttons, or the text after a picture,
    complete it)."""
    while len(text) > limit and "\n" in text:
        text = text.rsplit("\n", 1)[0]
    return text[:limit]


def detail(texts: Texts, instrument: Instrument, overview: Overview, part: str) -> str:
    body = {
        "learning": _learning,
        "tasks": _tasks,
        "phases": _phases,
        "competencies": _competencies,
        "changes": _changes,
        "reactions": _reactions,
    }[part](texts, instrument, overview)
    return fit(body, DETAIL_LIMIT)


def _learning(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    points = overview.summary.learning_points
    if not points:
        return "\n".join([texts("details.learning_title"), texts("details.no_learning")])
    lines = [texts("details.learning_title"), texts("details.learning_intro")]
    shown = 0
    for result in overview.summary.results:
        if not result.learning_points:
            continue
        block = ["", texts("details.learning_competency", name=escape(result.competency.name))]
        block += [
            texts(
                "details.learning_item",
                statement=escape(p.statement.text),
                label=escape(instrument.answer(p.value).label),
            )
            for p in result.learning_points
        ]
        more = texts("details.learning_more", count=len(points) - shown)
        if len("\n".join([*lines, *block, more])) > DETAIL_LIMIT:
            lines.append(more)
            return "\n".join(lines)
        lines += block
        shown += len(result.learning_points)
    return "\n".join(lines)


def _task(texts: Texts, instrument: Instrument, key: str, fit: TaskFit, ids) -> str:
    task = fit.task
    appendix = texts("details.appendix", id=task.appendix_id) if task.appendix_id != task.id else ""
    joined = (
        names(texts, instrument, ids)
        if key == "details.task"
        else texts("details.or").join(escape(c.name) for c in _in_order(instrument, ids))
    )
    return texts(key, id=task.id, appendix=appendix, plain=escape(task.plain), names=joined).rstrip(
        "\n"
    )


def _tasks(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    summary = overview.summary
    fitting = (*summary.fitting_tasks, *summary.more_fitting_tasks)
    lines = [texts("details.tasks_title")]
    if fitting:
        for fit in fitting[:SHOWN_TASKS]:
            lines += [_task(texts, instrument, "details.task", fit, fit.suiting), ""]
        if fitting[SHOWN_TASKS:]:
            ids = ", ".join(f.task.id for f in fitting[SHOWN_TASKS:])
            lines += [texts("details.more_tasks", ids=ids), ""]
    else:
        lines += [texts("details.no_tasks"), texts("details.team"), ""]
    reach = summary.tasks_within_reach[:SHOWN_REACH]
    if reach:
        lines.append(texts("details.reach_title"))
        for fit in reach:
            lines += [_task(texts, instrument, "details.reach_task", fit, fit.missing), ""]
    return "\n".join(lines).rstrip("\n")


def _phases(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    summary = overview.summary
    lines = [texts("details.phases_title"), texts("details.phases_intro"), ""]
    for coverage in summary.phases:
        phase = coverage.phase
        if not coverage.answered:
            lines.append(f"<b>{phase.id}. {escape(phase.name)}</b>: {escape(phase.plain)}")
            lines.append(texts("details.phase_none", needed=len(coverage.needed)))
        else:
            lines.append(
                texts(
                    "details.phase",
                    id=phase.id,
                    name=escape(phase.name),
                    plain=escape(phase.plain),
                    suiting=len(coverage.suiting),
                    answered=len(coverage.answered),
                ).rstrip("\n")
            )
            missing = len(coverage.needed) - len(coverage.answered)
            if missing:
                lines.append(
                    texts("details.phase_missing", missing=missing, needed=len(coverage.needed))
                )
        lines.append("")
    strongest, weakest = summary.strongest_phase, summary.weakest_phase
    if not summary.phases_complete:
        lines.append(texts("details.partial"))
    elif strongest is None or weakest is None:
        lines.append(texts("details.even"))
    else:
        lines.append(texts("details.strongest", name=escape(strongest.phase.name)))
        lines.append(texts("details.weakest", name=escape(weakest.phase.name)))
    return "\n".join(lines)


def _verdict(texts: Texts, verdict: Verdict) -> str:
    return texts(f"verdicts.{verdict.value}")


def _competencies(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    lines = [texts("details.competencies_title")]
    entries = overview.profile.entries
    for result in overview.summary.results:
        name = escape(result.competency.name)
        entry = entries.get(result.competency.id)
        if entry is None:
            lines.append(texts("details.competency_none", name=name))
            continue
        key = "details.competency_open" if result.verdict is Verdict.OPEN else "details.competency"
        lines.append(
            texts(
                key,
                name=name,
                verdict=_verdict(texts, result.verdict),
                suiting=result.suiting,
                answered=result.answered,
                date=date(texts, entry.filled_in_at),
            )
        )
    return "\n".join(lines)


def _changes(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    lines = [texts("details.changes_title")]
    if not overview.changes:
        return "\n".join([*lines, texts("details.first_time")])
    lines.append(texts("details.changes_intro", number=overview.round.number))
    same = []
    for change in overview.changes:
        if not change.changed:
            same.append(change.competency_id)
            continue
        lines.append(
            texts(
                "details.change",
                name=escape(instrument.competency(change.competency_id).name),
                then_verdict=_verdict(texts, change.verdict_then),
                then=change.suiting_then,
                now_verdict=_verdict(texts, change.verdict_now),
                now=change.suiting_now,
            )
        )
    if same:
        lines.append(texts("details.same", names=names(texts, instrument, same)))
    return "\n".join(lines)


def beside_lines(
    texts: Texts, instrument: Instrument, beside: Beside, remark_limit: int | None = None
) -> list[str]:
    """A colleague's reaction beside the person's own view, in the person's words: how they
    recognise the picture, their two picks and where the person agrees, what the colleague
    sees that the person did not, where they could grow, and the remark (text only; cut to
    ``remark_limit`` characters and "…" where room is short)."""
    given = beside.request.given
    colleague = escape(beside.request.colleague_name or "?")
    lines = [
        texts(
            "reactions.recognised",
            colleague=colleague,
            answer=texts(f"reactions.recognitions.{given.recognition}"),
        ),
        texts("reactions.picks", colleague=colleague, names=names(texts, instrument, given.picks)),
    ]
    if beside.agree:
        lines.append(texts("reactions.agree", names=names(texts, instrument, beside.agree)))
    if beside.new:
        lines.append(
            texts("reactions.new", colleague=colleague, names=names(texts, instrument, beside.new))
        )
    if given.grow is not None:
        grow = texts(
            "reactions.grow", colleague=colleague, names=names(texts, instrument, [given.grow])
        )
        lines.append(f"{grow} {texts('reactions.grow_agrees')}" if beside.grow_agrees else grow)
    if given.remark is not None:
        remark = given.remark
        if remark_limit is not None and len(remark) > remark_limit:
            remark = remark[:remark_limit].rstrip() + "…"
        lines.append(texts("reactions.remark", colleague=colleague, remark=escape(remark)))
    return lines


def _reactions(texts: Texts, instrument: Instrument, overview: Overview) -> str:
    lines = [texts("reactions.detail_title")]
    if not overview.reactions:
        return "\n".join([*lines, texts("reactions.detail_none")])
    for shown, beside in enumerate(overview.reactions):
        more = texts("reactions.detail_more", count=len(overview.reactions) - shown)
        block = _reaction_block(texts, instrument, beside)
        over = len("\n".join([*lines, *block, more])) - DETAIL_LIMIT
        if over > 0 and shown:
            lines.append(more)
            break
        remark = beside.request.given.remark
        if over > 0 and remark:
            # The newest reaction always shows, its remark shortened to fit (it came whole as
            # a message); shortened here, not cut by the line, which could split its markup.
            block = _reaction_block(texts, instrument, beside, max(len(remark) - over - 1, 0))
        lines += block
    return "\n".join(lines)


def _reaction_block(
    texts: Texts, instrument: Instrument, beside: Beside, remark_limit: int | None = None
) -> list[str]:
    return [
        "",
        texts(
            "reactions.detail_item",
            colleague=escape(beside.request.colleague_name or "?"),
            date=date(texts, beside.request.answered_at),
        ),
        *beside_lines(texts, instrument, beside, remark_limit),
    ]


# -- the picture and the page to print ---------------------------------------------------


def _counts(instrument: Instrument, answers, result: CompetencyResult) -> tuple[int, ...]:
    values = [answers[s.id] for s in result.competency.statements if s.id in answers]
    return tuple(values.count(a.value) for a in instrument.answers)


def picture_input(
    texts: Texts,
    instrument: Instrument,
    overview: Overview,
    *,
    title: str | None = None,
    verdicts: dict[str, str] | None = None,
) -> tuple[list[CompetencyBar], PictureText]:
    """The picture of ``overview``: the person's own by default; another ``title`` and
    ``verdicts`` (the words at the end of a row) for somebody else looking at it."""
    # The outline only where the newest round answered a competency again: what changed.
    then = {c.competency_id: c.suiting_then for c in overview.changes}
    picks = {c for b in overview.reactions for c in b.request.given.picks}
    growing = {b.request.given.grow for b in overview.reactions}
    bars = [
        CompetencyBar(
            name=result.competency.name,
            counts=_counts(instrument, overview.profile.answers, result),
            verdict=result.verdict.value,
            previous_suiting=then.get(result.competency.id),
            marked=result.competency.id in picks,
            grow_marked=result.competency.id in growing,
        )
        for result in overview.summary.results
    ]
    text = PictureText(
        title=title or texts("picture.title"),
        answers=tuple(a.label for a in instrument.answers),
        verdicts=verdicts or {v.value: texts(f"verdicts.{v.value}") for v in Verdict},
        previous=texts("picture.previous"),
        marked=texts("picture.marked"),
        grow_marked=texts("reactions.picture_grow"),
    )
    return bars, text


def _plain(html: str) -> str:
    """A text for the PDF: no markup."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def printout_input(
    texts: Texts, instrument: Instrument, overview: Overview, picture_png: bytes
) -> Printout:
    summary, round_ = overview.summary, overview.round
    strong = _with(summary.results, Verdict.SUITS)
    grow = _with(summary.results, Verdict.DEVELOP)
    learning = tuple(
        f"{p.statement.text} ({instrument.answer(p.value).label})" for p in summary.learning_points
    )
    fitting = (*summary.fitting_tasks, *summary.more_fitting_tasks)
    tasks = tuple(f"{f.task.id}: {f.task.plain}" for f in fitting) or (
        _plain(texts("details.no_tasks")),
        _plain(texts("details.team")),
    )
    cards = round_.cards
    questions = tuple(_plain(texts("summary.questions")).split("\n")[1:])
    sections = [
        (
            texts("details.printout_strengths"),
            (_plain(names(texts, instrument, strong)),) if strong else (),
        ),
        (texts("details.printout_grow"), (_plain(names(texts, instrument, grow)),) if grow else ()),
        (texts("details.printout_learning"), learning),
        (texts("details.printout_tasks"), tasks),
    ]
    if not cards.empty:
        sections.append(
            (
                texts("details.printout_cards"),
                (
                    _plain(
                        texts(
                            "details.printout_cards_strong",
                            names=names(texts, instrument, cards.strong),
                        )
                    ),
                    _plain(
                        texts(
                            "details.printout_cards_grow",
                            names=names(texts, instrument, cards.grow),
                        )
                    ),
                ),
            )
        )
    sections.append((texts("details.printout_questions"), questions))
    return Printout(
        title=texts("details.printout_title", name=overview.first_name),
        subtitle=texts(
            "details.printout_subtitle",
            number=round_.number,
            date=date(
                texts, round_.completed_at or max(a.answered_at for a in round_.answers.values())
            ),
        ),
        picture_png=picture_png,
        sections=tuple((heading, lines) for heading, lines in sections if lines),
        footer=texts("details.printout_footer"),
    )
