"""Expressions: a tokenizer and a precedence-climbing parser into a small immutable AST.

The parser is the project's own so that nothing a learner writes ever reaches `eval`.
Grammar (lowest precedence first)::

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := "-" unary | power
    power   := atom (("^" | "**") unary)?        # right-associative, binds tighter than "-"
    atom    := NUMBER | NAME | NAME "(" sum ")" | NAME "(" sum "," sum ")" | "(" sum ")"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

FUNCTIONS: tuple[str, ...] = ("exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs")
# Functions of two arguments, max(a, b) and min(a, b); parsed into a `Bin` with that op.
FUNCTIONS_2: tuple[str, ...] = ("max", "min")

# How deeply parentheses, unary minus, powers and calls may nest. Each level costs the
# parser about six Python frames and the symbolic differentiator and printer a few more,
# so this keeps every recursive pass well inside the default recursion limit of 1000.
MAX_NESTING = 64
# How long one expression may be and how many numbers and names it may use. A hand
# computation is far smaller; these keep every pass over the tree (differentiating,
# printing, drawing) quick and inside the recursion limit, however flat the sum.
MAX_LENGTH = 4000
MAX_OPERANDS = 130


class ExprSyntaxError(ValueError):
    """A syntax error in an expression, with the 1-based column where it was found."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(f"syntax error at column {column}: {message}")
        self.reason = message
        self.column = column


@dataclass(frozen=True, slots=True)
class Num:
    """A numeric literal; `text` keeps the spelling the author used (0.1, 1e-3)."""

    value: float
    text: str


@dataclass(frozen=True, slots=True)
class Var:
    """A reference to a named value."""

    name: str


@dataclass(frozen=True, slots=True)
class Neg:
    """Unary minus."""

    arg: Expr


@dataclass(frozen=True, slots=True)
class Bin:
    """A binary operation; `op` is one of + - * / ^ max min."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Call:
    """A call of one of the built-in one-argument functions."""

    fn: str
    arg: Expr


Expr = Num | Var | Neg | Bin | Call

# The literals derivatives are built with.
ZERO = Num(0.0, "0")
ONE = Num(1.0, "1")
TWO = Num(2.0, "2")

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>\*\*|[-+*/^(),])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True, slots=True)
class _Token:
    """One lexical token with its 1-based column."""

    kind: str  # "number", "name", "op", "end"
    text: str
    column: int


def _tokenize(source: str) -> list[_Token]:
    """Split `source` into tokens, raising ExprSyntaxError at the first unknown character."""
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            raise ExprSyntaxError(f"unexpected character {source[pos]!r}", pos + 1)
        kind = match.lastgroup or ""
        if kind != "space":
            text = match.group()
            if kind == "op" and text == "**":
                text = "^"
            tokens.append(_Token(kind, text, pos + 1))
        pos = match.end()
    tokens.append(_Token("end", "", len(source) + 1))
    return tokens


def tokens(source: str) -> list[tuple[str, str, int]]:
    """`source`'s tokens as (kind, text, 1-based column), the last ("end", "", length + 1)."""
    return [(t.kind, t.text, t.column) for t in _tokenize(source)]


class _Parser:
    """Recursive-descent parser over a token list; expression nesting is what recurses."""

    def __init__(self, source: str) -> None:
        if len(source) > MAX_LENGTH:
            raise ExprSyntaxError(f"the expression is longer than {MAX_LENGTH} characters", 1)
        self.tokens = _tokenize(source)
        self.operands = 0
        self.index = 0
        self.depth = 0

    @property
    def current(self) -> _Token:
        return self.tokens[self.index]

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect_close(self, opened_at: int) -> None:
        if self.current.text != ")":
            raise ExprSyntaxError(
                f"expected ')' to close the '(' at column {opened_at}", self.current.column
            )
        self.advance()

    def parse(self) -> Expr:
        if self.current.kind == "end":
            raise ExprSyntaxError("the expression is empty", 1)
        expr = self.sum()
        if self.current.kind != "end":
            token = self.current
            if token.text == ")":
                raise ExprSyntaxError("unmatched ')'", token.column)
            raise ExprSyntaxError(f"expected an operator before {token.text!r}", token.column)
        return expr

    def sum(self) -> Expr:
        expr = self.product()
        while self.current.text in ("+", "-"):
            op = self.advance().text
            expr = Bin(op, expr, self.product())
        return expr

    def product(self) -> Expr:
        expr = self.unary()
        while self.current.text in ("*", "/"):
            op = self.advance().text
            expr = Bin(op, expr, self.unary())
        return expr

    def unary(self) -> Expr:
        if self.current.text == "-":
            self.advance()
            return Neg(self.nested(self.unary))
        if self.current.text == "+":
            self.advance()
            return self.nested(self.unary)
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        if self.current.text == "^":
            self.advance()
            return Bin("^", base, self.nested(self.unary))
        return base

    def nested(self, rule: Callable[[], Expr]) -> Expr:
        # Depth guard: a pathological "------...1" or "((((...))))" must give an error,
        # not a RecursionError.
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ExprSyntaxError("the expression is nested too deeply", self.current.column)
        try:
            return rule()
        finally:
            self.depth -= 1

    def two_arguments(self, fn: str) -> Expr:
        """`max(a, b)` / `min(a, b)`, the name already read and "(" next."""
        opened_at = self.advance().column
        left = self.nested(self.sum)
        if self.current.text != ",":
            raise ExprSyntaxError(
                f"{fn} takes two arguments separated by a comma: {fn}(a, b)",
                self.current.column,
            )
        self.advance()
        right = self.nested(self.sum)
        self.expect_close(opened_at)
        return Bin(fn, left, right)

    def atom(self) -> Expr:
        token = self.current
        if token.kind in ("number", "name"):
            # Counted as parsed, so that a deeply nested expression reports its nesting.
            self.operands += 1
            if self.operands > MAX_OPERANDS:
                raise ExprSyntaxError(
                    f"the expression uses more than {MAX_OPERANDS} numbers and names",
                    token.column,
                )
        if token.kind == "number":
            self.advance()
            return Num(float(token.text), token.text)
        if token.kind == "name":
            self.advance()
            if self.current.text == "(":
                if token.text in FUNCTIONS_2:
                    return self.two_arguments(token.text)
                if token.text not in FUNCTIONS:
                    known = ", ".join((*FUNCTIONS, *FUNCTIONS_2))
                    raise ExprSyntaxError(
                        f"unknown function {token.text!r} (known: {known})", token.column
                    )
                opened_at = self.advance().column
                arg = self.nested(self.sum)
                self.expect_close(opened_at)
                return Call(token.text, arg)
            if token.text in FUNCTIONS or token.text in FUNCTIONS_2:
                raise ExprSyntaxError(
                    f"function {token.text!r} needs its argument in parentheses", token.column
                )
            return Var(token.text)
        if token.text == "(":
            opened_at = self.advance().column
            inner = self.nested(self.sum)
            self.expect_close(opened_at)
            return inner
        if token.kind == "end":
            raise ExprSyntaxError("the expression ends too early", token.column)
        raise ExprSyntaxError(
            f"expected a number, a name or '(' but found {token.text!r}", token.column
        )


def parse(source: str) -> Expr:
    """Parse `source` into an expression tree, raising ExprSyntaxError with a column."""
    return _Parser(source).parse()


def walk(expr: Expr) -> Iterator[Expr]:
    """Yield every sub-expression, parents before children, left before right."""
    stack: list[Expr] = [expr]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Bin):
            stack.append(node.right)
            stack.append(node.left)
        elif isinstance(node, Neg | Call):
            stack.append(node.arg)


def names_in(expr: Expr) -> tuple[str, ...]:
    """The distinct names an expression uses, in order of first appearance."""
    seen: dict[str, None] = {}
    for node in walk(expr):
        if isinstance(node, Var):
            seen.setdefault(node.name, None)
    return tuple(seen)
