"""Lesson text is data in every front end: Rich markup in a title or summary is shown as typed.

`[/]` in a title crashed `trace` and the study app's summary, and `lessons --lessons-dir`
(MarkupError from its table); each front end here shows the text as written instead.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import RunMain
from tests.study.conftest import FakeClock, clock
from tests.tui.helpers import screen_text
from textual.app import App

from backprop_tutor.engine import Lesson, load_lesson
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.tui import deferred, make_app
from backprop_tutor.tui.screens.study_app import make_study_app
from backprop_tutor.tui.screens.study_summary import StudySummaryScreen

__all__ = ["clock"]

TITLE = "[/] [bold]x[/bold] [link=https://e.x]y[/link] [red"
SUMMARY = "[/] sum [on red]z"
LESSON = f"""title = "{TITLE}"
summary = "{SUMMARY}"
objective = "J"
[optimizer]
learning_rate = 0.1
[parameters]
w = 0.5
[[steps]]
x = 2
[graph]
J = "(w*x - 1)^2"
"""


@pytest.fixture
def marked_up(tmp_path: Path) -> Path:
    """A valid lesson file whose title and summary are full of Rich markup."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    path = folder / "markup.toml"
    path.write_text(LESSON, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        (("trace", "--lesson"), TITLE),
        (("trace", "--json", "--lesson"), TITLE),
        (("check-lesson",), TITLE),
        (("quiz", "--plain", "--lesson"), TITLE),
        (("--plain", "--lesson"), TITLE),
        (("lessons", "--lessons-dir"), "[/]"),  # the table wraps the rest
        (("lessons", "--json", "--lessons-dir"), SUMMARY),
    ],
    ids=lambda c: "-".join(c) if isinstance(c, tuple) else "",
)
def test_every_command_prints_lesson_markup_as_written(
    run_main: RunMain,
    tmp_path: Path,
    marked_up: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    shown: str,
) -> None:
    """Exit 0 and the text as typed; `lessons` gets the folder, the rest the file."""
    monkeypatch.chdir(marked_up.parent)  # short paths: the table keeps room for the title
    target = "." if command[-1] == "--lessons-dir" else marked_up.name
    result = run_main(*command, target, env={"BACKPROP_TUTOR_HOME": str(tmp_path / "d")})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert shown in result.stdout


async def test_the_tutor_app_shows_the_title_as_written(marked_up: Path) -> None:
    """The lesson's screen draws the title with its brackets."""
    app = make_app(load_lesson(marked_up))
    async with app.run_test(size=(120, 40)):
        await app.settled()
        assert "[/] [bold]x[/bold]" in screen_text(app)


async def test_the_home_screen_lists_it_as_written(tmp_path: Path, marked_up: Path) -> None:
    """The home list shows the lesson's title and summary with their brackets."""
    app = make_app(
        None, store=ProgressStore(tmp_path / "d"), extra_lessons=[load_lesson(marked_up)]
    )
    async with app.run_test(size=(120, 40)):
        await app.settled()
        text = screen_text(app)
        assert "[/] [bold]x[/bold]" in text and "[/] sum [on red]z" in text


async def test_the_study_summary_shows_the_title_as_written(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """A whole session on a lesson titled with markup ends on a summary naming it as typed."""
    lesson = replace(worked_example, title=TITLE)
    seeds = count(100)
    app = make_study_app(
        ProgressStore(tmp_path), lesson, clock=clock, new_seed=lambda: next(seeds), seed=7
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await deferred.settled(app)
        study = app.study
        assert study is not None
        while study.current is not None:
            question = study.current
            app.screen.query_one("#study-answer").value = ""  # type: ignore[attr-defined]
            await pilot.press(*(question.typed or repr(question.expected)), "enter")
            await deferred.settled(app)
        assert isinstance(app.screen, StudySummaryScreen)
        assert f"Session complete: {TITLE}"[:40] in _text(app)


def _text(app: App[Any]) -> str:
    return screen_text(app)  # type: ignore[arg-type]  # any app's screen, not only the tutor's
