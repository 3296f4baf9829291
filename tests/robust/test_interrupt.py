"""ctrl+c (SIGINT) in a real process: a clear line, answers saved, the documented exit code.

Before issue 17 it ended every front end with exit 130, no word and no summary. Now the
plain front ends treat ctrl+c at a prompt as `q` (summary or saved place, exit 0), and
anything else interrupted says so on one line and exits 130, as the README says.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.study.conftest import FakeClock

from backprop_tutor.engine import load_lesson
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.session import StudySession

PROMPT_WAIT = 60.0  # seconds for a prompt to appear on a busy machine; a hang fails here


def _start(*argv: str, home: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONUTF8="1", BACKPROP_TUTOR_HOME=str(home))
    env.pop("FORCE_COLOR", None)
    return subprocess.Popen(
        [sys.executable, "-m", "backprop_tutor", *argv],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # The test runner may ignore SIGINT; the child must get Python's usual handler.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _read_until(process: subprocess.Popen[bytes], marker: bytes, seen: bytearray) -> None:
    """Read stdout until `marker` has appeared since the last call (a prompt waiting)."""
    assert process.stdout is not None
    start = len(seen)
    deadline = time.monotonic() + PROMPT_WAIT
    while marker not in seen[start:]:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} after {PROMPT_WAIT} s: {bytes(seen)!r}"
        ready, _, _ = select.select([process.stdout], [], [], left)
        if ready:
            chunk = os.read(process.stdout.fileno(), 65536)
            assert chunk, f"output ended before {marker!r}: {bytes(seen)!r}"
            seen += chunk


def _interrupt(process: subprocess.Popen[bytes], seen: bytearray) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=PROMPT_WAIT)
    return process.returncode, (bytes(seen) + rest).decode(), err.decode()


def test_ctrl_c_in_plain_self_study_saves_and_says_where_you_are(tmp_path: Path) -> None:
    """One answer given, then ctrl+c at the next prompt: saved, the place named, exit 0."""
    lesson = load_lesson("branch-merge")
    plan = StudySession.open(
        ProgressStore(tmp_path / "plan"), lesson, clock=FakeClock(), seed=7, new_seed=lambda: 7
    )
    first = plan.current
    assert first is not None
    # What show-me gives is a right answer of any kind (the first may ask for paths).
    right = plan.quiz.reveal(first.id).shown
    process = _start("quiz", "--plain", "--seed", "7", home=tmp_path / "home")
    seen = bytearray()
    _read_until(process, b"= ?", seen)
    assert process.stdin is not None
    process.stdin.write(f"{right}\n".encode())
    process.stdin.flush()
    _read_until(process, b"= ?", seen)
    code, out, err = _interrupt(process, seen)
    assert code == 0, (out, err)
    assert f"Stopped at question 2 of {plan.total}; your place is saved" in out
    assert "Traceback" not in err and "Traceback" not in out
    saved = json.loads((tmp_path / "home" / "progress.json").read_text())
    assert [a["question"] for a in saved["answers"]] == [str(first.id)]
    assert saved["sessions"][0]["position"] == 1


def test_ctrl_c_in_the_plain_tutor_ends_with_the_summary(tmp_path: Path) -> None:
    """The plain tutor at its first prompt: "Stopped.", the summary, exit 0."""
    process = _start("--plain", home=tmp_path)
    seen = bytearray()
    _read_until(process, b"= ?", seen)
    code, out, err = _interrupt(process, seen)
    assert code == 0, (out, err)
    assert "Stopped." in out and "Summary" in out
    assert "Traceback" not in err
