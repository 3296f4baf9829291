"""Time the tutor app's start against a bare Textual app, and the time from Enter to feedback.

Run it with `.venv/bin/python benchmarks/startup.py` (options: `--runs N`, `--size WxH`).

Start-up
--------
Each run starts a fresh Python process (`python -c ...`), so interpreter start and every
import count, exactly as when a learner types `backprop-tutor`: the child reads its
(empty) command line through `backprop_tutor.cli` first, as the console script does. The
clock starts in the parent just before the process is spawned and stops when the child's
first full screen
has been composed and rendered (headless, at the given size): for the tutor, when the
tutor screen with its graph and quiz is mounted and one refresh has followed; for the bare
app (a Header, a Static and a Footer), after its first refresh. The two apps alternate,
so both see the same machine, and the median of each is compared: the aim is a ratio
within 1.2.

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
import itertools
import resource
import statistics
import subprocess
import sys
import time

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Header, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.report)

    def report(self):
        print(time.time())
        self.exit()

Bare().run(headless=True, size=SIZE)
"""

TUTOR = """
import sys, time
marks = [time.process_time()]
from backprop_tutor import cli

# The command line is read as `backprop-tutor` reads it (older trees: the full parser).
parse = getattr(cli, "parse_arguments", None) or cli.build_parser().parse_args
args = parse([])
marks.append(time.process_time())
from backprop_tutor.engine import load_lesson
lesson = load_lesson(args.lesson)
marks.append(time.process_time())
import backprop_tutor.tui.app
from backprop_tutor.tui import make_app
from backprop_tutor.tui.screens.tutor import TutorScreen
marks.append(time.process_time())

app = make_app(lesson=lesson)

def check():
    screen = app.screen
    if isinstance(screen, TutorScreen) and screen.is_mounted and screen.quiz_panel.rows:
        timer.stop()
        app.call_after_refresh(report)

def report():
    marks.append(time.process_time())
    print(*marks)
    print(time.time())
    app.exit()

def start():
    global timer
    timer = app.set_interval(0.0005, check)

app.call_later(start)
app.run(headless=True, size=SIZE)
"""
# Every import the tutor makes before its first screen, and nothing else.
IMPORTS = """
from backprop_tutor import cli
parse = getattr(cli, "parse_arguments", None) or cli.build_parser().parse_args
args = parse([])
from backprop_tutor.engine import load_lesson
lesson = load_lesson(args.lesson)
import backprop_tutor.tui.app
from backprop_tutor.tui.screens.tutor import TutorScreen
"""


def import_cpu(runs: int) -> float:
    """The median CPU seconds of a fresh process making the tutor's imports."""
    times = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([sys.executable, "-c", IMPORTS], check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        times.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(times)


# What the tutor's CPU time goes to, between the marks its child prints.
PHASES = (
    "interpreter start",
    "cli: imports, the command line",
    "engine: imports, the lesson loaded",
    "tui: imports (Textual, widgets)",
    "first screen: compose, CSS, layout, paint",
)


def time_start(
    source: str, size: tuple[int, int], phases: list[list[float]] | None = None
) -> tuple[float, float]:
    """Seconds from spawning a Python process to its app's first rendered screen, and the
    CPU seconds the process used (on a busy machine the steadier of the two). With
    `phases`, the CPU seconds of each phase the child marked are appended to it."""
    code = source.replace("SIZE", repr(size))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    lines = out.strip().splitlines()
    wall = float(lines[-1]) - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if phases is not None:
        marks = [0.0, *map(float, lines[-2].split())]
        phases.append([b - a for a, b in itertools.pairwise(marks)])
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


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
        "--imports", type=int, metavar="N", help="only: the CPU median of N runs of the imports"
    )
    args = parser.parse_args()
    if args.imports:
        print(f"the tutor's imports, CPU, median of {args.imports}:", end=" ")
        print(f"{import_cpu(args.imports) * 1000:.0f} ms")
        return 0
    width, height = (int(n) for n in args.size.split("x"))
    size = (width, height)

    # One warm-up each, so the file cache is equally warm for both.
    time_start(BARE, size)
    time_start(TUTOR, size)
    bare: list[tuple[float, float]] = []
    tutor: list[tuple[float, float]] = []
    phases: list[list[float]] = []
    for _ in range(args.runs):
        bare.append(time_start(BARE, size))
        tutor.append(time_start(TUTOR, size, phases))
    b, t = (statistics.median(w for w, _ in runs) for runs in (bare, tutor))
    bc, tc = (statistics.median(c for _, c in runs) for runs in (bare, tutor))
    print(f"start-up to first screen at {width}x{height}, median of {args.runs} runs")
    print(f"  bare Textual app   {b * 1000:8.1f} ms   CPU {bc * 1000:8.1f} ms")
    print(f"  backprop-tutor     {t * 1000:8.1f} ms   CPU {tc * 1000:8.1f} ms")
    print(f"  ratio              {t / b:8.2f}      CPU {tc / bc:8.2f}  (aim: within 1.20)")
    print("the tutor's CPU time by phase (medians)")
    for index, phase in enumerate(PHASES):
        print(f"  {phase:<42} {statistics.median(p[index] for p in phases) * 1000:6.1f} ms")

    feedback = asyncio.run(enter_to_feedback(size))
    print(f"Enter to feedback over {len(feedback)} answers of step 1")
    print(f"  median             {statistics.median(feedback) * 1000:8.1f} ms")
    print(f"  worst              {max(feedback) * 1000:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
