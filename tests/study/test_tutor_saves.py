"""Tutor records in the progress file: saved after each event, merged, set aside, never broken."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backprop_tutor.engine import load_lesson
from backprop_tutor.quiz import Kind, QuestionId, QuizSession
from backprop_tutor.quiz.plan import NUMBERS_ONLY, lesson_plan
from backprop_tutor.study.progress import ProgressStore, UnreadableProgress
from backprop_tutor.study.tutor_records import Place, current_record, fingerprint
from backprop_tutor.study.tutor_saves import LessonSaves, last_worked_on, lesson_status

NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)
U, H, V = (QuestionId(1, Kind.VALUE, n) for n in "uhv")
LESSON = load_lesson("branch-merge")


class Clock:
    """A clock a second on at every reading."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def opened(folder: Path, *, fresh: bool = False, lesson_path: str = "branch-merge") -> LessonSaves:
    """The lesson's saves in `folder`."""
    return LessonSaves.open(
        ProgressStore(folder), load_lesson(lesson_path), clock=Clock(), fresh=fresh
    )


def test_each_event_is_on_disk_when_add_returns(tmp_path: Path) -> None:
    """An answer, a hint and a reveal: each is in the file once its save returns."""
    saves = opened(tmp_path)
    assert saves.add(U, "answer", "2", Place(0, "forward", 1))
    assert saves.add(H, "hint", "", Place(0, "forward", 1))
    assert saves.add(H, "reveal", "", Place(0, "forward", 2))
    record = current_record(ProgressStore(tmp_path).load().tutor, "branch-merge")
    assert record is not None
    assert [(e.question, e.action, e.text) for e in record.events] == [
        (U, "answer", "2"),
        (H, "hint", ""),
        (H, "reveal", ""),
    ]
    assert record.place == Place(0, "forward", 2)
    assert record.fingerprint == fingerprint(LESSON)
    assert opened(tmp_path).events == record.events  # reopening finds the same record


def test_status_replays_the_record(tmp_path: Path) -> None:
    """Two right, one shown: in progress, 2 of 21 answered... as the quiz session counts."""
    saves = opened(tmp_path)
    saves.add(U, "answer", "2", Place())
    saves.add(H, "answer", "4", Place())
    saves.add(V, "reveal", "", Place(0, "forward", 3))
    status = lesson_status(LESSON, saves.record, NUMBERS_ONLY)
    assert (status.state, status.answered, status.total, status.revealed) == (
        "in progress",
        3,
        21 * 2,
        1,
    )
    assert status.words() == "in progress (step 1, 3 of 42 answered)"
    assert lesson_status(LESSON, None, NUMBERS_ONLY).words() == "not started"
    assert lesson_status(LESSON, None, NUMBERS_ONLY).total == 42
    # By default it counts what the tutor asks: the lesson's own plan, paths and formulas too.
    planned = len(QuizSession(LESSON, plan=lesson_plan(LESSON)).questions)
    assert planned > 42 and lesson_status(LESSON, saves.record).total == planned
    # The home screen does not run a lesson nobody began: it says "not started", no count.
    unrun = lesson_status(LESSON, None, count_unstarted=False)
    assert (unrun.words(), unrun.total) == ("not started", None)
    assert lesson_status(LESSON, saves.record, NUMBERS_ONLY, count_unstarted=False).total == 42


def test_two_processes_on_one_lesson_lose_nothing(tmp_path: Path) -> None:
    """Two saves objects on the same record (two terminals): the file keeps both sets."""
    first = opened(tmp_path)
    first.add(U, "answer", "2", Place())
    second = opened(tmp_path)  # finds the same record
    assert second.record.id == first.record.id
    first.add(H, "answer", "4", Place())
    second.add(V, "answer", "6", Place())
    record = current_record(ProgressStore(tmp_path).load().tutor, "branch-merge")
    assert record is not None
    assert sorted(e.text for e in record.events) == ["2", "4", "6"]


def test_fresh_sets_the_old_record_aside(tmp_path: Path) -> None:
    """--fresh: a new empty record; the old one kept in the file, marked as set aside."""
    opened(tmp_path).add(U, "answer", "2", Place())
    fresh = opened(tmp_path, fresh=True)
    assert fresh.events == ()
    assert fresh.notice is not None and "starts over" in fresh.notice
    records = ProgressStore(tmp_path).load().tutor.values()
    assert [(r.aside, len(r.events)) for r in records] == [("fresh", 1)]


def test_a_changed_lesson_is_not_restored_into(tmp_path: Path) -> None:
    """The lesson file's numbers changed: told, started fresh, the old record kept aside."""
    path = tmp_path / "mine.toml"
    source = LESSON.path.read_text()
    path.write_text(source)
    data = tmp_path / "data"
    opened(data, lesson_path=str(path)).add(U, "answer", "2", Place())
    path.write_text(source.replace("x = 2", "x = 3", 1))
    assert lesson_status(load_lesson(str(path)), _current(data, path)).changed
    again = opened(data, lesson_path=str(path))
    assert again.events == ()
    assert again.notice is not None and "has changed" in again.notice
    [old] = ProgressStore(data).load().tutor.values()
    assert (old.aside, [e.text for e in old.events]) == ("changed", ["2"])


def _current(data: Path, path: Path):  # type: ignore[no-untyped-def]
    return current_record(ProgressStore(data).load().tutor, str(path.resolve()))


def test_the_lesson_last_worked_on(tmp_path: Path) -> None:
    """The record with the latest event names the lesson to continue."""
    opened(tmp_path).add(U, "answer", "2", Place())
    other = LessonSaves.open(
        ProgressStore(tmp_path), load_lesson("single-chain"), clock=lambda: NOW + timedelta(1)
    )
    other.add(QuestionId(1, Kind.VALUE, "z"), "answer", "1", Place())
    assert last_worked_on(ProgressStore(tmp_path).load().tutor) == "single-chain"


# ---------------------------------------------------------------- files that must not be lost


def _damaged(tmp_path: Path, change: str) -> bytes:
    saves = opened(tmp_path)
    saves.add(U, "answer", "2", Place())
    document = json.loads((tmp_path / "progress.json").read_text())
    event = document["tutor"][0]["events"][0]
    if change == "action":
        event["action"] = "guess"
    elif change == "time":
        event["time"] = "yesterday"
    elif change == "place":
        document["tutor"][0]["place"] = {"step": -1, "stage": "forward", "done": 0}
    elif change == "list":
        document["tutor"] = {"not": "a list"}
    content = json.dumps(document).encode()
    (tmp_path / "progress.json").write_bytes(content)
    return content


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("action", "tutor record 1, event 1: unknown action 'guess'"),
        ("time", "tutor record 1, event 1: 'yesterday' is not a time"),
        ("place", "tutor record 1: the place is not a step"),
        ("list", "'tutor' must be a list of records"),
    ],
)
def test_a_damaged_tutor_record_is_named_and_never_overwritten(
    tmp_path: Path, change: str, named: str
) -> None:
    """Loading names the record and event; a save in the tutor refuses, the bytes stay."""
    content = _damaged(tmp_path, change)
    with pytest.raises(UnreadableProgress, match=named.replace("(", r"\(")):
        ProgressStore(tmp_path).load()
    with pytest.raises(UnreadableProgress):
        opened(tmp_path)
    assert (tmp_path / "progress.json").read_bytes() == content


def test_a_save_refused_mid_lesson_keeps_the_work_and_says_so(tmp_path: Path) -> None:
    """The file turns unreadable while a lesson is open: nothing overwritten, nothing lost."""
    saves = opened(tmp_path)
    saves.add(U, "answer", "2", Place())
    (tmp_path / "progress.json").write_bytes(b"{broken")
    assert not saves.add(H, "answer", "4", Place())
    assert saves.unsaved == 1 and saves.problem is not None and "not valid JSON" in saves.problem
    assert (tmp_path / "progress.json").read_bytes() == b"{broken"
    line = saves.close()
    assert line is not None and "1 answer, hint or reveal was in Branch and merge NOT saved" in line
    (tmp_path / "progress.json").unlink()  # the learner moved it away
    assert saves.close() is None
    record = current_record(ProgressStore(tmp_path).load().tutor, "branch-merge")
    assert record is not None and [e.text for e in record.events] == ["2", "4"]


def test_a_format_1_file_gains_tutor_records_and_keeps_its_answers(tmp_path: Path) -> None:
    """A file from before the tutor saved anything: read, then written as format 2."""
    (tmp_path / "progress.json").write_text(
        json.dumps({"schema": 1, "skills": {}, "answers": [], "sessions": []})
    )
    opened(tmp_path).add(U, "answer", "2", Place())
    document = json.loads((tmp_path / "progress.json").read_text())
    assert document["schema"] == 2 and len(document["tutor"]) == 1


# ---------------------------------------------------------------- kill at any moment


def _answer_forever(folder: str, ledger: str) -> None:
    saves = LessonSaves.open(ProgressStore(Path(folder)), LESSON, clock=Clock())
    questions = [U, H, V]
    n = 0
    with open(ledger, "a") as out:
        while True:
            if saves.add(questions[n % 3], "answer", str(n), Place()):
                # Written only once the save returned: everything here must be on disk.
                out.write(f"{saves.record.events[-1].id}\n")
                out.flush()
            n += 1


def test_killing_the_tutor_mid_save_never_breaks_the_file_nor_loses_a_saved_answer(
    tmp_path: Path,
) -> None:
    """SIGKILL at arbitrary moments while answering: the file parses, every saved event is in it."""
    context = multiprocessing.get_context("fork")
    rng = random.Random(1)
    ledger = tmp_path / "ledger.txt"
    data = tmp_path / "data"
    for _ in range(8):
        worker = context.Process(target=_answer_forever, args=(str(data), str(ledger)))
        worker.start()
        time.sleep(rng.uniform(0.05, 0.3))  # lets some saves through; not a timing assertion
        worker.kill()
        worker.join(timeout=30)
        tutor = ProgressStore(data).load().tutor  # raises if the file were broken
        on_disk = {e.id for r in tutor.values() for e in r.events}
        confirmed = set(ledger.read_text().split()) if ledger.exists() else set()
        assert confirmed <= on_disk
    assert confirmed
    # The record carried on across kills: one record, every event in it.
    assert len(tutor) == 1
    assert os.path.exists(data / "progress.json")


def test_merge_keeps_the_later_place_and_a_record_set_aside_stays_aside(tmp_path: Path) -> None:
    """A merge takes the place saved last, and an aside mark from either side."""
    saves = opened(tmp_path)
    saves.add(U, "answer", "2", Place(0, "forward", 1))
    stale = replace(saves.record, place=Place(), placed=NOW, aside="fresh", aside_at=NOW)
    ProgressStore(tmp_path).save(tutor=[stale])
    [record] = ProgressStore(tmp_path).load().tutor.values()
    assert record.place == Place(0, "forward", 1)
    assert record.aside == "fresh"
