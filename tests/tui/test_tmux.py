"""The real app in a real terminal (tmux): key bursts and a bracketed paste, read off the screen.

tmux is required: without it this test fails and says so (`.ci/run` installs it).
Every wait polls the pane for the text it expects, up to a deadline; no fixed sleep.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DEADLINE = 30.0  # seconds for the app to show what a step expects (a slow shared machine)
APP = Path(sys.executable).with_name("backprop-tutor")


class Tmux:
    """One tmux server of its own (its own socket), one session running the app."""

    def __init__(self, name: str) -> None:
        self.socket = name
        self.target = name

    def run(self, *args: str) -> str:
        """Run a tmux command on this server and return its output."""
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True
        )
        return done.stdout

    def screen(self) -> str:
        """The pane's text as the learner sees it."""
        return self.run("capture-pane", "-p", "-t", self.target)

    def wait_for(self, *texts: str) -> str:
        """Poll the pane until every text is on it; fail naming what never came."""
        end = time.monotonic() + DEADLINE
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.05)  # a poll interval, not a wait for the app
        missing = [t for t in texts if t not in screen]
        raise AssertionError(f"after {DEADLINE}s the screen still lacks {missing}:\n{screen}")

    def keys(self, *keys: str) -> None:
        """Send keys in one burst (tmux key names: Enter, BSpace)."""
        self.run("send-keys", "-t", self.target, *keys)

    def paste(self, text: str) -> None:
        """Paste text as a terminal does when the app asked for bracketed paste."""
        self.run("set-buffer", "-b", "t", text)
        self.run("paste-buffer", "-p", "-d", "-b", "t", "-t", self.target)


def start(tmp_path: Path, *args: str) -> Tmux:
    """`backprop-tutor ARGS` at 120×40 in a tmux server of its own, with its own data folder."""
    if shutil.which("tmux") is None:
        pytest.fail(
            "tmux is not installed: this test drives the real app in tmux (apt-get install tmux)"
        )
    # A fresh socket name for every test: a server a previous test killed may still be
    # exiting, and a client that reaches its socket gets "server exited unexpectedly".
    term = Tmux(f"bpt-test-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    env = {**os.environ, "TERM": "xterm-256color", "BACKPROP_TUTOR_HOME": str(tmp_path)}
    # A size left in the environment (another test's COLUMNS=80) would override the pane's.
    for name in ("COLUMNS", "LINES"):
        env.pop(name, None)
    subprocess.run(
        [
            "tmux",
            "-L",
            term.socket,
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            term.target,
            "-x",
            "120",
            "-y",
            "40",
            str(APP),
            *args,
        ],
        check=True,
        env=env,
    )
    return term


@contextmanager
def running(tmp_path: Path, *args: str) -> Iterator[Tmux]:
    """The app in tmux for a block; its tmux server killed afterwards."""
    term = start(tmp_path, *args)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", term.socket, "kill-server"], check=False)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    """The tutor on the worked example, in tmux; killed afterwards."""
    with running(tmp_path, "--lesson", "branch-merge") as term:
        yield term


def quiz_row(screen: str, label: str) -> str:
    """What the quiz row named `label` shows after its name (the right-hand panel)."""
    # Only lines where the path panel meets the quiz ("││"): the graph has names too.
    for line in (line for line in screen.splitlines() if "││" in line):
        quiz = line.rsplit("││", 1)[-1]
        name, _, rest = quiz.strip().partition("  ")
        if name.split(" ")[-1] == label:
            return rest.strip(" │▁▂▃▄▅▆▇█")  # the border and any scrollbar thumb
    raise AssertionError(f"no quiz row {label!r} on the screen:\n{screen}")


# The paths the lesson's plan asks first.
PATHS = (
    "J L p v u a; J L p v h u a; J R a",
    "J L p v u b; J L p v h u b",
    "J L p v c; J R c",
    "J L p v d",
)


def test_bursts_and_a_paste_reach_their_rows(tmux: Tmux) -> None:
    """`12` BSpace `34` gives 134; `2⏎4⏎6⏎` answers u, h, v; a paste is checked whole."""
    tmux.wait_for("Quiz: 0/32 solved")
    for answer in PATHS:
        tmux.paste(answer)
        tmux.keys("Enter")
    tmux.wait_for("Quiz: 4/32 solved")
    tmux.keys("1", "2", "BSpace", "3", "4")
    screen = tmux.wait_for("134")
    assert quiz_row(screen, "u") == "134"
    tmux.keys("C-u", "2", "Enter", "4", "Enter", "6", "Enter")
    # The status line follows a verdict one frame later: wait for it too.
    screen = tmux.wait_for("Quiz: 7/32 solved", "Correct: v = 6", "Forward pass at v (3/7)")
    assert [quiz_row(screen, n) for n in ("u", "h", "v")] == ["2", "4", "6"]
    tmux.paste("1/(1 + 6)")
    tmux.keys("Enter")
    screen = tmux.wait_for("Quiz: 8/32 solved", "Correct: p")
    assert quiz_row(screen, "p") == "1/(1 + 6)"


def test_keys_typed_while_the_app_starts_are_kept(tmux: Tmux) -> None:
    """An answer typed before the first screen is drawn lands in the first row, checked."""
    tmux.keys(PATHS[0], "Enter", PATHS[1], "Enter")
    screen = tmux.wait_for("Quiz: 2/32 solved", "✓ paths J→b")
    assert "✓ paths J→a" in screen and "Correct: all 3 paths from J" in screen


def test_home_lists_the_lessons_in_order_and_enter_on_the_third_opens_it(tmp_path: Path) -> None:
    """`backprop-tutor` alone: the home screen, eight lessons in order; the third opens."""
    titles = [
        "A single chain",
        "Two paths that never meet",
        "Branch and merge",
        "A shared weight",
        "A sigmoid neuron with logistic loss",
        "A tiny two-layer network",
        "Softmax with cross-entropy",
        "A residual connection",
    ]
    with running(tmp_path) as term:
        term.wait_for("Lessons (8)")
        # On a loaded machine the app can read the pane's size before tmux has set it
        # (and miss the change): a resize makes it draw at 120×40, the whole list in view.
        for width in ("119", "120"):
            term.run("resize-window", "-t", term.target, "-x", width, "-y", "40")
        screen = term.wait_for(*titles)
        # The list's lines only (inside its border): the line above names a lesson too.
        listed = [line.strip(" │") for line in screen.splitlines() if line.startswith(" │")]
        rows = [line for line in listed if any(t in line for t in titles)]
        assert [next(t for t in titles if t in row) for row in rows] == titles
        assert [row.split()[1] for row in rows] == [str(n) for n in range(1, 9)]
        term.keys("Down", "Down", "Enter")
        screen = term.wait_for("Quiz: 0/32 solved", "Branch and merge │ step 1/2")
        term.paste(PATHS[0])
        term.keys("Enter")
        term.wait_for("Quiz: 1/32 solved")
        term.keys("C-o")
        # Both steps' questions: 32 at step 1 (paths and formulas too), 21 at step 2.
        screen = term.wait_for("in progress (step 1, 1 of 53 answered)")
        assert "Continue (c): Branch and merge" in screen


def test_killing_the_terminal_ends_the_app_with_its_answer_saved(tmp_path: Path) -> None:
    """`tmux kill-server` under the app (SIGHUP, then SIGCONT, the terminal gone): the app's
    process ends and the answer is on disk. It used to live on for ever, its closing
    stuck on Textual's output thread."""
    with running(tmp_path, "--lesson", "branch-merge", "--fresh") as term:
        term.wait_for("Quiz")
        pid = int(term.run("display-message", "-p", "-t", term.target, "#{pane_pid}"))
        ended = os.pidfd_open(pid)
        term.keys("J L p v h u a; J L p v u a; J R a", "Enter")
        term.wait_for("Correct")
    try:
        gone, _, _ = select.select([ended], [], [], DEADLINE)  # readable once it has ended
    finally:
        os.close(ended)
    assert gone, f"the app (pid {pid}) was still running {DEADLINE}s after its terminal went"
    records = json.loads((tmp_path / "progress.json").read_text())["tutor"]
    texts = [event["text"] for record in records for event in record["events"]]
    assert texts == ["J L p v h u a; J L p v u a; J R a"]
