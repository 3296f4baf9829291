"""Finished quiz rows drawn from a picture of themselves: the same screen to the cell, in
every theme and at every width, with their children hidden from each layout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pytest

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.widgets.question_row import QuestionRow

from .helpers import settle, tutor, type_answer

SIZE = (120, 40)
# u right; h wrong, then right; v shown; p wrong (left open, its feedback showing).
WORK = ("2", "5", "4", "ctrl+r", "0.5")


@contextmanager
def never_folded() -> Iterator[None]:
    """Rows keep their children shown: the screen as it was before rows folded."""
    with mock.patch.object(QuestionRow, "fold", lambda row: None):
        yield


async def worked(
    app: TutorApp, resize: tuple[int, int] | None, dark: bool, folds: bool = True
) -> str:
    """The screen, as an SVG, after a few answers of every kind (and a resize, a theme)."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in WORK:
            if keys.startswith("ctrl+"):
                await pilot.press(keys)
                await settle(pilot)
            else:
                await pilot.press("ctrl+u")  # the last wrong answer cleared
                await type_answer(pilot, keys)
        if dark:
            app.action_toggle_dark()
            await settle(pilot)
        if resize is not None:
            await pilot.resize_terminal(*resize)
            await settle(pilot)
        finished = [row for row in tutor(app).quiz_panel.rows if row.finished]
        assert [row.id for row in finished] == ["q-0", "q-1", "q-2"]
        assert [row.folded for row in finished] == [folds] * 3
        return app.export_screenshot()


@pytest.mark.parametrize(
    ("resize", "dark"),
    [(None, False), (None, True), ((100, 40), False), ((120, 30), False)],
    ids=["as-worked", "other-theme", "narrower", "shorter"],
)
async def test_folded_rows_look_exactly_as_unfolded_ones(
    resize: tuple[int, int] | None, dark: bool
) -> None:
    """Answered, shown and carried rows, folded, draw the same screen as with their
    children shown: as worked, after a theme change and after a resize."""
    folded = await worked(make_app(plan=NUMBERS_ONLY), resize, dark)
    with never_folded():
        shown = await worked(make_app(plan=NUMBERS_ONLY), resize, dark, folds=False)
    assert folded == shown


async def test_a_finished_rows_children_are_hidden_and_come_back() -> None:
    """Folded: its name, input and feedback line are out of every layout; its record and
    typed answer are still read from them; a change of look unfolds and refolds it."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "2")
        row = tutor(app).quiz_panel.rows[0]
        assert row.folded
        assert all(not child.display for child in row.children)
        assert row not in app.screen.focus_chain
        assert row.input.value == "2" and "u = 2" in row.feedback_text
        arranged = set(app.screen._compositor._full_map)
        assert not set(row.children) & arranged
        app.action_toggle_dark()
        await settle(pilot)
        assert row.folded, "folded again once the new theme was painted"
        assert row.outer_size.height == 2


async def test_a_folded_row_keeps_its_height_and_the_panel_scrolls_the_same() -> None:
    """Folding changes no row's height, so the rows under it do not move."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        with never_folded():
            await type_answer(pilot, "2")
        row = tutor(app).quiz_panel.rows[0]
        below = tutor(app).quiz_panel.rows[1]
        height, under = row.outer_size.height, below.region.y
        row.fold()
        await settle(pilot)
        assert row.folded
        assert (row.outer_size.height, below.region.y) == (height, under)
