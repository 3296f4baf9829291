"""Random lesson graphs (tests/engine/exprgen.py) run for the quiz's property tests."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, note

from backprop_tutor.engine import StepError, StepTrace, parse_lesson, run_step
from engine.exprgen import GraphSpec


def trace_or_skip(spec: GraphSpec) -> StepTrace:
    """The generated lesson's one step, or skip the draw where the engine refuses it."""
    note(spec.toml())
    lesson = parse_lesson(spec.toml(), Path("generated.toml"))
    try:
        return run_step(
            lesson.graph,
            step=1,
            inputs=lesson.steps[0],
            constants=lesson.constants,
            params=lesson.parameters,
            learning_rate=lesson.learning_rate,
        )
    except StepError:
        assume(False)
        raise AssertionError("unreachable") from None
