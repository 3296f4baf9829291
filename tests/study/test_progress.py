"""The progress file: atomic saves, merging writers, and files that must not be overwritten."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backprop_tutor.quiz import Kind, QuestionId
from backprop_tutor.study import progress as progress_module
from backprop_tutor.study.progress import (
    ENV_VAR,
    SCHEMA_VERSION,
    CannotSave,
    ProgressStore,
    UnreadableProgress,
    data_dir,
    parse,
    to_json,
)
from backprop_tutor.study.scheduler import Answer, SessionPlan

NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)


def _answer(n: int, *, outcome: str = "right", skill: str = "evaluate") -> Answer:
    charged = (skill,) if outcome != "right" else ()
    return Answer(
        f"id-{n}",
        NOW + timedelta(seconds=n),
        "branch-merge",
        7,
        QuestionId(1, Kind.VALUE, f"q{n}"),
        (skill,),
        outcome,  # type: ignore[arg-type]
        charged,
    )


def _session(position: int = 0, *, sid: str = "s1") -> SessionPlan:
    queue = [QuestionId(1, Kind.VALUE, "u"), QuestionId(1, Kind.VALUE, "h")]
    return SessionPlan(sid, "branch-merge", 7, queue, position, started=NOW)


def _files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


# ---------------------------------------------------------------- where it lives


def test_data_dir_prefers_flag_then_environment_then_user_dir(tmp_path: Path) -> None:
    """--data-dir beats $BACKPROP_TUTOR_HOME, which beats the platform's user data dir."""
    assert data_dir(tmp_path / "flag", {ENV_VAR: str(tmp_path / "env")}) == tmp_path / "flag"
    assert data_dir(None, {ENV_VAR: str(tmp_path / "env")}) == tmp_path / "env"
    assert data_dir(None, {}).name == "backprop-tutor"


# ---------------------------------------------------------------- round trip


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    """Answers and the open session come back as they were, with a schema number."""
    store = ProgressStore(tmp_path)
    assert store.load().answers == []
    store.save([_answer(1), _answer(2, outcome="missed")], _session(1))
    document = json.loads(store.path.read_text())
    assert document["schema"] == SCHEMA_VERSION
    assert document["skills"]["evaluate"]["asked"] == 2
    loaded = store.load()
    assert [a.id for a in loaded.answers] == ["id-1", "id-2"]
    assert loaded.answers[1].outcome == "missed"
    assert loaded.answers[1].time == NOW + timedelta(seconds=2)
    resumed = loaded.open_session("branch-merge")
    assert resumed is not None and resumed.position == 1 and resumed.seed == 7


def test_a_finished_session_is_no_longer_offered_for_resuming(tmp_path: Path) -> None:
    """Once the last question is answered there is nothing to resume."""
    store = ProgressStore(tmp_path)
    store.save([_answer(1)], _session(1))
    done = _session(2)
    done.finished = True
    store.save([_answer(2)], done)
    assert store.load().open_session("branch-merge") is None
    assert len(store.load().answers) == 2


def test_saving_leaves_no_temporary_files(tmp_path: Path) -> None:
    """After a save the folder holds the file and its lock, nothing else."""
    store = ProgressStore(tmp_path)
    for n in range(5):
        store.save([_answer(n)])
    assert _files(tmp_path) == {"progress.json", "progress.json.lock"}


# ---------------------------------------------------------------- crashes


def test_a_crash_between_write_and_rename_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """os.replace failing (a kill at that moment) keeps the previous file byte for byte."""
    store = ProgressStore(tmp_path)
    store.save([_answer(1)])
    before = store.path.read_bytes()

    def crash(src: object, dst: object) -> None:
        raise OSError(errno.EIO, "simulated crash before rename")

    monkeypatch.setattr(progress_module.os, "replace", crash)
    with pytest.raises(CannotSave):
        store.save([_answer(2)])
    monkeypatch.undo()
    assert store.path.read_bytes() == before
    assert [a.id for a in store.load().answers] == ["id-1"]
    assert _files(tmp_path) == {"progress.json", "progress.json.lock"}


def test_a_kill_after_writing_the_temporary_file_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process killed before the rename leaves a stray temp file; the real file is whole."""
    store = ProgressStore(tmp_path)
    store.save([_answer(1)])

    def die(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # stands for the process ending right here

    monkeypatch.setattr(progress_module.os, "replace", die)
    with pytest.raises(KeyboardInterrupt):
        store.save([_answer(2)])
    monkeypatch.undo()
    assert [a.id for a in store.load().answers] == ["id-1"]
    store.save([_answer(3)])
    assert [a.id for a in store.load().answers] == ["id-1", "id-3"]


# ---------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'{"schema": 1, "answers": [{"id": "x", "ti', "not valid JSON"),
        (os.urandom(64) + b"\xff\xfe", "not"),
        (b"", "not valid JSON"),
        (b'{"schema": 1, "answers": [{"id": 3}], "sessions": []}', "damaged"),
        (b'["a list"]', "not a backprop-tutor progress file"),
    ],
    ids=["truncated", "random-bytes", "empty", "wrong-field", "not-ours"],
)
def test_an_unreadable_file_is_reported_and_never_overwritten(
    tmp_path: Path, content: bytes, words: str
) -> None:
    """Load names the problem; save refuses; the bytes on disk are untouched."""
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    with pytest.raises(UnreadableProgress) as caught:
        store.load()
    assert words in str(caught.value) and str(store.path) in str(caught.value)
    assert "\n" not in str(caught.value)
    assert not caught.value.newer
    with pytest.raises(UnreadableProgress):
        store.save([_answer(1)])
    assert store.path.read_bytes() == content


def test_a_newer_schema_is_kept_and_named(tmp_path: Path) -> None:
    """A file from a newer version is not ours to rewrite."""
    store = ProgressStore(tmp_path)
    content = json.dumps({"schema": SCHEMA_VERSION + 1, "whatever": []}).encode()
    store.path.write_bytes(content)
    with pytest.raises(UnreadableProgress) as caught:
        store.load()
    assert caught.value.newer and "newer version" in str(caught.value)
    with pytest.raises(UnreadableProgress):
        store.save([_answer(1)])
    assert store.path.read_bytes() == content


def test_move_aside_keeps_the_bytes_under_a_dated_name(tmp_path: Path) -> None:
    """The damaged file is renamed, not deleted, and a fresh start is then possible."""
    store = ProgressStore(tmp_path)
    store.path.write_bytes(b"garbage")
    moved = store.move_aside(NOW)
    assert moved == tmp_path / "progress.json.corrupt-20260302-193000"
    assert moved.read_bytes() == b"garbage"
    store.path.write_bytes(b"more garbage")
    again = store.move_aside(NOW)
    assert again is not None and again != moved and again.read_bytes() == b"more garbage"
    store.save([_answer(1)])
    assert len(store.load().answers) == 1


# ---------------------------------------------------------------- read-only folders


def test_a_read_only_folder_gets_a_clear_message_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Saving where nothing can be written says so, naming the folder; the file stays."""
    store = ProgressStore(tmp_path)
    store.save([_answer(1)])
    before = store.path.read_bytes()

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EROFS, "Read-only file system")

    # Root ignores chmod, so the read-only folder is simulated where files get created.
    monkeypatch.setattr(progress_module.tempfile, "mkstemp", refuse)
    with pytest.raises(CannotSave) as caught:
        store.save([_answer(2)])
    message = str(caught.value)
    assert "read-only" in message and str(tmp_path) in message and "--data-dir" in message
    with pytest.raises(CannotSave):
        store.check_writable()
    monkeypatch.undo()
    assert store.path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders anyway")
def test_a_really_read_only_folder(tmp_path: Path) -> None:
    """With chmod in force, the same clear message."""
    store = ProgressStore(tmp_path)
    store.save([_answer(1)])
    tmp_path.chmod(0o500)
    try:
        with pytest.raises(CannotSave, match="read-only"):
            store.save([_answer(2)])
        assert len(store.load().answers) == 1
    finally:
        tmp_path.chmod(0o700)


def test_a_folder_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    """A data dir below a file cannot exist; the message names it."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = ProgressStore(blocker / "sub")
    with pytest.raises(CannotSave) as caught:
        store.check_writable()
    assert str(blocker / "sub") in str(caught.value)


# ---------------------------------------------------------------- two writers


def test_two_stores_on_one_folder_merge_their_answers(tmp_path: Path) -> None:
    """Interleaved saves from two sessions keep every answer of both."""
    first, second = ProgressStore(tmp_path), ProgressStore(tmp_path)
    for n in range(5):
        first.save([_answer(n)], _session(n % 2, sid="one"))
        second.save([_answer(100 + n)], _session(n % 2, sid="two"))
    loaded = first.load()
    assert len(loaded.answers) == 10
    assert set(loaded.sessions) == {"one", "two"}


def _writer(folder: str, offset: int, count: int) -> None:
    store = ProgressStore(Path(folder))
    for n in range(count):
        store.save([_answer(offset + n)])


def test_two_processes_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    """Real concurrency: two processes, forty saves each, eighty answers at the end."""
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_writer, args=(str(tmp_path), offset, 40)) for offset in (0, 1000)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    answers = ProgressStore(tmp_path).load().answers
    assert len(answers) == 80 and len({a.id for a in answers}) == 80


def test_the_same_session_resumed_twice_keeps_the_furthest_position(tmp_path: Path) -> None:
    """Two terminals resuming one session: the one that got further wins."""
    store = ProgressStore(tmp_path)
    store.save([], _session(2))
    store.save([], _session(1))
    session = store.load().sessions["s1"]
    assert session.position == 2


def test_documents_parse_back_to_what_was_written(tmp_path: Path) -> None:
    """to_json and parse are inverse on answers and sessions."""
    store = ProgressStore(tmp_path)
    progress = store.save([_answer(1), _answer(2, outcome="hinted")], _session(1))
    again = parse(json.dumps(to_json(progress)).encode(), store.path)
    assert again.answers == progress.answers
    assert again.sessions == progress.sessions


# A format-1 file as the tutor has written it since the format began: ids are text.
FORMAT_1 = {
    "schema": 1,
    "skills": {"evaluate": {"box": 2, "due": "2026-03-03", "asked": 1, "right": 1}},
    "answers": [
        {
            "id": "a1",
            "time": "2026-03-02T19:30:00+00:00",
            "lesson": "branch-merge",
            "seed": 7,
            "question": "1:value:u",
            "skills": ["evaluate"],
            "outcome": "right",
            "charged": [],
        }
    ],
    "sessions": [
        {
            "id": "s1",
            "lesson": "branch-merge",
            "seed": 7,
            "queue": ["1:value:u", "1:grad:v", "2:update:a"],
            "position": 1,
            "follow_ups": {},
            "started": "2026-03-02T19:29:00+00:00",
            "finished": False,
        }
    ],
}


def test_a_format_1_file_reads_and_is_written_back_the_same(tmp_path: Path) -> None:
    """Question ids come back as values, and go to disk as the same text as before.

    Format 2 added the tutor's records: a format 1 file reads as having none, and is
    written back as format 2 with everything else as it was.
    """
    store = ProgressStore(tmp_path)
    store.path.write_text(json.dumps(FORMAT_1))
    progress = store.load()
    assert progress.answers[0].question == QuestionId(1, Kind.VALUE, "u")
    assert progress.sessions["s1"].queue == [
        QuestionId(1, Kind.VALUE, "u"),
        QuestionId(1, Kind.GRADIENT, "v"),
        QuestionId(2, Kind.UPDATE, "a"),
    ]
    assert to_json(progress) == {**FORMAT_1, "schema": 2, "tutor": []}


def test_a_question_id_that_is_not_one_makes_the_file_damaged(tmp_path: Path) -> None:
    """An id that does not read as step:kind:node is named, and the file is left alone."""
    document = json.loads(json.dumps(FORMAT_1))
    document["sessions"][0]["queue"][1] = "1:gradient:v"
    content = json.dumps(document).encode()
    store = ProgressStore(tmp_path)
    store.path.write_bytes(content)
    with pytest.raises(UnreadableProgress, match="'1:gradient:v' is not a question id"):
        store.load()
    assert store.path.read_bytes() == content


def _save_forever(folder: str, offset: int) -> None:
    store = ProgressStore(Path(folder))
    n = offset
    while True:
        store.save([_answer(n)])
        n += 1


def test_killing_a_saving_process_never_leaves_a_broken_file(tmp_path: Path) -> None:
    """SIGKILL at arbitrary moments while saving in a loop: the file always parses."""
    import random
    import time

    context = multiprocessing.get_context("fork")
    rng = random.Random(0)
    last = 0
    for round_ in range(8):
        worker = context.Process(target=_save_forever, args=(str(tmp_path), 10_000 * round_))
        worker.start()
        time.sleep(rng.uniform(0.05, 0.3))  # lets some saves through; not a timing assertion
        worker.kill()
        worker.join(timeout=30)
        answers = ProgressStore(tmp_path).load().answers  # raises if the file were broken
        assert len(answers) >= last  # nothing already saved is ever lost
        last = len(answers)
    assert last > 0
    # Temporary files a kill left behind are cleared by the next save, under the lock.
    ProgressStore(tmp_path).save([_answer(99_999)])
    assert _files(tmp_path) == {"progress.json", "progress.json.lock"}
