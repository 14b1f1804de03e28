"""The instrument as plain, immutable objects: what the rest of the code reads, in one language.

Kept free of YAML and Telegram so the domain and its tests can build an instrument by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    value: int
    label: str
    suits: bool
    meaning: str = ""  # what the answer means, in plain words


@dataclass(frozen=True)
class Statement:
    id: str
    competency_id: str
    text: str


@dataclass(frozen=True)
class Competency:
    id: str
    number: int
    name: str
    description: str  # the brochure's words
    statements: tuple[Statement, ...]
    plain: str = ""  # what it is, in plain words written for the bot


@dataclass(frozen=True)
class Task:
    id: str
    phase_id: str
    text: str
    example: str
    short: str
    competency_ids: tuple[str, ...]
    plain: str = ""  # what you do, in plain words written for the bot
    appendix_id: str = ""  # its number in Bijlage 1, where that differs from chapter 1


@dataclass(frozen=True)
class Phase:
    id: str
    name: str
    title: str
    tasks: tuple[Task, ...]
    plain: str = ""


@dataclass(frozen=True)
class Instrument:
    answers: tuple[Answer, ...]
    competencies: tuple[Competency, ...]
    phases: tuple[Phase, ...]
    _competency_by_id: dict[str, Competency] = field(init=False, repr=False, compare=False)
    _statement_by_id: dict[str, Statement] = field(init=False, repr=False, compare=False)
    _answer_by_value: dict[int, Answer] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Lookups are on the hot path of every tap; build the indexes once.
        object.__setattr__(self, "_competency_by_id", {c.id: c for c in self.competencies})
        object.__setattr__(
            self,
            "_statement_by_id",
            {s.id: s for c in self.competencies for s in c.statements},
        )
        object.__setattr__(self, "_answer_by_value", {a.value: a for a in self.answers})

    @property
    def statements(self) -> tuple[Statement, ...]:
        return tuple(s for c in self.competencies for s in c.statements)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for p in self.phases for t in p.tasks)

    def competency(self, competency_id: str) -> Competency:
        return self._competency_by_id[competency_id]

    def statement(self, statement_id: str) -> Statement:
        return self._statement_by_id[statement_id]

    def answer(self, value: int) -> Answer:
        return self._answer_by_value[value]

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._statement_by_id

    def has_competency(self, competency_id: str) -> bool:
        return competency_id in self._competency_by_id

    def has_answer(self, value: int) -> bool:
        return value in self._answer_by_value
