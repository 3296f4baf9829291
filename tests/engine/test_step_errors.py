"""Which node a step names when a local derivative overflows, and in which order it fails."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import Graph, StepError, parse, run_step


def step(computed: dict[str, str], u: float) -> None:
    """One step of a graph of input u, no parameters, the last computed node the objective."""
    graph = Graph(
        inputs=("u",),
        constants=(),
        parameters=(),
        computed={name: (source, parse(source)) for name, source in computed.items()},
        objective=list(computed)[-1],
    )
    run_step(graph, step=1, inputs={"u": u}, constants={}, params={}, learning_rate=0.1)


def test_an_overflowing_slope_names_its_node() -> None:
    """log at the smallest float is finite (≈ -744), but its slope 1/u is not."""
    with pytest.raises(StepError, match=r"^node a: a local derivative is too large"):
        step({"a": "log(u)", "b": "a * 2", "J": "b + 1"}, 5e-324)


def test_the_first_failing_node_is_named() -> None:
    """A slope that overflowed before a later node's domain error is the error reported."""
    with pytest.raises(StepError, match=r"^node a: a local derivative is too large"):
        step({"a": "log(u)", "b": "log(a)", "J": "b + 1"}, 5e-324)
    with pytest.raises(StepError, match=r"^node b: log of a non-positive number \(-690"):
        step({"a": "log(u)", "b": "log(a)", "J": "b + 1"}, 1e-300)
