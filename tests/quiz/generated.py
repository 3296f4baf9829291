"""Random lesson graphs (tests/engine/exprgen.py) run for the quiz's property tests."""

from __future__ import annotations

from hypothesis import assume, note

from backprop_tutor.engine import StepError, StepTrace
from engine.exprgen import GraphSpec, run_spec


def trace_or_skip(spec: GraphSpec) -> StepTrace:
    """The generated lesson's one step, or skip the draw where the engine refuses it."""
    note(spec.toml())
    try:
        return run_spec(spec)
    except StepError:
        assume(False)
        raise AssertionError("unreachable") from None
