"""max, min and abs: values, slopes (ties and the kink stated), formulas, parse errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import ExprSyntaxError, parse
from backprop_tutor.engine.symbolic import derivative, render
from backprop_tutor.engine.tape import backward, compile_expr, forward


def value_and_slopes(source: str, **env: float) -> tuple[float, dict[str, float]]:
    """The tape's value and ∂/∂operand for `source` at `env`."""
    tape = compile_expr(parse(source))
    slots = forward(tape, [env[name] for name in tape.operands])
    return slots[-1], dict(zip(tape.operands, backward(tape, slots), strict=True))


@pytest.mark.parametrize(
    ("source", "env", "value", "slopes"),
    [
        ("max(a, b)", {"a": 3, "b": -1}, 3, {"a": 1, "b": 0}),
        ("max(a, b)", {"a": -2, "b": 5}, 5, {"a": 0, "b": 1}),
        ("max(a, b)", {"a": 2, "b": 2}, 2, {"a": 1, "b": 0}),  # a tie: the first operand
        ("min(a, b)", {"a": 3, "b": -1}, -1, {"a": 0, "b": 1}),
        ("min(a, b)", {"a": 2, "b": 2}, 2, {"a": 1, "b": 0}),  # a tie: the first operand
        ("abs(a)", {"a": -3}, 3, {"a": -1}),
        ("abs(a)", {"a": 0.5}, 0.5, {"a": 1}),
        ("abs(a)", {"a": 0}, 0, {"a": 0}),  # the kink: slope 0, as relu's
    ],
)
def test_values_and_slopes(
    source: str, env: dict[str, float], value: float, slopes: dict[str, float]
) -> None:
    """The larger (smaller) operand takes the whole gradient; ties go to the first."""
    got_value, got_slopes = value_and_slopes(source, **env)
    assert got_value == value
    assert got_slopes == slopes


def test_formulas_read_as_brackets() -> None:
    """The symbolic derivatives say when each operand gets the gradient."""
    tree = parse("2*(x*y + max(z, w))")
    assert render(tree) == "2·(x·y + max(z, w))"
    assert render(derivative(tree, "z")) == "2·[z ≥ w]"
    assert render(derivative(tree, "w")) == "2·[w > z]"
    assert render(derivative(parse("min(a, b)"), "b")) == "[a > b]"
    assert render(derivative(parse("abs(a - b)"), "b")) == "−sign(a − b)"
    assert render(derivative(parse("max(x, 0)"), "x")) == "[x ≥ 0]"


POINT = st.floats(-50, 50, allow_nan=False)


@given(a=POINT, b=POINT)
@settings(max_examples=200, deadline=None)
def test_central_differences_away_from_ties(a: float, b: float) -> None:
    """Away from a tie (and abs's kink), each slope is the central difference."""
    h = 1e-6
    for source in ("max(a, b)*a", "min(a, b)*b", "abs(a - b)"):
        if abs(a - b) < 1e-3:
            continue
        _, slopes = value_and_slopes(source, a=a, b=b)
        for name in ("a", "b"):
            up = {"a": a, "b": b, name: (a if name == "a" else b) + h}
            down = {"a": a, "b": b, name: (a if name == "a" else b) - h}
            central = (value_and_slopes(source, **up)[0] - value_and_slopes(source, **down)[0]) / (
                2 * h
            )
            assert slopes[name] == pytest.approx(central, rel=1e-4, abs=1e-4), (source, name)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("max(a)", "max takes two arguments separated by a comma: max(a, b)"),
        ("min a", "function 'min' needs its argument in parentheses"),
        ("max(a, b, c)", "expected ')' to close the '(' at column 4"),
    ],
)
def test_bad_calls_say_why(source: str, message: str) -> None:
    """A wrong call of max or min is a syntax error with a column."""
    with pytest.raises(ExprSyntaxError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse(source)
