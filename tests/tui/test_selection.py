"""Selecting nodes by key and by click, and choosing a path to light up."""

from __future__ import annotations

from textual.widgets import OptionList

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.graph_view import GraphState, Run
from backprop_tutor.tui.widgets.graph_canvas import GraphCanvas
from backprop_tutor.tui.widgets.graph_panel import GraphPanel

from .helpers import settle, tutor

SIZE = (120, 40)


async def test_click_on_a_box_selects_its_node() -> None:
    """Clicking inside v's box selects v and lists its paths."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        rect = screen.graph_panel.view.layout.rects["v"]
        await pilot.click(GraphCanvas, offset=(rect.x + 2, rect.y + 1))
        await settle(pilot)
        assert screen.selected == "v"
        assert isinstance(app.focused, GraphPanel)
        assert screen.path_panel.border_title == "Paths to v: 1"


async def test_arrow_keys_move_the_selection_through_the_drawing() -> None:
    """In the graph panel, left from J reaches a node of the previous layer."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        screen.graph_panel.focus()
        screen.select("J")
        await settle(pilot)
        await pilot.press("left")
        await settle(pilot)
        assert screen.selected == "L"
        await pilot.press("left", "left")
        await settle(pilot)
        assert screen.selected == "v"
        screen.select("u")
        await pilot.press("down")
        await settle(pilot)
        assert screen.selected == "R"  # u and R share a layer


async def test_paths_of_a_then_c() -> None:
    """a has three paths, labelled by branch, lit up in turn; then c has two.

    One boot for the sequence: the paths of a (three, via L (data) twice and via R
    (regularization) once, the highlighted one lit in the graph and moved with the
    arrows), then c's two routes, through v (data) and through R (regularization).
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        screen.show_paths_of("a")
        await settle(pilot)
        assert len(screen.path_panel.paths) == 3
        assert {p.branch for p in screen.path_panel.paths} == {"L", "R"}
        prompts = [str(screen.path_panel.path_list.get_option_at_index(i).prompt) for i in range(3)]
        assert prompts[0].startswith("1. via L (data): J → L")
        assert prompts[2].startswith("3. via R (regularization): J → R → a")
        first = screen.path_panel.paths[0].nodes
        assert screen.path == first
        state = screen.graph_panel.state
        assert state is not None and state.path == first
        assert isinstance(app.focused, OptionList)
        await pilot.press("down", "down")
        await settle(pilot)
        assert screen.path == ("J", "R", "a")
        screen.show_paths_of("c")
        await settle(pilot)
        routes = [p.nodes for p in screen.path_panel.paths]
        assert routes == [("J", "L", "p", "v", "c"), ("J", "R", "c")]
        assert screen.path_panel.border_title == "Paths to c: 2"


async def test_gradient_numbers_wait_until_known() -> None:
    """Before the backward pass reaches a, its path products are '?'."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        screen.select("a")
        await settle(pilot)
        assert "∂J/∂a = ?" in str(screen.path_panel.summary.render())
        await pilot.press("ctrl+l", "ctrl+l")
        await settle(pilot)
        screen.select("a")
        await settle(pilot)
        assert "0.449854" in str(screen.path_panel.summary.render())


async def test_tab_moves_between_panels() -> None:
    """Tab goes quiz → graph → paths → quiz."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("tab")
        assert app.focused is screen.graph_panel
        await pilot.press("tab")
        assert app.focused is screen.path_panel.path_list
        await pilot.press("tab")
        assert app.focused is screen.quiz_panel.rows[0].input
        await pilot.press("shift+tab")
        assert app.focused is screen.path_panel.path_list


async def test_the_drawing_is_made_once_per_state() -> None:
    """Width, height and render share one drawing; a new state makes exactly one more."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = tutor(app).graph_panel.canvas.view
        made: list[GraphState] = []
        draw = view.draw

        def counting(state: GraphState) -> list[list[Run]]:
            made.append(state)
            return draw(state)

        view.draw = counting  # type: ignore[method-assign]
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert len(made) == 1
        assert made[0] == tutor(app).graph_panel.state
