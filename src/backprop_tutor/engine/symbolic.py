"""Symbolic local derivatives, a light simplifier, and the pretty printer.

The numbers a learner checks come from `tape.py`; this module only writes the formulas
that explain them (∂h/∂u = 2·u, ∂p/∂v = −1/(1 + v)²). Formulas are built on request.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from fractions import Fraction

from .expr import ONE, ZERO, Bin, Call, Expr, Neg, Num, Var, walk
from .names import display_name
from .numbers import format_coefficient, format_number
from .tape import operator_of

# The passes below recurse once per tree level, and differentiating a chain of products
# nests sums in products about twice as deep as the chain. expr.MAX_NESTING and
# expr.MAX_OPERANDS bound a tree's depth; this much headroom covers the deepest tree they
# allow, called from however deep a stack (a Textual handler is ~200 frames in). Python
# 3.11 runs Python-to-Python calls without C recursion, so the raised limit is safe.
_RECURSION_LIMIT = 5000


@contextmanager
def headroom() -> Iterator[None]:
    """Run a recursive pass with the recursion limit raised, restoring it afterwards."""
    previous = sys.getrecursionlimit()
    if previous < _RECURSION_LIMIT:
        sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def _number(value: Fraction | float) -> Num:
    """A literal for a computed coefficient."""
    return Num(float(value), format_coefficient(value))


def _exact(num: Num) -> Fraction:
    # The author's spelling is exact (0.1 is 1/10); a computed coefficient's text is rounded
    # for display (2/7 shows as 0.285714), so then the stored float is the better value.
    try:
        exact = Fraction(num.text)
    except ValueError:
        return Fraction(num.value)
    return exact if float(exact) == num.value else Fraction(num.value)


def _depends_on(expr: Expr, name: str) -> bool:
    """Whether `expr` mentions `name`."""
    return any(isinstance(node, Var) and node.name == name for node in walk(expr))


# ---------------------------------------------------------------- differentiation


def derivative(expr: Expr, name: str) -> Expr:
    """∂expr/∂name as a simplified expression tree."""
    with headroom():
        return simplify(_d(expr, name))


def _d(e: Expr, x: str) -> Expr:
    # Each operator's own rule (in tape.OPERATORS) is given its operands' derivatives.
    if not _depends_on(e, x):
        return ZERO
    if isinstance(e, Var):
        return ONE
    if isinstance(e, Num):  # never reached (a number mentions no name); narrows the type
        return ZERO
    if isinstance(e, Bin):
        a, b = e.left, e.right
        return operator_of(e).derivative(e, a, b, _d(a, x), _d(b, x))
    return operator_of(e).derivative(e, e.arg, ZERO, _d(e.arg, x), ZERO)


# ---------------------------------------------------------------- simplification


def simplify(e: Expr) -> Expr:
    """Fold constants and drop the 0s and 1s that differentiation leaves behind."""
    with headroom():
        return _simplify(e)


def _simplify(e: Expr) -> Expr:
    if isinstance(e, Num | Var):
        return e
    if isinstance(e, Call):
        return Call(e.fn, _simplify(e.arg))
    if isinstance(e, Neg):
        return _negate(_simplify(e.arg))
    if e.op in "+-":
        return _simplify_sum(e)
    if e.op in "*/":
        return _simplify_product(e)
    if e.op in ("max", "min"):
        return Bin(e.op, _simplify(e.left), _simplify(e.right))
    return _simplify_power(_simplify(e.left), _simplify(e.right))


def _negate(e: Expr) -> Expr:
    if isinstance(e, Num):
        return _number(-_exact(e)) if e.value != 0 else ZERO
    if isinstance(e, Neg):
        return e.arg
    return Neg(e)


def _simplify_sum(e: Bin) -> Expr:
    terms: list[tuple[int, Expr]] = []

    def collect(node: Expr, sign: int) -> None:
        if isinstance(node, Bin) and node.op in "+-":
            collect(node.left, sign)
            collect(node.right, sign if node.op == "+" else -sign)
        else:
            simple = _simplify(node)
            if isinstance(simple, Neg):
                terms.append((-sign, simple.arg))
            elif isinstance(simple, Bin) and simple.op in "+-":
                collect(simple, sign)
            else:
                terms.append((sign, simple))

    collect(e, 1)
    # Numbers are folded into one, kept where the first nonzero one stood, so that 1 + v
    # stays 1 + v and 2·c·u + 1 keeps the order the expression gave. Like terms merge
    # (a + a → 2·a; z − z vanishes).
    constant = Fraction(0)
    merged: dict[Expr, Fraction] = {}
    order: list[Expr | None] = []  # None marks where the constant goes
    for sign, term in terms:
        if isinstance(term, Num):
            constant += sign * _exact(term)
            if term.value != 0 and None not in order:
                order.append(None)
            continue
        coefficient, rest = _split_coefficient(term)
        if rest not in merged:
            merged[rest] = Fraction(0)
            order.append(rest)
        merged[rest] += sign * coefficient
    kept: list[tuple[int, Expr]] = []
    for slot in order:
        amount = constant if slot is None else merged[slot]
        if amount == 0:
            continue
        magnitude = _number(abs(amount)) if slot is None else _scale(abs(amount), slot)
        kept.append((1 if amount > 0 else -1, magnitude))
    if not kept:
        return ZERO
    first_sign, result = kept[0]
    if first_sign < 0:
        result = _negate(result)
    for sign, term in kept[1:]:
        result = Bin("+" if sign > 0 else "-", result, term)
    return result


def _simplify_product(e: Bin) -> Expr:
    coefficient = Fraction(1)
    numerator: list[Expr] = []
    denominator: list[Expr] = []

    def collect(node: Expr, inverted: bool) -> None:
        nonlocal coefficient
        if isinstance(node, Bin) and node.op in "*/":
            collect(node.left, inverted)
            collect(node.right, inverted if node.op == "*" else not inverted)
            return
        simple = _simplify(node)
        if isinstance(simple, Neg):
            coefficient = -coefficient
            simple = simple.arg
        if isinstance(simple, Bin) and simple.op in "*/":
            collect(simple, inverted)
        elif isinstance(simple, Num):
            value = _exact(simple)
            if inverted:
                coefficient = coefficient / value if value != 0 else coefficient
            else:
                coefficient *= value
        else:
            (denominator if inverted else numerator).append(simple)

    collect(e, False)
    if coefficient == 0:
        return ZERO
    numerator, denominator = _merge_powers(numerator, denominator)
    negative = coefficient < 0
    coefficient = abs(coefficient)
    # Whole numbers lead the product; fractions like 1/2 read best as a division.
    as_division = coefficient.denominator in (2, 3, 4, 6, 8, 9)
    top = coefficient.numerator if as_division else coefficient
    factors = ([] if top == 1 else [_number(top)]) + numerator
    result: Expr = _join("*", factors) if factors else ONE
    bottom: list[Expr] = ([_number(coefficient.denominator)] if as_division else []) + denominator
    if bottom:
        result = Bin("/", result, _join("*", bottom))
    return Neg(result) if negative else result


def _merge_powers(top: list[Expr], bottom: list[Expr]) -> tuple[list[Expr], list[Expr]]:
    """Combine factors that share a base: a·a → a², z/z⁴ → 1/z³."""
    exponents: dict[Expr, Fraction] = {}
    others: list[tuple[Expr, Fraction]] = []
    for factors, sign in ((top, 1), (bottom, -1)):
        for factor in factors:
            base, power = factor, Fraction(1)
            if isinstance(factor, Bin) and factor.op == "^" and isinstance(factor.right, Num):
                base, power = factor.left, _exact(factor.right)
            if base in exponents:
                exponents[base] += sign * power
            else:
                exponents[base] = sign * power
                others.append((base, Fraction(0)))
    new_top: list[Expr] = []
    new_bottom: list[Expr] = []
    for base, _ in others:
        power = exponents[base]
        if power == 0:
            continue
        target = new_top if power > 0 else new_bottom
        target.append(base if abs(power) == 1 else Bin("^", base, _number(abs(power))))
    return new_top, new_bottom


def _split_coefficient(term: Expr) -> tuple[Fraction, Expr]:
    """A term as its numeric coefficient and the rest (2·a → 2, a)."""
    if isinstance(term, Bin) and term.op == "*" and isinstance(term.left, Num):
        return _exact(term.left), term.right
    if (
        isinstance(term, Bin)
        and term.op == "*"
        and isinstance(term.left, Bin)
        and term.left.op == "*"
    ):
        coefficient, rest = _split_coefficient(term.left)
        if rest is not term.left:
            return coefficient, Bin("*", rest, term.right)
    return Fraction(1), term


def _scale(coefficient: Fraction, term: Expr) -> Expr:
    return term if coefficient == 1 else _simplify_product(Bin("*", _number(coefficient), term))


def _join(op: str, items: list[Expr]) -> Expr:
    result = items[0]
    for item in items[1:]:
        result = Bin(op, result, item)
    return result


def _simplify_power(base: Expr, exponent: Expr) -> Expr:
    if isinstance(exponent, Num):
        if exponent.value == 0:
            return ONE
        if exponent.value == 1:
            return base
        inner = base.right if isinstance(base, Bin) and base.op == "^" else None
        # (x^a)^b = x^(a·b) unless a is whole and b is not: (u²)^0.5 is |u|, not u.
        if isinstance(inner, Num) and (exponent.value.is_integer() or not inner.value.is_integer()):
            assert isinstance(base, Bin)
            return _simplify_power(base.left, _number(_exact(inner) * _exact(exponent)))
        if isinstance(base, Num) and (base.value >= 0 or exponent.value.is_integer()):
            try:
                return _number(base.value**exponent.value)
            except (OverflowError, ZeroDivisionError):
                pass
    return Bin("^", base, exponent)


# ---------------------------------------------------------------- printing

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FUNCTION_NAMES = {"sigmoid": "σ"}


def render(
    expr: Expr,
    values: Mapping[str, float] | None = None,
    label: Callable[[str], str] = display_name,
) -> str:
    """Pretty-print an expression; with `values`, names are replaced by their numbers."""
    with headroom():
        return _render(expr, values, label)[0]


def _render(
    e: Expr, values: Mapping[str, float] | None, label: Callable[[str], str]
) -> tuple[str, int]:
    # Returns the text and its precedence: 1 sum, 2 product/negation, 4 power, 5 atom.
    if isinstance(e, Num):
        return e.text.replace("-", "−"), (2 if e.value < 0 else 5)
    if isinstance(e, Var):
        if values is not None and e.name in values:
            value = values[e.name]
            return format_number(value), (2 if value < 0 else 5)
        return label(e.name), 5
    if isinstance(e, Neg):
        text, prec = _render(e.arg, values, label)
        return "−" + (f"({text})" if prec < 2 or text.startswith("−") else text), 2
    if isinstance(e, Call):
        inner = _render(e.arg, values, label)[0]
        if e.fn == "step":
            return f"[{inner} > 0]", 5
        if e.fn in ("ge", "gt"):
            # A comparison written as a bracket that is 1 when it holds: [a ≥ b].
            sign = "≥" if e.fn == "ge" else ">"
            if isinstance(e.arg, Bin) and e.arg.op == "-":
                left_text = _render(e.arg.left, values, label)[0]
                right_text = _render(e.arg.right, values, label)[0]
                return f"[{left_text} {sign} {right_text}]", 5
            return f"[{inner} {sign} 0]", 5
        return f"{_FUNCTION_NAMES.get(e.fn, e.fn)}({inner})", 5
    left, lp = _render(e.left, values, label)
    right, rp = _render(e.right, values, label)
    if e.op in ("max", "min"):
        return f"{e.op}({left}, {right})", 5
    if e.op in "+-":
        if (e.op == "-" and rp <= 1) or right.startswith("−"):
            right = f"({right})"
        return f"{left} {'+' if e.op == '+' else '−'} {right}", 1
    if e.op in "*/":
        if lp < 2:
            left = f"({left})"
        if rp < 2 or (e.op == "/" and rp == 2) or right.startswith("−"):
            right = f"({right})"
        return f"{left}{'·' if e.op == '*' else '/'}{right}", 2
    if lp < 5:
        left = f"({left})"
    if isinstance(e.right, Num) and e.right.value.is_integer() and abs(e.right.value) < 100:
        return left + str(int(e.right.value)).translate(_SUPERSCRIPT), 4
    return f"{left}^{right if rp == 5 else f'({right})'}", 4
