"""Stepping through the passes in the app: graph, path panel, status and lesson text."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Static

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.stepper import Position
from backprop_tutor.tui.widgets.lesson_text import LessonText
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import settle, tutor

SIZE = (120, 40)


def summary_text(app) -> str:  # type: ignore[no-untyped-def]
    """The plain text above the list of paths."""
    return str(tutor(app).path_panel.summary.render())


async def forward_reveals_one_node_at_a_time(pilot: Pilot[None]) -> None:
    """ctrl+n computes u, then h; the stage's node is selected and shown worked out."""
    app = pilot.app
    screen = tutor(app)  # type: ignore[arg-type]
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen.position == Position(0, "forward", 1)
    assert screen.selected == "u"
    state = screen.graph_panel.state
    assert state is not None and "u" in state.values and "h" not in state.values
    assert "u = a·x + b = 1·2 + 0 = 2" in summary_text(app)
    await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen.graph_panel.state is not None
    assert "h" in screen.graph_panel.state.values
    assert "Forward pass at h (2/7)" in str(screen.query_one(StatusLine).render())


async def back_hides_again(pilot: Pilot[None]) -> None:
    """ctrl+b takes the last node back."""
    await pilot.press("ctrl+b")
    await settle(pilot)
    state = tutor(pilot.app).graph_panel.state  # type: ignore[arg-type]
    assert state is not None and "u" in state.values and "h" not in state.values


async def backward_at_u_shows_both_contributions(pilot: Pilot[None]) -> None:
    """At u the path panel shows what arrives through h and through v, and their sum."""
    app = pilot.app
    screen = tutor(app)  # type: ignore[arg-type]
    await pilot.press("ctrl+l")  # end of the forward pass
    for _ in range(7):  # J, R, L, p, v, h, u
        await pilot.press("ctrl+n")
    await settle(pilot)
    assert screen.position == Position(0, "backward", 7)
    assert screen.selected == "u"
    text = summary_text(app)
    assert "2 branches meet at u" in text
    assert "through h" in text and "0.139942" in text
    assert "through v" in text and "0.034985" in text
    # The sum comes first (a short panel cuts the parts, not the result) and ends with it.
    first = text.splitlines()[0]
    assert first.startswith("∂J/∂u = sum of path products") and first.endswith("0.174927")
    state = screen.graph_panel.state
    assert state is not None
    assert "u" in state.grads and "a" not in state.grads


async def update_stage_shows_old_gradient_and_new_value(pilot: Pilot[None]) -> None:
    """In the update stage each parameter shows θ − η·g with its numbers."""
    app = pilot.app
    screen = tutor(app)  # type: ignore[arg-type]
    await pilot.press("ctrl+l", "ctrl+n")
    await settle(pilot)
    assert screen.position == Position(0, "update", 1)
    assert screen.selected == "a"
    text = summary_text(app)
    assert "a ← a − η·∂J/∂a = 1 − 0.1 × 0.449854 = 0.955015" in text
    state = screen.graph_panel.state
    assert state is not None and state.updated == {"a"}


async def step_two_feeds_x_zero_and_the_updated_parameters(pilot: Pilot[None]) -> None:
    """F8 goes to step 2: x = 0, parameters from the update, a note on ∂J/∂a."""
    app = pilot.app
    screen = tutor(app)  # type: ignore[arg-type]
    await pilot.press("f8")
    await settle(pilot)
    assert screen.position == Position(1, "forward", 0)
    assert "step 2/2 (x = 0)" in str(screen.query_one(StatusLine).render())
    assert screen.trace.params_before["a"] == screen.traces[0].params_after["a"]
    await pilot.press("ctrl+l", "ctrl+l")
    await settle(pilot)
    body = str(screen.query_one(LessonText).query_one("#lesson-body", Static).render())
    assert "x = 0" in body and "∂J/∂a" in body
    screen.select("a")
    await settle(pilot)
    text = summary_text(app)
    # Both data paths carry the factor x = 0; the regularization path is all.
    assert "0 + 0 + 0.095501" in text


async def test_one_walk_through_both_steps() -> None:
    """One boot, the passes in the order a learner steps through them.

    Forward one node at a time, back again, the backward pass at u, the update, then
    step 2: each stop is one of the functions above, with its own docstring.
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await forward_reveals_one_node_at_a_time(pilot)
        await back_hides_again(pilot)
        await backward_at_u_shows_both_contributions(pilot)
        await update_stage_shows_old_gradient_and_new_value(pilot)
        await step_two_feeds_x_zero_and_the_updated_parameters(pilot)


async def test_stepping_keys_work_while_typing() -> None:
    """The stepping keys are not swallowed by the focused input."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("1", "ctrl+n")
        await settle(pilot)
        assert screen.position.done == 1
        assert screen.quiz_panel.rows[0].input.value == "1"


async def test_the_path_hint_names_the_stepping_key() -> None:
    """Before the backward pass reaches a node, its path panel says ctrl+n gets there."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert "Numbers appear when the backward pass reaches u (ctrl+n)" in summary_text(app)
