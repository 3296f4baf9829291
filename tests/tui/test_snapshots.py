"""Snapshots of the app's main states (SVGs under __snapshots__/, looked at by a person)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app

from .helpers import settle, tutor

SIZE = (120, 40)
RunBefore = Callable[[Pilot[None]], Awaitable[None]]


async def settled(pilot: Pilot[None]) -> None:
    """A run_before that only waits for the first screen's deferred work."""
    await settle(pilot)


def keys(*pressed: str) -> RunBefore:
    """A run_before that presses keys and lets the app settle."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*pressed)
        await settle(pilot)

    return run


def paths_of(name: str, *, after: tuple[str, ...] = ()) -> RunBefore:
    """A run_before that presses keys, then shows the paths of a node."""

    async def run(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press(*after)
        tutor(pilot.app).show_paths_of(name)  # type: ignore[arg-type]
        await settle(pilot)

    return run


class TestFirstScreens:
    """The app as a learner first meets it."""

    def test_first_screen(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """Step 1 as the lesson's plan starts it: the cursor waits on the paths to a, the
        status line says the move (mapping the paths to a, next b), a's paths held back."""
        assert snap_compare(make_app(), terminal_size=SIZE, run_before=settled)

    def test_mid_forward_pass(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """Three nodes into the forward pass: u, h and v known, v selected."""
        run = keys("ctrl+n", "ctrl+n", "ctrl+n")
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)


class TestQuiz:
    """Feedback in the quiz panel."""

    def test_wrong_answer(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """u typed as 3: a cross, the text kept, the sentence under it."""
        assert snap_compare(
            make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=keys("3", "enter")
        )

    def test_right_answer(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """u typed as 2: a check mark, u filled in on the graph, focus on h."""
        assert snap_compare(
            make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=keys("2", "enter")
        )


class TestPasses:
    """The backward pass, the paths and the update."""

    def test_backward_at_u(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The backward pass at u: what arrives through h and through v, and the sum."""
        run = keys("ctrl+l", *["ctrl+n"] * 7)
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)

    def test_paths_of_a(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The three paths to a, the first lit up in the graph."""
        run = paths_of("a", after=("ctrl+l", "ctrl+l"))
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)

    def test_paths_of_c(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The two paths to c: through v (data) and through R (regularization)."""
        run = paths_of("c", after=("ctrl+l", "ctrl+l"))
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)

    def test_update_stage(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The update stage with every parameter moved against its gradient."""
        run = keys("ctrl+l", "ctrl+l", "ctrl+l")
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)

    def test_step_two_x_zero(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """Step 2 at the end of the backward pass: x = 0 and the note on ∂J/∂a."""
        run = paths_of("a", after=("f8", "ctrl+l", "ctrl+l"))
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)


class TestChrome:
    """Help, theme and sizes."""

    def test_help_screen(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """F1 opens the list of keys and how answers are read."""
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=keys("f1"))

    def test_light_theme(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The same screen in Textual's light theme, mid backward pass."""

        async def run(pilot: Pilot[None]) -> None:
            pilot.app.theme = "textual-light"
            await settle(pilot)
            await pilot.press("ctrl+l", *["ctrl+n"] * 5)
            await settle(pilot)

        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=run)

    def test_compact_80x24(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """At 80×24 the graph panel draws the selected node's neighbourhood."""
        assert snap_compare(
            make_app(plan=NUMBERS_ONLY), terminal_size=(80, 24), run_before=keys("ctrl+n")
        )

    def test_too_small(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """At 20×8 the app asks for a larger terminal."""
        assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=(20, 8), run_before=settled)
