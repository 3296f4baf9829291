"""Every lesson's gradients: against central differences, as sums over paths, at the
lesson's own numbers and at random ones."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import (
    Graph,
    Lesson,
    NodeKind,
    StepError,
    StepTrace,
    list_lessons,
    load_lesson,
    run_lesson,
    run_step,
)

# Every built-in lesson; test_lesson_library.py pins which lessons those are, in order.
CURRICULUM = tuple(lesson.name for lesson in list_lessons())


LEAF_KINDS = (NodeKind.INPUT, NodeKind.CONSTANT, NodeKind.PARAMETER)


def leaves_of(trace: StepTrace) -> dict[str, float]:
    """The values a step fed in: inputs, constants and parameters."""
    return {
        node.name: trace.values[node.name] for node in trace.graph.nodes if node.kind in LEAF_KINDS
    }


def forward(
    graph: Graph, leaves: Mapping[str, float], nudge: tuple[str, float] | None = None
) -> dict[str, float]:
    """Every node's value, node by node; `nudge` adds a small amount to one node's value."""
    env = dict(leaves)
    if nudge is not None and nudge[0] in env:
        env[nudge[0]] += nudge[1]
    for name in graph.computed:
        env[name] = graph.evaluate(name, env)
        if nudge is not None and nudge[0] == name:
            env[name] += nudge[1]
    return env


def central_difference(graph: Graph, leaves: Mapping[str, float], name: str) -> float:
    """∂objective/∂name by nudging `name` both ways and re-running everything after it."""
    base = forward(graph, leaves)[name]
    h = 1e-6 * max(1.0, abs(base))
    up = forward(graph, leaves, (name, h))[graph.objective]
    down = forward(graph, leaves, (name, -h))[graph.objective]
    return (up - down) / (2 * h)


def close(a: float, b: float, tol: float = 1e-6) -> bool:
    """Whether two numbers agree to `tol`, absolutely or relative to the larger."""
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def check_against_finite_differences(trace: StepTrace, tol: float = 1e-6) -> None:
    """Every node's gradient agrees with a central difference of the objective."""
    leaves = leaves_of(trace)
    for node in trace.graph.nodes:
        numeric = central_difference(trace.graph, leaves, node.name)
        assert close(trace.grads[node.name], numeric, tol), (
            f"step {trace.step}, ∂J/∂{node.name}: engine {trace.grads[node.name]!r},"
            f" finite differences {numeric!r}"
        )


def check_paths_sum_to_gradients(trace: StepTrace) -> None:
    """For every node, the path products add up to its gradient, and the count agrees."""
    for node in trace.graph.nodes:
        paths = list(trace.paths(node.name))
        assert len(paths) == trace.path_count(node.name)
        total = math.fsum(path.product for path in paths)
        assert close(total, trace.grads[node.name], 1e-9), node.name


@pytest.mark.parametrize("name", CURRICULUM)
def test_gradients_match_finite_differences_at_lesson_numbers(name: str) -> None:
    """At the lesson's own numbers, both steps, every gradient matches central differences."""
    for trace in run_lesson(load_lesson(name)):
        check_against_finite_differences(trace)


@pytest.mark.parametrize("name", CURRICULUM)
def test_path_products_sum_to_gradients_at_lesson_numbers(name: str) -> None:
    """At the lesson's own numbers, both steps, the paths account for every gradient."""
    for trace in run_lesson(load_lesson(name)):
        check_paths_sum_to_gradients(trace)


@pytest.mark.parametrize("name", CURRICULUM)
def test_updates_follow_sgd(name: str) -> None:
    """θ ← θ − η·∂J/∂θ, and each step starts from the parameters the last one left."""
    lesson = load_lesson(name)
    traces = run_lesson(lesson)
    assert dict(traces[0].params_before) == dict(lesson.parameters)
    for trace in traces:
        for param, before in trace.params_before.items():
            expected = before - lesson.learning_rate * trace.grads[param]
            assert close(trace.params_after[param], expected, 1e-12)
    assert dict(traces[1].params_before) == dict(traces[0].params_after)


def _random_trace(lesson: Lesson, data: st.DataObject) -> StepTrace:
    """One step of the lesson's graph at random inputs, constants and parameters."""
    number = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False, allow_infinity=False)

    def draw(names: Mapping[str, float] | tuple[str, ...]) -> dict[str, float]:
        return {name: data.draw(number, label=name) for name in names}

    try:
        trace = run_step(
            lesson.graph,
            step=1,
            inputs=draw(lesson.inputs),
            constants=draw(lesson.constants),
            params=draw(lesson.parameters),
            learning_rate=lesson.learning_rate,
        )
    except StepError:
        assume(False)  # e.g. 1/(1 + v) with v = −1 exactly: no gradient to compare
        raise AssertionError("unreachable") from None
    # Central differences are only meaningful away from kinks (relu at 0) and poles.
    for node in lesson.graph.nodes:
        if node.expression is not None and "relu" in node.expression:
            assume(all(abs(trace.values[op]) > 1e-3 for op in node.operands))
    assume(all(abs(value) < 1e4 for value in trace.values.values()))
    return trace


@pytest.mark.parametrize("name", CURRICULUM)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(data=st.data())
def test_gradients_at_random_numbers(name: str, data: st.DataObject) -> None:
    """At random inputs, constants and parameters: finite differences and path sums agree."""
    trace = _random_trace(load_lesson(name), data)
    check_against_finite_differences(trace, tol=1e-5)
    check_paths_sum_to_gradients(trace)


# How many paths lead from J to each parameter (and to x where it is the point).
PATH_COUNTS = {
    "single-chain": {"w": 1, "b": 1},
    "two-paths": {"a": 1, "b": 1, "x": 2},
    "branch-merge": {"a": 3, "b": 2, "c": 2, "d": 1},
    "shared-weight": {"w": 2, "b": 1},
    "sigmoid-logistic": {"w": 1, "b": 1},
    "two-layer": {"w1": 1, "w2": 1, "v1": 1, "v2": 1, "x": 2},
    "softmax-cross-entropy": {"w1": 3, "w2": 3},
    "residual": {"a": 2, "b": 1, "x": 4},
}


@pytest.mark.parametrize("name", CURRICULUM)
def test_path_counts(name: str) -> None:
    """Each lesson has the path structure its text describes."""
    trace = run_lesson(load_lesson(name))[0]
    for node, count in PATH_COUNTS[name].items():
        assert trace.path_count(node) == count, node
