"""Skill tags, read off the graph so that every lesson gets them without a table.

A tag is a short stable string, so that progress files and spaced repetition (the
self-study mode) can key on it: `evaluate`, `local:<kind>`, `chain-rule`,
`branch-merge`, `regularization`, `update`, `mapping-paths`, `deriving-formula`.
"""

from __future__ import annotations

import weakref

from backprop_tutor.engine import Graph
from backprop_tutor.engine.expr import Bin, Call, Expr, Neg, Num, Var, walk

EVALUATE = "evaluate"
CHAIN_RULE = "chain-rule"
BRANCH_MERGE = "branch-merge"
REGULARIZATION = "regularization"
UPDATE = "update"
# The two moves before the numbers: mapping every path, and writing a gradient's formula.
MAPPING_PATHS = "mapping-paths"
DERIVING_FORMULA = "deriving-formula"
LOCAL_KINDS: tuple[str, ...] = (
    "power",
    "reciprocal",
    "product",
    "sum",
    "exp",
    "log",
    "tanh",
    "sigmoid",
    "relu",
    "max",
    "min",
    "abs",
)

SKILL_NAMES: dict[str, str] = {
    EVALUATE: "evaluating a node",
    CHAIN_RULE: "the chain rule along a path",
    BRANCH_MERGE: "adding the branches where paths merge",
    REGULARIZATION: "the regularization term",
    UPDATE: "the parameter update",
    MAPPING_PATHS: "mapping the paths",
    DERIVING_FORMULA: "deriving a formula",
    **{f"local:{kind}": f"the local derivative of a {kind}" for kind in LOCAL_KINDS},
}


def local(kind: str) -> str:
    """The tag for a local derivative of one kind (`local:power`)."""
    return f"local:{kind}"


def describe(tag: str) -> str:
    """A skill tag in words, for summaries."""
    return SKILL_NAMES.get(tag, tag)


def _mentions(expr: Expr, name: str) -> bool:
    return any(isinstance(node, Var) and node.name == name for node in walk(expr))


def local_kinds(graph: Graph, node: str, operand: str) -> tuple[str, ...]:
    """The kinds of operation `operand` passes through in `node`'s expression."""
    found: list[str] = []

    def visit(expr: Expr) -> None:
        if not _mentions(expr, operand):
            return
        kind: str | None = None
        if isinstance(expr, Call):
            kind = "power" if expr.fn == "sqrt" else expr.fn
            visit(expr.arg)
        elif isinstance(expr, Neg):
            visit(expr.arg)
        elif isinstance(expr, Bin):
            if expr.op in "+-":
                kind = "sum"
            elif expr.op == "*":
                kind = "product"
            elif expr.op == "/":
                kind = "reciprocal" if _mentions(expr.right, operand) else "product"
            elif expr.op in ("max", "min"):
                kind = expr.op
            else:
                exponent = expr.right
                negative_one = isinstance(exponent, Neg) and isinstance(exponent.arg, Num)
                kind = "reciprocal" if negative_one else "power"
            visit(expr.left)
            visit(expr.right)
        if kind is not None and kind not in found:
            found.append(kind)

    visit(graph.tree(node))
    # A sum's local derivative is 1; it only counts as the skill when nothing else is.
    if len(found) > 1 and "sum" in found:
        found.remove("sum")
    return tuple(found)


def _ancestors(graph: Graph, name: str) -> set[str]:
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        for operand in graph.operands(current) if current in graph.computed else ():
            if operand not in seen:
                seen.add(operand)
                stack.append(operand)
    return seen


def regularization_branches(graph: Graph) -> frozenset[str]:
    """Operands of the objective that the lesson declares regularization terms ([roles])."""
    return _regularization(graph)[0]


def in_regularization(graph: Graph, name: str) -> bool:
    """Whether `name` lies in a regularization branch or feeds one."""
    return name in _regularization(graph)[1]


# Worked out once per graph: a lesson with thousands of nodes asks thousands of questions.
_CACHE: weakref.WeakKeyDictionary[Graph, tuple[frozenset[str], frozenset[str]]] = (
    weakref.WeakKeyDictionary()
)


def _regularization(graph: Graph) -> tuple[frozenset[str], frozenset[str]]:
    """The regularization branches, and every node in or feeding one."""
    if graph in _CACHE:
        return _CACHE[graph]
    # Only what the lesson declares: a branch free of inputs may be anything.
    branches = {op for op in graph.operands(graph.objective) if graph.role(op) == "regularization"}
    covered: set[str] = set()
    for operand in branches:
        if operand in graph.computed:
            covered |= _ancestors(graph, operand)
        covered.add(operand)
    result = (frozenset(branches), frozenset(covered))
    _CACHE[graph] = result
    return result


def value_skills(graph: Graph, name: str) -> tuple[str, ...]:
    """Skills exercised by computing a node's value."""
    tags = [EVALUATE]
    if name != graph.objective and in_regularization(graph, name):
        tags.append(REGULARIZATION)
    return tuple(tags)


def gradient_skills(graph: Graph, name: str) -> tuple[str, ...]:
    """Skills exercised by computing ∂objective/∂name from its consumers."""
    tags: list[str] = []
    live = list(graph.live_consumers(name))
    for consumer in live:
        for kind in local_kinds(graph, consumer, name):
            tag = local(kind)
            if tag not in tags:
                tags.append(tag)
    if len(tags) > 1 and local("sum") in tags:
        tags.remove(local("sum"))
    if any(consumer != graph.objective for consumer in live):
        tags.append(CHAIN_RULE)
    if len(live) > 1:
        tags.append(BRANCH_MERGE)
    if in_regularization(graph, name):
        tags.append(REGULARIZATION)
    return tuple(tags)


def update_skills(graph: Graph, name: str) -> tuple[str, ...]:
    """Skills exercised by the SGD update of a parameter."""
    return (UPDATE,)


def path_skills(graph: Graph, name: str) -> tuple[str, ...]:
    """Skills exercised by listing every path from the objective to a node."""
    tags = [MAPPING_PATHS]
    if len(graph.live_consumers(name)) > 1:
        tags.append(BRANCH_MERGE)
    return tuple(tags)


def formula_skills(graph: Graph, name: str) -> tuple[str, ...]:
    """Skills exercised by writing ∂objective/∂name as a formula."""
    return (DERIVING_FORMULA, *(t for t in gradient_skills(graph, name) if t != CHAIN_RULE))


def edge_skills(graph: Graph, node: str, operand: str) -> tuple[str, ...]:
    """Skills exercised by one local derivative ∂node/∂operand."""
    return tuple(local(kind) for kind in local_kinds(graph, node, operand)) or (local("sum"),)
