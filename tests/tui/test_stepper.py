"""Moving through a lesson's steps and stages, without the app."""

from __future__ import annotations

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.tui.stepper import Position, Stepper


def stepper() -> Stepper:
    """The worked example's stepper."""
    lesson = load_lesson("branch-merge")
    return Stepper(lesson, run_lesson(lesson))


def test_stage_items_follow_the_passes() -> None:
    """Forward in evaluation order, backward in reverse then parameters, update params."""
    s = stepper()
    assert s.items("forward") == ("u", "h", "v", "p", "L", "R", "J")
    assert s.items("backward") == ("J", "R", "L", "p", "v", "h", "u", "d", "c", "b", "a")
    assert s.items("update") == ("a", "b", "c", "d")


def test_forward_walks_through_every_stage_then_the_next_step() -> None:
    """Stepping on crosses forward → backward → update → next step."""
    s = stepper()
    pos = Position()
    seen = []
    for _ in range(7 + 11 + 4 + 1):
        pos = s.forward(pos)
        seen.append((pos.step, pos.stage, s.current(pos)))
    assert seen[0] == (0, "forward", "u")
    assert seen[7] == (0, "backward", "J")
    assert seen[18] == (0, "update", "a")
    assert seen[22] == (1, "forward", None)


def test_back_undoes_forward() -> None:
    """Every move on can be taken back."""
    s = stepper()
    pos = Position()
    trail = [pos]
    for _ in range(30):
        pos = s.forward(pos)
        trail.append(pos)
    for expected in reversed(trail[:-1]):
        if expected == pos:
            continue
        pos = s.back(pos)
        assert pos == expected


def test_end_of_pass_and_steps() -> None:
    """End of pass finishes the stage; going to a step starts it, clamped to the lesson."""
    s = stepper()
    pos = s.end_of_pass(Position())
    assert pos == Position(0, "forward", 7)
    assert s.end_of_pass(pos) == Position(0, "backward", 11)
    assert s.goto_step(5) == Position(1, "forward", 0)
    assert s.goto_step(-1) == Position(0, "forward", 0)


def test_revealed_grows_with_the_position() -> None:
    """Values appear in the forward pass, gradients in the backward, new values last."""
    s = stepper()
    start = s.revealed(Position())
    assert start.values == frozenset({"x", "y", "lambda", "a", "b", "c", "d"})
    assert not start.grads
    mid = s.revealed(Position(0, "backward", 7))
    assert {"u", "J"} <= mid.values and mid.grads == {"J", "R", "L", "p", "v", "h", "u"}
    end = s.revealed(Position(0, "update", 2))
    assert end.updated == {"a", "b"} and end.current == "b"
