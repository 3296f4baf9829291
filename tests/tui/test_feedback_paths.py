"""The path panel follows the learner (issue 11), and what a verdict redraws (issue 15)."""

from __future__ import annotations

import re

import pytest

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.widgets.path_panel import PathList

from .helpers import STEP1_ANSWERS, settle, tutor, type_answer

SIZE = (120, 40)
NUMBER = r"−?\d+(\.\d+)?(e−?\d+)?( \(shown\))?"


def panel_lines(app: TutorApp) -> list[str]:
    """The summary's lines, then every line of every listed path."""
    panel = tutor(app).path_panel
    lines = str(panel.summary.render()).splitlines()
    lst = panel.path_list
    for i in range(lst.option_count):
        lines += str(lst.get_option_at_index(i).prompt).splitlines()
    return lines


def tautologies(lines: list[str]) -> list[str]:
    """Lines that end by saying the same thing twice (`∂J/∂L = 1 = 1`, `… = x = x`)."""
    out = []
    for line in lines:
        sides = [s.strip(" │└") for s in line.split(" = ")]
        if len(sides) >= 3 and sides[-1] == sides[-2]:
            out.append(line)
    return out


async def answer(pilot, keys: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Type the right answers of step 1 for these questions, in the quiz's order."""
    for key in keys:
        await type_answer(pilot, STEP1_ANSWERS[key])


async def test_the_path_panel_fills_in_as_the_learner_answers() -> None:
    """At ∂J/∂p with only ∂J/∂R and ∂J/∂L answered: what they have, and ? for the rest."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        keys = list(STEP1_ANSWERS)
        await answer(pilot, keys[: keys.index("grad:p")])
        assert screen.selected == "p"
        lines = panel_lines(app)
        assert "∂J/∂p = ∂J/∂L·∂L/∂p = 1 × 2·(p − y) = ?" in lines
        assert "│ ∂J/∂L = 1" in lines  # answered: no "= ?", and not "= 1 = 1"
        assert "│ ∂L/∂p = 2·(p − y) = ?" in lines
        assert "└ product = ?" in lines
        assert not tautologies(lines)
        await answer(pilot, ["grad:p"])
        screen.select("p")
        await settle(pilot)
        lines = panel_lines(app)
        assert "∂J/∂p = ∂J/∂L·∂L/∂p = 1 × 2·(p − y) (−1.71429) = −1.71429" in lines
        assert "└ product = −1.71429" in lines
        # Further down: nothing known about u's gradient yet, so no numbers at all.
        screen.select("u")
        await settle(pilot)
        assert panel_lines(app)[0].startswith("∂J/∂u = ?  Numbers appear")
        # With δ and ∂J/∂h answered, the parts the learner has are in; the rest waits.
        await answer(pilot, ["grad:v", "grad:h"])
        assert screen.selected == "u"
        lines = panel_lines(app)
        assert lines[0] == "∂J/∂u = sum of path products = ? + ? = ?"
        assert "  through h: ∂J/∂h·∂h/∂u = 0.034985 × 2·u = ?" in lines
        assert "│ ∂p/∂v = −1/(1 + v)² = −0.0204082" in lines
        assert "│ ∂h/∂u = 2·u = ?" in lines
        assert not tautologies(lines)


async def test_no_line_says_the_same_thing_twice_and_every_sum_ends_with_its_result() -> None:
    """Step 1 answered: at every node, at every stage, no `x = x`; sums end with a number."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await answer(pilot, list(STEP1_ANSWERS))
        for stage_keys in ([], ["ctrl+l"], ["ctrl+l", "ctrl+l"]):
            screen.goto_step(0)
            await pilot.press(*stage_keys)
            graph = screen.lesson.graph
            # Every node with a gradient to ask for (an input's is never asked).
            for node in [*graph.computed, *graph.parameters]:
                screen.select(node)
                await settle(pilot)
                lines = panel_lines(app)
                assert not tautologies(lines), (node, stage_keys)
                for line in lines:
                    starts = ("∂J/∂", "  through", "a ←", "b ←", "c ←", "d ←")
                    if line.startswith(starts) and "start of every path" not in line:
                        assert re.search(f"= {NUMBER}$", line), line
        screen.select("d")
        await settle(pilot)
        # One path: its product is the gradient; no "sum of path products = x = x".
        assert not [line for line in panel_lines(app) if "sum of" in line]


async def test_a_shown_value_is_marked_as_shown() -> None:
    """δ shown with ctrl+r: where the paths use it, it says so."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        keys = list(STEP1_ANSWERS)
        await answer(pilot, keys[: keys.index("grad:v")])
        await pilot.press("ctrl+r")
        await settle(pilot)
        screen.select("h")
        await settle(pilot)
        assert "∂J/∂h = ∂J/∂v·∂v/∂h = 0.0349854 (shown) × c = ?" in panel_lines(app)


async def test_a_wrong_verdict_redraws_neither_the_paths_nor_the_graph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A wrong answer changes only its row: the path list and the graph are not rebuilt."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        canvas = screen.graph_panel.canvas
        calls: list[str] = []
        lst = screen.path_panel.path_list
        original_clear = lst.clear_options

        def clear_options() -> PathList:
            calls.append("paths")
            return original_clear()  # type: ignore[return-value]

        monkeypatch.setattr(lst, "clear_options", clear_options)
        before = canvas.state
        await type_answer(pilot, "3")
        assert tutor(app).quiz_panel.rows[0].status == "wrong"
        assert calls == []
        assert canvas.state == before  # the same graph state: nothing for the canvas to draw
        # A right one moves on, and then the paths do follow.
        await pilot.press("ctrl+u")
        await type_answer(pilot, "2")
        assert calls == ["paths"]
        assert screen.selected == "h"


@pytest.mark.parametrize("height", [8, 10, 12, 14, 16])
async def test_page_keys_in_the_path_list_at_any_height(height: int) -> None:
    """Issue 17: PageUp/PageDown in the path list at heights 8 to 16 raise nothing."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(120, height)) as pilot:
        await settle(pilot)
        screen = tutor(app)
        screen.show_paths_of("a")
        await settle(pilot)
        lst = screen.path_panel.path_list
        assert lst.highlighted == 0
        await pilot.press("pagedown")
        await settle(pilot)
        assert lst.highlighted is not None and lst.highlighted > 0
        await pilot.press("pagedown", "pageup", "pageup")
        await settle(pilot)
        assert lst.highlighted == 0
