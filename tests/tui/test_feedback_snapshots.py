"""Snapshots of feedback on screen (issue 11), each looked at as a picture."""

from __future__ import annotations

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app

from .helpers import settle, tutor, type_answer
from .test_feedback import answer_step_one, clear_and_type, reach_grad_u, reveal_step

SIZE = (120, 40)


async def step_one_done(pilot: Pilot[None]) -> None:
    """Every quantity of step 1 answered right: the step's end under the last row."""
    await settle(pilot)
    await answer_step_one(pilot)
    await settle(pilot)


async def lesson_done(pilot: Pilot[None]) -> None:
    """Step 1 answered, step 2 shown: the step's end and the lesson's."""
    await step_one_done(pilot)
    await pilot.press("f8")
    await settle(pilot)
    await reveal_step(pilot, len(tutor(pilot.app).state.questions))  # type: ignore[arg-type]
    await settle(pilot)


async def part_with_feedback(pilot: Pilot[None]) -> None:
    """∂J/∂u broken down after two misses; the first part answered without ∂J/∂h."""
    await settle(pilot)
    await reach_grad_u(pilot)
    await clear_and_type(pilot, "0.5")
    await clear_and_type(pilot, "0.034985")
    await clear_and_type(pilot, "parts")
    await type_answer(pilot, "4")
    await settle(pilot)


async def paths_part_answered(pilot: Pilot[None]) -> None:
    """Up to ∂J/∂u answered: the paths to u with what the learner has, ? for the rest."""
    await settle(pilot)
    await reach_grad_u(pilot)
    await settle(pilot)


def test_step_end(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Step 1 done: J before and after, each parameter's move, F8 for step 2; status says so."""
    assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=step_one_done)


def test_lesson_end(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """Both steps done: takeaways, counts and the next lesson (Enter opens it)."""
    assert snap_compare(make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=lesson_done)


def test_breakdown_row_with_feedback(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The parts of ∂J/∂u under it; the first part's slip named, its value not told."""
    assert snap_compare(
        make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=part_with_feedback
    )


def test_paths_part_answered(snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The paths to u: factors the learner has worked out filled in, the rest ?."""
    assert snap_compare(
        make_app(plan=NUMBERS_ONLY), terminal_size=SIZE, run_before=paths_part_answered
    )
