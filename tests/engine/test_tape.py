"""The per-node tape: the fused value-and-partials call agrees exactly with the two sweeps."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from exprgen import Gen, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import FUNCTIONS, EvalError, parse
from backprop_tutor.engine.expr import FUNCTIONS_2
from backprop_tutor.engine.tape import (
    OPERATORS,
    Tape,
    backward,
    compile_expr,
    forward,
    sweep_for,
    value_of,
)

NAMES = ("u", "v")
SPECIAL = (0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.5, -2.5, 3.0, 1e-200, -1e-200, 1e200, -1e200, 710.0)
NUMBERS = st.one_of(
    st.sampled_from(SPECIAL), st.floats(-5.0, 5.0, allow_nan=False, allow_subnormal=False)
)
ENVS = st.fixed_dictionaries({name: NUMBERS for name in NAMES})

OPERATIONS = [
    *(f"{left} {op} {right}" for op in "+-*/^" for left, right in
      [("u", "v"), ("v", "u"), ("u", "u"), ("u", "2"), ("2", "u"), ("u", "0.5"),
       ("0.5", "u"), ("u", "(-1)"), ("2", "3")]),
    "-u", "-2",
    *(f"{fn}({arg})" for fn in ("exp", "log", "sqrt", "tanh", "sigmoid", "relu")
      for arg in ("u", "2")),
    "u", "2",
]  # fmt: skip


def two_sweeps(tape: Tape, values: list[float]) -> tuple[float, tuple[float, ...]]:
    """The reference: `forward`, a finite-value check, then `backward`, as separate calls."""
    slots = forward(tape, list(values))
    value = value_of(tape, slots)
    if not math.isfinite(value):
        raise EvalError("overflow: the value is too large" if value == value else "not a number")
    return value, tuple(backward(tape, slots))


def value_and_partials(tape: Tape, values: list[float]) -> tuple[float, tuple[float, ...]]:
    """What a step computes for a node: the sweep `sweep_for` picks for its tape."""
    return sweep_for(tape)(tape, values)


def outcome(fn: object, tape: Tape, values: list[float]) -> tuple[str, ...]:
    """A comparable result: reprs of the numbers (so −0.0 ≠ 0.0), or the error message."""
    assert callable(fn)
    try:
        value, partials = fn(tape, list(values))
    except EvalError as error:
        return ("error", str(error))
    return ("ok", repr(value), *map(repr, partials))


@pytest.mark.parametrize("source", OPERATIONS)
@given(env=ENVS)
@settings(max_examples=25, deadline=None)
def test_one_operation_shortcut_is_exact(source: str, env: dict[str, float]) -> None:
    """Every operation, on names, repeated names and literals, at ordinary and extreme points
    (zeros of both signs, overflow, domain edges): the shortcut for one-operation nodes gives
    bit-for-bit the numbers, and the same error, as the general two sweeps."""
    tape = compile_expr(parse(source))
    values = [env[name] for name in tape.operands]
    assert outcome(value_and_partials, tape, values) == outcome(two_sweeps, tape, values)


@given(gen=expressions(NAMES, depth=3), env=ENVS)
@settings(max_examples=200, deadline=None)
def test_value_and_partials_is_exact_on_any_expression(gen: Gen, env: dict[str, float]) -> None:
    """On random expressions of any size the fused call equals the two sweeps exactly."""
    tape = compile_expr(parse(gen.text))
    values = [env[name] for name in tape.operands]
    assert outcome(value_and_partials, tape, values) == outcome(two_sweeps, tape, values)


def test_every_operator_has_one_entry() -> None:
    """Each binary operator, unary minus and each function the parser knows is one entry of
    the table the sweeps and the formulas read."""
    symbols = [operator.symbol for operator in OPERATORS]
    assert sorted(symbols) == sorted(["+", "-", "*", "/", "^", "neg", *FUNCTIONS, *FUNCTIONS_2])


@pytest.mark.parametrize(
    ("source", "partials"),
    [("u + sqrt(0)", (1.0,)), ("u - sqrt(0)", (1.0,)), ("u * sqrt(0)", (0.0,)), ("sqrt(0)", ())],
)
def test_a_literals_slope_is_never_computed(source: str, partials: tuple[float, ...]) -> None:
    """Only slots that depend on an operand are given a slope: sqrt's slope at 0 is infinite,
    but beside u, or in a node of no names, nothing asks for it."""
    tape = compile_expr(parse(source))
    values = [3.0] * len(tape.operands)
    assert value_and_partials(tape, values) == (two_sweeps(tape, values)[0], partials)
    assert two_sweeps(tape, values)[1] == partials


def test_a_traceback_ends_in_the_operators_own_code() -> None:
    """The sweeps call the table's functions: a refused point is raised by the operator's own
    code in tape.py (here division's), where a reader of the traceback can open it."""
    tape = compile_expr(parse("u / v + 1"))
    with pytest.raises(EvalError, match=r"^division by zero$") as caught:
        forward(tape, [1.0, 0.0])
    last = caught.traceback[-1]
    assert (Path(str(last.path)).name, last.name) == ("tape.py", "_divide")
