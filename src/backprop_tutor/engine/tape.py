"""Numeric evaluation of one node's expression, and its local partial derivatives.

Each expression is compiled once into a flat tape of elementary operations over slots
(operand values first, then literals, then one slot per operation). The forward sweep
fills the slots; the reverse sweep over the same tape gives ∂node/∂operand for every
operand at once. This is reverse-mode autodiff in miniature, run inside a node, while
`autodiff.py` runs it across the graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from .expr import Bin, Expr, Neg, Num, Var, names_in

# Opcodes: small ints, so that dispatch in the hot loop is cheap comparisons.
NEG, ADD, SUB, MUL, DIV, POW, EXP, LOG, SQRT, TANH, SIGMOID, RELU = range(12)
_BINARY = {"+": ADD, "-": SUB, "*": MUL, "/": DIV, "^": POW}
_UNARY = {
    "exp": EXP,
    "log": LOG,
    "sqrt": SQRT,
    "tanh": TANH,
    "sigmoid": SIGMOID,
    "relu": RELU,
}


class EvalError(ArithmeticError):
    """A value that cannot be computed: division by zero, log of a non-positive number, ..."""


@dataclass(frozen=True, slots=True)
class Tape:
    """A compiled expression: operands, literal slots and the operations in order."""

    operands: tuple[str, ...]
    literals: tuple[float, ...]
    ops: tuple[tuple[int, int, int], ...]  # (opcode, slot a, slot b); b is -1 for unary ops
    # Which slots depend on some operand; the reverse sweep skips the others.
    live: tuple[bool, ...]

    @property
    def size(self) -> int:
        return len(self.operands) + len(self.literals) + len(self.ops)


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
            ops.append((_BINARY[node.op], slot_of[id(node.left)], slot_of[id(node.right)]))
            slot_of[id(node)] = base + len(ops) - 1
        elif isinstance(node, Neg):
            ops.append((NEG, slot_of[id(node.arg)], -1))
            slot_of[id(node)] = base + len(ops) - 1
        else:
            ops.append((_UNARY[node.fn], slot_of[id(node.arg)], -1))
            slot_of[id(node)] = base + len(ops) - 1

    live = [True] * len(operands) + [False] * len(literals)
    for _, a, b in ops:
        live.append(live[a] or (b >= 0 and live[b]))
    return Tape(operands, tuple(literals), tuple(ops), tuple(live))


def _sigmoid(x: float) -> float:
    # Two forms so that neither branch overflows for large |x|.
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def forward(tape: Tape, operand_values: list[float]) -> list[float]:
    """Run the tape forward; returns every slot's value (the last one is the node's)."""
    s = operand_values + list(tape.literals)
    append = s.append
    try:
        for op, a, b in tape.ops:
            x = s[a]
            if op == MUL:
                append(x * s[b])
            elif op == ADD:
                append(x + s[b])
            elif op == SUB:
                append(x - s[b])
            elif op == DIV:
                y = s[b]
                if y == 0.0:
                    raise EvalError("division by zero")
                append(x / y)
            elif op == POW:
                append(_power(x, s[b]))
            elif op == NEG:
                append(-x)
            elif op == EXP:
                append(math.exp(x))
            elif op == LOG:
                if x <= 0.0:
                    raise EvalError(f"log of a non-positive number ({x:g})")
                append(math.log(x))
            elif op == SQRT:
                if x < 0.0:
                    raise EvalError(f"square root of a negative number ({x:g})")
                append(math.sqrt(x))
            elif op == TANH:
                append(math.tanh(x))
            elif op == SIGMOID:
                append(_sigmoid(x))
            else:
                append(x if x > 0.0 else 0.0)
    except OverflowError:
        raise EvalError("overflow: the value is too large for a float") from None
    return s


def _power(x: float, y: float) -> float:
    if x == 0.0 and y < 0.0:
        raise EvalError("division by zero (0 raised to a negative power)")
    if x < 0.0 and not float(y).is_integer():
        raise EvalError(f"a negative number ({x:g}) raised to a non-integer power ({y:g})")
    return float(x**y)


def value_of(tape: Tape, slots: list[float]) -> float:
    """The node's value from a forward sweep's slots."""
    if tape.ops:
        return slots[-1]
    # An expression that is a bare name or number has no operations.
    return slots[0]


def backward(tape: Tape, slots: list[float]) -> list[float]:
    """Reverse sweep: ∂node/∂operand for each operand, in `tape.operands` order."""
    n_ops = len(tape.ops)
    adj = [0.0] * len(slots)
    if n_ops == 0:
        if tape.operands:
            adj[0] = 1.0
        return adj[: len(tape.operands)]
    adj[-1] = 1.0
    live = tape.live
    base = len(slots) - n_ops
    try:
        for index in range(n_ops - 1, -1, -1):
            g = adj[base + index]
            if g == 0.0:
                continue
            op, a, b = tape.ops[index]
            x = slots[a]
            if op == MUL:
                if live[a]:
                    adj[a] += g * slots[b]
                if live[b]:
                    adj[b] += g * x
            elif op == ADD:
                adj[a] += g
                adj[b] += g
            elif op == SUB:
                adj[a] += g
                adj[b] -= g
            elif op == DIV:
                y = slots[b]
                if live[a]:
                    adj[a] += g / y
                if live[b]:
                    # Divide twice: y·y can underflow to 0 even though y is not 0.
                    adj[b] -= g * x / y / y
            elif op == POW:
                y = slots[b]
                if live[a]:
                    adj[a] += g * _power_base_partial(x, y)
                if live[b]:
                    adj[b] += g * _power_exponent_partial(x, y, slots[base + index])
            elif op == NEG:
                adj[a] -= g
            elif op == EXP:
                adj[a] += g * slots[base + index]
            elif op == LOG:
                adj[a] += g / x
            elif op == SQRT:
                root = slots[base + index]
                if root == 0.0:
                    raise EvalError("the slope of sqrt at 0 is infinite")
                adj[a] += g / (2.0 * root)
            elif op == TANH:
                t = slots[base + index]
                adj[a] += g * (1.0 - t * t)
            elif op == SIGMOID:
                s = slots[base + index]
                adj[a] += g * s * (1.0 - s)
            else:
                # relu: slope 1 where positive, 0 elsewhere (0 at 0 by convention)
                if x > 0.0:
                    adj[a] += g
    except (OverflowError, ZeroDivisionError):
        raise EvalError("overflow in a local derivative") from None
    return adj[: len(tape.operands)]


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


def value_and_partials(tape: Tape, operand_values: list[float]) -> tuple[float, tuple[float, ...]]:
    """The node's value and ∂node/∂operand per operand (`tape.operands` order), in one call.

    This is the step's hot loop: the forward sweep, a check that the value is finite, then
    the reverse sweep over the same slots. Raises EvalError where either cannot be computed.
    A node of one operation (x + y, w*x, relu(z)) takes a shortcut with the same results.
    """
    if len(tape.ops) == 1:
        return one_operation(tape, operand_values)
    return general(tape, operand_values)


def general(tape: Tape, operand_values: list[float]) -> tuple[float, tuple[float, ...]]:
    """`value_and_partials` for any tape: the two sweeps over a list of slots."""
    slots = forward(tape, operand_values)
    value = slots[-1] if tape.ops else slots[0]
    if not math.isfinite(value):
        raise EvalError(_not_finite(value))
    return value, tuple(backward(tape, slots))


def _not_finite(value: float) -> str:
    # NaN is the one float unequal to itself.
    return "overflow: the value is too large" if value == value else "not a number"


def one_operation(tape: Tape, operand_values: list[float]) -> tuple[float, tuple[float, ...]]:
    """`value_and_partials` for a tape of exactly one operation, without the slot lists.

    Slots below `n` are operands (live); the others are literals, whose slopes are not
    wanted (and, for a literal exponent, may not exist).
    """
    op, a, b = tape.ops[0]
    n = len(operand_values)
    s = operand_values + list(tape.literals) if tape.literals else operand_values
    x = s[a]
    da = db = 0.0
    try:
        if op == MUL:
            y = s[b]
            value = x * y
            da, db = y, x
        elif op == ADD:
            value = x + s[b]
            da = db = 1.0
        elif op == SUB:
            value = x - s[b]
            da, db = 1.0, -1.0
        elif op == RELU:
            value = x if x > 0.0 else 0.0
            da = 1.0 if x > 0.0 else 0.0
        elif op == DIV:
            y = s[b]
            if y == 0.0:
                raise EvalError("division by zero")
            value = x / y
            da, db = 1.0 / y, -(x / y / y)
        elif op == POW:
            y = s[b]
            value = _power(x, y)
        elif op == NEG:
            value = -x
            da = -1.0
        elif op == EXP:
            value = da = math.exp(x)
        elif op == LOG:
            if x <= 0.0:
                raise EvalError(f"log of a non-positive number ({x:g})")
            value = math.log(x)
            da = 1.0 / x
        elif op == SQRT:
            if x < 0.0:
                raise EvalError(f"square root of a negative number ({x:g})")
            value = math.sqrt(x)
        elif op == TANH:
            value = math.tanh(x)
            da = 1.0 - value * value
        else:  # SIGMOID
            value = _sigmoid(x)
            da = value * (1.0 - value)
    except OverflowError:
        raise EvalError("overflow: the value is too large for a float") from None
    if not math.isfinite(value):
        raise EvalError(_not_finite(value))
    try:
        if op == POW:
            if a < n:
                da = _power_base_partial(x, s[b])
            if 0 <= b < n:
                db = _power_exponent_partial(x, s[b], value)
        elif op == SQRT:
            if value == 0.0:
                raise EvalError("the slope of sqrt at 0 is infinite")
            da = 1.0 / (2.0 * value)
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


def evaluate(expr: Expr, env: dict[str, float]) -> float:
    """Evaluate an expression tree directly (used for one-off checks, not the hot path)."""
    tape = compile_expr(expr)
    return value_of(tape, forward(tape, [env[name] for name in tape.operands]))


__all__ = [
    "EvalError",
    "Sweep",
    "Tape",
    "backward",
    "compile_expr",
    "evaluate",
    "forward",
    "general",
    "one_operation",
    "value_and_partials",
    "value_of",
]
