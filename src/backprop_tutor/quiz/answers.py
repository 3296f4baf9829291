"""Reading what a learner typed: a plain number (with its precision) or a small sum.

Sums may use the lesson functions on numbers (exp(1), 1/(1 + exp(-2)), sqrt(2)); names
are still refused: an answer is a number, not a formula.

Answers go through the engine's own tokenizer and parser, then through a small
evaluator here with caps on every number it meets, so nothing typed reaches `eval`
and nothing typed (`9^9^9^9`, a 10 000-character line) can hang or raise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from backprop_tutor.engine.expr import Bin, Call, Expr, ExprSyntaxError, Neg, Num, Var, parse

from .stars import Ambiguous, insert_stars

MAX_LENGTH = 200
# Literals with more digits than this are not hand computations; refusing them keeps
# Decimal arithmetic on typed numbers cheap.
MAX_DIGITS = 40
# No value in a hand computation of this tutor comes anywhere near these.
MAX_MAGNITUDE = 1e100
MAX_EXPONENT = 1000.0
# The largest exponent a typed literal may carry, as written (0e200 is refused too).
MAX_WRITTEN_EXPONENT = 100 + MAX_DIGITS

# Typographic twins of the ASCII operators, as copied from a formula or typed on a
# keyboard layout that offers them.
_TWINS = str.maketrans(
    {
        "−": "-",  # minus sign
        "–": "-",  # en dash
        "×": "*",
        "·": "*",
        "⋅": "*",
        "÷": "/",
        "\u00a0": " ",
    }
)

HOW_TO_TYPE = "Type a number such as 0.1429, 1.43e-1 or 1/7, or arithmetic such as 2*(1/7 - 1)."


@dataclass(frozen=True, slots=True)
class Reading:
    """A readable answer: its value and, for a plain number, the precision typed."""

    text: str
    value: float
    # The typed number exactly as written, for plain numbers only (None for arithmetic).
    literal: Decimal | None

    @property
    def is_number(self) -> bool:
        """Whether the answer is one plain number rather than arithmetic."""
        return self.literal is not None

    @property
    def last_place(self) -> Decimal | None:
        """The place value of the last digit typed: 0.0001 for 0.8346, 1 for 2."""
        if self.literal is None:
            return None
        return Decimal(1).scaleb(_exponent(self.literal))

    @property
    def significant_figures(self) -> int:
        """Significant figures typed (0 for an answer of all zeros, 0 for arithmetic)."""
        if self.literal is None:
            return 0
        digits = self.literal.as_tuple().digits
        stripped = tuple(digits)
        while stripped and stripped[0] == 0:
            stripped = stripped[1:]
        return len(stripped)


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Text that is not an answer, with a message saying what to type instead."""

    text: str
    message: str


def _exponent(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0


class _Refused(Exception):
    """An answer the evaluator will not compute, with the reason a learner reads."""


def normalise(text: str) -> str:
    """The text with typographic operators replaced by their ASCII twins, trimmed."""
    return text.translate(_TWINS).strip()


def read_answer(text: str) -> Reading | Unreadable:
    """Read a typed answer; never raises, whatever the text."""
    try:
        return _read(text)
    except _Refused as refusal:
        return Unreadable(text, f"{refusal} {HOW_TO_TYPE}")
    except (ArithmeticError, ValueError, RecursionError, InvalidOperation):
        # The evaluator guards every step; this is the net under the net.
        return Unreadable(text, f"That could not be read as a number. {HOW_TO_TYPE}")


def _read(text: str) -> Reading | Unreadable:
    if len(text) > MAX_LENGTH:
        raise _Refused(f"That answer is longer than {MAX_LENGTH} characters.")
    source = normalise(text)
    if "=" in source:
        # "u = 2" or "δ = 0.035": the learner wrote the quantity too; read what follows.
        source = source.rsplit("=", 1)[1].strip()
    if not source:
        raise _Refused("The answer is empty.")
    if "," in source:
        raise _Refused("Use a point for decimals, not a comma.")
    try:
        # Products without * as formulas have them (2(1/7 - 1), (1 + 2)(3)); no names here.
        tree = parse(insert_stars(source, lambda _: False))
    except Ambiguous as error:
        raise _Refused(str(error)) from None
    except ExprSyntaxError as error:
        raise _Refused(f"That is not a number or arithmetic: {error.reason}.") from None
    literal = _literal_of(tree)
    value = _evaluate(tree)
    if literal is not None:
        return Reading(text, float(literal), literal)
    return Reading(text, value, None)


def _literal_of(tree: Expr) -> Decimal | None:
    """The exact number, if the answer is one literal with an optional sign."""
    negative = False
    while isinstance(tree, Neg):
        negative = not negative
        tree = tree.arg
    if not isinstance(tree, Num):
        return None
    number = _decimal(tree.text)
    return -number if negative else number


def _decimal(text: str) -> Decimal:
    mantissa = text.lower().split("e")[0]
    if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
        raise _Refused(f"That number has more than {MAX_DIGITS} digits.")
    number = Decimal(text)
    # A zero keeps its exponent (0e1000000), and the precision arithmetic done on it
    # later would overflow Decimal's context, so the written exponent is capped too.
    if (
        not number.is_finite()
        or abs(_exponent(number)) > MAX_WRITTEN_EXPONENT
        or (number != 0 and abs(number.adjusted()) > 100)
    ):
        raise _Refused("That number is too large or too small for a hand computation.")
    return number


ARITHMETIC = ("+", "-", "*", "/", "^")


def _evaluate(tree: Expr) -> float:
    """The value of an answer's tree, in floats, refusing anything out of range."""
    if isinstance(tree, Num):
        return _check(float(_decimal(tree.text)))
    if isinstance(tree, Var):
        raise _Refused(f"Names such as {tree.name!r} are not read in answers; type the value.")
    if isinstance(tree, Call):
        return _check(_call(tree.fn, _evaluate(tree.arg)))
    if isinstance(tree, Neg):
        return -_evaluate(tree.arg)
    if tree.op not in ARITHMETIC:  # max(a, b), min(a, b)
        raise _Refused(f"Functions such as {tree.op}() are not read in answers.")
    left = _evaluate(tree.left)
    right = _evaluate(tree.right)
    return _check(_apply(tree, left, right))


def _apply(tree: Bin, left: float, right: float) -> float:
    if tree.op == "+":
        return left + right
    if tree.op == "-":
        return left - right
    if tree.op == "*":
        return left * right
    if tree.op == "/":
        if right == 0:
            raise _Refused("That divides by zero.")
        return left / right
    # Power: refuse before computing, so that 9^9^9^9 is never attempted.
    if abs(right) > MAX_EXPONENT:
        raise _Refused("That power is too large for a hand computation.")
    if left == 0 and right < 0:
        raise _Refused("That divides by zero.")
    if left < 0 and not right.is_integer():
        raise _Refused("A negative number to a fractional power has no real value.")
    try:
        result = math.pow(left, right)
    except OverflowError:
        raise _Refused("That power is too large for a hand computation.") from None
    return result


# exp of more than this passes MAX_MAGNITUDE: refused before it is computed.
MAX_EXP_ARGUMENT = math.log(MAX_MAGNITUDE)


def _call(fn: str, x: float) -> float:
    """One of the lesson functions on a number (exp(1), log(2), sigmoid(0.5))."""
    if fn == "exp":
        if x > MAX_EXP_ARGUMENT:
            raise _Refused("That power of e is too large for a hand computation.")
        return math.exp(x)
    if fn == "log":
        if x <= 0:
            raise _Refused("log() needs a number above 0.")
        return math.log(x)
    if fn == "sqrt":
        if x < 0:
            raise _Refused("sqrt() needs a number that is not negative.")
        return math.sqrt(x)
    if fn == "tanh":
        return math.tanh(x)
    if fn == "sigmoid":
        # Written so that neither branch overflows for large |x|.
        return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
    if fn == "relu":
        return max(0.0, x)
    raise _Refused(f"Functions such as {fn}() are not read in answers.")


def _check(value: float) -> float:
    if not math.isfinite(value) or abs(value) > MAX_MAGNITUDE:
        raise _Refused("That number is too large for a hand computation.")
    return value
