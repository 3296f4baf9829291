"""Small helpers the app tests share: typed answers and typed accessors."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot

from backprop_tutor.quiz import Question
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.screens.tutor import TutorScreen


def record_notes(app: App[Any]) -> list[str]:
    """Every message the app says from now on (toasts), oldest first, kept after they expire.

    A toast leaves `app._notifications` when its timeout runs out, and on a loaded machine
    that can happen between the key that raised it and the assertion.
    """
    said: list[str] = []
    original = app.notify

    def notify(message: str, **options: Any) -> None:
        said.append(message)
        original(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return said


# Step 1 of the worked example, as a person computes it (numbers from the seed notes).
STEP1_ANSWERS = {
    "value:u": "2",
    "value:h": "4",
    "value:v": "6",
    "value:p": "1/7",
    "value:L": "0.734694",
    "value:R": "0.1",
    "value:J": "0.834694",
    "grad:R": "1",
    "grad:L": "1",
    "grad:p": "2*(1/7 - 1)",
    "grad:v": "0.034985",
    "grad:h": "0.034985",
    "grad:u": "0.174927",
    "grad:d": "0.034985",
    "grad:c": "0.239942",
    "grad:b": "0.174927",
    "grad:a": "0.449854",
    "update:a": "0.955015",
    "update:b": "-0.017493",
    "update:c": "0.976006",
    "update:d": "-0.003499",
}


def tutor(app: TutorApp) -> TutorScreen:
    """The app's tutor screen."""
    screen = app.tutor
    assert screen is not None
    return screen


def short(question: Question) -> str:
    """A question as the tests name it: its kind and node, "value:u", "grad:v"."""
    return f"{question.kind.value}:{question.node}"


async def settle(pilot: Pilot[None]) -> None:
    """Wait until the app has no deferred work pending (never a fixed time)."""
    app = pilot.app
    assert isinstance(app, TutorApp)
    await app.settled()


async def wait_until(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    """Let the app work until `done()` holds (for Textual's own background work)."""
    for _ in range(500):
        if done():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


async def type_answer(pilot: Pilot[None], text: str) -> None:
    """Type into the focused input and press Enter."""
    await pilot.press(*text, "enter")
    await settle(pilot)


def screen_text(app: TutorApp) -> str:
    """Every character on the screen as plain text (what an SVG snapshot would show)."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(
        app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    )
    return console.export_text()
