"""The progress lock held by someone else: say who while waiting, give up after a bound.

Before issue 17 a save waited forever on `flock`, with no word, when another process held
the lock (stopped with ctrl+z, or holding it by hand).
"""

from __future__ import annotations

import fcntl
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest
from tests.conftest import RunMain

from backprop_tutor.study import progress_lock
from backprop_tutor.study.progress import CannotSave, ProgressStore


@pytest.fixture
def held(tmp_path: Path) -> Iterator[IO[str]]:
    """The lock taken, as another process would take it (flock is per open file)."""
    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / "progress.json.lock", "a+") as handle:
        progress_lock.acquire(handle, tmp_path / "progress.json.lock", waiting=None)
        yield handle


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """The bound, cut to a fraction of a second so the give-up comes quickly."""
    monkeypatch.setattr(progress_lock, "WAIT_LIMIT", 0.2)


def test_a_held_lock_is_named_while_waiting_and_given_up_on(
    tmp_path: Path, held: IO[str], short_wait: None
) -> None:
    """The wait names pid, host and since; the give-up is CannotSave, one line."""
    store = ProgressStore(tmp_path)
    said: list[str] = []
    store.on_wait = said.append
    with pytest.raises(CannotSave) as caught:
        store.save()
    holder = f"process {os.getpid()} on {socket.gethostname()}, since "
    assert len(said) == 1 and holder in said[0] and "waiting for progress.json.lock" in said[0]
    message = str(caught.value)
    assert holder in message and "for more than 0.2 s" in message and "\n" not in message
    assert not store.path.exists()


def test_a_lock_released_during_the_wait_is_taken(tmp_path: Path, held: IO[str]) -> None:
    """The usual case: the other session finishes its save, and this one goes ahead."""
    store = ProgressStore(tmp_path)
    waiting = threading.Event()
    store.on_wait = lambda text: waiting.set()
    errors: list[BaseException] = []

    def save() -> None:
        try:
            store.save()
        except BaseException as error:  # handed over to the test's thread
            errors.append(error)

    saver = threading.Thread(target=save)
    saver.start()
    assert waiting.wait(timeout=30), "the save never said it was waiting"
    fcntl.flock(held.fileno(), fcntl.LOCK_UN)
    saver.join(timeout=30)
    assert not saver.is_alive() and errors == []
    assert store.path.exists()


@pytest.mark.parametrize(
    ("stamp", "expected"),
    [
        ("", "another process (it did not say which)"),
        ("not json", "another process (it did not say which)"),
        (
            '{"pid": 12, "host": "\\u001b[2Jbox", "since": "12:00"}',
            "process 12 on 2Jbox, since 12:00",
        ),
    ],
    ids=["empty", "garbage", "escape sequence"],
)
def test_whatever_the_lock_file_says_is_one_clean_line(
    tmp_path: Path, stamp: str, expected: str
) -> None:
    """A lock taken by `flock(1)` writes nothing; a hostile stamp is cut to plain characters."""
    path = tmp_path / "progress.json.lock"
    path.write_text(stamp)
    with open(path, "a+") as handle:
        assert progress_lock.describe_holder(handle) == expected


def test_the_plain_quiz_gives_up_with_one_line(
    run_main: RunMain, tmp_path: Path, held: IO[str], short_wait: None
) -> None:
    """`quiz --plain` with the lock held: the wait said, then one line naming the holder."""
    result = run_main("quiz", "--plain", "--data-dir", str(tmp_path), stdin="q\n")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert "waiting for progress.json.lock, held by process" in lines[0]
    assert len(lines) == 2 and "has been held by process" in lines[1]
