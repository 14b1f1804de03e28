"""The use cases on a real SQLite file: rounds, answers, refusals, restart, export and delete."""

from __future__ import annotations

import sqlite3

import pytest

from services.scorelist import Answered, Prompt, Refusal, ScoreList
from storage import RoundStatus, Storage

USER, OTHER = 1001, 2002


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "bot.sqlite3"


@pytest.fixture
async def service(db_path, instrument):
    storage = await Storage.open(db_path)
    yield ScoreList(storage, instrument)
    await storage.close()


async def _begin(service, competencies=None) -> Prompt:
    await service.register(USER, "Anna", "nl")
    round_ = await service.first_round(USER)
    if competencies is None:
        return await service.start(USER, round_.round_id, everything=True)
    for cid in competencies:
        await service.set_chosen(USER, round_.round_id, cid, True)
    return await service.start(USER, round_.round_id)


async def test_full_round_in_order_then_summary(service, instrument):
    prompt = await _begin(service)
    assert prompt.position.statement.id == "signaleren.1"
    seen = []
    result = None
    for _ in range(48):
        result = await service.answer(USER, 2, prompt.round_id, prompt.position.statement.id)
        assert isinstance(result, Answered)
        seen.append(result.position.statement.id)
        prompt = result.next
        if prompt is None:
            break
    assert seen == [s.id for s in instrument.statements]
    assert result.next is None
    _, summary = await service.summary(USER)
    assert summary.answered == 48
    situation = await service.situation(USER)
    assert situation.round.status is RoundStatus.COMPLETE and situation.prompt is None


async def test_a_double_tap_is_applied_once(service):
    prompt = await _begin(service)
    first = await service.answer(USER, 1, prompt.round_id, "signaleren.1")
    assert isinstance(first, Answered)
    assert await service.answer(USER, 1, prompt.round_id, "signaleren.1") is Refusal.DUPLICATE
    # the other answer on the old message is not applied to the next statement either
    assert await service.answer(USER, 3, prompt.round_id, "signaleren.1") is Refusal.NOT_OPEN
    situation = await service.situation(USER)
    assert situation.prompt.position.statement.id == "signaleren.2"


async def test_a_button_for_a_statement_further_on_is_not_applied(service):
    prompt = await _begin(service)
    assert await service.answer(USER, 1, prompt.round_id, "signaleren.3") is Refusal.NOT_OPEN
    assert (await service.situation(USER)).prompt.position.statement.id == "signaleren.1"


async def test_typed_answer_goes_to_the_open_statement(service):
    await _begin(service)
    result = await service.answer(USER, 4)
    assert result.position.statement.id == "signaleren.1"
    assert result.next.position.statement.id == "signaleren.2"


async def test_vorige_reopens_and_then_continues_where_you_were(service):
    prompt = await _begin(service)
    await service.answer(USER, 1, prompt.round_id, "signaleren.1")
    back = await service.go_back(USER, prompt.round_id, "signaleren.2")
    assert back.position.statement.id == "signaleren.1" and back.current == 1
    changed = await service.answer(USER, 3, prompt.round_id, "signaleren.1")
    assert changed.next.position.statement.id == "signaleren.2"
    _, summary = await service.summary(USER)
    assert summary.learning_points[0].statement.id == "signaleren.1"


async def test_vorige_on_the_first_statement_or_a_stale_one_is_refused(service):
    prompt = await _begin(service)
    assert await service.go_back(USER, prompt.round_id, "signaleren.1") is Refusal.NOT_OPEN
    await service.answer(USER, 1, prompt.round_id, "signaleren.1")
    await service.answer(USER, 1, prompt.round_id, "signaleren.2")
    assert await service.go_back(USER, prompt.round_id, "signaleren.2") is Refusal.NOT_OPEN


async def test_partial_choice_asks_only_the_chosen_competencies(service):
    prompt = await _begin(service, ["netwerken", "lef"])
    ids = []
    while prompt is not None:
        ids.append(prompt.position.statement.id)
        assert prompt.position.total == 8
        result = await service.answer(USER, 1, prompt.round_id, prompt.position.statement.id)
        prompt = result.next
    assert ids == [f"lef.{i}" for i in range(1, 5)] + [f"netwerken.{i}" for i in range(1, 5)]


async def test_more_competencies_later_in_the_same_round(service):
    prompt = await _begin(service, ["lef"])
    for i in range(1, 5):
        await service.answer(USER, 1, prompt.round_id, f"lef.{i}")
    round_ = (await service.situation(USER)).round
    assert round_.status is RoundStatus.COMPLETE
    assert await service.done_competencies(round_) == ("lef",)
    # a finished competency stays chosen
    after = await service.set_chosen(USER, round_.round_id, "lef", False)
    assert "lef" in after.selection
    await service.set_chosen(USER, round_.round_id, "netwerken", True)
    more = await service.start(USER, round_.round_id)
    assert more.position.statement.id == "netwerken.1"
    assert (more.position.number, more.position.total) == (5, 8)


async def test_starting_with_nothing_chosen_is_refused(service):
    await service.register(USER, "Anna", "nl")
    round_ = await service.first_round(USER)
    assert await service.start(USER, round_.round_id) is Refusal.EMPTY_CHOICE


async def test_buttons_of_another_person_or_an_old_round_are_refused(service):
    prompt = await _begin(service)
    await service.register(OTHER, "Bo", "nl")
    assert await service.answer(OTHER, 1, prompt.round_id, "signaleren.1") is Refusal.EXPIRED
    assert await service.go_back(OTHER, prompt.round_id, "signaleren.1") is Refusal.EXPIRED
    new = await service.new_round(USER, prompt.round_id)
    assert new.number == 2
    assert await service.answer(USER, 1, prompt.round_id, "signaleren.1") is Refusal.EXPIRED


async def test_new_round_keeps_the_old_one_and_a_second_tap_changes_nothing(service):
    prompt = await _begin(service)
    await service.answer(USER, 1, prompt.round_id, "signaleren.1")
    new = await service.new_round(USER, prompt.round_id)
    assert await service.new_round(USER, prompt.round_id) is None
    data = await service.export(USER)
    assert [r["number"] for r in data["rounds"]] == [1, 2]
    assert len(data["rounds"][0]["answers"]) == 1
    # the summary shows the newest round with answers: still round 1
    round_, _ = await service.summary(USER)
    assert round_.round_id == prompt.round_id and new.round_id != prompt.round_id


async def test_nothing_lost_when_the_storage_is_reopened(db_path, instrument):
    storage = await Storage.open(db_path)
    service = ScoreList(storage, instrument)
    prompt = await _begin(service)
    for sid in ("signaleren.1", "signaleren.2", "signaleren.3"):
        await service.answer(USER, 2, prompt.round_id, sid)
    await service.go_back(USER, prompt.round_id, "signaleren.4")
    # no close(): as if the process was killed
    reopened = ScoreList(await Storage.open(db_path), instrument)
    try:
        situation = await reopened.situation(USER)
        assert situation.prompt.position.statement.id == "signaleren.3"
        assert situation.prompt.current == 2
    finally:
        await reopened.close()
        await storage.close()


async def test_export_has_every_answer_with_text_label_and_time(service):
    prompt = await _begin(service, ["lef"])
    await service.answer(USER, 2, prompt.round_id, "lef.1")
    data = await service.export(USER)
    assert data["person"]["first_name"] == "Anna"
    (answer,) = data["rounds"][0]["answers"]
    assert answer["statement_id"] == "lef.1"
    assert answer["statement"].startswith("Ik vind het leuk")
    assert answer["answer"] == "Meestal waar"
    assert answer["answered_at"]
    assert data["rounds"][0]["chosen_competencies"] == ["Lef"]


async def test_delete_leaves_nothing_of_the_person(service, db_path):
    prompt = await _begin(service)
    await service.answer(USER, 2, prompt.round_id, "signaleren.1")
    await service.register(OTHER, "Bo", "nl")
    assert await service.delete(USER)
    assert await service.export(USER) is None
    assert await service.answer(USER, 1, prompt.round_id, "signaleren.2") is Refusal.EXPIRED
    with sqlite3.connect(db_path) as raw:
        for table in ("users", "rounds", "answers"):
            column = "round_id" if table == "answers" else "user_id"
            value = prompt.round_id if table == "answers" else USER
            assert raw.execute(
                f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (value,)
            ).fetchone() == (0,)
        assert raw.execute("SELECT COUNT(*) FROM users").fetchone() == (1,)
    raw_bytes = b"".join(
        p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
    )
    assert b"Anna" not in raw_bytes
