"""Formula answers: a gradient or a local derivative typed in the lesson's own names.

The learner types an expression (`delta*(2*c*u + 1)*x + lambda*a`) using the lesson's
nodes, parameters, inputs and constants (as named in the file or as shown: λ, w₁), the
gradient names the lesson defines (`delta` or δ, for ∂J/∂v), `∂J/∂v` itself, the
lesson functions, `+ - * / ^`, `·`, `−` and superscript powers (u²); a `*` may be left
out where `stars.py` reads one product only (2cu, 2(u + 1), λa). It is read by the
engine's own parser; nothing typed reaches `eval`.

**The rule.** Nodes and named gradients stand for their definitions down to the leaves,
so two formulas are the same when they agree as functions of the inputs and parameters
(constants keep the lesson's values). Both sides are evaluated at the step's own values
and at `POINTS` more points drawn with a seed fixed by the question (each input and
parameter moved by up to its own size plus one half, either way). A point where the
lesson's own graph is undefined (a division by zero, `log` of a negative number) is
skipped; at every other point the answer must be defined and agree to one part in a
million (`REL_TOL`, with `ABS_TOL` near zero). A formula that matches only at the step's
own numbers is not accepted. Mistakes are named by the numeric machinery
(`diagnosis.candidates`) run at every point: a formula that equals one candidate at all
of them has made that mistake.
"""

from __future__ import annotations

import math
import random
import re
import zlib
from collections.abc import Callable, Mapping, Sequence

from backprop_tutor.engine import Graph, StepTrace
from backprop_tutor.engine.expr import (
    ONE,
    ZERO,
    Bin,
    Call,
    Expr,
    ExprSyntaxError,
    Neg,
    Num,
    Var,
    names_in,
    parse,
    walk,
)
from backprop_tutor.engine.names import GREEK, display_name
from backprop_tutor.engine.symbolic import render, simplify
from backprop_tutor.engine.tape import EvalError, compile_expr, value_at

from .answers import normalise
from .checker import Judgement, Verdict
from .diagnosis import Candidate, Mistake, rerun
from .stars import Ambiguous, insert_stars

POINTS = 24
REL_TOL = 1e-6
ABS_TOL = 1e-9
MAX_LENGTH = 400
# Beyond this many paths a gradient's formula down to the leaves is too long to ask for.
MAX_FORMULA_PATHS = 12
# ... or where more than this many nodes lie between the node and the objective.
MAX_FORMULA_NODES = 40
# The prefix that stands for ∂J/∂node inside a read formula (no lesson name starts so).
_GRADIENT = "__d_"


def how_to_type_formula(graph: Graph) -> str:
    """How a formula is typed, with an example from the lesson's own file (a*x + b)."""
    first = graph.node(graph.computed[0]).expression or ""
    example = f" as in {first}" if len(first) <= 30 else ""
    return (
        f"Type a formula in the lesson's names{example}; * may be left out after a number"
        f" or ')' and between names ({_star_example(graph)})."
    )


def _star_example(graph: Graph) -> str:
    """`2cu is 2*c*u, 2(u + 1) is 2*(u + 1)` in two of the lesson's own names."""
    node = graph.node(graph.computed[0])
    names = [n for n in (*graph.operands(node.name), node.name) if n.isidentifier()]
    a = names[0] if names else node.name
    short = f"2({a} + 1) is 2*({a} + 1)"
    for b in names[1:]:
        try:
            joined = insert_stars(f"2{a}{b}", lambda s: s in graph)
        except Ambiguous:
            continue
        if joined == f"2*{a}*{b}":
            return f"2{a}{b} is {joined}, {short}"
    return short


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
_POWER = re.compile(r"[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
_GREEK_NAMES = {letter: name for name, letter in GREEK.items()}
_DERIVATIVE = re.compile(r"∂\s*([^\s/∂]+)\s*/\s*∂\s*([^\s*+\-/()^·,]+)")


class _Refused(Exception):
    """Text that is not a formula in the lesson's names, with the reason."""


# ---------------------------------------------------------------- the engine's formulas


def gradient_formula(graph: Graph, node: str, *, named: bool = True) -> Expr:
    """∂objective/∂node as a formula in the graph's names, simplified.

    With `named`, the gradients the lesson names (δ = ∂J/∂v) stand in for their own
    expansion wherever they are met below the node asked about.
    """
    names = graph.gradient_names if named else {}
    memo: dict[str, Expr] = {}

    def grad(name: str, top: bool) -> Expr:
        if name == graph.objective:
            return ONE
        if not top and name in names:
            return Var(names[name])
        if name in memo:
            return memo[name]
        terms = [
            Bin("*", grad(consumer, False), graph.local_tree(consumer, name))
            for consumer in graph.live_consumers(name)
        ]
        total: Expr = terms[0] if terms else ZERO
        for term in terms[1:]:
            total = Bin("+", total, term)
        memo[name] = total
        return total

    return simplify(grad(node, True))


def allowed_gradients(graph: Graph, node: str | None) -> dict[str, str]:
    """Named gradients a formula for ∂objective/∂node may use, name → node.

    Only those of nodes the asked one feeds (nearer the objective): the gradient asked
    for, and any below it, would be circular. None (a local derivative): no gradients.
    """
    if node is None:
        return {}
    above = graph.reaches(node)
    return {name: n for n, name in graph.gradient_names.items() if n in above}


# ---------------------------------------------------------------- reading


def _prepare(graph: Graph, text: str) -> str:
    """Typed text in the parser's ASCII: operators, powers, Greek and ∂J/∂v spelled out."""
    source = normalise(text)
    if "=" in source:
        source = source.rsplit("=", 1)[1].strip()  # "a gradient = …": read what follows
    source = source.replace("σ(", "sigmoid(")  # how the lesson writes sigmoid
    names = [n.name for n in graph.nodes] + list(graph.gradient_names.values())
    labels = {display_name(name): name for name in names}
    labels.update({name: name for name in names})

    def derivative(match: re.Match[str]) -> str:
        top, bottom = match.group(1), match.group(2)
        if labels.get(top) != graph.objective or labels.get(bottom) not in graph:
            raise _Refused(
                f"{match.group(0)!r}: only gradients of {graph.objective_label} "
                "can be written that way."
            )
        return f" {_GRADIENT}{labels[bottom]} "

    source = _DERIVATIVE.sub(derivative, source)
    # Shown names (λ, w₁, δ) back to the file's, longest first (λ₁ before λ).
    for label in sorted((k for k in labels if not k.isascii()), key=len, reverse=True):
        source = source.replace(label, f" {labels[label]} ")
    for letter, name in _GREEK_NAMES.items():
        source = source.replace(letter, f" {name} ")
    source = _POWER.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), source)
    return source.translate(_SUBSCRIPTS)


def read_formula(graph: Graph, text: str, gradients: Mapping[str, str] | None) -> Expr:
    """The typed formula as a tree over the graph's names and `__d_<node>` gradients.

    `gradients` are the named gradients it may use (name → node); None for a local
    derivative, which uses none.
    """
    if len(text) > MAX_LENGTH:
        raise _Refused(f"That formula is longer than {MAX_LENGTH} characters.")
    source = _prepare(graph, text)
    if not source.strip():
        raise _Refused("The answer is empty.")
    gradient_names = set(graph.gradient_names.values())
    try:
        source = insert_stars(
            source, lambda s: s in graph or s in gradient_names or s.startswith(_GRADIENT)
        )
        tree = parse(source)
    except Ambiguous as error:
        raise _Refused(str(error)) from None
    except ExprSyntaxError as error:
        reason = error.reason
        if reason.startswith(("expected an operator", "expected ')'")):
            reason += " (write this product with *, as in u*2)"
        raise _Refused(f"That is not a formula: {reason}.") from None
    named = {name: node for node, name in graph.gradient_names.items()}
    swaps: dict[str, str] = {}
    for name in names_in(tree):
        if name.startswith(_GRADIENT) and name[len(_GRADIENT) :] in graph:
            swaps[name] = _gradient_var(graph, name[len(_GRADIENT) :], gradients)
        elif name in named and name not in graph:
            swaps[name] = _gradient_var(graph, named[name], gradients)
        elif name not in graph:
            shown = ", ".join(graph.label(n.name) for n in graph.nodes)
            raise _Refused(f"{name[:20]!r} is not a name in this lesson (its names: {shown}).")
    return _rename(tree, swaps) if swaps else tree


def _gradient_var(graph: Graph, node: str, gradients: Mapping[str, str] | None) -> str:
    """The variable a gradient is read as, refusing one the formula may not use."""
    if gradients is not None and node in gradients.values():
        return f"{_GRADIENT}{node}"
    label = graph.gradient_label(node)
    if gradients is None:
        raise _Refused(f"A local derivative does not use gradients such as {label}.")
    raise _Refused(
        f"{label} cannot be used here: it is the gradient asked for, or is worked out from it."
    )


def _rename(tree: Expr, swaps: Mapping[str, str]) -> Expr:
    """The tree with some names replaced (no recursion: rebuilt bottom-up)."""
    built: dict[int, Expr] = {}
    for node in reversed(list(walk(tree))):
        if isinstance(node, Var):
            built[id(node)] = Var(swaps.get(node.name, node.name))
        else:
            built[id(node)] = _rebuilt(node, built)
    return built[id(tree)]


# ---------------------------------------------------------------- evaluating


def points(trace: StepTrace, seed: str) -> list[StepTrace]:
    """The step itself, then up to `POINTS` random nearby points where the graph is defined."""
    graph = trace.graph
    rng = random.Random(zlib.crc32(seed.encode()))
    out = [trace]
    for _ in range(POINTS):
        inputs = {k: _near(rng, v) for k, v in trace.inputs.items()}
        params = {k: _near(rng, v) for k, v in trace.params_before.items()}
        found = rerun(graph, trace, inputs, params)
        if found is not None:  # else the lesson's graph is undefined here: skipped
            out.append(found)
    return out


def _near(rng: random.Random, value: float) -> float:
    return value + rng.uniform(-1.0, 1.0) * (0.5 + abs(value))


def environment(trace: StepTrace) -> dict[str, float]:
    """Every name a read formula may use, at one point: nodes and `__d_` gradients."""
    env = dict(trace.values)
    env.update({f"{_GRADIENT}{node}": g for node, g in trace.grads.items()})
    return env


def values_of(tree: Expr, at: Sequence[StepTrace]) -> list[float | None]:
    """The formula's value at each point (None where it is undefined there)."""
    try:
        tape = compile_expr(tree)
    except (KeyError, ValueError, RecursionError):
        return [None] * len(at)
    out: list[float | None] = []
    for trace in at:
        try:
            value = value_at(tape, environment(trace))
        except (EvalError, ArithmeticError, ValueError, KeyError, RecursionError):
            out.append(None)
            continue
        out.append(value if math.isfinite(value) else None)
    return out


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def same(mine: Sequence[float | None], target: Sequence[float | None]) -> bool:
    """Whether two value lists agree wherever the target is defined (and it is somewhere).

    At one point the formula may be undefined where the target has a value: the engine
    takes the limit where a formula reads 0·log 0 (the derivative of x^a in a, at x = 0),
    and the learner's formula, the same one, cannot be evaluated there. It must then
    agree at two points or more, every one where both are defined.
    """
    pairs = [(m, t) for m, t in zip(mine, target, strict=True) if t is not None]
    defined = [(m, t) for m, t in pairs if m is not None]
    undefined = len(pairs) - len(defined)
    if not pairs or undefined > 1 or (undefined and len(defined) < 2):
        return False
    return all(_close(m, t) for m, t in defined)


# ---------------------------------------------------------------- judging


Target = Callable[[StepTrace], float]
Mistakes = Callable[[StepTrace], list[Candidate]]


def judge_formula(
    graph: Graph,
    trace: StepTrace,
    text: str,
    *,
    symbol: str,
    seed: str,
    target: Target,
    gradients: Mapping[str, str] | None,
    mistakes: Mistakes | None = None,
    written: Expr | None = None,
) -> Judgement:
    """Judge a typed formula against `target` (the engine's value at any point).

    `written`: the engine's formula as the app shows it (`as_written`); a formula that
    agrees with it, its rounded coefficients copied, is right too.
    """
    try:
        tree = read_formula(graph, text, gradients)
    except _Refused as refusal:
        return Judgement(Verdict.UNREADABLE, f"{refusal} {how_to_type_formula(graph)}")
    at = points(trace, seed)
    expected = [_safe(target, t) for t in at]
    mine = values_of(tree, at)
    constant = all(_close(e, expected[0]) for e in expected if e is not None)
    if not names_in(tree) and not constant:
        return Judgement(
            Verdict.UNREADABLE,
            f"That is a number; here {symbol} is asked as a formula. {how_to_type_formula(graph)}",
        )
    if same(mine, expected) or (written is not None and same(mine, values_of(written, at))):
        return Judgement(Verdict.CORRECT, f"Correct: that is {symbol}.")
    if mistakes is not None:
        named = _named_mistake(mine, at, mistakes)
        if named is not None:
            return Judgement(Verdict.WRONG, named.message, named.name)
    slip = _leaf_for_node(graph, tree, at, expected)
    if slip is not None:
        return Judgement(Verdict.WRONG, slip)
    if _close(mine[0], expected[0]):
        return Judgement(
            Verdict.WRONG,
            "That gives this step's number, but it is not the same formula: "
            "at other values of the inputs and parameters it differs.",
        )
    return Judgement(
        Verdict.WRONG, "Not that formula yet. Check each factor and try again, or ask for a hint."
    )


def _safe(target: Target, trace: StepTrace) -> float | None:
    try:
        value = target(trace)
    except (KeyError, ArithmeticError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _named_mistake(
    mine: Sequence[float | None], at: Sequence[StepTrace], mistakes: Mistakes
) -> Candidate | None:
    """The simplest candidate mistake the formula equals at every point."""
    by_key: dict[tuple[Mistake, str], list[float | None]] = {}
    first: dict[tuple[Mistake, str], Candidate] = {}
    for index, trace in enumerate(at):
        try:
            found = mistakes(trace)
        except (KeyError, ArithmeticError, ValueError):
            found = []
        for candidate in found:
            key = (candidate.name, candidate.message)
            values = by_key.setdefault(key, [None] * len(at))
            if values[index] is None:
                values[index] = candidate.value
            first.setdefault(key, candidate)
    matches = [first[k] for k, values in by_key.items() if _all_match(mine, values, len(at))]
    return min(matches, key=lambda c: c.rank) if matches else None


def _all_match(mine: Sequence[float | None], values: Sequence[float | None], total: int) -> bool:
    # A candidate must be there at most points (at x = 0 it may equal the right value at
    # the step itself, and is then not a candidate there), and fit at each.
    present = [(m, v) for m, v in zip(mine, values, strict=True) if v is not None]
    return len(present) * 2 > total and all(_close(m, v) for m, v in present)


def _leaf_for_node(
    graph: Graph, tree: Expr, at: Sequence[StepTrace], expected: Sequence[float | None]
) -> str | None:
    """A leaf written where a node belongs (a for u): the slip named, if it explains it."""
    if len(graph.nodes) > 40:
        return None
    spots = [
        (index, e.name)
        for index, e in enumerate(walk(tree))
        if isinstance(e, Var) and e.name in graph and graph.node(e.name).is_leaf
    ]
    for index, leaf in spots[:12]:
        for node in graph.computed:
            if node == graph.objective:
                continue
            swapped = replace_at(tree, index, Var(node))
            if same(values_of(swapped, at), expected):
                return (
                    f"That uses {graph.label(leaf)} where the node {graph.label(node)} "
                    "belongs: check which value that factor is taken at."
                )
    return None


def replace_at(tree: Expr, index: int, new: Expr) -> Expr:
    """The tree with its index-th sub-expression (in `walk` order) replaced by `new`."""
    order = list(walk(tree))
    target = order[index]
    built: dict[int, Expr] = {}
    for position in range(len(order) - 1, -1, -1):
        node = order[position]
        if position == index:
            built[id(node)] = new
        else:
            built[id(node)] = _rebuilt(node, built)
    assert target is order[index]
    return built[id(tree)]


def as_written(tree: Expr) -> Expr:
    """The formula with each number as its text reads (a computed coefficient, 2/7, is
    written to six decimals, 0.285714): what a learner copying it types."""
    order = list(walk(tree))
    built: dict[int, Expr] = {}
    for node in reversed(order):
        if isinstance(node, Num):
            try:
                written = float(node.text)
            except ValueError:
                written = node.value
            built[id(node)] = node if written == node.value else Num(written, node.text)
        else:
            built[id(node)] = _rebuilt(node, built)
    return built[id(tree)]


def _rebuilt(node: Expr, built: Mapping[int, Expr]) -> Expr:
    """A node over its children's rebuilt versions."""
    if isinstance(node, Bin):
        return Bin(node.op, built[id(node.left)], built[id(node.right)])
    if isinstance(node, Neg):
        return Neg(built[id(node.arg)])
    if isinstance(node, Call):
        return Call(node.fn, built[id(node.arg)])
    return node


# Derivative brackets the printer writes ([z > 0], [a ≥ b], sign(a)) but the reader
# does not take: formulas holding them are asked as numbers only.
_UNTYPABLE = frozenset({"step", "ge", "gt", "sign"})


def askable(graph: Graph, node: str) -> bool:
    """Whether ∂objective/∂node can be asked as a formula: short, and typable."""
    if not 0 < graph.path_counts[node] <= MAX_FORMULA_PATHS or node == graph.objective:
        return False
    if len(graph.reaches(node)) > MAX_FORMULA_NODES:
        return False  # too long to write by hand (and to build: a 100k-node chain)
    return typable(gradient_formula(graph, node))


def typable(tree: Expr) -> bool:
    """Whether a formula holds only what a learner can type back."""
    return not any(isinstance(e, Call) and e.fn in _UNTYPABLE for e in walk(tree))


def formula_text(graph: Graph, tree: Expr, *, typed: bool = False) -> str:
    """A formula as the lesson writes it (δ·x), or typed in ASCII names (`typed`)."""
    if typed:
        return _typed(tree)
    return render(tree, label=graph.label)


def _typed(tree: Expr) -> str:
    """An ASCII rendering the reader reads back: `delta*(2*c*u + 1)*x + lambda*a`."""
    text = render(tree, label=lambda name: name)
    text = text.replace("·", "*").replace("−", "-").replace("σ(", "sigmoid(")
    return _POWER.sub(lambda m: "^" + m.group(0).translate(_SUPERSCRIPTS), text)
