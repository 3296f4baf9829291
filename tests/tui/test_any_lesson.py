"""Any lesson is laid out from its graph, and huge path counts are never enumerated."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from backprop_tutor.engine import builtin_lesson_paths, load_lesson, parse_lesson, run_lesson
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.graph_view import GraphView
from backprop_tutor.tui.layout import ARROW
from backprop_tutor.tui.notes import stage_text, zero_input_note
from backprop_tutor.tui.widgets.path_panel import PATH_LIMIT

from .helpers import settle, tutor


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
def test_every_builtin_lesson_lays_out_cleanly(name: str) -> None:
    """Boxes never overlap, lines never cross a box, every edge ends in an arrow."""
    lesson = load_lesson(name)
    for trace in run_lesson(lesson):
        lay = GraphView(lesson.graph, trace).layout
        for (_, r1), (_, r2) in itertools.combinations(lay.rects.items(), 2):
            assert not (
                r1.x < r2.x + r2.w
                and r2.x < r1.x + r1.w
                and r1.y < r2.y + r2.h
                and r2.y < r1.y + r1.h
            )
        for cell in lay.glyphs:
            assert lay.node_at(*cell) is None
        for _operand, node in lay.edge_cells:
            target = lay.rects[node]
            assert lay.glyphs[(target.x - 1, target.port_row)] == ARROW


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
async def test_every_builtin_lesson_is_drawn_at_120_by_40(name: str) -> None:
    """At 120×40 every step of every built-in lesson is a drawing, not the compact list."""
    app = make_app(name, plan=NUMBERS_ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = tutor(app)
        for step in range(len(screen.traces)):
            assert screen.position.step == step
            panel = screen.graph_panel
            assert not panel.compact
            # The drawing is as wide as its layout and sits inside the panel.
            assert panel.canvas.size.width == panel.view.layout.width
            assert panel.view.layout.width <= panel.content_region.width
            await pilot.press("f8")
            await settle(pilot)


def ladder_lesson(tmp_path: Path, rungs: int) -> Path:
    """A lesson whose graph is a ladder of diamonds: 2**rungs paths from J to w."""
    lines = ['title = "Ladder"', 'objective = "J"', "", "[parameters]", "w = 1", ""]
    lines += ["[optimizer]", "learning_rate = 0.1", "", "[graph]"]
    lines.append('a0 = "w*1"')
    for i in range(1, rungs + 1):
        lines.append(f'b{i} = "a{i - 1}*0.5"')
        lines.append(f'c{i} = "a{i - 1}*0.5"')
        lines.append(f'a{i} = "b{i} + c{i}"')
    lines.append(f'J = "a{rungs}*1"')
    lines += ["", "[[steps]]"]
    path = tmp_path / "ladder.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_a_ladder_of_diamonds_counts_paths_without_listing_them(tmp_path: Path) -> None:
    """2**30 paths to w: the panel says how many, lists the first few, and stays quick."""
    app = make_app(str(ladder_lesson(tmp_path, 30)), plan=NUMBERS_ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert screen.graph_panel.compact  # 90-odd nodes do not fit as a drawing
        screen.select("w")
        await settle(pilot)
        title = str(screen.path_panel.border_title)
        assert f"{2**30}" in title and f"first {PATH_LIMIT} listed" in title
        assert len(screen.path_panel.paths) == PATH_LIMIT


def test_zero_input_note_names_the_regularization_path() -> None:
    """At x = 0 the note drawn from the numbers says only J → R → a is left for a."""
    lesson = load_lesson("branch-merge")
    note = zero_input_note(lesson, run_lesson(lesson)[1])
    assert note is not None
    assert "x = 0" in note and "J → R → a" in note and "0.095501" in note
    assert zero_input_note(lesson, run_lesson(lesson)[0]) is None


@pytest.mark.parametrize("steps", [1, 2])
def test_the_update_note_speaks_of_a_next_step_only_where_there_is_one(steps: int) -> None:
    """The general update note: "the next step starts from these values" with a next step;
    with one step (a textbook network's single update), what a next one would start from."""
    inputs = "".join(f"[[steps]]\nx = {n + 1}.0\n" for n in range(steps))
    text = (
        f'title = "t"\nobjective = "E"\n[parameters]\nw = 0.5\n[optimizer]\n'
        f'learning_rate = 0.1\n{inputs}[graph]\nE = "(w*x)^2"\n'
    )
    note = stage_text(parse_lesson(text, Path("t.toml")), "update")
    assert "∂E/∂θ" in note
    assert ("The next step starts from these values." in note) is (steps == 2)
    assert ("a next step would start from" in note) is (steps == 1)
