"""The learner screen in the classroom app, driven by a Pilot: a name first, then the tutor."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.helpers import settle, type_answer
from textual.pilot import Pilot
from textual.widgets import Input, Static

from backprop_tutor.tui.classroom import ClassroomApp
from backprop_tutor.tui.screens.home import HomeScreen
from backprop_tutor.tui.screens.learner import LearnerScreen

SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A steady cursor, as in the app's other tests."""
    monkeypatch.setattr(Input, "cursor_blink", False)


def classroom(data: Path) -> ClassroomApp:
    """The app one browser session runs, its learners' folders in `data`."""
    return ClassroomApp(data)


def message(app: ClassroomApp) -> str:
    """The refusal line under the name input."""
    return str(app.screen.query_one("#learner-message", Static).render())


async def test_the_name_comes_first(tmp_path: Path) -> None:
    """The first screen asks who is learning; no tutor screen exists yet."""
    app = classroom(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, LearnerScreen)
        assert app.tutor is None and app.home is None
        assert app.focused is app.screen.query_one("#learner-name", Input)


async def test_a_name_opens_the_tutor_in_its_folder(tmp_path: Path) -> None:
    """A good name makes its folder and opens the home screen, with progress kept there."""
    app = classroom(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "Ana")
        assert isinstance(app.screen, HomeScreen)
        assert app.learner is not None and app.learner.name == "Ana"
        assert app.progress_dir == tmp_path / "learners" / "ana"
        assert app.progress_dir.is_dir()


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("../x", "cannot contain '.'"),
        ("", "Type your name first"),
        ("x" * 1000, "That name has 1000 characters"),
        ("a\x07b", "cannot contain U+0007"),
    ],
)
async def test_a_refused_name_is_explained_and_kept(tmp_path: Path, typed: str, said: str) -> None:
    """A refused name says why, stays in the input to be fixed, and makes no folder."""
    app = classroom(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        name = app.screen.query_one("#learner-name", Input)
        name.value = typed  # as a paste would leave it, control characters and all
        await type_answer(pilot, "")
        assert isinstance(app.screen, LearnerScreen)
        assert said in message(app)
        assert name.value == typed
        assert list(tmp_path.iterdir()) == []


async def test_a_fixed_name_goes_on(tmp_path: Path) -> None:
    """After a refusal, correcting the name opens the home screen."""
    app = classroom(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "../ben")
        assert "cannot contain '.'" in message(app)
        assert app.screen.query_one("#learner-name", Input).value == "../ben"
        name = app.screen.query_one("#learner-name", Input)
        name.value = "ben"
        await type_answer(pilot, "")
        assert isinstance(app.screen, HomeScreen)
        assert app.progress_dir == tmp_path / "learners" / "ben"


class TestLearnerSnapshots:
    """The name screen as a student first meets it (SVGs under __snapshots__/)."""

    def test_name_screen(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """The question, the rule for names and an empty box with the focus, at 80×24."""
        assert snap_compare(classroom(tmp_path), terminal_size=(80, 24), run_before=settle)

    def test_refused_name(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """`../x` refused: the reason under the box, the name still in it to be fixed."""

        async def refuse(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await type_answer(pilot, "../x")

        assert snap_compare(classroom(tmp_path), terminal_size=(80, 24), run_before=refuse)
