"""The expression parser: precedence, associativity, literals, names and syntax errors."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from backprop_tutor.engine import FUNCTIONS, ExprSyntaxError, parse
from backprop_tutor.engine.expr import MAX_NESTING, Bin, Call, Expr, Neg, Num, Var, names_in
from backprop_tutor.engine.symbolic import derivative, render
from backprop_tutor.engine.tape import compile_expr, value_at


def shape(expr: Expr) -> str:
    """The tree written with full parentheses, so a test states the grouping exactly."""
    if isinstance(expr, Num):
        return repr(expr.value)
    if isinstance(expr, Var):
        return expr.name
    if isinstance(expr, Neg):
        return f"(-{shape(expr.arg)})"
    if isinstance(expr, Call):
        return f"{expr.fn}[{shape(expr.arg)}]"
    return f"({shape(expr.left)} {expr.op} {shape(expr.right)})"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a + b * c", "(a + (b * c))"),
        ("a * b + c", "((a * b) + c)"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b / c", "((a / b) / c)"),
        ("a / b * c", "((a / b) * c)"),
        ("a - b + c", "((a - b) + c)"),
        ("(a + b) * c", "((a + b) * c)"),
        ("a * b ^ c", "(a * (b ^ c))"),
        ("a ^ b * c", "((a ^ b) * c)"),
        ("2 ^ 3 ^ 2", "(2.0 ^ (3.0 ^ 2.0))"),
        ("-u^2", "(-(u ^ 2.0))"),
        ("-2^2", "(-(2.0 ^ 2.0))"),
        ("a^-2", "(a ^ (-2.0))"),
        ("a^-b^2", "(a ^ (-(b ^ 2.0)))"),
        ("--a", "(-(-a))"),
        ("+a", "a"),
        ("a - -b", "(a - (-b))"),
        ("-a * b", "((-a) * b)"),
        ("a ** b", "(a ^ b)"),
        ("a ** b ** c", "(a ^ (b ^ c))"),
        ("x ** 2 ^ 3", "(x ^ (2.0 ^ 3.0))"),
        ("1/(1 + v)", "(1.0 / (1.0 + v))"),
        ("lambda/2 * (a^2 + c^2)", "((lambda / 2.0) * ((a ^ 2.0) + (c ^ 2.0)))"),
        ("exp(-x)", "exp[(-x)]"),
        ("sigmoid(w*x + b)", "sigmoid[((w * x) + b)]"),
        ("relu(tanh(z))^2", "(relu[tanh[z]] ^ 2.0)"),
    ],
)
def test_grouping(source: str, expected: str) -> None:
    """Operators group by the documented precedence; ^ and ** are right-associative."""
    assert shape(parse(source)) == expected


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("1e-3", 0.001),
        ("1E-3", 0.001),
        ("2.5e2", 250.0),
        ("1.5e+2", 150.0),
        (".5", 0.5),
        ("3.", 3.0),
        ("007", 7.0),
        ("0.1", 0.1),
    ],
)
def test_number_literals(source: str, value: float) -> None:
    """Decimal and scientific literals parse to the float Python reads from the same text."""
    tree = parse(source)
    assert isinstance(tree, Num)
    assert tree.value == value
    assert tree.text == source


def test_literal_keeps_its_spelling() -> None:
    """A literal remembers how the author wrote it, so formulas can echo 1e-3, not 0.001."""
    tree = parse("1e-3 * x")
    assert isinstance(tree, Bin) and isinstance(tree.left, Num)
    assert tree.left.text == "1e-3"


@pytest.mark.parametrize("name", ["lambda", "eta", "x_1", "_tmp", "w2", "L", "delta", "Sigma"])
def test_names(name: str) -> None:
    """Any ASCII identifier is a name, including Python keywords such as lambda."""
    assert parse(name) == Var(name)
    assert names_in(parse(f"2*{name} + {name}^2")) == (name,)


def test_names_in_first_appearance_order() -> None:
    """Operands are listed once each, in the order they first appear."""
    assert names_in(parse("c*h + u + d + c*u")) == ("c", "h", "u", "d")
    assert names_in(parse("3 + 4")) == ()


@pytest.mark.parametrize("fn", FUNCTIONS)
def test_every_function_parses(fn: str) -> None:
    """Each built-in function takes one argument in parentheses."""
    tree = parse(f"{fn}(x + 1)")
    assert isinstance(tree, Call) and tree.fn == fn


@pytest.mark.parametrize(
    ("source", "env", "value"),
    [
        ("-u^2", {"u": 3.0}, -9.0),
        ("2^3^2", {}, 512.0),
        ("a - b - c", {"a": 10.0, "b": 3.0, "c": 2.0}, 5.0),
        ("a / b / c", {"a": 12.0, "b": 3.0, "c": 2.0}, 2.0),
        ("x^0.5", {"x": 2.0}, math.sqrt(2.0)),
        ("x**-1", {"x": 4.0}, 0.25),
        ("lambda/2 * (a^2 + c^2)", {"lambda": 0.1, "a": 1.0, "c": 1.0}, 0.1),
        ("(-2)^3", {}, -8.0),
        ("relu(-x) + relu(x)", {"x": -1.5}, 1.5),
    ],
)
def test_grouping_gives_the_expected_numbers(
    source: str, env: dict[str, float], value: float
) -> None:
    """The parsed grouping, evaluated, gives the value ordinary maths gives."""
    assert value_at(compile_expr(parse(source)), env) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize(
    ("source", "column", "reason"),
    [
        ("", 1, "empty"),
        ("   ", 1, "empty"),
        ("a +", 4, "ends too early"),
        ("a * (b + c", 11, "expected ')' to close the '(' at column 5"),
        ("a + b)", 6, "unmatched ')'"),
        ("2x", 2, "expected an operator before 'x'"),
        ("a b", 3, "expected an operator before 'b'"),
        ("a $ b", 3, "unexpected character '$'"),
        ("a = b", 3, "unexpected character '='"),
        ("sin(x)", 1, "unknown function 'sin'"),
        ("a + cos(x)", 5, "unknown function 'cos'"),
        ("exp x", 1, "needs its argument in parentheses"),
        ("x + exp", 5, "needs its argument in parentheses"),
        ("()", 2, "expected a number, a name or '('"),
        ("a * * b", 5, "expected a number, a name or '('"),
        ("a ^^ b", 4, "expected a number, a name or '('"),
        ("1..2", 3, "expected an operator"),
    ],
)
def test_syntax_errors_carry_the_column(source: str, column: int, reason: str) -> None:
    """Every malformed expression raises ExprSyntaxError with the 1-based column of the fault."""
    with pytest.raises(ExprSyntaxError) as caught:
        parse(source)
    assert caught.value.column == column
    assert reason in caught.value.reason
    assert str(caught.value).startswith(f"syntax error at column {column}: ")


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "(" * n + "x" + ")" * n,
        lambda n: "-" * n + "x",
        lambda n: "exp(" * n + "x" + ")" * n,
        lambda n: "x^" * n + "x",
        lambda n: "x/(" * n + "x" + ")" * n,
        lambda n: "(x*" * n + "x" + ")^2" * n,
    ],
    ids=["parentheses", "minus", "calls", "powers", "divisions", "products"],
)
def test_deep_nesting_is_an_error_not_a_crash(make: Callable[[int], str]) -> None:
    """Nesting up to MAX_NESTING parses, differentiates and prints; beyond it, one syntax error.

    Without the guard a pathological expression ends in RecursionError, which the command
    line would show as a traceback. The deepest accepted expression is also run through the
    recursive symbolic passes from a deliberately deep stack, so the limit leaves headroom.
    """
    deepest = parse(make(MAX_NESTING))

    def from_deep_stack(levels: int) -> str:
        if levels:
            return from_deep_stack(levels - 1)
        return render(derivative(deepest, "x")) + render(deepest)

    assert from_deep_stack(150)
    with pytest.raises(ExprSyntaxError, match="nested too deeply"):
        parse(make(MAX_NESTING + 1))
    with pytest.raises(ExprSyntaxError, match="nested too deeply"):
        parse(make(10 * MAX_NESTING))


def test_function_name_is_not_a_name() -> None:
    """A function name alone is not a variable (it would silently shadow the function)."""
    with pytest.raises(ExprSyntaxError):
        parse("exp + 1")


def test_parser_never_evaluates_python() -> None:
    """Text that would run code under eval is a syntax error, not an evaluation."""
    for source in ("__import__('os')", "a.b", "a[0]", "'text'", "a if b else c", "x; y"):
        with pytest.raises(ExprSyntaxError):
            parse(source)
