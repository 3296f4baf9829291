"""A snapshot of every built-in lesson's graph at 120×40 (SVGs looked at by a person).

Each shows step 1 at the end of the backward pass, so every box carries its value and
its gradient: the widest the drawing gets. Boxes must not overlap and every edge must
read unambiguously from its operand to its node.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from backprop_tutor.engine import builtin_lesson_paths
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app

from .helpers import settle, tutor

SIZE = (120, 40)
LESSONS = sorted(builtin_lesson_paths())
PUBLISHED = sorted((Path(__file__).parents[1] / "lessons" / "published").glob("*.toml"))


async def _end_of_backward(pilot: Pilot[None]) -> None:
    """End the forward pass, then the backward pass."""
    await settle(pilot)
    await pilot.press("ctrl+l", "ctrl+l")
    await settle(pilot)
    assert tutor(pilot.app).position.stage == "backward"  # type: ignore[arg-type]


class TestEveryLesson:
    """Every built-in lesson's graph, drawn in full with its numbers."""

    @pytest.mark.parametrize("name", LESSONS)
    def test_lesson_at_end_of_backward(self, snap_compare, name: str) -> None:  # type: ignore[no-untyped-def]
        """Step 1 with every value and gradient filled in, drawn (not listed) at 120×40."""
        assert snap_compare(
            make_app(name, plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=_end_of_backward
        )


class TestPublishedLessons:
    """The lessons written from published worked examples, as a teacher would open them."""

    @pytest.mark.parametrize("path", PUBLISHED, ids=lambda p: p.stem)
    def test_published_lesson_at_end_of_backward(self, snap_compare, path: Path) -> None:  # type: ignore[no-untyped-def]
        """Step 1 at the end of the backward pass at 120×40, each drawn."""
        app = make_app(str(path), plan=NUMBERS_ONLY)
        assert snap_compare(app, terminal_size=SIZE, run_before=_end_of_backward)


class TestNarrowBoxes:
    """A drawing too wide with six-figure numbers is drawn with four in its boxes."""

    def test_branch_merge_step_2(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """Branch-merge, step 2 at the end of the backward pass: x = 0 makes small numbers."""

        async def run(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("f8", "ctrl+l", "ctrl+l")
            await settle(pilot)
            screen = tutor(pilot.app)  # type: ignore[arg-type]
            assert screen.position.step == 1
            assert screen.graph_panel.view.narrow and not screen.graph_panel.compact

        assert snap_compare(
            make_app("branch-merge", plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run
        )
