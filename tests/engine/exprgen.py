"""Hypothesis strategies for random expressions and lesson graphs, each with an oracle.

Every generated expression comes with its source text (fully parenthesised, so the text
means exactly what the generator meant) and an independent Python evaluator written with
`math`, which the property tests use as ground truth for values and finite differences.
The oracle raises `DomainError` wherever the maths is undefined or overflows, so a test can
tell "the engine refused a bad point" apart from "the engine computed a wrong number".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from hypothesis import strategies as st

from backprop_tutor.engine import StepTrace

Env = Mapping[str, float]


class DomainError(ArithmeticError):
    """The oracle cannot compute the value: outside a function's domain, or overflow."""


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise DomainError("overflow")
    return value


def _div(x: float, y: float) -> float:
    if y == 0.0:
        raise DomainError("division by zero")
    return _finite(x / y)


def _pow(x: float, y: float) -> float:
    if x == 0.0 and y < 0.0:
        raise DomainError("0 to a negative power")
    if x < 0.0 and not y.is_integer():
        raise DomainError("negative base, non-integer exponent")
    try:
        return _finite(float(x**y))
    except (OverflowError, ZeroDivisionError):
        raise DomainError("overflow") from None


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise DomainError("overflow") from None


def _log(x: float) -> float:
    if x <= 0.0:
        raise DomainError("log of a non-positive number")
    return math.log(x)


def _sqrt(x: float) -> float:
    if x < 0.0:
        raise DomainError("sqrt of a negative number")
    return math.sqrt(x)


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _relu(x: float) -> float:
    return x if x > 0.0 else 0.0


UNARY: dict[str, Callable[[float], float]] = {
    "exp": _exp,
    "log": _log,
    "sqrt": _sqrt,
    "tanh": math.tanh,
    "sigmoid": _sigmoid,
    "relu": _relu,
    "abs": abs,
}
BINARY: dict[str, Callable[[float, float], float]] = {
    "+": lambda x, y: _finite(x + y),
    "-": lambda x, y: _finite(x - y),
    "*": lambda x, y: _finite(x * y),
    "/": _div,
}
# Written as functions, max(a, b) and min(a, b).
FUNCTIONS_2: dict[str, Callable[[float, float], float]] = {"max": max, "min": min}


@dataclass(frozen=True)
class Gen:
    """A generated expression: its text, the names it uses and an oracle evaluator."""

    text: str
    names: frozenset[str]
    fn: Callable[[Env], float] = field(compare=False)


# Literals as an author would write them, including scientific notation.
LITERALS = ("2", "3", "0.5", "1.5", "0.25", "1e-3", "2.5e-1", "1E1", "7", ".75")
# Real exponents: integers, fractions and negatives (negative ones parenthesised or bare).
EXPONENTS = ("2", "3", "0.5", "1.5", "2.5", "-1", "(-2)", "-0.5", "1", "0")


def _literal(text: str) -> Gen:
    value = float(text)
    return Gen(text, frozenset(), lambda env: value)


def _var(name: str) -> Gen:
    return Gen(name, frozenset({name}), lambda env: env[name])


def _unary(fn_name: str, arg: Gen) -> Gen:
    fn = UNARY[fn_name]
    return Gen(f"{fn_name}({arg.text})", arg.names, lambda env: fn(arg.fn(env)))


def _neg(arg: Gen) -> Gen:
    return Gen(f"-({arg.text})", arg.names, lambda env: -arg.fn(env))


def _binary(op: str, left: Gen, right: Gen) -> Gen:
    names = left.names | right.names
    if op == "^":
        # Written both ways, ^ and **, since both are the power operator.
        return Gen(
            f"({left.text})^({right.text})",
            names,
            lambda env: _pow(left.fn(env), right.fn(env)),
        )
    if op in FUNCTIONS_2:
        pick = FUNCTIONS_2[op]
        return Gen(
            f"{op}({left.text}, {right.text})",
            names,
            lambda env: pick(left.fn(env), right.fn(env)),
        )
    fn = BINARY[op]
    return Gen(
        f"({left.text}) {op} ({right.text})", names, lambda env: fn(left.fn(env), right.fn(env))
    )


def _starpow(left: Gen, exponent: str) -> Gen:
    y = float(exponent.strip("()"))
    return Gen(f"({left.text})**{exponent}", left.names, lambda env: _pow(left.fn(env), y))


def _positive(arg: Gen, how: str) -> Gen:
    """A guarded argument that is positive wherever `arg` is defined (for log, sqrt, ^)."""
    if how == "square":
        return Gen(
            f"1 + ({arg.text})^2", arg.names, lambda env: _finite(1.0 + _pow(arg.fn(env), 2.0))
        )
    if how == "exp":
        return _unary("exp", arg)
    return _unary("sigmoid", arg)


@st.composite
def expressions(draw: st.DrawFn, names: Sequence[str], depth: int = 3) -> Gen:
    """A random expression over `names` using every operator and function."""
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        if names and draw(st.integers(0, 4)) > 0:
            return _var(draw(st.sampled_from(list(names))))
        return _literal(draw(st.sampled_from(LITERALS)))
    sub = expressions(names, depth - 1)
    kind = draw(
        st.sampled_from(
            ["+", "-", "*", "/", "^", "^const", "**const", "neg", "fn", "guarded", "max", "min"]
        )
    )
    if kind in ("+", "-", "*", "/", "^", "max", "min"):
        return _binary(kind, draw(sub), draw(sub))
    if kind == "^const":
        base = draw(sub)
        if draw(st.booleans()):
            base = _positive(base, draw(st.sampled_from(["square", "exp", "sigmoid"])))
        exponent = draw(st.sampled_from(EXPONENTS))
        return _binary("^", base, _literal_signed(exponent))
    if kind == "**const":
        return _starpow(draw(sub), draw(st.sampled_from(EXPONENTS)))
    if kind == "neg":
        return _neg(draw(sub))
    fn_name = draw(st.sampled_from(sorted(UNARY)))
    arg = draw(sub)
    if kind == "guarded" and fn_name in ("log", "sqrt"):
        arg = _positive(arg, draw(st.sampled_from(["square", "exp", "sigmoid"])))
    return _unary(fn_name, arg)


def _literal_signed(text: str) -> Gen:
    value = float(text.strip("()"))
    return Gen(text, frozenset(), lambda env: value)


@dataclass(frozen=True)
class GraphSpec:
    """A generated lesson: leaves with values, computed nodes in order, the objective last."""

    parameters: dict[str, float]
    constants: dict[str, float]
    inputs: dict[str, float]
    nodes: tuple[tuple[str, Gen], ...]

    @property
    def objective(self) -> str:
        return self.nodes[-1][0]

    @property
    def leaves(self) -> dict[str, float]:
        return {**self.inputs, **self.constants, **self.parameters}

    def toml(self) -> str:
        """The lesson file for this graph (one step feeding the inputs)."""
        lines = [
            'title = "generated"',
            f'objective = "{self.objective}"',
            "[constants]",
            *(f"{k} = {v!r}" for k, v in self.constants.items()),
            "[parameters]",
            *(f"{k} = {v!r}" for k, v in self.parameters.items()),
            "[optimizer]",
            "learning_rate = 0.1",
            "[graph]",
            *(f'{name} = "{gen.text}"' for name, gen in self.nodes),
            "[[steps]]",
            *(f"{k} = {v!r}" for k, v in self.inputs.items()),
        ]
        return "\n".join(lines) + "\n"

    def values(self, shift: Mapping[str, float] | None = None) -> dict[str, float]:
        """Every node's value by the oracle; `shift` adds to a node's value once computed."""
        shift = shift or {}
        env = {name: value + shift.get(name, 0.0) for name, value in self.leaves.items()}
        for name, gen in self.nodes:
            env[name] = gen.fn(env) + shift.get(name, 0.0)
        return env

    def operands(self, name: str) -> frozenset[str]:
        return dict(self.nodes)[name].names if name in dict(self.nodes) else frozenset()

    def count_paths(self, target: str) -> int:
        """Paths objective → target by brute-force recursion (independent of the engine)."""
        memo: dict[str, int] = {}
        by_name = dict(self.nodes)

        def count(node: str) -> int:
            if node == target:
                return 1
            if node not in memo:
                gen = by_name.get(node)
                memo[node] = sum(count(op) for op in gen.names) if gen else 0
            return memo[node]

        return count(self.objective)


def _values(low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[float]:
    """Values on a grid of 0.001: zero and ordinary numbers, but no 1e-126 whose reciprocal
    makes any reverse sweep (this engine's or micrograd's) cancel catastrophically."""
    return st.integers(round(low * 1000), round(high * 1000)).map(lambda i: i / 1000)


@st.composite
def graphs(draw: st.DrawFn, max_nodes: int = 5, depth: int = 3) -> GraphSpec:
    """A random lesson graph over parameters, a constant (lambda) and an input (x)."""
    parameters = {name: draw(_values()) for name in ("a", "b", "c")[: draw(st.integers(1, 3))]}
    constants = {"lambda": draw(_values(0.0, 2.0))}
    inputs = {"x": draw(_values())}
    available = [*inputs, *constants, *parameters]
    count = draw(st.integers(1, max_nodes))
    nodes: list[tuple[str, Gen]] = []
    for index in range(count):
        name = "J" if index == count - 1 else f"n{index}"
        # The objective prefers computed nodes, so that paths branch and merge.
        pool = [n for n, _ in nodes] if nodes and name == "J" and draw(st.booleans()) else available
        gen = draw(expressions(pool, depth))
        nodes.append((name, gen))
        available.append(name)
    return GraphSpec(parameters, constants, inputs, tuple(nodes))


def run_spec(spec: GraphSpec) -> StepTrace:
    """Load the generated lesson from its TOML text and run its one step."""
    from pathlib import Path

    from backprop_tutor.engine import parse_lesson, run_step

    lesson = parse_lesson(spec.toml(), Path("generated.toml"))
    return run_step(
        lesson.graph,
        step=1,
        inputs=lesson.steps[0],
        constants=lesson.constants,
        params=lesson.parameters,
        learning_rate=lesson.learning_rate,
    )
