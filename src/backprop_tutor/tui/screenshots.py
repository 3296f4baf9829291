"""Write SVG screenshots of the app's main states: `python -m backprop_tutor.tui.screenshots DIR`.

Each shot drives the real app with a Pilot, as a learner would, and saves what the
terminal shows. `make screenshots` runs this into `screenshots/`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.study.progress import ProgressStore

from . import make_app
from .app import TutorApp

Drive = Callable[[Pilot[None], TutorApp], Awaitable[None]]


async def _home(pilot: Pilot[None], app: TutorApp) -> None:
    """The home screen after three answers in Branch and merge (progress in a temp folder)."""
    app.open_lesson("branch-merge")
    await app.settled()
    screen = app.tutor
    assert screen is not None
    for question in screen.state.questions[:3]:  # the lesson's own first three, right
        await pilot.press(*(question.typed or repr(question.expected)), "enter")
        await app.settled()
    await pilot.press("ctrl+o")


async def _first(pilot: Pilot[None], app: TutorApp) -> None:
    """Nothing done yet."""


async def _method(pilot: Pilot[None], app: TutorApp) -> None:
    """The lesson's plan: the paths to a with the regularization path left out, then ∂J/∂d."""
    await pilot.press(*"J L p v u a", "enter")


async def _forward(pilot: Pilot[None], app: TutorApp) -> None:
    """u, h and v answered by hand, one stepped."""
    for answer in ("2", "4", "6"):
        await pilot.press(*answer, "enter")
    await pilot.press("ctrl+n", "ctrl+n", "ctrl+n")


async def _backward_at_u(pilot: Pilot[None], app: TutorApp) -> None:
    """The backward pass at u, where the two branches meet."""
    await pilot.press("ctrl+l", *["ctrl+n"] * 7)


async def _paths_of_a(pilot: Pilot[None], app: TutorApp) -> None:
    """The three paths to a, the regularization one lit up."""
    await pilot.press("ctrl+l", "ctrl+l")
    screen = app.tutor
    assert screen is not None
    screen.show_paths_of("a")
    await app.settled()
    await pilot.press("down", "down")


async def _feedback(pilot: Pilot[None], app: TutorApp) -> None:
    """A wrong u, then h right for the learner's own u (a carried error)."""
    await pilot.press("3", "enter", "down", "9", "enter", "ctrl+g")


async def _update(pilot: Pilot[None], app: TutorApp) -> None:
    """The update stage, every parameter moved."""
    await pilot.press("ctrl+l", "ctrl+l", "ctrl+l")


async def _step_two(pilot: Pilot[None], app: TutorApp) -> None:
    """Step 2: x = 0, and what it does to ∂J/∂a."""
    await pilot.press("f8", "ctrl+l", "ctrl+l")
    screen = app.tutor
    assert screen is not None
    screen.show_paths_of("a")


async def _light(pilot: Pilot[None], app: TutorApp) -> None:
    """A light theme, mid backward pass."""
    app.theme = "textual-light"
    await pilot.press("ctrl+l", *["ctrl+n"] * 5)


async def _help(pilot: Pilot[None], app: TutorApp) -> None:
    """The help screen."""
    await pilot.press("f1")


SHOTS: list[tuple[str, tuple[int, int], Drive]] = [
    ("00-home", (120, 40), _home),
    ("01-first-screen", (120, 40), _first),
    ("02-forward-pass", (120, 40), _forward),
    ("03-backward-at-u", (120, 40), _backward_at_u),
    ("04-paths-of-a", (120, 40), _paths_of_a),
    ("05-feedback", (120, 40), _feedback),
    ("06-update", (120, 40), _update),
    ("07-step-2-x-zero", (120, 40), _step_two),
    ("08-light-theme", (120, 40), _light),
    ("09-compact-80x24", (80, 24), _forward),
    ("10-help", (120, 40), _help),
    ("13-paths-question", (120, 40), _method),
]
# Shots of the lesson's plan (paths and formulas first); the others keep the numbers only.
METHOD_SHOTS = (_method,)


async def shoot(name: str, size: tuple[int, int], drive: Drive, folder: Path) -> Path:
    """Run the app at `size`, drive it, and save one SVG."""
    with tempfile.TemporaryDirectory() as data:
        # The home screen shows saved work: it gets a data folder of its own, thrown away.
        if drive is _home:
            app = make_app(None, store=ProgressStore(Path(data)))
        else:
            app = make_app(plan=None if drive in METHOD_SHOTS else NUMBERS_ONLY)
        async with app.run_test(size=size) as pilot:
            await app.settled()
            await drive(pilot, app)
            await app.settled()
            path = app.save_screenshot(f"{name}.svg", str(folder))
    return Path(path)


def main(argv: list[str] | None = None) -> int:
    """Write every screenshot into the folder given (default `screenshots`)."""
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    # A steady cursor, so the files change only when the app does.
    setattr(Input, "cursor_blink", False)  # noqa: B010
    for name, size, drive in SHOTS:
        path = asyncio.run(shoot(name, size, drive, folder))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
