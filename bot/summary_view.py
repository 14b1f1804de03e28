"""The summary in words, as a few messages that each fit Telegram's 4096 characters.

One message per part (competencies, learning points, tasks, phases), so nobody gets one wall of
text on a phone; a part that is still too long is cut between lines, never inside a line or an
HTML tag.
"""

from __future__ import annotations

from html import escape

from content import Instrument, Texts
from domain.round import Round, RoundStatus
from domain.scoring import Verdict
from domain.summary import Summary
from domain.task_fit import TaskFit

MESSAGE_LIMIT = 4096


def summary_messages(
    texts: Texts, instrument: Instrument, summary: Summary, round_: Round
) -> list[str]:
    """The summary as messages. Counts are against what the person chose in this round, and
    nothing is concluded (phases, "fill it in again later") before the round is complete."""
    if summary.answered == 0:
        return [texts("summary.nothing")]
    complete = round_.status is RoundStatus.COMPLETE
    chosen = round_.done_competencies(instrument) if complete else round_.selection
    chosen_statements = sum(len(instrument.competency(c).statements) for c in chosen)
    if not complete:
        counted = texts("summary.so_far", answered=summary.answered, total=chosen_statements)
    elif len(chosen) == len(instrument.competencies):
        counted = texts("summary.complete_all", total=chosen_statements)
    else:
        counted = texts("summary.complete_part", answered=chosen_statements)
    heading = "\n".join(
        [texts("summary.title", number=round_.number), counted, "", texts("summary.rule")]
    )
    closing = [texts("summary.questions"), *([texts("summary.tip")] if complete else [])]
    parts = [
        [heading, _competencies(texts, summary)],
        [_learning_points(texts, instrument, summary)],
        [_tasks(texts, summary)],
        [_phases(texts, summary), *closing],
    ]
    return [message for part in parts for message in pack(part)]


def _names(texts: Texts, summary: Summary, verdict: Verdict) -> list[str]:
    results = summary.with_verdict(verdict)
    if verdict is Verdict.OPEN:
        return [
            texts(
                "summary.item",
                text=texts(
                    "summary.open_item",
                    name=escape(r.competency.name),
                    answered=r.answered,
                    of=len(r.competency.statements),
                ),
            )
            for r in results
        ]
    return [texts("summary.item", text=escape(r.competency.name)) for r in results]


def _competencies(texts: Texts, summary: Summary) -> str:
    blocks = [
        [
            texts("summary.strengths"),
            *(_names(texts, summary, Verdict.SUITS) or [texts("summary.none_yet")]),
        ]
    ]
    for verdict, title in (
        (Verdict.BETWEEN, "summary.between"),
        (Verdict.DEVELOP, "summary.develop"),
        (Verdict.OPEN, "summary.open"),
    ):
        names = _names(texts, summary, verdict)
        if names:
            blocks.append([texts(title), *names])
    return "\n\n".join("\n".join(block) for block in blocks)


def _learning_points(texts: Texts, instrument: Instrument, summary: Summary) -> str:
    lines = [texts("summary.learning")]
    if not summary.learning_points:
        return "\n".join([*lines, texts("summary.no_learning")])
    lines.append(texts("summary.learning_intro"))
    for result in summary.results:
        if not result.learning_points:
            continue
        lines.append("")
        lines.append(texts("summary.learning_competency", name=escape(result.competency.name)))
        lines.extend(
            texts(
                "summary.learning_item",
                statement=escape(point.statement.text),
                label=escape(instrument.answer(point.value).label),
            )
            for point in result.learning_points
        )
    return "\n".join(lines)


def _competency_list(texts: Texts, summary: Summary, fit: TaskFit) -> str:
    """The competencies a task still misses; ones not (fully) filled in are marked as such."""
    results = {r.competency.id: r for r in summary.results}
    names = []
    for cid in fit.missing:
        result = results[cid]
        name = escape(result.competency.name)
        if cid in fit.undecided:
            untouched = result.verdict is Verdict.NOT_ANSWERED
            name = texts(
                "summary.not_filled_in" if untouched else "summary.not_finished", name=name
            )
        names.append(name)
    return texts("summary.or").join(names)


def _tasks(texts: Texts, summary: Summary) -> str:
    lines = [texts("summary.tasks")]
    if summary.fitting_tasks:
        for fit in summary.fitting_tasks:
            task = texts(
                "summary.task",
                id=fit.task.id,
                short=escape(fit.task.short),
                suiting=len(fit.suiting),
                needed=fit.needed,
            )
            lines += [task.rstrip("\n"), ""]
        lines.pop()
        if summary.more_fitting_tasks:
            lines += ["", texts("summary.more_tasks")]
            lines.extend(
                texts("summary.more_task", id=fit.task.id, short=escape(fit.task.short))
                for fit in summary.more_fitting_tasks
            )
    else:
        lines.append(texts("summary.no_tasks"))
    if summary.tasks_within_reach:
        lines += ["", texts("summary.reach"), texts("summary.reach_intro")]
        for fit in summary.tasks_within_reach:
            task = texts(
                "summary.reach_task",
                id=fit.task.id,
                short=escape(fit.task.short),
                competencies=_competency_list(texts, summary, fit),
            )
            lines += ["", task.rstrip("\n")]
    return "\n".join(lines)


def _phases(texts: Texts, summary: Summary) -> str:
    lines = [texts("summary.phases"), texts("summary.phases_intro")]
    lines.extend(
        texts(
            "summary.phase",
            id=c.phase.id,
            name=escape(c.phase.name),
            suiting=c.suiting,
            needed=c.needed,
        )
        for c in summary.phases
    )
    if any(r.verdict in (Verdict.NOT_ANSWERED, Verdict.OPEN) for r in summary.results):
        # Too little to compare the phases: say so instead of drawing a conclusion.
        lines.append(texts("summary.phases_partial"))
        return "\n".join(lines)
    strongest, weakest = summary.strongest_phase, summary.weakest_phase
    if strongest is None or weakest is None:
        lines.append(texts("summary.even_phases"))
    else:
        lines.append(texts("summary.strongest_phase", name=escape(strongest.phase.name)))
        lines.append(texts("summary.weakest_phase", name=escape(weakest.phase.name)))
    return "\n".join(lines)


def pack(sections: list[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Put whole sections together into as few messages as fit; cut an oversized section between
    lines. Lines themselves are short (one statement or task each)."""
    messages: list[str] = []
    current = ""
    for section in sections:
        for piece in _cut(section.strip("\n"), limit):
            candidate = f"{current}\n\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _cut(section: str, limit: int) -> list[str]:
    if len(section) <= limit:
        return [section]
    pieces, current = [], ""
    for line in section.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                pieces.append(current)
            if len(line) > limit:
                raise ValueError("a single summary line is longer than a Telegram message")
            current = line
    if current:
        pieces.append(current)
    return pieces
