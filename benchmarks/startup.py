"""Time the tutor's first screen against a bare Textual app's, and the time from Enter to feedback.

Run it with `.venv/bin/python benchmarks/startup.py` (`--help` lists the options).

Start-up
--------
What a learner waits for: each run starts a fresh Python process in a pseudo-terminal of
the given size (120x40), running what the console script runs (`launch.main`), and the clock
stops at the first moment the terminal has been sent every piece of the first screen. The
parent reads what the child writes, drops the escape sequences, and stops when every
marker text of that screen has arrived: a line of its content, and the footer's
"palette" key (Textual's Footer adds its keys a frame after the first one, for the bare
app too). The screens, alternated run by run so that they share the machine's state:

- bare: a bare Textual app in the same venv (a Header, a Static "hello", a Footer), to
  "hello" and the footer;
- home: `backprop-tutor`, which opens the home screen, to the last lesson listed;
- lesson: `backprop-tutor --lesson branch-merge`, to the quiz and the path panel's words.

Every child gets TERM=xterm-256color, a data folder of its own (nothing saved: a first
start) and its bytecode cached in a folder of this run's (PYTHONPYCACHEPREFIX, after one
warm-up each). Without that, an environment with PYTHONDONTWRITEBYTECODE=1 compiles the
tutor's ~90 modules from source in every run, while Textual's were compiled when pip
installed it: about 0.2 s that an installed tutor never pays.

It prints the median wall time and CPU time (the child's rusage; it exits as soon as the
screen is there) of each, their ratio to the bare app (the aim: within 1.2), and the CPU
by phase, marked inside the child: the interpreter's start; from there to `App.run`
(imports, the command line, lessons loaded); and from `App.run` to the first screen (the
screen built, composed, styled, laid out and painted). `--before DIR` adds both tutor
screens run from another source tree (`PYTHONPATH=DIR`, e.g. a copy of main),
alternated with the rest, for a before/after in one run. `--tmux` measures the same
screens in tmux (a real terminal emulator; the pane is read every 10 ms, so wall time
only, with a resolution of about 10 ms).

Enter to feedback
-----------------
In one process, the tutor is driven by a Pilot through every quantity of step 1: the
answer is put in its input, then the clock runs from Enter (the input's submit action)
until the row has its verdict and the screen has been refreshed with it (the checker has
run; the graph and the path panel follow in the same refresh). The median and the worst
are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field

BARE = """
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

Bare().run()
"""

# What the console script runs (a `--before` tree from before `launch` ran `cli.main`).
TUTOR = """
try:
    from backprop_tutor.launch import main
except ImportError:
    from backprop_tutor.cli import main
raise SystemExit(main(ARGS))
"""

# Put before each child's program: CPU marks at its start, at App.run, and when the parent
# says the screen is there (SIGUSR1), written to MARKS. App.run is wrapped as textual.app
# is first imported, so no import moves earlier than the program makes it.
CHILD = """
import os, signal, sys, time
_marks = [time.process_time()]

class _MarkRun:
    @staticmethod
    def find_spec(name, path=None, target=None):
        if name != "textual.app":
            return None
        sys.meta_path.remove(_MarkRun)
        import importlib.util
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module

        def exec_module(module):
            load(module)
            run = module.App.run

            def marked(self, *args, **kwargs):
                _marks.append(time.process_time())
                return run(self, *args, **kwargs)

            module.App.run = marked

        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _MarkRun)

def _report(*_):
    _marks.append(time.process_time())
    with open(MARKS, "w") as out:
        out.write(" ".join(map(str, _marks)))
    os._exit(0)

signal.signal(signal.SIGUSR1, _report)
"""

# CSI, OSC, charset and two-byte escapes: what is left is the text the screen shows.
ESCAPE = re.compile(
    rb"\x1b(\[[0-9;?<>=$ ]*[A-Za-z@`~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|.)"
)


@dataclass(frozen=True)
class Screen:
    """One first screen to time: what runs, and the texts that say it is all there."""

    name: str
    program: str
    markers: tuple[str, ...]
    pythonpath: str | None = None


@dataclass
class Runs:
    """The figures of one screen's runs."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    phases: list[tuple[float, float, float]] = field(default_factory=list)


PHASES = (
    "interpreter start",
    "to App.run: imports, command line, lessons",
    "App.run to the first screen painted",
)


def screens(before: str | None) -> list[Screen]:
    """The bare app and the tutor's two first screens (and the same from `before`)."""
    from backprop_tutor.engine import list_lessons

    last = list_lessons()[-1].title
    home = TUTOR.replace("ARGS", "[]")
    lesson = TUTOR.replace("ARGS", "['--lesson', 'branch-merge']")
    lesson_markers = ("Quiz: 0/", "are asked in the quiz", "palette")
    found = [
        Screen("bare Textual app", BARE, ("hello", "palette")),
        Screen("home (backprop-tutor)", home, (last, "palette")),
        Screen("lesson (--lesson branch-merge)", lesson, lesson_markers),
    ]
    if before:
        found += [
            Screen("home, before", home, (last, "palette"), before),
            Screen("lesson, before", lesson, lesson_markers, before),
        ]
    return found


def child_env(screen: Screen, cache: str, home: str) -> dict[str, str]:
    """The child's environment: a terminal, its own data folder, cached bytecode."""
    env = dict(os.environ, TERM="xterm-256color", BACKPROP_TUTOR_HOME=home)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    if screen.pythonpath:  # else the tree this script is run with (PYTHONPATH, or the venv's)
        env["PYTHONPATH"] = screen.pythonpath
    return env


def program(screen: Screen, marks: str) -> str:
    """The child's source: the marks, then the screen's program."""
    return CHILD.replace("MARKS", repr(marks)) + screen.program


def read_marks(path: str) -> tuple[float, float, float]:
    """The CPU seconds of each phase, from the marks the child wrote."""
    with open(path) as text:
        marks = [float(word) for word in text.read().split()]
    start, run, shown = marks[0], marks[-2], marks[-1]
    return start, run - start, shown - run


def _wait(child: subprocess.Popen[bytes], master: int, seconds: float) -> float | None:
    """Reap the child (reading its terminal meanwhile); the CPU seconds it used, or None."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)
            return usage.ru_utime + usage.ru_stime
        if select.select([master], [], [], 0.02)[0]:
            with contextlib.suppress(OSError):  # the terminal closed with the child
                os.read(master, 1 << 16)
    child.kill()
    _wait(child, master, 10)
    return None


def time_in_pty(
    screen: Screen, size: tuple[int, int], cache: str, timeout: float = 60
) -> tuple[float, float, tuple[float, float, float]]:
    """Seconds from spawning the child in a pseudo-terminal to its first screen, the CPU
    seconds it used (it exits when told the screen is there), and its CPU by phase."""
    work = tempfile.mkdtemp(prefix="startup-")
    marks = os.path.join(work, "marks")
    master, slave = os.openpty()
    width, height = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))
    wanted = [marker.encode() for marker in screen.markers]
    text, tail = b"", b""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", program(screen, marks)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=child_env(screen, cache, os.path.join(work, "data")),
        start_new_session=True,
    )
    os.close(slave)
    shown = None
    try:
        while shown is None and time.perf_counter() - t0 < timeout:
            if not select.select([master], [], [], 1.0)[0]:
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # the child has gone
                break
            data = tail + chunk
            # An escape sequence cut at the chunk's end waits for the next chunk.
            cut = data.rfind(b"\x1b")
            tail = b""
            if cut >= 0 and ESCAPE.match(data, cut) is None and len(data) - cut < 64:
                data, tail = data[:cut], data[cut:]
            text += ESCAPE.sub(b"", data)
            if all(marker in text for marker in wanted):
                shown = time.perf_counter() - t0
        if shown is None:
            seen = text.decode(errors="replace")[-600:]
            raise RuntimeError(f"{screen.name}: {screen.markers} never all appeared: {seen!r}")
        os.kill(child.pid, signal.SIGUSR1)
        cpu = _wait(child, master, 10)
        phases = read_marks(marks)
    finally:
        if child.returncode is None:
            child.kill()
            _wait(child, master, 10)
        os.close(master)
        shutil.rmtree(work, ignore_errors=True)
    return shown, cpu if cpu is not None else sum(phases), phases


class Tmux:
    """A tmux server of this run's own, with one detached session of the given size."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.socket = f"startup-{os.getpid()}"
        width, height = size
        self.run("new-session", "-d", "-s", "bench", "-x", str(width), "-y", str(height))
        self.run("set-option", "-g", "remain-on-exit", "off")

    def run(self, *args: str) -> str:
        """A tmux command on this server; its output."""
        command = ["tmux", "-L", self.socket, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def close(self) -> None:
        """Stop the server."""
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], check=False)


def time_in_tmux(
    tmux: Tmux, screen: Screen, cache: str, timeout: float = 60
) -> tuple[float, float, tuple[float, float, float]]:
    """Seconds from opening a tmux window on the child to its first screen on the pane
    (read every 10 ms), the CPU seconds by its marks, and its CPU by phase."""
    work = tempfile.mkdtemp(prefix="startup-")
    marks = os.path.join(work, "marks")
    env = child_env(screen, cache, os.path.join(work, "data"))
    settings = [
        f"-e{key}={env[key]}" for key in ("TERM", "BACKPROP_TUTOR_HOME", "PYTHONPYCACHEPREFIX")
    ]
    settings += [f"-ePYTHONPATH={env.get('PYTHONPATH', '')}", "-ePYTHONDONTWRITEBYTECODE="]
    source = os.path.join(work, "child.py")
    with open(source, "w") as out:
        out.write(program(screen, marks))
    t0 = time.perf_counter()
    pane = tmux.run(
        "new-window",
        "-d",
        "-t",
        "bench",
        "-P",
        "-F",
        "#{pane_id} #{pane_pid}",
        *settings,
        sys.executable,
        source,
    ).split()
    shown = None
    try:
        while shown is None and time.perf_counter() - t0 < timeout:
            text = tmux.run("capture-pane", "-p", "-t", pane[0])
            if all(marker in text for marker in screen.markers):
                shown = time.perf_counter() - t0
            else:
                time.sleep(0.01)
        if shown is None:
            raise RuntimeError(f"{screen.name}: {screen.markers} never all appeared in tmux")
        os.kill(int(pane[1]), signal.SIGUSR1)
        deadline = time.perf_counter() + 10
        while not os.path.exists(marks) and time.perf_counter() < deadline:
            time.sleep(0.01)
        time.sleep(0.05)  # the marks written whole
        phases = read_marks(marks)
    finally:
        subprocess.run(
            ["tmux", "-L", tmux.socket, "kill-window", "-t", pane[0]],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(work, ignore_errors=True)
    return shown, sum(phases), phases


def measure(runs: int, size: tuple[int, int], before: str | None, in_tmux: bool) -> dict[str, Runs]:
    """Each screen `runs` times, alternated, after one warm-up each."""
    found = {screen.name: Runs() for screen in screens(before)}
    cache = tempfile.mkdtemp(prefix="startup-pycache-")
    tmux = Tmux(size) if in_tmux else None
    try:
        for round_ in range(runs + 1):
            for screen in screens(before):
                if tmux is None:
                    wall, cpu, phases = time_in_pty(screen, size, cache)
                else:
                    wall, cpu, phases = time_in_tmux(tmux, screen, cache)
                if round_:  # the first round only warms the caches
                    runs_of = found[screen.name]
                    runs_of.wall.append(wall)
                    runs_of.cpu.append(cpu)
                    runs_of.phases.append(phases)
    finally:
        if tmux is not None:
            tmux.close()
        shutil.rmtree(cache, ignore_errors=True)
    return found


def report(found: dict[str, Runs], runs: int, size: tuple[int, int], in_tmux: bool) -> None:
    """Medians, ratios to the bare app, and the CPU by phase."""
    width, height = size
    where = "tmux" if in_tmux else "a pseudo-terminal"
    load = os.getloadavg()[0]
    print(f"first screen at {width}x{height} in {where}, median of {runs} runs (load {load:.1f})")
    bare = next(iter(found.values()))
    bare_wall, bare_cpu = statistics.median(bare.wall), statistics.median(bare.cpu)
    for name, runs_of in found.items():
        wall, cpu = statistics.median(runs_of.wall), statistics.median(runs_of.cpu)
        print(
            f"  {name:<32} {wall * 1000:7.0f} ms {wall / bare_wall:5.2f}x"
            f"   CPU {cpu * 1000:6.0f} ms {cpu / bare_cpu:5.2f}x"
        )
    print("CPU by phase, ms (medians): " + " / ".join(PHASES))
    for name, runs_of in found.items():
        parts = (statistics.median(p[i] for p in runs_of.phases) * 1000 for i in range(3))
        print(f"  {name:<32} " + " / ".join(f"{part:.0f}" for part in parts))


def import_cpu(runs: int) -> float:
    """The median CPU seconds of a fresh process making the tutor's imports."""
    import resource

    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


# Every import the tutor makes before its first screen (home), and nothing else.
IMPORTS = """
from backprop_tutor import cli
args = cli.parse_arguments([])
from backprop_tutor.commands import tutor
import backprop_tutor.study.progress
import backprop_tutor.tui.app
"""


async def enter_to_feedback(size: tuple[int, int]) -> list[float]:
    """Seconds from Enter to the verdict on screen, for every quantity of step 1."""
    from backprop_tutor.tui import make_app

    app = make_app()
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.tutor
        assert screen is not None
        for row in screen.quiz_panel.rows:
            row.input.focus()
            row.input.value = repr(row.question.expected)
            await pilot.pause()
            shown = asyncio.Event()
            t0 = time.perf_counter()
            await row.input.action_submit()  # what Enter does
            for _ in range(100_000):
                if row.status != "open":
                    break
                await asyncio.sleep(0)
            # The verdict is on screen once the next refresh has run.
            row.refresh()
            app.call_after_refresh(shown.set)
            await asyncio.wait_for(shown.wait(), timeout=10)
            times.append(time.perf_counter() - t0)
            await pilot.pause()
    return times


def main() -> int:
    """Measure and print both comparisons."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="start-ups of each app (default 7)")
    parser.add_argument("--size", default="120x40", help="terminal size, WxH (default 120x40)")
    parser.add_argument(
        "--before", metavar="DIR", help="also the tutor from this source tree (PYTHONPATH=DIR)"
    )
    parser.add_argument("--tmux", action="store_true", help="measure in tmux, not a pty")
    parser.add_argument("--no-feedback", action="store_true", help="start-up only")
    parser.add_argument(
        "--imports", type=int, metavar="N", help="only: the CPU median of N runs of the imports"
    )
    args = parser.parse_args()
    if args.imports:
        print(f"the tutor's imports, CPU, median of {args.imports}:", end=" ")
        print(f"{import_cpu(args.imports) * 1000:.0f} ms")
        return 0
    width, height = (int(n) for n in args.size.split("x"))
    size = (width, height)
    report(measure(args.runs, size, args.before, args.tmux), args.runs, size, args.tmux)
    if args.no_feedback:
        return 0

    feedback = asyncio.run(enter_to_feedback(size))
    print(f"Enter to feedback over {len(feedback)} answers of step 1")
    print(f"  median             {statistics.median(feedback) * 1000:8.1f} ms")
    print(f"  worst              {max(feedback) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
