"""Hostile progress files: each loads and is used, or is "unreadable" and offered to move aside.

Every named case here loaded before issue 17 and then crashed (a date the scheduler cannot
add a day to, an integer past Python's digit limit, nesting past the recursion limit), made
every later save fail (a lone surrogate), or hung (a FIFO). The generated documents keep
the class closed: whatever the file holds, loading it either gives progress that can be
replayed, summed up and saved again, or raises UnreadableProgress, nothing else.
"""

from __future__ import annotations

import copy
import json
import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import RunMain

from backprop_tutor.quiz import Kind, QuestionId
from backprop_tutor.study.progress import (
    Progress,
    ProgressStore,
    UnreadableProgress,
    parse,
    to_json,
)
from backprop_tutor.study.scheduler import Answer, SessionPlan, next_due, streak

NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)
EXAMPLES = int(os.environ.get("BACKPROP_TUTOR_FUZZ_EXAMPLES", "150"))


def _document() -> dict[str, Any]:
    """A valid progress document: one answer and one open session on the built-in lesson."""
    answer = Answer(
        "a1", NOW, "branch-merge", 7, QuestionId(1, Kind.VALUE, "u"), ("evaluate",), "right"
    )
    queue = [QuestionId(1, Kind.VALUE, "u"), QuestionId(1, Kind.VALUE, "h")]
    session = SessionPlan("s1", "branch-merge", 7, queue, 1, started=NOW)
    return to_json(Progress(answers=[answer], sessions={"s1": session}))


def _with(change: Callable[[dict[str, Any]], None]) -> bytes:
    document = _document()
    change(document)
    return json.dumps(document, ensure_ascii=True).encode()


def _set(*where: str | int, to: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        target: Any = document
        for key in where[:-1]:
            target = target[key]
        target[where[-1]] = to

    return change


def _deep(depth: int) -> bytes:
    text = json.dumps(_document())
    return (text[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}").encode()


# Each kind, as the bytes of progress.json.
HOSTILE: dict[str, bytes] = {
    "a date at the end of the calendar": _with(
        _set("answers", 0, "time", to="9999-12-31T23:59:59+00:00")
    ),
    "a date before the calendar's first days": _with(
        _set("answers", 0, "time", to="0001-01-01T00:00:00+05:00")
    ),
    "a session started in year 9999": _with(
        _set("sessions", 0, "started", to="9999-12-31T00:00:00+00:00")
    ),
    "a seed of 5000 digits": _with(_set("answers", 0, "seed", to=0)).replace(
        b'"seed": 0', b'"seed": ' + b"9" * 5000
    ),
    "a seed of 1000 digits": _with(_set("sessions", 0, "seed", to=10**1000)),
    "a follow-up count of 400 digits": _with(
        _set("sessions", 0, "follow_ups", to={"evaluate": 10**400})
    ),
    "JSON nested 100000 deep": _deep(100_000),
    "JSON nested 40 deep": _deep(40),
    "a lone surrogate escape": _with(_set("answers", 0, "lesson", to="\ud800")),
    "an escape sequence in a lesson name": _with(_set("answers", 0, "lesson", to="\x1b[2J")),
    "NaN": _with(_set("extra", to=float("nan"))),
    "Infinity": _with(_set("extra", to=float("inf"))),
    "a string of a million characters": _with(_set("answers", 0, "id", to="x" * 1_000_000)),
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_file_that_cannot_be_used_is_unreadable(tmp_path: Path, raw: bytes) -> None:
    """Each kind is refused on load with a one-line reason, the file left as it was."""
    store = ProgressStore(tmp_path)
    store.path.write_bytes(raw)
    with pytest.raises(UnreadableProgress) as caught:
        store.load()
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    assert store.path.read_bytes() == raw


@pytest.mark.parametrize("raw", list(HOSTILE.values())[:6], ids=list(HOSTILE)[:6])
def test_the_quiz_says_so_in_one_line_and_changes_nothing(
    run_main: RunMain, tmp_path: Path, raw: bytes
) -> None:
    """Without a terminal to ask on: one line naming the file, exit 2, the file untouched."""
    (tmp_path / "progress.json").write_bytes(raw)
    result = run_main("quiz", "--plain", "--data-dir", str(tmp_path), stdin="q\n")
    assert result.returncode == 2, result.stdout
    assert result.stderr.count("\n") == 1 and "progress.json" in result.stderr
    assert "Traceback" not in result.stderr
    assert (tmp_path / "progress.json").read_bytes() == raw


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    """A named pipe as progress.json hung the quiz on its read."""
    store = ProgressStore(tmp_path)
    os.mkfifo(store.path)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            store.load()
            outcome.append(None)
        except BaseException as error:  # handed over to the test's thread
            outcome.append(error)

    reader = threading.Thread(target=load, daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():
        # Let the stuck reader go before failing, so the test process can end.
        with open(store.path, "wb"):
            pass
        pytest.fail("loading a FIFO hangs")
    assert isinstance(outcome[0], UnreadableProgress)
    assert "named pipe" in str(outcome[0])
    moved = store.move_aside(NOW)
    assert moved is not None and not store.path.exists()


@pytest.mark.parametrize("kind", ["folder", "symlink loop", "device", "huge"])
def test_special_files_are_refused_by_kind(tmp_path: Path, kind: str) -> None:
    """A folder, a looping link, /dev/zero (an endless read) or a 65 MB file: each named."""
    store = ProgressStore(tmp_path)
    if kind == "folder":
        store.path.mkdir()
    elif kind == "symlink loop":
        store.path.symlink_to(store.path)
    elif kind == "device":
        store.path.symlink_to("/dev/zero")
    else:
        with open(store.path, "wb") as handle:
            handle.truncate(65 * 1024 * 1024)  # sparse: no disk used
    with pytest.raises(UnreadableProgress) as caught:
        store.load()
    expected = {
        "folder": "a folder",
        "symlink loop": "a symbolic link loop",
        "device": "a device",
        "huge": "larger than",
    }
    assert expected[kind] in str(caught.value)


# ---------------------------------------------------------------- generated documents

_EXTREME_INTS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 2**63, 2**63 - 1, 10**400]),
)
_EXTREME_STRINGS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", "\ud800", "\x1b]0;x\x07", "1:value:u", "9" * 30]),
)
_TIMES = st.one_of(
    st.datetimes(timezones=st.just(UTC)).map(lambda t: t.isoformat()),
    st.datetimes().map(lambda t: t.isoformat()),
    st.sampled_from(["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00-12:00", "now", ""]),
)
_LEAF = st.one_of(st.none(), st.booleans(), _EXTREME_INTS, st.floats(), _EXTREME_STRINGS, _TIMES)
_ANY = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(_EXTREME_STRINGS, inner, max_size=3)
    ),
    max_leaves=8,
)
_FIELDS = {
    ("answers", 0, "time"): _TIMES,
    ("answers", 0, "seed"): _EXTREME_INTS,
    ("answers", 0, "question"): _EXTREME_STRINGS,
    ("answers", 0, "outcome"): st.sampled_from(["right", "hinted", "missed", "wrong"]),
    ("answers", 0, "skills"): st.lists(_EXTREME_STRINGS, max_size=3),
    ("answers", 0, "lesson"): _EXTREME_STRINGS,
    ("sessions", 0, "position"): _EXTREME_INTS,
    ("sessions", 0, "seed"): _EXTREME_INTS,
    ("sessions", 0, "queue"): st.lists(_EXTREME_STRINGS, max_size=3),
    ("sessions", 0, "follow_ups"): st.dictionaries(_EXTREME_STRINGS, _EXTREME_INTS, max_size=2),
    ("sessions", 0, "started"): st.one_of(st.none(), _TIMES),
    ("answers", 0): _ANY,
    ("sessions", 0): _ANY,
    ("answers",): _ANY,
    ("schema",): st.one_of(_EXTREME_INTS, st.just(1)),
}


@st.composite
def _documents(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document with a few fields replaced by extreme values or wrong shapes."""
    document = copy.deepcopy(_document())
    keys = list(_FIELDS)
    for index in draw(st.lists(st.sampled_from(range(len(keys))), min_size=1, max_size=3)):
        where = keys[index]
        target: Any = document
        try:
            for key in where[:-1]:
                target = target[key]
            target[where[-1]] = draw(_FIELDS[where])
        except (KeyError, IndexError, TypeError):
            continue  # an earlier replacement took the container away
    return document


def _usable(progress: Progress, store: ProgressStore) -> None:
    """What the front ends do with loaded progress: replay, sum up, resume, save again."""
    states = progress.skills()
    today = NOW.date()
    next_due(states, today)
    streak(progress.answers, today)
    progress.open_session("branch-merge")
    store.save()


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(document=_documents())
def test_any_document_loads_and_is_usable_or_is_unreadable(
    tmp_path: Path, document: dict[str, Any]
) -> None:
    """Loaded progress replays and saves without raising; anything else is UnreadableProgress."""
    raw = json.dumps(document, ensure_ascii=True, allow_nan=True).encode()
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    store = ProgressStore(folder)
    store.path.write_bytes(raw)
    try:
        progress = store.load()
    except UnreadableProgress as problem:
        assert "\n" not in str(problem)
        return
    _usable(progress, store)
    assert parse(store.path.read_bytes(), store.path).answers == progress.answers
