"""The instrument as transcribed from the brochure, and the loader's validation."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from content import ContentError, load_content
from content.loader import CONTENT_DIR

BIJLAGE_1 = {
    # chapter-1 task id: the competencies Bijlage 1 lists (kerntaak 2 matched by content)
    "1.1": {"signaleren", "communicatie", "netwerken"},
    "1.2": {"signaleren", "sensitiviteit", "communicatie", "samenwerken"},
    "1.3": {"signaleren", "sensitiviteit", "communicatie", "creativiteit", "netwerken"},
    "2.1": {"politiek", "sensitiviteit", "creativiteit", "samenwerken"},
    "2.2": {"lef", "creativiteit", "samenwerken", "zelfreflectie"},
    "2.3": {"signaleren", "communicatie", "netwerken", "samenwerken", "zelfreflectie"},
    "2.4": {"onderhandelen", "politiek", "netwerken", "samenwerken"},
    "3.1": {"lef", "creativiteit", "overtuigingskracht", "netwerken", "politiek"},
    "3.2": {
        "onderhandelen",
        "overtuigingskracht",
        "politiek",
        "zelfreflectie",
        "stressbestendigheid",
    },
    "3.3": {"signaleren", "sensitiviteit", "communicatie", "overtuigingskracht", "netwerken"},
    "3.4": {
        "onderhandelen",
        "overtuigingskracht",
        "netwerken",
        "zelfreflectie",
        "stressbestendigheid",
    },
    "3.5": {"communicatie", "lef", "overtuigingskracht", "zelfreflectie", "stressbestendigheid"},
    "4.1": {"signaleren", "sensitiviteit", "samenwerken", "zelfreflectie", "stressbestendigheid"},
}


def test_twelve_competencies_of_four_statements(instrument):
    assert len(instrument.competencies) == 12
    assert all(len(c.statements) == 4 for c in instrument.competencies)
    assert len({s.id for s in instrument.statements}) == 48
    assert [c.number for c in instrument.competencies] == list(range(1, 13))


def test_answer_scale_is_the_brochures(instrument):
    assert [(a.value, a.label, a.suits) for a in instrument.answers] == [
        (1, "Zeer waar", True),
        (2, "Meestal waar", True),
        (3, "Beetje waar", False),
        (4, "Niet waar", False),
    ]


def test_one_name_per_competency(instrument):
    names = [c.name for c in instrument.competencies]
    assert "Communicatie" in names and "Communiceren" not in names
    assert "Stressbestendigheid" in names and "Stressbestendig" not in names


def test_statements_word_for_word(instrument):
    assert instrument.statement("signaleren.1").text == (
        "Ik oordeel niet te snel, maar onderzoek eerst de feiten."
    )
    assert instrument.statement("communicatie.4").text == (
        "Ik kan omgaan met het jargon van professionals/beleidsmakers/politici."
    )
    assert instrument.statement("politiek.4").text == (
        "Ik weet dat er allerlei mogelijkheden zijn om invloed uit te oefenen."
    )


def test_no_pdf_artefacts_left(instrument):
    words = [
        *(c.description for c in instrument.competencies),
        *(s.text for s in instrument.statements),
        *(f"{t.text} {t.example} {t.short}" for t in instrument.tasks),
    ]
    for text in words:
        assert "\t" not in text and "\n" not in text and "  " not in text
        assert "/ " not in text, text


def test_four_phases_thirteen_tasks(instrument):
    assert [p.id for p in instrument.phases] == ["1", "2", "3", "4"]
    assert [len(p.tasks) for p in instrument.phases] == [3, 4, 5, 1]
    assert len(instrument.tasks) == 13


def test_tasks_need_what_bijlage_1_says(instrument):
    assert {t.id: set(t.competency_ids) for t in instrument.tasks} == BIJLAGE_1


def test_kerntaak_2_matched_by_content_not_number(instrument):
    tasks = {t.id: t for t in instrument.tasks}
    assert "beoogde effecten" in tasks["2.1"].text and "beoogde effecten" in tasks["2.1"].short
    assert "coalities" in tasks["2.4"].short and "samenwerking" in tasks["2.4"].text
    assert "externe deskundigheid" in tasks["2.3"].text
    assert "externe deskundigheid" in tasks["2.3"].short


def test_netwerken_is_needed_for_seven_tasks(instrument):
    # Chapter 2 says eight; Bijlage 1 lists seven. We keep the Bijlage's data.
    assert sum("netwerken" in t.competency_ids for t in instrument.tasks) == 7


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return root


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_task_naming_an_unknown_competency_stops_loading(content_copy):
    _replace(
        content_copy / "instrument.yaml",
        "[signaleren, communicatie, netwerken]",
        "[signaleren, lef2]",
    )
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert "instrument.yaml" in str(error.value)
    assert "phases.1.tasks.1.1.competencies" in str(error.value)
    assert "lef2" in str(error.value)


def test_a_missing_statement_names_file_and_key(content_copy):
    _replace(
        content_copy / "nl" / "instrument.yaml",
        'lef.2: "',
        'lef.9: "',
    )
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert "nl/instrument.yaml" in str(error.value)
    assert "competencies.lef.statements" in str(error.value)


def test_english_is_complete_and_faithful_in_structure(content_copy):
    content = load_content(content_copy)
    assert set(content.languages) == {"nl", "en"}
    english, dutch = content.language("en").instrument, content.language("nl").instrument
    assert [a.label for a in english.answers] == [
        "Very true",
        "Mostly true",
        "A little true",
        "Not true",
    ]
    assert [s.id for s in english.statements] == [s.id for s in dutch.statements]
    assert [t.competency_ids for t in english.tasks] == [t.competency_ids for t in dutch.tasks]
    assert content.language("fr").code == "nl"  # Dutch when we don't have theirs


def test_a_second_language_must_have_every_text_key(content_copy):
    english = content_copy / "en"
    _replace(english / "texts.yaml", "  pause: ⏸ Pause\n", "")
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert "en/texts.yaml" in str(error.value)
    assert "buttons.pause" in str(error.value)


def test_a_third_language_is_one_more_folder(content_copy):
    shutil.copytree(content_copy / "nl", content_copy / "fy")
    content = load_content(content_copy)
    assert set(content.languages) == {"nl", "en", "fy"}


def test_placeholders_must_match_the_default_language(content_copy):
    english = content_copy / "en"
    _replace(english / "texts.yaml", "Hello {name}!", "Hello {naam}!")
    with pytest.raises(ContentError, match=r"welcome\.new"):
        load_content(content_copy)


def test_twelve_competencies_are_required(content_copy):
    _replace(
        content_copy / "instrument.yaml",
        "  - id: politiek\n    statements: [politiek.1, politiek.2, politiek.3, politiek.4]\n",
        "",
    )
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert "expected 12 competencies, found 11" in str(error.value)


def test_every_text_key_in_the_code_exists_and_every_text_is_used(texts):
    """A typo in a key would only show when that message is sent: catch it here."""
    sources = [p.read_text(encoding="utf-8") for p in (CONTENT_DIR.parent / "bot").rglob("*.py")]
    called = {k for src in sources for k in re.findall(r"texts\(\s*[\"']([a-z_.]+)[\"']", src)}
    literals = {k for src in sources for k in re.findall(r"[\"']([a-z_]+\.[a-z_.]+)[\"']", src)}
    # keys made in the code, like f"verdicts.{verdict}": every key under such a prefix is used
    families = {p for src in sources for p in re.findall(r"f[\"']([a-z_]+\.[a-z_.]*)\{", src)}
    assert len(called) > 50
    assert sorted(key for key in called if key not in texts) == []
    # and the other way round: no text that nothing shows (commands are listed by name)
    unused = [
        k
        for k in texts
        if k not in literals
        and not k.startswith("commands.")
        and not any(k.startswith(family) for family in families)
    ]
    assert unused == []
