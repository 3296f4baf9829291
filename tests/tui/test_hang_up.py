"""The terminal closing under the tutor or the study app (SIGHUP, or its other end closed
with no signal) ends it as the quit key does: every answer saved, the place kept, exit
code 0; Python's default would end it at once, and with no signal Textual's input thread
spun for ever."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a POSIX terminal")

SCRIPT = Path(sys.executable).with_name("backprop-tutor")
ANSWER = b"J L p v h u a; J L p v u a; J R a"


def read_until(master: int, wanted: bytes, seen: bytes, limit: float = 60.0) -> bytes:
    """What the app wrote, read until `wanted` has come (or the limit has passed)."""
    deadline = time.monotonic() + limit
    while wanted not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.1)[0]:
            try:
                seen += os.read(master, 65536)
            except OSError:
                break
    return seen


# The tutor, and the study app (its first question is the same paths, `--seed` fixing
# it): how each is started, and a word of its first screen's.
APPS = {
    "tutor": (["--lesson", "branch-merge", "--fresh"], b"Quiz"),
    "study": (["quiz", "--lesson", "branch-merge", "--seed", "3"], b"Question"),
}


def saved_answers(folder: Path, app: str) -> list[str]:
    """What the progress file holds of the answer: the tutor's text, the study's outcome."""
    progress = json.loads((folder / "progress.json").read_text())
    if app == "tutor":
        return [e["text"] for r in progress["tutor"] for e in r["events"]]
    return [f"{a['question']} {a['outcome']}" for a in progress["answers"]]


@pytest.mark.parametrize("app", sorted(APPS))
@pytest.mark.parametrize("gone", ["sighup", "closed"])
def test_a_hang_up_right_after_an_answer_keeps_it(tmp_path: Path, gone: str, app: str) -> None:
    """Enter, the verdict on screen, then the terminal gone: the answer is on disk and the
    app has ended with 0. `sighup`: the terminal says so; `closed`: its other end closes
    with no signal at all (a multiplexer killed), where the app used to spin for ever."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", BACKPROP_TUTOR_HOME=str(tmp_path))
    child = subprocess.Popen(
        [str(SCRIPT), *APPS[app][0]],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    closed = False
    try:
        started = APPS[app][1]
        seen = read_until(master, started, b"")
        assert started in seen, seen[-300:]
        os.write(master, ANSWER + b"\r")
        seen = read_until(master, b"Correct", seen)
        assert b"Correct" in seen, "the verdict was shown"
        deadline = time.monotonic() + 30
        if gone == "sighup":
            child.send_signal(signal.SIGHUP)  # the save may still be waiting for its frame
            while child.poll() is None and time.monotonic() < deadline:
                read_until(master, b"\0never", b"", limit=0.2)  # a full terminal would block it
        else:
            os.close(master)
            closed = True
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=30)
        assert child.poll() == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        if not closed:
            os.close(master)
    expected = ANSWER.decode() if app == "tutor" else "1:paths:a right"
    assert saved_answers(tmp_path, app) == [expected]
