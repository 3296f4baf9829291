"""Time Enter to the verdict on screen, in the tutor and in a bare Textual input.

Run it with `.venv/bin/python benchmarks/verdict.py` (options: `--sizes`, `--lessons`,
`--rounds`, `--profile`, `--pty`, `--before DIR` with `--pty`).

In process (the default)
------------------------
The app runs under `App.run_test()` (headless) at each size. For every question of step 1,
a wrong answer and then the right one are put in the row's input, the app is let settle,
and the clock runs from an Enter key posted to the app (as the terminal driver posts it)
to the end of the first frame that shows the verdict: the row's new mark, with its
feedback line laid out on screen (the compositor has it). A second clock stops when the
graph, the path panel and the status line have caught up (the frame after). The
baseline, in the same run: a bare Textual app with an `Input` and a `Static`; Enter
writes "right" into the `Static`; the clock stops at the frame that shows it.

The figures are the median and the worst of every Enter, by size and lesson.
`--profile` prints a cProfile of every Enter (branch-merge at 120x40), from the key to
the verdict's frame, sorted by cumulative time.

In a terminal (`--pty`)
-----------------------
The real console script runs in a pseudo-terminal of each size (the real driver, every
byte written): answers are typed as keys and the clock runs from writing the Enter byte
to reading the end of the first frame (Textual wraps each in synchronized-output codes)
that holds the new mark (✗ or ✓). The baseline is the bare app in the same terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LESSONS = ("branch-merge", "softmax-cross-entropy")
SIZES = ((120, 40), (200, 60))
EACH = False  # --each: print every Enter's figures as it is measured
WRONG = "12345"  # a well-formed number no answer of these lessons has


@dataclass
class Figures:
    """Seconds from Enter to the verdict's frame, and to the frame where everything follows
    (wall clock), and the CPU seconds the process spent from Enter to the verdict's frame."""

    verdict: list[float] = field(default_factory=list)
    follow: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


class Frames:
    """Times each frame the app paints, and which wait it satisfied."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.waiting: list[tuple[Callable[[], bool], asyncio.Future[tuple[float, float]]]] = []
        self._hook = app.post_display_hook
        app.post_display_hook = self._painted

    def _painted(self) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        for wait in list(self.waiting):
            done, future = wait
            if done():
                self.waiting.remove(wait)
                if not future.done():
                    future.set_result((now, cpu))
        self._hook()

    def when(self, done: Callable[[], bool]) -> asyncio.Future[tuple[float, float]]:
        """A future set to the (wall, CPU) time of the first frame painted with `done()` true."""
        future: asyncio.Future[tuple[float, float]] = asyncio.get_running_loop().create_future()
        self.waiting.append((done, future))
        return future


def on_screen(app: Any, widget: Any) -> bool:
    """Whether the last frame laid `widget` out where it shows."""
    return bool(widget.display) and widget in app.screen._compositor.visible_widgets


async def enter(app: Any) -> tuple[float, float]:
    """Post Enter to the app as the driver does; the (wall, CPU) time it was posted."""
    from textual import events

    t0 = time.perf_counter(), time.process_time()
    app.post_message(events.Key("enter", "\r"))
    return t0


def right_answer(question: Any) -> str:
    """What a learner types to answer a question right: a path or formula, or the number."""
    return str(question.typed or repr(question.expected))


async def tutor_run(
    lesson: str, size: tuple[int, int], figures: Figures, profile: cProfile.Profile | None
) -> None:
    """Every question of step 1: a wrong answer, then the right one (each saved, as the
    console script saves it, in a progress file of its own)."""
    from backprop_tutor.quiz import Status
    from backprop_tutor.study.progress import ProgressStore
    from backprop_tutor.tui import make_app

    folder = tempfile.TemporaryDirectory(prefix="verdict-")
    app = make_app(lesson, store=ProgressStore(Path(folder.name)), fresh=True)
    async with app.run_test(size=size) as pilot:
        await app.settled()
        screen = app.tutor
        assert screen is not None
        frames = Frames(app)
        session = screen.state.session
        for index, question in enumerate(screen.state.questions):
            for text in (WRONG, right_answer(question)):
                row = screen.quiz_panel.rows[index]
                row.input.focus()
                await app.settled()
                row.input.value = text
                await app.settled()
                before = row.status

                def shown(row: Any = row, before: str = before) -> bool:
                    lines = list(row.query(".question-feedback"))
                    return row.status != before and bool(lines) and on_screen(app, lines[0])

                def followed() -> bool:
                    return bool(
                        screen.graph_panel.state == screen.state.graph_state
                        and not screen._pending_panels
                    )

                verdict = frames.when(shown)
                if profile is not None:
                    profile.enable()
                (t0, c0) = await enter(app)
                painted, cpu = await asyncio.wait_for(verdict, timeout=30)
                if profile is not None:
                    profile.disable()
                follow = frames.when(followed)
                caught_up, _ = await asyncio.wait_for(follow, timeout=30)
                figures.verdict.append(painted - t0)
                figures.cpu.append(cpu - c0)
                figures.follow.append(caught_up - t0)
                if EACH:
                    print(
                        f"    {question.row_label:<16} {'wrong' if text == WRONG else 'right':<6}"
                        f" {(painted - t0) * 1000:6.1f} ms, CPU {(cpu - c0) * 1000:6.1f} ms,"
                        f" all panels {(caught_up - t0) * 1000:6.1f} ms"
                    )
                await app.settled()
                if session.status(question.id) is Status.SOLVED:
                    break
            await pilot.pause()
    folder.cleanup()


async def bare_run(size: tuple[int, int], answers: int, figures: Figures) -> None:
    """A bare Textual app: an Input whose Enter writes a word into a Static."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input, Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Input(id="answer")
            yield Static(id="verdict")

        def on_input_submitted(self, event: Input.Submitted) -> None:
            self.query_one(Static).update(f"right: {event.value}")

    app = Bare()
    async with app.run_test(size=size) as pilot:
        frames = Frames(app)
        field_ = app.query_one(Input)
        verdict_line = app.query_one(Static)
        for n in range(answers):
            field_.value = str(n)
            await pilot.pause()
            word = f"right: {n}"

            def said(word: str = word) -> bool:
                return str(verdict_line.render()) == word

            verdict = frames.when(said)
            (t0, c0) = await enter(app)
            painted, cpu = await asyncio.wait_for(verdict, timeout=30)
            figures.verdict.append(painted - t0)
            figures.cpu.append(cpu - c0)
            await pilot.pause()


def in_process(
    sizes: tuple[tuple[int, int], ...],
    lessons: tuple[str, ...],
    rounds: int,
    profile: bool,
    dump: str | None = None,
) -> None:
    """Measure and print every size and lesson against the bare input."""
    prof = cProfile.Profile() if profile else None
    print("Enter to verdict painted, in process (headless), ms: median / worst")
    for size in sizes:
        label = f"{size[0]}x{size[1]}"
        bare = Figures()
        tutors = {lesson: Figures() for lesson in lessons}
        for _ in range(rounds):
            for lesson in lessons:
                use = (
                    prof if prof is not None and lesson == lessons[0] and size == sizes[0] else None
                )
                asyncio.run(tutor_run(lesson, size, tutors[lesson], use))
                asyncio.run(bare_run(size, 20, bare))
        print(f"  {label:<8} {'bare Input':<22} verdict {ms(bare.verdict)}   CPU {ms(bare.cpu)}")
        for lesson, figures in tutors.items():
            print(
                f"  {label:<8} {lesson:<22} verdict {ms(figures.verdict)}   CPU {ms(figures.cpu)}"
                f"   all panels {ms(figures.follow)}   ({len(figures.verdict)} Enters)"
            )
    if prof is not None:
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue())
        if dump:
            prof.dump_stats(dump)


# --- in a terminal ------------------------------------------------------------------------
# A wrong number is marked ✗; a number where a path is asked, ? (unreadable): `marked`.
FRAME_END = b"\x1b[?2026l"  # Textual ends each frame's synchronized output with this
BARE_SCRIPT = """
from textual.app import App
from textual.widgets import Input, Static

class Bare(App):
    def compose(self):
        yield Input(id="answer")
        yield Static(id="verdict")

    def on_input_submitted(self, event):
        self.query_one(Static).update("\u2713 " + event.value)

Bare().run()
"""


class Terminal:
    """A program in a pseudo-terminal of a given size, its output read as it comes."""

    def __init__(self, argv: list[str], size: tuple[int, int], env: dict[str, str]) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        width, height = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.buffer = b""
        self.frame_bytes = 0  # the size of the last frame `frame_with` found

    def started(self, text: bytes, limit: float = 60.0) -> None:
        """Wait for `text` on screen, answering the app's question about synchronized output
        as a current terminal does (so that each frame comes wrapped), then for quiet."""
        start, answered = time.monotonic(), False
        while time.monotonic() - start < limit:
            self.read(0.1)
            if not answered and b"\x1b[?2026$p" in self.buffer:
                os.write(self.master, b"\x1b[?2026;2$y")  # known, currently off
                answered = True
            if text in self.buffer:
                self.quiet()
                return
        raise TimeoutError(f"the program never showed {text!r}")

    def read(self, timeout: float) -> bytes:
        """What the program wrote within `timeout` seconds (b"" if nothing)."""
        import select

        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return b""
        self.buffer += chunk
        return chunk

    def quiet(self, seconds: float = 0.3, limit: float = 30.0) -> bytes:
        """Read until nothing has come for `seconds`; everything read."""
        start, got = time.monotonic(), b""
        while time.monotonic() - start < limit:
            chunk = self.read(seconds)
            if not chunk:
                return got
            got += chunk
        return got

    def write(self, data: bytes) -> float:
        """Send bytes as typed keys; the time they were sent."""
        sent = time.perf_counter()
        os.write(self.master, data)
        return sent

    def frame_with(self, marks: tuple[bytes, ...], limit: float = 10.0) -> float:
        """The time the end of the first frame holding one of `marks` was read."""
        seen, start = b"", time.perf_counter()
        while time.perf_counter() - start < limit:
            chunk = self.read(limit)
            now = time.perf_counter()
            seen += chunk
            while FRAME_END in seen:
                frame, _, seen = seen.partition(FRAME_END)
                if any(mark in frame for mark in marks):
                    self.frame_bytes = len(frame)
                    return now
        raise TimeoutError(f"no frame with {marks} within {limit} s")

    def close(self) -> None:
        """Stop the program (the one this object started)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
        os.close(self.master)


def terminal_env(folder: str) -> dict[str, str]:
    """The environment of a learner's terminal, with a progress folder of its own."""
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env["BACKPROP_TUTOR_HOME"] = folder
    env.pop("TEXTUAL", None)
    return env


def answers(lesson: str) -> list[tuple[str, str]]:
    """Each question of step 1 in the lesson's own plan (as the console script asks them):
    the name its row shows, and the right answer as a learner would type it."""
    from backprop_tutor.engine import load_lesson, run_lesson
    from backprop_tutor.quiz import QuizSession
    from backprop_tutor.quiz.plan import lesson_plan
    from backprop_tutor.tui.widgets.question_row import LABEL_WIDTH

    loaded = load_lesson(lesson)
    session = QuizSession(loaded, run_lesson(loaded), lesson_plan(loaded))
    # The row's name as it draws it: cut to fit its column (`QuestionRow._label_text`).
    return [(q.row_label[-(LABEL_WIDTH - 3) :], right_answer(q)) for q in session.questions_for(1)]


def marked(marks: str, name: str) -> tuple[bytes, ...]:
    """The row's name with any of `marks` before it, as its frame writes it: the mark of
    the row itself, not a ✓ elsewhere (the status line ends with one)."""
    return tuple(f"{mark} {name}".encode() for mark in marks)


def in_terminal(
    lesson: str, size: tuple[int, int], figures: Figures, before: str | None = None
) -> None:
    """The console script in a terminal: each question of step 1 wrong, then right.

    `before`: the same run from another source tree (`python -m backprop_tutor` with
    PYTHONPATH set to it; its `__main__` runs what its console script ran)."""
    script = Path(sys.executable).with_name("backprop-tutor")
    with tempfile.TemporaryDirectory(prefix="verdict-") as folder:
        env = terminal_env(folder)
        argv = [str(script)]
        if before is not None:
            env["PYTHONPATH"] = before
            argv = [sys.executable, "-m", "backprop_tutor"]
        term = Terminal([*argv, "--lesson", lesson, "--fresh"], size, env)
        try:
            term.started(b"Quiz")
            for name, right in answers(lesson):
                for text, marks in ((WRONG, marked("✗?", name)), (right, marked("✓", name))):
                    term.write(text.encode())
                    term.quiet()
                    sent = term.write(b"\r")
                    figures.verdict.append(term.frame_with(marks) - sent)
                    if EACH:
                        kind = "wrong" if text == WRONG else "right"
                        print(
                            f"    {text[:24]:<24} {kind:<6} {figures.verdict[-1] * 1000:6.1f} ms,"
                            f" a frame of {term.frame_bytes} bytes"
                        )
                    term.quiet()
                    if text == WRONG:
                        term.write(b"\x7f" * len(text))  # Backspace, as the terminal sends it
                        term.quiet()
        finally:
            term.close()


def bare_in_terminal(size: tuple[int, int], count: int, figures: Figures) -> None:
    """The bare app in a terminal: Enter writes a mark into a Static."""
    with tempfile.TemporaryDirectory(prefix="verdict-") as folder:
        term = Terminal([sys.executable, "-c", BARE_SCRIPT], size, terminal_env(folder))
        try:
            term.started(FRAME_END)
            for n in range(count):
                term.write(str(n).encode())
                term.quiet()
                sent = term.write(b"\r")
                figures.verdict.append(term.frame_with(("✓".encode(),)) - sent)
                term.quiet()
        finally:
            term.close()


def terminal(
    sizes: tuple[tuple[int, int], ...],
    lessons: tuple[str, ...],
    rounds: int,
    before: str | None = None,
) -> None:
    """Measure and print every size and lesson in a terminal, against the bare input (and
    the same from the `before` tree, alternated run by run)."""
    print("Enter to verdict painted, in a terminal (pty, the real driver), ms: median / worst")
    for size in sizes:
        label = f"{size[0]}x{size[1]}"
        bare = Figures()
        tutors = {lesson: Figures() for lesson in lessons}
        befores = {lesson: Figures() for lesson in lessons}
        for _ in range(rounds):
            for lesson in lessons:
                in_terminal(lesson, size, tutors[lesson])
                if before is not None:
                    in_terminal(lesson, size, befores[lesson], before)
                bare_in_terminal(size, 20, bare)
        print(f"  {label:<8} {'bare Input':<22} verdict {ms(bare.verdict)}")
        for name, runs in (("", tutors), (", before", befores)):
            for lesson, figures in runs.items():
                if figures.verdict:
                    print(
                        f"  {label:<8} {lesson + name:<30} verdict {ms(figures.verdict)}"
                        f"   ({len(figures.verdict)} Enters)"
                    )


def ms(times: list[float]) -> str:
    """Median / worst in milliseconds."""
    return f"{statistics.median(times) * 1000:6.1f} / {max(times) * 1000:6.1f}"


def main() -> int:
    """Parse the options and measure."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="+", default=["120x40", "200x60"], help="WxH ...")
    parser.add_argument("--lessons", nargs="+", default=list(LESSONS))
    parser.add_argument("--rounds", type=int, default=1, help="runs of each (default 1)")
    parser.add_argument("--profile", action="store_true", help="cProfile the Enters")
    parser.add_argument("--dump", help="with --profile: also write the profile to this file")
    parser.add_argument("--pty", action="store_true", help="in a terminal, not in process")
    parser.add_argument("--before", help="with --pty: also a source tree's src, alternated")
    parser.add_argument("--each", action="store_true", help="print every Enter's figures")
    args = parser.parse_args()
    global EACH
    EACH = args.each
    sizes = tuple(tuple(int(n) for n in s.split("x")) for s in args.sizes)
    if args.pty:
        terminal(sizes, tuple(args.lessons), args.rounds, args.before)  # type: ignore[arg-type]
    else:
        in_process(
            sizes, tuple(args.lessons), args.rounds, args.profile or bool(args.dump), args.dump
        )  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
