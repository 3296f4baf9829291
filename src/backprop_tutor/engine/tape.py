"""Numeric evaluation of one node's expression, and its local partial derivatives.

Each expression is compiled once into a flat tape of elementary operations over slots
(operand values first, then literals, then one slot per operation). The forward sweep
fills the slots; the reverse sweep over the same tape gives ∂node/∂operand for every
operand at once. This is reverse-mode autodiff in miniature, run inside a node, while
`autodiff.py` runs it across the graph.

What each operation means is written once, in `OPERATORS`: its value, the slope it passes
to each operand, and its symbolic derivative (which `symbolic.py` reads). The sweeps, the
one-operation shortcut and the formulas all read that table, so a new operator is one
entry there (and, for a function, its name in `expr.FUNCTIONS`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .expr import ONE, TWO, ZERO, Bin, Call, Expr, Neg, Num, Var, names_in


class EvalError(ArithmeticError):
    """A value that cannot be computed: division by zero, log of a non-positive number, ..."""


# An operation's value from its operands x and y (one-argument operations ignore y).
# Raises EvalError outside its domain; may raise OverflowError, which the sweeps report.
Value = Callable[[float, float], float]
# (g, x, y, v) → g·∂v/∂x (or g·∂v/∂y): the adjoint g that reached the operation's value v,
# passed on to one operand. Each is written in the order of float operations the sweeps
# have always used (g/y, not g·(1/y)), so that numbers stay bit-identical; g = 1 gives
# the bare slope.
Slope = Callable[[float, float, float, float], float]
# (e, a, b, da, db) → ∂e/∂name, from the node e, its operands a and b (b is ZERO for a
# one-argument operation) and their derivatives da and db, each ZERO exactly where that
# operand does not mention the name.
ChainRule = Callable[[Expr, Expr, Expr, Expr, Expr], Expr]


@dataclass(frozen=True, slots=True)
class Operator:
    """One elementary operation: its value, the slopes it passes down, its derivative."""

    symbol: str  # as an expression writes it: "+", "exp"; "neg" for unary minus
    value: Value
    slope_x: Slope
    derivative: ChainRule
    slope_y: Slope | None = None  # None for an operation of one argument


def _divide(x: float, y: float) -> float:
    if y == 0.0:
        raise EvalError("division by zero")
    return x / y


def _power(x: float, y: float) -> float:
    if x == 0.0 and y < 0.0:
        raise EvalError("division by zero (0 raised to a negative power)")
    if x < 0.0 and not float(y).is_integer():
        raise EvalError(f"a negative number ({x:g}) raised to a non-integer power ({y:g})")
    return float(x**y)


def _power_base_slope(g: float, x: float, y: float, _v: float) -> float:
    if y == 0.0:
        return g * 0.0
    if x == 0.0 and y < 1.0:
        raise EvalError(f"the slope of a power {y:g} at 0 is infinite")
    return g * (y * _power(x, y - 1.0))


def _power_exponent_slope(g: float, x: float, y: float, v: float) -> float:
    if x > 0.0:
        return g * (v * math.log(x))
    if x == 0.0 and y > 0.0:
        return g * 0.0
    raise EvalError(f"the slope with respect to an exponent needs a positive base (got {x:g})")


def _log(x: float, _y: float) -> float:
    if x <= 0.0:
        raise EvalError(f"log of a non-positive number ({x:g})")
    return math.log(x)


def _sqrt(x: float, _y: float) -> float:
    if x < 0.0:
        raise EvalError(f"square root of a negative number ({x:g})")
    return math.sqrt(x)


def _sqrt_slope(g: float, _x: float, _y: float, root: float) -> float:
    if root == 0.0:
        raise EvalError("the slope of sqrt at 0 is infinite")
    return g / (2.0 * root)


def _sigmoid(x: float, _y: float) -> float:
    # Two forms so that neither branch overflows for large |x|.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _quotient_rule(e: Expr, a: Expr, b: Expr, da: Expr, db: Expr) -> Expr:
    if db == ZERO:
        return Bin("/", da, b)
    if da == ZERO:
        return Neg(Bin("/", Bin("*", a, db), Bin("^", b, TWO)))
    return Bin("/", Bin("-", Bin("*", da, b), Bin("*", a, db)), Bin("^", b, TWO))


def _power_rule(e: Expr, a: Expr, b: Expr, da: Expr, db: Expr) -> Expr:
    if db == ZERO:
        return Bin("*", Bin("*", b, Bin("^", a, Bin("-", b, ONE))), da)
    if da == ZERO:
        return Bin("*", Bin("*", e, Call("log", a)), db)
    return Bin("*", e, Bin("+", Bin("*", db, Call("log", a)), Bin("/", Bin("*", b, da), a)))


def _chain(outer: Callable[[Expr, Expr], Expr]) -> ChainRule:
    """The chain rule for a function: its derivative at its argument, times the argument's."""
    return lambda e, a, _b, da, _db: Bin("*", outer(e, a), da)


OPERATORS: tuple[Operator, ...] = (
    Operator(
        "*",
        value=lambda x, y: x * y,
        slope_x=lambda g, x, y, v: g * y,
        slope_y=lambda g, x, y, v: g * x,
        derivative=lambda e, a, b, da, db: Bin("+", Bin("*", da, b), Bin("*", a, db)),
    ),
    Operator(
        "+",
        value=lambda x, y: x + y,
        slope_x=lambda g, x, y, v: g,
        slope_y=lambda g, x, y, v: g,
        derivative=lambda e, a, b, da, db: Bin("+", da, db),
    ),
    Operator(
        "-",
        value=lambda x, y: x - y,
        slope_x=lambda g, x, y, v: g,
        slope_y=lambda g, x, y, v: -g,
        derivative=lambda e, a, b, da, db: Bin("-", da, db),
    ),
    Operator(
        "/",
        value=_divide,
        slope_x=lambda g, x, y, v: g / y,
        # Divide twice: y·y can underflow to 0 even though y is not 0.
        slope_y=lambda g, x, y, v: -(g * x / y / y),
        derivative=_quotient_rule,
    ),
    Operator(
        "^",
        value=_power,
        slope_x=_power_base_slope,
        slope_y=_power_exponent_slope,
        derivative=_power_rule,
    ),
    Operator(
        "neg",
        value=lambda x, y: -x,
        slope_x=lambda g, x, y, v: -g,
        derivative=lambda e, a, b, da, db: Neg(da),
    ),
    Operator(
        "exp",
        value=lambda x, y: math.exp(x),
        slope_x=lambda g, x, y, v: g * v,
        derivative=_chain(lambda e, a: e),
    ),
    Operator(
        "log",
        value=_log,
        slope_x=lambda g, x, y, v: g / x,
        derivative=_chain(lambda e, a: Bin("/", ONE, a)),
    ),
    Operator(
        "sqrt",
        value=_sqrt,
        slope_x=_sqrt_slope,
        derivative=_chain(lambda e, a: Bin("/", ONE, Bin("*", TWO, e))),
    ),
    Operator(
        "tanh",
        value=lambda x, y: math.tanh(x),
        slope_x=lambda g, x, y, v: g * (1.0 - v * v),
        derivative=_chain(lambda e, a: Bin("-", ONE, Bin("^", e, TWO))),
    ),
    Operator(
        "sigmoid",
        value=_sigmoid,
        slope_x=lambda g, x, y, v: g * v * (1.0 - v),
        derivative=_chain(lambda e, a: Bin("*", e, Bin("-", ONE, e))),
    ),
    Operator(
        "relu",
        value=lambda x, y: x if x > 0.0 else 0.0,
        # Slope 1 where positive, 0 elsewhere (0 at 0 by convention); written [z > 0].
        slope_x=lambda g, x, y, v: g if x > 0.0 else 0.0,
        derivative=_chain(lambda e, a: Call("step", a)),
    ),
)

_BY_SYMBOL = {operator.symbol: opcode for opcode, operator in enumerate(OPERATORS)}
# What the hot loops index by opcode (a list index, not an attribute or a dict lookup).
_VALUE: tuple[Value, ...] = tuple(operator.value for operator in OPERATORS)
_SLOPE_X: tuple[Slope, ...] = tuple(operator.slope_x for operator in OPERATORS)
_SLOPE_Y: tuple[Slope, ...] = tuple(
    operator.slope_y or operator.slope_x for operator in OPERATORS
)  # never called for a one-argument operation: its b is -1


def operator_of(expr: Bin | Neg | Call) -> Operator:
    """The table entry for the operation at the top of `expr`."""
    return OPERATORS[_opcode(expr)]


def _opcode(expr: Bin | Neg | Call) -> int:
    if isinstance(expr, Bin):
        return _BY_SYMBOL[expr.op]
    return _BY_SYMBOL["neg" if isinstance(expr, Neg) else expr.fn]


@dataclass(frozen=True, slots=True)
class Tape:
    """A compiled expression: operands, literal slots and the operations in order."""

    operands: tuple[str, ...]
    literals: tuple[float, ...]
    ops: tuple[tuple[int, int, int], ...]  # (opcode, slot a, slot b); b is -1 for unary ops
    # Which slots depend on some operand; the reverse sweep skips the others.
    live: tuple[bool, ...]


# A node's sweep: operand values in, (value, ∂node/∂operand per operand) out.
Sweep = Callable[["Tape", list[float]], tuple[float, tuple[float, ...]]]


def compile_expr(expr: Expr) -> Tape:
    """Compile an expression tree into a tape."""
    operands = names_in(expr)
    operand_slot = {name: i for i, name in enumerate(operands)}
    literals: list[float] = []
    ops: list[tuple[int, int, int]] = []

    # Post-order walk with an explicit stack: deep expressions must not recurse.
    slot_of: dict[int, int] = {}
    ordered: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded or isinstance(node, Num | Var):
            ordered.append(node)
            continue
        stack.append((node, True))
        if isinstance(node, Bin):
            stack.append((node.right, False))
            stack.append((node.left, False))
        else:
            stack.append((node.arg, False))

    # First pass: count literals so operation slots can be numbered after them.
    for node in ordered:
        if isinstance(node, Num):
            literals.append(node.value)
    base = len(operands) + len(literals)
    literal_index = len(operands)
    for node in ordered:
        if isinstance(node, Num):
            slot_of[id(node)] = literal_index
            literal_index += 1
        elif isinstance(node, Var):
            slot_of[id(node)] = operand_slot[node.name]
        elif isinstance(node, Bin):
            ops.append((_opcode(node), slot_of[id(node.left)], slot_of[id(node.right)]))
            slot_of[id(node)] = base + len(ops) - 1
        else:
            ops.append((_opcode(node), slot_of[id(node.arg)], -1))
            slot_of[id(node)] = base + len(ops) - 1

    live = [True] * len(operands) + [False] * len(literals)
    for _, a, b in ops:
        live.append(live[a] or (b >= 0 and live[b]))
    return Tape(operands, tuple(literals), tuple(ops), tuple(live))


def forward(tape: Tape, operand_values: list[float]) -> list[float]:
    """Run the tape forward; returns every slot's value (the last one is the node's)."""
    s = operand_values + list(tape.literals)
    append = s.append
    value = _VALUE
    try:
        # b is -1 for an operation of one argument: s[b] is then a slot it ignores.
        for op, a, b in tape.ops:
            append(value[op](s[a], s[b]))
    except OverflowError:
        raise EvalError("overflow: the value is too large for a float") from None
    return s


def value_of(tape: Tape, slots: list[float]) -> float:
    """The node's value from a forward sweep's slots."""
    if tape.ops:
        return slots[-1]
    # An expression that is a bare name or number has no operations.
    return slots[0]


def backward(tape: Tape, slots: list[float]) -> list[float]:
    """Reverse sweep: ∂node/∂operand for each operand, in `tape.operands` order.

    Only live slots (those that depend on an operand) are passed an adjoint: a literal's
    slope is not wanted and may not exist (a power's slope in a literal exponent).
    """
    n_ops = len(tape.ops)
    adj = [0.0] * len(slots)
    if n_ops == 0:
        if tape.operands:
            adj[0] = 1.0
        return adj[: len(tape.operands)]
    adj[-1] = 1.0
    live = tape.live
    ops = tape.ops
    base = len(slots) - n_ops
    slope_x, slope_y = _SLOPE_X, _SLOPE_Y
    try:
        for index in range(n_ops - 1, -1, -1):
            g = adj[base + index]
            if g == 0.0:
                continue
            op, a, b = ops[index]
            x, y, v = slots[a], slots[b], slots[base + index]
            if live[a]:
                adj[a] += slope_x[op](g, x, y, v)
            if b >= 0 and live[b]:
                adj[b] += slope_y[op](g, x, y, v)
    except (OverflowError, ZeroDivisionError):
        raise EvalError("overflow in a local derivative") from None
    return adj[: len(tape.operands)]


def sweep_for(tape: Tape) -> Sweep:
    """The function that gives a tape's value and ∂node/∂operand per operand in one call.

    It runs the forward sweep, checks that the value is finite, then runs the reverse sweep
    over the same slots, raising EvalError where either cannot be computed. A tape of one
    operation (x + y, w*x, relu(z)) gets a shortcut with bit-identical results. A step
    calls it once per node: `Graph.program` keeps the one chosen for each.
    """
    return _one_operation if len(tape.ops) == 1 else _two_sweeps


def _two_sweeps(tape: Tape, operand_values: list[float]) -> tuple[float, tuple[float, ...]]:
    # Any tape: the forward and the reverse sweep over one list of slots.
    slots = forward(tape, operand_values)
    value = slots[-1] if tape.ops else slots[0]
    if not math.isfinite(value):
        raise EvalError(_not_finite(value))
    return value, tuple(backward(tape, slots))


def _not_finite(value: float) -> str:
    # NaN is the one float unequal to itself.
    return "overflow: the value is too large" if value == value else "not a number"


def _one_operation(tape: Tape, operand_values: list[float]) -> tuple[float, tuple[float, ...]]:
    # A tape of exactly one operation, without the slot lists. Slots below `n` are
    # operands (live); the others are literals, whose slopes are not wanted (and, for a
    # literal exponent, may not exist).
    op, a, b = tape.ops[0]
    n = len(operand_values)
    s = operand_values + list(tape.literals) if tape.literals else operand_values
    x, y = s[a], s[b]  # b is -1 for an operation of one argument, which ignores y
    try:
        value = _VALUE[op](x, y)
    except OverflowError:
        raise EvalError("overflow: the value is too large for a float") from None
    if not math.isfinite(value):
        raise EvalError(_not_finite(value))
    da = db = 0.0
    try:
        if a < n:
            da = _SLOPE_X[op](1.0, x, y, value)
        if 0 <= b < n:
            db = _SLOPE_Y[op](1.0, x, y, value)
    except (OverflowError, ZeroDivisionError):
        raise EvalError("overflow in a local derivative") from None
    # Adding to 0.0 as the reverse sweep does keeps even the sign of a zero slope the same.
    if n == 2:
        # Two distinct names, each used once.
        return value, ((da + 0.0, db + 0.0) if a == 0 else (db + 0.0, da + 0.0))
    if n == 1:
        # One name, used once or twice (x*x): its slopes add up.
        return value, (0.0 + (da if a == 0 else 0.0) + (db if b == 0 else 0.0),)
    return value, ()


def value_at(tape: Tape, env: Mapping[str, float]) -> float:
    """A tape's value at named operand values (one-off checks, not the hot path)."""
    return value_of(tape, forward(tape, [float(env[name]) for name in tape.operands]))


__all__ = [
    "OPERATORS",
    "EvalError",
    "Operator",
    "Sweep",
    "Tape",
    "backward",
    "compile_expr",
    "forward",
    "operator_of",
    "sweep_for",
    "value_at",
    "value_of",
]
