"""Numeric evaluation of one node's expression, and its local partial derivatives.

Each expression is compiled once into a flat tape of elementary operations over slots
(operand values first, then literals, then one slot per operation). The forward sweep
fills the slots; the reverse sweep over the same tape gives ∂node/∂operand for every
operand at once. This is reverse-mode autodiff in miniature, run inside a node, while
`autodiff.py` runs it across the graph.

What each operation means is written once, in `OPERATORS`: its value, the slope it passes
to each operand, the checks that refuse a point outside its domain, and its symbolic
derivative (which `symbolic.py` reads). The forward sweep, the reverse sweep and the
one-operation shortcut are generated from that table when this module is imported: one
chain of `if op == k:` branches with the arithmetic written in place, because a step runs
these loops for every node and a function call per operation made it about 15% slower.
So a new operator is one entry in `OPERATORS` (and, for a function, its name in
`expr.FUNCTIONS`). `print(tape.SWEEPS_SOURCE)` shows the generated code, and tracebacks
show its lines.
"""

from __future__ import annotations

import linecache
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .expr import ONE, TWO, ZERO, Bin, Call, Expr, Neg, Num, Var, names_in


class EvalError(ArithmeticError):
    """A value that cannot be computed: division by zero, log of a non-positive number, ..."""


# (e, a, b, da, db) → ∂e/∂name, from the node e, its operands a and b (b is ZERO for a
# one-argument operation) and their derivatives da and db, each ZERO exactly where that
# operand does not mention the name.
ChainRule = Callable[[Expr, Expr, Expr, Expr, Expr], Expr]


@dataclass(frozen=True, slots=True)
class Operator:
    """One elementary operation: its value, the slopes it passes down, its derivative.

    The numeric parts are Python source over x (the first operand), y (the second), v (the
    operation's value) and g (the adjoint that reached v): `slope_x` is g·∂v/∂x. Each is
    written in the order of float operations the sweeps have always used (g/y, not
    g·(1/y)), so that numbers stay bit-identical; the one-operation shortcut runs them at
    g = 1.
    """

    symbol: str  # as an expression writes it: "+", "exp"; "neg" for unary minus
    value: str
    slope_x: str
    derivative: ChainRule
    slope_y: str | None = None  # None for an operation of one argument
    check: str = ""  # a statement before the value that raises EvalError outside the domain
    slope_check: str = ""  # the same before the slopes, where a slope does not exist


def _power(x: float, y: float) -> float:
    if x == 0.0 and y < 0.0:
        raise EvalError("division by zero (0 raised to a negative power)")
    if x < 0.0 and not float(y).is_integer():
        raise EvalError(f"a negative number ({x:g}) raised to a non-integer power ({y:g})")
    return float(x**y)


def _power_base_partial(x: float, y: float) -> float:
    if y == 0.0:
        return 0.0
    if x == 0.0 and y < 1.0:
        raise EvalError(f"the slope of a power {y:g} at 0 is infinite")
    return y * _power(x, y - 1.0)


def _power_exponent_partial(x: float, y: float, result: float) -> float:
    if x > 0.0:
        return result * math.log(x)
    if x == 0.0 and y > 0.0:
        return 0.0
    raise EvalError(f"the slope with respect to an exponent needs a positive base (got {x:g})")


def _sigmoid(x: float) -> float:
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


# The order is the order of the generated branches: the commonest operations first.
OPERATORS: tuple[Operator, ...] = (
    Operator(
        "*",
        value="x * y",
        slope_x="g * y",
        slope_y="g * x",
        derivative=lambda e, a, b, da, db: Bin("+", Bin("*", da, b), Bin("*", a, db)),
    ),
    Operator(
        "+",
        value="x + y",
        slope_x="g",
        slope_y="g",
        derivative=lambda e, a, b, da, db: Bin("+", da, db),
    ),
    Operator(
        "-",
        value="x - y",
        slope_x="g",
        slope_y="-g",
        derivative=lambda e, a, b, da, db: Bin("-", da, db),
    ),
    Operator(
        "relu",
        value="x if x > 0.0 else 0.0",
        # Slope 1 where positive, 0 elsewhere (0 at 0 by convention); written [z > 0].
        slope_x="g if x > 0.0 else 0.0",
        derivative=_chain(lambda e, a: Call("step", a)),
    ),
    Operator(
        "/",
        check='if y == 0.0: raise EvalError("division by zero")',
        value="x / y",
        slope_x="g / y",
        # Divide twice: y·y can underflow to 0 even though y is not 0.
        slope_y="-(g * x / y / y)",
        derivative=_quotient_rule,
    ),
    Operator(
        "^",
        value="_power(x, y)",
        slope_x="g * _power_base_partial(x, y)",
        slope_y="g * _power_exponent_partial(x, y, v)",
        derivative=_power_rule,
    ),
    Operator(
        "neg",
        value="-x",
        slope_x="-g",
        derivative=lambda e, a, b, da, db: Neg(da),
    ),
    Operator(
        "exp",
        value="math.exp(x)",
        slope_x="g * v",
        derivative=_chain(lambda e, a: e),
    ),
    Operator(
        "log",
        check='if x <= 0.0: raise EvalError(f"log of a non-positive number ({x:g})")',
        value="math.log(x)",
        slope_x="g / x",
        derivative=_chain(lambda e, a: Bin("/", ONE, a)),
    ),
    Operator(
        "sqrt",
        check='if x < 0.0: raise EvalError(f"square root of a negative number ({x:g})")',
        value="math.sqrt(x)",
        slope_check='if v == 0.0: raise EvalError("the slope of sqrt at 0 is infinite")',
        slope_x="g / (2.0 * v)",
        derivative=_chain(lambda e, a: Bin("/", ONE, Bin("*", TWO, e))),
    ),
    Operator(
        "tanh",
        value="math.tanh(x)",
        slope_x="g * (1.0 - v * v)",
        derivative=_chain(lambda e, a: Bin("-", ONE, Bin("^", e, TWO))),
    ),
    Operator(
        "sigmoid",
        value="_sigmoid(x)",
        slope_x="g * v * (1.0 - v)",
        derivative=_chain(lambda e, a: Bin("*", e, Bin("-", ONE, e))),
    ),
)

_BY_SYMBOL = {operator.symbol: opcode for opcode, operator in enumerate(OPERATORS)}


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


def value_of(tape: Tape, slots: list[float]) -> float:
    """The node's value from a forward sweep's slots."""
    if tape.ops:
        return slots[-1]
    # An expression that is a bare name or number has no operations.
    return slots[0]


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


# ---------------------------------------------------------------- the sweeps, generated

# Each sweep is a template around one chain of branches, one branch per operator. In the
# branches x is the first operand, y the second, v the operation's value, g its adjoint.
_FORWARD = '''
def forward(tape, operand_values):
    """Run the tape forward; returns every slot's value (the last one is the node's)."""
    s = operand_values + list(tape.literals)
    append = s.append
    try:
        for op, a, b in tape.ops:
            x = s[a]
            {branches}
    except OverflowError:
        raise EvalError(VALUE_OVERFLOW) from None
    return s
'''

_BACKWARD = '''
def backward(tape, slots):
    """Reverse sweep: ∂node/∂operand for each operand, in `tape.operands` order."""
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
    try:
        for index in range(n_ops - 1, -1, -1):
            g = adj[base + index]
            if g == 0.0:
                continue
            op, a, b = ops[index]
            x = slots[a]
            {branches}
    except (OverflowError, ZeroDivisionError):
        raise EvalError(SLOPE_OVERFLOW) from None
    return adj[: len(tape.operands)]
'''

# Only live slots (those that depend on an operand) are given an adjoint, in both sweeps:
# a literal's slope is not wanted, and may not exist (a literal exponent of a negative
# base, sqrt(0)). In the shortcut the live slots are those below n, the operands.
_ONE_OPERATION = '''
def one_operation(tape, operand_values):
    """The two sweeps for a tape of exactly one operation, without the slot lists."""
    op, a, b = tape.ops[0]
    n = len(operand_values)
    s = operand_values + list(tape.literals) if tape.literals else operand_values
    x = s[a]
    g = 1.0
    da = db = 0.0
    {branches}
    # Adding to 0.0 as the reverse sweep does keeps even the sign of a zero slope the same.
    if n == 2:
        # Two distinct names, each used once.
        return v, ((da + 0.0, db + 0.0) if a == 0 else (db + 0.0, da + 0.0))
    if n == 1:
        # One name, used once or twice (x*x): its slopes add up.
        return v, (0.0 + (da if a == 0 else 0.0) + (db if b == 0 else 0.0),)
    return v, ()
'''


def _forward_branch(operator: Operator) -> list[str]:
    return [
        "y = s[b]" if operator.slope_y else "",
        operator.check,
        f"append({operator.value})",
    ]


def _backward_branch(operator: Operator) -> list[str]:
    slopes = f"{operator.slope_x} {operator.slope_y} {operator.slope_check}"
    lines = [
        "y = slots[b]" if re.search(r"\by\b", slopes) else "",
        "v = slots[base + index]" if re.search(r"\bv\b", slopes) else "",
    ]
    return lines + _slopes(operator, "live[a]", "live[b]", "adj[a] +=", "adj[b] +=")


def _one_operation_branch(operator: Operator) -> list[str]:
    return [
        "y = s[b]" if operator.slope_y else "",
        "try:",
        f"    {operator.check}",
        f"    v = {operator.value}",
        "except OverflowError:",
        "    raise EvalError(VALUE_OVERFLOW) from None",
        "if not isfinite(v):",
        "    raise EvalError(_not_finite(v))",
        "try:",
        *(f"    {line}" for line in _slopes(operator, "a < n", "b < n", "da =", "db =")),
        "except (OverflowError, ZeroDivisionError):",
        "    raise EvalError(SLOPE_OVERFLOW) from None",
    ]


def _slopes(operator: Operator, live_x: str, live_y: str, to_x: str, to_y: str) -> list[str]:
    """Each operand's slope, computed (after the slope check) only where it is live."""
    lines = [f"if {live_x}:", f"    {operator.slope_check}", f"    {to_x} {operator.slope_x}"]
    if operator.slope_y:
        lines += [f"if {live_y}:", f"    {operator.slope_check}", f"    {to_y} {operator.slope_y}"]
    return lines


def _chain_of_branches(template: str, branch: Callable[[Operator], list[str]]) -> str:
    """The template with one `if op == k:` branch per operator, at its `{branches}` line."""
    line = next(line for line in template.splitlines() if line.strip() == "{branches}")
    indent = line[: len(line) - len(line.lstrip())]
    lines: list[str] = []
    for opcode, operator in enumerate(OPERATORS):
        lines.append(
            f"{indent}{'if' if opcode == 0 else 'elif'} op == {opcode}:  # {operator.symbol}"
        )
        lines += [f"{indent}    {text}" for text in branch(operator) if text.strip()]
    return template.replace(line, "\n".join(lines))


SWEEPS_SOURCE = "".join(
    _chain_of_branches(template, branch)
    for template, branch in (
        (_FORWARD, _forward_branch),
        (_BACKWARD, _backward_branch),
        (_ONE_OPERATION, _one_operation_branch),
    )
)
_SWEEPS_FILE = "<backprop_tutor.engine.tape: sweeps generated from OPERATORS>"
# Registered like a file, so that tracebacks and debuggers show the generated lines.
linecache.cache[_SWEEPS_FILE] = (
    len(SWEEPS_SOURCE),
    None,
    SWEEPS_SOURCE.splitlines(keepends=True),
    _SWEEPS_FILE,
)
_generated: dict[str, Any] = {
    "EvalError": EvalError,
    "VALUE_OVERFLOW": "overflow: the value is too large for a float",
    "SLOPE_OVERFLOW": "overflow in a local derivative",
    "isfinite": math.isfinite,
    "math": math,
    "_not_finite": _not_finite,
    "_power": _power,
    "_power_base_partial": _power_base_partial,
    "_power_exponent_partial": _power_exponent_partial,
    "_sigmoid": _sigmoid,
}
exec(compile(SWEEPS_SOURCE, _SWEEPS_FILE, "exec"), _generated)

forward: Callable[[Tape, list[float]], list[float]] = _generated["forward"]
backward: Callable[[Tape, list[float]], list[float]] = _generated["backward"]
_one_operation: Sweep = _generated["one_operation"]


def value_at(tape: Tape, env: Mapping[str, float]) -> float:
    """A tape's value at named operand values (one-off checks, not the hot path)."""
    return value_of(tape, forward(tape, [float(env[name]) for name in tape.operands]))


__all__ = [
    "OPERATORS",
    "SWEEPS_SOURCE",
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
