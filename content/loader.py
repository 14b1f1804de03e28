"""Reads and validates everything under content/ once, at start-up.

A mistake in the YAML must stop the bot before it talks to anyone, with a message that names the
file and the key, so whoever edits the texts can fix it without reading Python.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from content.model import Answer, Competency, Instrument, Phase, Statement, Task
from content.texts import Texts

CONTENT_DIR = Path(__file__).resolve().parent
STRUCTURE_FILE = "instrument.yaml"
WORDS_FILE = "instrument.yaml"
TEXTS_FILE = "texts.yaml"
PLAIN_FILE = "plain.yaml"
DEFAULT_LANGUAGE = "nl"
COMPETENCY_COUNT = 12
STATEMENTS_PER_COMPETENCY = 4


class ContentError(Exception):
    """A content file is missing, malformed or incomplete; the message names the file and key."""

    def __init__(self, path: Path, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        super().__init__(f"{_shown(path)}: {key}: {problem}")


@dataclass(frozen=True)
class Language:
    code: str
    instrument: Instrument
    texts: Texts


@dataclass(frozen=True)
class Content:
    languages: Mapping[str, Language]
    default: str = DEFAULT_LANGUAGE

    def language(self, code: str | None = None) -> Language:
        return self.languages.get(code or self.default) or self.languages[self.default]


def load_content(root: Path = CONTENT_DIR) -> Content:
    structure_path = root / STRUCTURE_FILE
    structure = _read(structure_path)
    language_dirs = sorted(p for p in root.iterdir() if p.is_dir() and (p / TEXTS_FILE).exists())
    if not any(p.name == DEFAULT_LANGUAGE for p in language_dirs):
        raise ContentError(root / DEFAULT_LANGUAGE / TEXTS_FILE, "(file)", "missing")
    reference_texts = _flatten_texts(root / DEFAULT_LANGUAGE / TEXTS_FILE)
    languages = {}
    for folder in language_dirs:
        words_path = folder / WORDS_FILE
        instrument = _build_instrument(structure_path, structure, words_path, _read(words_path))
        instrument = _with_plain_words(instrument, folder / PLAIN_FILE)
        texts_path = folder / TEXTS_FILE
        flat = _flatten_texts(texts_path)
        _check_same_keys(texts_path, flat, reference_texts)
        languages[folder.name] = Language(folder.name, instrument, Texts(flat))
    return Content(languages=languages)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(CONTENT_DIR.parent))
    except ValueError:
        return str(path)


def _read(path: Path) -> Mapping[str, Any]:
    if not path.exists():
        raise ContentError(path, "(file)", "missing")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContentError(path, "(file)", f"not valid YAML: {error}") from None
    if not isinstance(data, Mapping):
        raise ContentError(path, "(file)", "expected a mapping at the top")
    return data


def _get(path: Path, data: Any, key: str, kind: type, where: str = "") -> Any:
    full = f"{where}.{key}" if where else key
    if not isinstance(data, Mapping) or key not in data:
        raise ContentError(path, full, "missing")
    value = data[key]
    if not isinstance(value, kind):
        raise ContentError(path, full, f"expected {kind.__name__}, found {type(value).__name__}")
    if kind is str and not value.strip():
        raise ContentError(path, full, "empty")
    return value


def _unique(path: Path, where: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ContentError(path, where, f"id {item!r} is used twice")
        seen.add(item)


def _build_instrument(
    structure_path: Path, structure: Mapping, words_path: Path, words: Mapping
) -> Instrument:
    labels = _get(words_path, words, "answers", Mapping)
    answers = []
    for i, item in enumerate(_get(structure_path, structure, "answers", list)):
        value = _get(structure_path, item, "value", int, f"answers[{i}]")
        suits = _get(structure_path, item, "suits", bool, f"answers[{i}]")
        answers.append(Answer(value, _get(words_path, labels, value, str, "answers"), suits))
    _unique(structure_path, "answers", [str(a.value) for a in answers])

    competency_words = _get(words_path, words, "competencies", Mapping)
    competencies = []
    for number, item in enumerate(_get(structure_path, structure, "competencies", list), 1):
        cid = _get(structure_path, item, "id", str, f"competencies[{number - 1}]")
        where = f"competencies.{cid}"
        said = _get(words_path, competency_words, cid, Mapping, "competencies")
        statement_ids = _get(structure_path, item, "statements", list, where)
        if len(statement_ids) != STATEMENTS_PER_COMPETENCY:
            raise ContentError(
                structure_path,
                f"{where}.statements",
                f"expected {STATEMENTS_PER_COMPETENCY} statements, found {len(statement_ids)}",
            )
        statement_words = _get(words_path, said, "statements", Mapping, where)
        _check_no_extra(words_path, f"{where}.statements", statement_words, statement_ids)
        statements = tuple(
            Statement(sid, cid, _get(words_path, statement_words, sid, str, f"{where}.statements"))
            for sid in statement_ids
        )
        competencies.append(
            Competency(
                id=cid,
                number=number,
                name=_get(words_path, said, "name", str, where),
                description=_get(words_path, said, "description", str, where),
                statements=statements,
            )
        )
    if len(competencies) != COMPETENCY_COUNT:
        raise ContentError(
            structure_path,
            "competencies",
            f"expected {COMPETENCY_COUNT} competencies, found {len(competencies)}",
        )
    _unique(structure_path, "competencies", [c.id for c in competencies])
    _unique(
        structure_path,
        "competencies.*.statements",
        [s.id for c in competencies for s in c.statements],
    )
    _check_no_extra(words_path, "competencies", competency_words, [c.id for c in competencies])

    known = {c.id for c in competencies}
    phase_words = _get(words_path, words, "phases", Mapping)
    task_words = _get(words_path, words, "tasks", Mapping)
    phases = []
    for i, item in enumerate(_get(structure_path, structure, "phases", list)):
        pid = _get(structure_path, item, "id", str, f"phases[{i}]")
        said = _get(words_path, phase_words, pid, Mapping, "phases")
        tasks = []
        for j, task in enumerate(_get(structure_path, item, "tasks", list, f"phases.{pid}")):
            tid = _get(structure_path, task, "id", str, f"phases.{pid}.tasks[{j}]")
            where = f"phases.{pid}.tasks.{tid}"
            needed = _get(structure_path, task, "competencies", list, where)
            for cid in needed:
                if cid not in known:
                    raise ContentError(
                        structure_path, f"{where}.competencies", f"unknown competency {cid!r}"
                    )
            _unique(structure_path, f"{where}.competencies", needed)
            task_said = _get(words_path, task_words, tid, Mapping, "tasks")
            tasks.append(
                Task(
                    id=tid,
                    phase_id=pid,
                    text=_get(words_path, task_said, "text", str, f"tasks.{tid}"),
                    example=_get(words_path, task_said, "example", str, f"tasks.{tid}"),
                    short=_get(words_path, task_said, "short", str, f"tasks.{tid}"),
                    competency_ids=tuple(needed),
                    appendix_id=str(task.get("appendix", tid)),
                )
            )
        phases.append(
            Phase(
                id=pid,
                name=_get(words_path, said, "name", str, f"phases.{pid}"),
                title=_get(words_path, said, "title", str, f"phases.{pid}"),
                tasks=tuple(tasks),
            )
        )
    _unique(structure_path, "phases", [p.id for p in phases])
    _unique(structure_path, "phases.*.tasks", [t.id for p in phases for t in p.tasks])
    _check_no_extra(words_path, "tasks", task_words, [t.id for p in phases for t in p.tasks])
    _check_no_extra(words_path, "phases", phase_words, [p.id for p in phases])
    return Instrument(tuple(answers), tuple(competencies), tuple(phases))


def _with_plain_words(instrument: Instrument, path: Path) -> Instrument:
    """The plain words written for the bot next to the brochure's: every competency, task,
    phase and answer needs them."""
    plain = _read(path)
    competencies = _get(path, plain, "competencies", Mapping)
    tasks = _get(path, plain, "tasks", Mapping)
    phases = _get(path, plain, "phases", Mapping)
    answers = _get(path, plain, "answers", Mapping)
    _check_no_extra(path, "competencies", competencies, [c.id for c in instrument.competencies])
    _check_no_extra(path, "tasks", tasks, [t.id for t in instrument.tasks])
    _check_no_extra(path, "phases", phases, [p.id for p in instrument.phases])
    _check_no_extra(path, "answers", answers, [a.value for a in instrument.answers])

    def said(section: Mapping, key: str, where: str) -> str:
        return _get(path, _get(path, section, key, Mapping, where), "plain", str, f"{where}.{key}")

    return Instrument(
        answers=tuple(
            replace(a, meaning=_get(path, answers, a.value, str, "answers"))
            for a in instrument.answers
        ),
        competencies=tuple(
            replace(c, plain=said(competencies, c.id, "competencies"))
            for c in instrument.competencies
        ),
        phases=tuple(
            replace(
                p,
                plain=said(phases, p.id, "phases"),
                tasks=tuple(replace(t, plain=said(tasks, t.id, "tasks")) for t in p.tasks),
            )
            for p in instrument.phases
        ),
    )


def _check_no_extra(path: Path, where: str, words: Mapping, ids: list[str]) -> None:
    """Words for an id the structure does not know are a typo in an id: say so, don't ignore."""
    for key in words:
        if key not in ids:
            raise ContentError(path, f"{where}.{key}", "not in content/instrument.yaml")


def _flatten_texts(path: Path) -> dict[str, str]:
    flat: dict[str, str] = {}

    def walk(node: Any, prefix: str) -> None:
        if isinstance(node, Mapping):
            for key, value in node.items():
                walk(value, f"{prefix}.{key}" if prefix else str(key))
        elif isinstance(node, str) and node.strip():
            _check_placeholders(path, prefix, node)
            flat[prefix] = node.strip("\n")
        else:
            raise ContentError(path, prefix, "expected a text")

    walk(_read(path), "")
    return flat


def _check_placeholders(path: Path, key: str, text: str) -> None:
    try:
        list(string.Formatter().parse(text))
    except ValueError as error:
        raise ContentError(path, key, f"broken {{placeholder}}: {error}") from None


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _check_same_keys(path: Path, texts: Mapping[str, str], reference: Mapping[str, str]) -> None:
    for key in reference:
        if key not in texts:
            raise ContentError(path, key, "missing (present in the default language)")
        if _fields(texts[key]) != _fields(reference[key]):
            raise ContentError(
                path,
                key,
                f"placeholders differ from the default language: {sorted(_fields(reference[key]))}",
            )
    for key in texts:
        if key not in reference:
            raise ContentError(path, key, "not in the default language")
