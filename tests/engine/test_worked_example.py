"""Every number of the worked example (shared/seed/README.md), both steps, at 6 decimals."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import StepTrace

# (step, quantity kind, name, value) exactly as the seed README prints them.
SEED_NUMBERS = [
    (1, "values", {"u": 2, "h": 4, "v": 6, "p": 0.142857, "L": 0.734694, "R": 0.1,
                   "J": 0.834694}),
    (1, "grads", {"v": 0.034985, "d": 0.034985, "c": 0.239942, "b": 0.174927,
                  "a": 0.449854}),
    (1, "params_after", {"a": 0.955015, "b": -0.017493, "c": 0.976006, "d": -0.003499}),
    (2, "values", {"u": -0.017493, "h": 0.000306, "v": -0.020693, "p": 1.021130,
                   "L": 0.000446, "R": 0.093232, "J": 0.093678}),
    (2, "grads", {"v": -0.044064, "d": -0.044064, "c": 0.097587, "b": -0.042560,
                  "a": 0.095501}),
    (2, "params_after", {"a": 0.945464, "b": -0.013237, "c": 0.966247, "d": 0.000908}),
]  # fmt: skip


@pytest.mark.parametrize(("step", "kind", "expected"), SEED_NUMBERS)
def test_seed_numbers_to_six_decimals(
    worked_traces: tuple[StepTrace, ...], step: int, kind: str, expected: dict[str, float]
) -> None:
    """Each number in the seed README, rounded to 6 decimals, is what the engine computes."""
    actual = getattr(worked_traces[step - 1], kind)
    for name, value in expected.items():
        assert round(actual[name], 6) == pytest.approx(value, abs=1e-12), (step, kind, name)


def test_step_two_starts_from_step_one_update(worked_traces: tuple[StepTrace, ...]) -> None:
    """SGD carries the parameters from one step to the next, and step 2 feeds x = 0."""
    first, second = worked_traces
    assert second.params_before == first.params_after
    assert dict(second.inputs) == {"x": 0.0}


def test_delta_formula_and_branch_merge(worked_traces: tuple[StepTrace, ...]) -> None:
    """δ = 2(p − y)·(−1/(1+v)²) and ∂v/∂u in total is 2cu + 1 (the seed's formulas)."""
    for trace in worked_traces:
        v, p, u, c = (trace.values[n] for n in "vpuc")
        delta = 2 * (p - 1) * (-1 / (1 + v) ** 2)
        assert trace.grads["v"] == pytest.approx(delta, rel=1e-12)
        assert trace.grads["u"] == pytest.approx(delta * (2 * c * u + 1), rel=1e-12)
        via = {edge.node: edge.contribution for edge in trace.contributions_to("u")}
        assert set(via) == {"h", "v"}
        assert via["h"] + via["v"] == pytest.approx(trace.grads["u"], rel=1e-12)


def test_regularization_alone_moves_a_when_x_is_zero(
    worked_traces: tuple[StepTrace, ...],
) -> None:
    """At x = 0 every data path to a is multiplied by 0, yet ∂J/∂a = λa."""
    second = worked_traces[1]
    paths = list(second.paths("a"))
    data = [path for path in paths if path.branch == "L"]
    regularization = [path for path in paths if path.branch == "R"]
    assert len(data) == 2 and len(regularization) == 1
    assert all(path.product == 0 for path in data)
    assert second.grads["a"] == pytest.approx(0.1 * second.params_before["a"], rel=1e-12)


def test_paths_of_a_and_c(worked_traces: tuple[StepTrace, ...]) -> None:
    """Three paths reach a, two reach c, and the products sum to the gradients."""
    trace = worked_traces[0]
    assert trace.path_count("a") == 3
    assert trace.path_count("c") == 2
    assert {path.nodes for path in trace.paths("a")} == {
        ("J", "L", "p", "v", "u", "a"),
        ("J", "L", "p", "v", "h", "u", "a"),
        ("J", "R", "a"),
    }
    assert {path.nodes for path in trace.paths("c")} == {("J", "L", "p", "v", "c"), ("J", "R", "c")}
    for name in "abcd":
        total = sum(path.product for path in trace.paths(name))
        assert total == pytest.approx(trace.grads[name], rel=1e-12)


@pytest.mark.parametrize(
    ("node", "operand", "formula", "local"),
    [
        ("h", "u", "2·u", 4.0),
        ("p", "v", "−1/(1 + v)²", -1 / 49),
        ("v", "u", "1", 1.0),
        ("u", "a", "x", 2.0),
        ("L", "p", "2·(p − y)", 2 * (1 / 7 - 1)),
        ("R", "a", "λ·a", 0.1),
        ("J", "L", "1", 1.0),
    ],
)
def test_local_derivative_formulas(
    worked_traces: tuple[StepTrace, ...], node: str, operand: str, formula: str, local: float
) -> None:
    """Each edge's local derivative, as a readable formula and as the number at step 1."""
    trace = worked_traces[0]
    assert trace.graph.local_formula(node, operand) == formula
    assert trace.edge(operand, node).local == pytest.approx(local, rel=1e-12)


def test_gradient_names_and_greek(worked_traces: tuple[StepTrace, ...]) -> None:
    """[gradient_names] v = "delta" shows as δ; lambda shows as λ."""
    graph = worked_traces[0].graph
    assert graph.gradient_label("v") == "δ"
    assert graph.gradient_label("a") == "∂J/∂a"
    assert graph.label("lambda") == "λ"
    assert graph.expression_text("R") == "λ/2·(a² + c²)"
