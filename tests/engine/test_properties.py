"""Property tests on random graphs: gradients, path sums, path counts; huge and deep graphs.

Graphs come from `exprgen.graphs`: random lessons over every operator (+ - * / ^ and **
with real exponents, unary minus) and every function (exp log sqrt tanh sigmoid relu),
with random parameter values. An independent oracle written with `math` supplies values
and central finite differences.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator

import pytest
from exprgen import DomainError, GraphSpec, graphs, run_spec
from hypothesis import HealthCheck, assume, given, note, settings
from hypothesis import strategies as st

from backprop_tutor.engine import (
    Edge,
    Graph,
    StepError,
    StepTrace,
    parse,
    run_step,
)
from backprop_tutor.engine.trace import Path

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
BOUND = 1e4  # graphs whose values leave ±BOUND are skipped: finite differences lose digits


def run_or_skip(spec: GraphSpec) -> StepTrace:
    """The trace, or skip the draw where the engine refuses the point (a domain error)."""
    note(spec.toml())
    try:
        trace = run_spec(spec)
    except StepError as error:
        note(f"engine refused: {error}")
        assume(False)
        raise AssertionError("unreachable") from None
    assume(all(abs(v) < BOUND for v in trace.values.values()))
    return trace


@given(spec=graphs())
@SETTINGS
def test_values_match_the_oracle(spec: GraphSpec) -> None:
    """Forward values equal an independent evaluation; the engine never computes a value
    where the maths is undefined (log of a negative, a negative base to a real power...)."""
    note(spec.toml())
    try:
        trace = run_spec(spec)
    except StepError:
        assume(False)
        return
    try:
        expected = spec.values()
    except DomainError as error:
        # The engine accepted a point the oracle rejects: only intermediate overflow that a
        # saturating function (tanh, sigmoid) brings back to a finite value may do that.
        assert "overflow" in str(error), error
        return
    for name, value in expected.items():
        assert trace.values[name] == pytest.approx(value, rel=1e-9, abs=1e-12), name


def _oracle(spec: GraphSpec, name: str, delta: float) -> float:
    return spec.values({name: delta})[spec.objective]


@given(spec=graphs())
@SETTINGS
def test_gradients_match_central_finite_differences(spec: GraphSpec) -> None:
    """∂J/∂node from the backward sweep equals a central finite difference, for every node:
    parameters, the input, the constant and every computed node.

    Points where the objective is not smooth along that node (a relu kink, a singularity
    close by, a domain edge) are recognised from the oracle alone, by one-sided differences
    that disagree, and skipped for that node: that test never consults the engine, so it
    cannot hide an engine error.
    """
    trace = run_or_skip(spec)
    checked = 0
    for name in [*spec.leaves, *(n for n, _ in spec.nodes)]:
        value = trace.values[name]
        h = 1e-5 * max(1.0, abs(value))
        try:
            f0 = _oracle(spec, name, 0.0)
            up, down = _oracle(spec, name, h), _oracle(spec, name, -h)
            half_up, half_down = _oracle(spec, name, h / 2), _oracle(spec, name, -h / 2)
        except DomainError:
            continue
        central = (half_up - half_down) / h
        forward, backward = (up - f0) / h, (f0 - down) / h
        if abs(forward - backward) > 1e-3 * (1.0 + abs(central)):
            note(f"{name}: not smooth here (one-sided {backward} vs {forward})")
            continue
        # Where the second derivative jumps (x·|x| at 0) the central difference is only
        # first order; the step-halving change estimates that error from the oracle alone.
        truncation = 2 * abs((up - down) / (2 * h) - central)
        grad = trace.grads[name]
        # Rounding error is ~ε·|J|/h (h/2 here, well inside the allowance).
        tolerance = 1e-5 * (1.0 + abs(central)) + truncation + 1e-14 * (1.0 + abs(f0)) / h
        assert abs(grad - central) <= tolerance, (name, grad, central)
        checked += 1
    note(f"checked {checked} gradients")


def _assert_well_formed(trace: StepTrace, name: str, path: Path) -> None:
    assert path.nodes[0] == trace.graph.objective
    assert path.nodes[-1] == name
    assert len(path.factors) == len(path.nodes) - 1
    product = 1.0
    for hop, factor in enumerate(path.factors):
        # Each factor is the edge from the next node up into the one before it.
        assert (factor.node, factor.operand) == (path.nodes[hop], path.nodes[hop + 1])
        assert factor == trace.edge(factor.operand, factor.node)
        product *= factor.local
    assert path.product == product


@given(spec=graphs())
@SETTINGS
def test_path_products_sum_to_the_gradient(spec: GraphSpec) -> None:
    """For every node, the paths are well formed, distinct, as many as `path_count` says and
    as an independent brute-force count finds, and their products sum to ∂J/∂node."""
    trace = run_or_skip(spec)
    for node in trace.graph.nodes:
        name = node.name
        count = trace.path_count(name)
        assert count == spec.count_paths(name), name
        if count > 2000:
            continue
        paths = list(trace.paths(name))
        assert len(paths) == count
        assert len({p.nodes for p in paths}) == count
        for path in paths:
            _assert_well_formed(trace, name, path)
        products = [p.product for p in paths]
        scale = max((abs(p) for p in products), default=0.0)
        assert math.fsum(products) == pytest.approx(
            trace.grads[name], rel=1e-9, abs=1e-12 * (1.0 + scale) * max(count, 1)
        ), name
        if count == 0:
            assert trace.grads[name] == 0.0


@given(spec=graphs(), limit=st.integers(0, 5))
@SETTINGS
def test_paths_limit_is_a_prefix(spec: GraphSpec, limit: int) -> None:
    """`paths(name, limit=n)` yields the first min(n, count) paths of the full enumeration,
    and the enumeration order is deterministic."""
    trace = run_or_skip(spec)
    for node in trace.graph.nodes:
        if trace.path_count(node.name) > 500:
            continue
        full = [p.nodes for p in trace.paths(node.name)]
        assert full == [p.nodes for p in trace.paths(node.name)]
        limited = [p.nodes for p in trace.paths(node.name, limit=limit)]
        assert limited == full[:limit]


@given(spec=graphs())
@SETTINGS
def test_edges_hold_the_local_partials_and_contributions(spec: GraphSpec) -> None:
    """trace.edges lists every operand → node once, in evaluation order; each Edge is an
    ordinary immutable Edge whose local is the node's own ∂node/∂operand at the step's
    values and whose contribution is ∂J/∂node · local; the contributions leaving a node
    sum to its gradient."""
    trace = run_or_skip(spec)
    graph = trace.graph
    expected_pairs = [(op, name) for name in graph.computed for op in graph.operands(name)]
    assert [(e.operand, e.node) for e in trace.edges] == expected_pairs
    for edge in trace.edges:
        partials = graph.local_partials(edge.node, trace.values)
        assert edge.local == partials[edge.operand]
        rebuilt = Edge(edge.operand, edge.node, edge.local, trace.grads[edge.node] * edge.local)
        assert edge == rebuilt and hash(edge) == hash(rebuilt)
        with pytest.raises(dataclasses.FrozenInstanceError):
            edge.local = 0.0  # type: ignore[misc]
    for node in graph.nodes:
        if node.name == graph.objective:
            continue
        contributions = [e.contribution for e in trace.contributions_to(node.name)]
        assert [e.node for e in trace.contributions_to(node.name)] == list(
            graph.consumers(node.name)
        )
        assert math.fsum(contributions) == pytest.approx(
            trace.grads[node.name], rel=1e-12, abs=1e-12 * max(map(abs, contributions), default=0)
        )


# ---------------------------------------------------------------- huge and deep graphs


def build_graph(
    computed: dict[str, str], parameters: tuple[str, ...], objective: str, inputs: tuple[str, ...]
) -> Graph:
    """A graph straight from expressions (lesson validation is not what these tests time)."""
    return Graph(
        inputs=inputs,
        constants=(),
        parameters=parameters,
        computed={name: (source, parse(source)) for name, source in computed.items()},
        objective=objective,
    )


DIAMONDS = 60


@pytest.fixture(scope="module")
def ladder() -> StepTrace:
    """60 diamonds in a row: n_k splits into l_k and r_k, which merge into n_{k+1}."""
    computed = {"n0": "a*x"}
    for k in range(DIAMONDS):
        computed[f"l{k}"] = f"tanh(n{k})"
        computed[f"r{k}"] = f"0.5*n{k}"
        computed[f"n{k + 1}"] = f"l{k} + r{k}"
    graph = build_graph(computed, ("a",), f"n{DIAMONDS}", ("x",))
    return run_step(
        graph, step=1, inputs={"x": 0.3}, constants={}, params={"a": 0.7}, learning_rate=0.1
    )


def test_ladder_counts_two_to_the_sixty_without_enumerating(
    ladder: StepTrace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """path_count is exact (2**60, a Python int) and never walks the paths: with path
    enumeration made to fail, counting still answers."""

    def no_enumeration(*args: object, **kwargs: object) -> Iterator[Path]:
        raise AssertionError("path_count enumerated paths")

    monkeypatch.setattr(StepTrace, "paths", no_enumeration)
    monkeypatch.setattr(StepTrace, "_make_path", no_enumeration)
    monkeypatch.setattr(StepTrace, "_next_hops", no_enumeration)
    assert ladder.path_count("a") == 2**DIAMONDS
    assert ladder.path_count("x") == 2**DIAMONDS
    assert ladder.path_count("n0") == 2**DIAMONDS
    assert ladder.path_count(f"n{DIAMONDS // 2}") == 2 ** (DIAMONDS // 2)
    assert ladder.path_count(f"n{DIAMONDS}") == 1


def test_ladder_paths_are_lazy(ladder: StepTrace, monkeypatch: pytest.MonkeyPatch) -> None:
    """paths(name, limit=5) yields exactly 5 distinct full-length paths, building no more
    Path objects than it yields; an unlimited enumeration is a generator one can stop."""
    built: list[tuple[str, ...]] = []
    make_path = StepTrace._make_path

    def counting(self: StepTrace, nodes: tuple[str, ...]) -> Path:
        built.append(nodes)
        return make_path(self, nodes)

    monkeypatch.setattr(StepTrace, "_make_path", counting)
    paths = list(ladder.paths("a", limit=5))
    assert len(paths) == 5
    assert len(built) == 5
    assert len({p.nodes for p in paths}) == 5
    for path in paths:
        # n60, then (l or r, n) per diamond down to n0, then a.
        assert len(path.nodes) == 2 * DIAMONDS + 2
        _assert_well_formed(ladder, "a", path)
    unlimited = ladder.paths("a")
    first_three = [next(unlimited) for _ in range(3)]
    assert [p.nodes for p in first_three] == [p.nodes for p in paths[:3]]


def test_ladder_gradient_is_the_sum_over_a_small_ladder() -> None:
    """On a ladder small enough to enumerate, the 2^k path products sum to the gradient."""
    computed = {"n0": "a*x"}
    for k in range(8):
        computed[f"l{k}"] = f"tanh(n{k})"
        computed[f"r{k}"] = f"0.5*n{k}^2"
        computed[f"n{k + 1}"] = f"l{k} + r{k}"
    graph = build_graph(computed, ("a",), "n8", ("x",))
    trace = run_step(
        graph, step=1, inputs={"x": 0.3}, constants={}, params={"a": 0.7}, learning_rate=0.1
    )
    paths = list(trace.paths("a"))
    assert trace.path_count("a") == len(paths) == 2**8
    assert math.fsum(p.product for p in paths) == pytest.approx(trace.grads["a"], rel=1e-12)


CHAIN = 100_000


def test_chain_of_100k_nodes_has_no_recursion_limit() -> None:
    """A chain of 100k computed nodes runs forward and backward, counts and enumerates
    paths, without RecursionError (everything walks the graph iteratively)."""
    computed = {"n0": "a*x"}
    for k in range(1, CHAIN):
        computed[f"n{k}"] = f"n{k - 1} + a"
    graph = build_graph(computed, ("a",), f"n{CHAIN - 1}", ("x",))
    trace = run_step(
        graph, step=1, inputs={"x": 2.0}, constants={}, params={"a": 0.5}, learning_rate=0.1
    )
    # J = a·x + (CHAIN − 1)·a, so ∂J/∂a = x + CHAIN − 1 and every other gradient is 1.
    assert trace.values[f"n{CHAIN - 1}"] == pytest.approx(0.5 * 2.0 + (CHAIN - 1) * 0.5)
    assert trace.grads["a"] == 2.0 + CHAIN - 1
    assert trace.grads["n0"] == 1.0
    assert trace.params_after["a"] == pytest.approx(0.5 - 0.1 * (CHAIN + 1))
    assert trace.path_count("a") == CHAIN
    assert trace.path_count("n0") == 1
    (deepest,) = trace.paths("n0")
    assert len(deepest.nodes) == CHAIN
    assert deepest.product == 1.0
    first = list(trace.paths("a", limit=3))
    assert len(first) == 3
    # Depth first in operand order: the first path dives all the way down to n0.
    assert len(first[0].nodes) == CHAIN + 1
    assert first[0].nodes[-2:] == ("n0", "a")
