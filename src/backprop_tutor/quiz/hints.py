"""Three hints for every question, all read off the engine's graph and trace.

1. what to compute and which rule applies (the paths, where branches meet);
2. the formula, symbolic;
3. the formula with this step's numbers put in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backprop_tutor.engine import Graph, StepTrace
from backprop_tutor.engine.expr import Bin, Expr, Num, Var
from backprop_tutor.engine.numbers import format_number
from backprop_tutor.engine.symbolic import render, simplify

from . import skills
from .ids import Kind, QuestionId
from .questions import Question
from .text import join_words, path_text

LEVELS = 3
# Paths listed by name in the first hint when there are at most this many.
LIST_PATHS = 4
# The gradient is written out down to named gradients only while it stays this short.
EXPAND_PATHS = 8
EXPAND_LENGTH = 70
EXPAND_DEPTH = 6


@dataclass(frozen=True, slots=True)
class Hint:
    """One hint: its level (1 to 3), its text, and whether it is the last there is."""

    question_id: QuestionId
    level: int
    text: str

    @property
    def last(self) -> bool:
        """Whether no further hint exists for this question."""
        return self.level >= LEVELS

    @property
    def message(self) -> str:
        """The hint as every front end shows it: `Hint 3 (that is the last hint): …`."""
        more = " (that is the last hint)" if self.last else ""
        return f"Hint {self.level}{more}: {self.text}"


def hint(question: Question, trace: StepTrace, level: int) -> Hint:
    """The hint at `level` (clamped to 1..3) for a question."""
    level = max(1, min(LEVELS, level))
    graph = trace.graph
    if question.kind is Kind.VALUE:
        text = _value_hint(graph, question, trace, level)
    elif question.kind is Kind.GRADIENT:
        text = _gradient_hint(graph, question, trace, level)
    else:
        text = _update_hint(graph, question, trace, level)
    return Hint(question.id, level, text)


# ---------------------------------------------------------------- forward values


def _value_hint(graph: Graph, question: Question, trace: StepTrace, level: int) -> str:
    name = question.node
    label = graph.label(name)
    if level == 1:
        operands = join_words([graph.label(op) for op in graph.operands(name)])
        text = f"Forward pass: put the current values of {operands} into {label}'s expression."
        updated = [op for op in graph.operands(name) if op in graph.parameters]
        if trace.step > 1 and updated:
            names = join_words([graph.label(op) for op in updated])
            text += f" Use {names} as step {trace.step - 1}'s update left them."
        return text
    if level == 2:
        return f"{label} = {graph.expression_text(name)}"
    return f"{label} = {render(graph.tree(name), _numbers(trace))}"


def _numbers(trace: StepTrace) -> Mapping[str, float]:
    return dict(trace.values)


# ---------------------------------------------------------------- gradients


class _Gradients:
    """The gradients a formula names, as stand-in variables that no graph node can clash with.

    Each stand-in remembers its node, so a label or a number is looked up, never read
    back out of the variable's name.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._nodes: dict[str, str] = {}  # stand-in name → the node whose gradient it is

    def at(self, node: str) -> Var:
        """The gradient at `node` as a variable of a formula."""
        stand_in = f"∇{node}"
        self._nodes[stand_in] = node
        return Var(stand_in)

    def label(self, name: str) -> str:
        """How a variable reads: a gradient by its lesson name (δ, ∂E/∂h), a node by its own."""
        node = self._nodes.get(name)
        return self.graph.label(name) if node is None else self.graph.gradient_label(node)

    def numbers(self, trace: StepTrace) -> dict[str, float]:
        """This step's number for every gradient named so far."""
        return {stand_in: trace.grads[node] for stand_in, node in self._nodes.items()}


def _term(graph: Graph, consumer: str, name: str, upstream: Expr) -> Expr:
    local = graph.local_tree(consumer, name)
    if isinstance(upstream, Num) and upstream.value == 1.0:
        return local
    if isinstance(local, Num) and local.value == 1.0:
        return upstream
    return Bin("*", upstream, local)


def _upstream(graph: Graph, consumer: str, gradients: _Gradients) -> Expr:
    return Num(1.0, "1") if consumer == graph.objective else gradients.at(consumer)


def _immediate(graph: Graph, name: str, gradients: _Gradients) -> Expr:
    """The gradient at `name` as the sum over its consumers of gradient times local derivative."""
    terms = [
        _term(graph, c, name, _upstream(graph, c, gradients)) for c in graph.live_consumers(name)
    ]
    if not terms:
        return Num(0.0, "0")
    result = terms[0]
    for term in terms[1:]:
        result = Bin("+", result, term)
    return result


class _TooDeep(Exception):
    """The written-out gradient would reach too far back to be a useful hint."""


def _expanded(graph: Graph, name: str, gradients: _Gradients) -> Expr | None:
    """The gradient at `name` written down to the gradients the lesson names (δ) or the objective.

    None when that takes more than EXPAND_DEPTH hops: on a long chain the sum form of
    level 2 is the useful one, and the recursion stays shallow.
    """
    named = graph.gradient_names
    memo: dict[str, Expr] = {}

    def grad(node: str, depth: int) -> Expr:
        if node == graph.objective:
            return Num(1.0, "1")
        if node in named and node != name:
            return gradients.at(node)
        if depth > EXPAND_DEPTH:
            raise _TooDeep
        if node not in memo:
            terms = [_term(graph, c, node, grad(c, depth + 1)) for c in graph.live_consumers(node)]
            result: Expr = terms[0] if terms else Num(0.0, "0")
            for term in terms[1:]:
                result = Bin("+", result, term)
            memo[node] = result
        return memo[node]

    try:
        return simplify(grad(name, 0))
    except _TooDeep:
        return None


def _gradient_hint(graph: Graph, question: Question, trace: StepTrace, level: int) -> str:
    name = question.node
    label = graph.derivative_symbol(name)
    named = graph.gradient_label(name)
    head = named if named != label else label
    live = list(graph.live_consumers(name))
    objective = graph.objective
    if level == 1:
        return _gradient_rule(graph, trace, name, label, live)
    gradients = _Gradients(graph)
    immediate = _immediate(graph, name, gradients)
    if level == 2:
        text = f"{head} = {render(immediate, label=gradients.label)}"
        fits = trace.path_count(name) <= EXPAND_PATHS
        tree = _expanded(graph, name, gradients) if fits else None
        if tree is not None and objective not in live:
            expanded = render(tree, label=gradients.label)
            if expanded not in text and len(expanded) <= EXPAND_LENGTH:
                text += f" = {expanded}"
        return text
    numbers = dict(trace.values)
    numbers.update(gradients.numbers(trace))
    return f"{head} = {render(immediate, numbers, gradients.label)}"


def _gradient_rule(graph: Graph, trace: StepTrace, name: str, label: str, live: list[str]) -> str:
    node = graph.label(name)
    objective = graph.objective
    if len(live) >= 2:
        names = join_words([graph.label(c) for c in live])
        text = (
            f"{node} feeds {names}: {len(live)} branches meet at {node}, so {label} adds what "
            f"arrives through each, that node's gradient times its local derivative."
        )
    elif live and live[0] == objective:
        text = (
            f"{graph.objective_label} uses {node} directly: {label} is the local derivative "
            f"{graph.derivative_symbol(name)}."
        )
    elif live:
        consumer = graph.label(live[0])
        text = (
            f"Chain rule: {label} is the gradient at {consumer} times the local derivative "
            f"∂{consumer}/∂{node}."
        )
    else:
        return f"{graph.objective_label} does not depend on {node}, so {label} is 0."
    count = trace.path_count(name)
    if count >= 2:
        text += f" There are {count} paths from {graph.objective_label} to {node}"
        if count <= LIST_PATHS:
            branches = skills.regularization_branches(graph)
            listed = []
            for path in trace.paths(name, limit=LIST_PATHS):
                words = path_text(graph, path.nodes)
                if path.branch in branches:
                    words += " (regularization)"
                listed.append(words)
            text += ": " + join_words(listed)
        text += "."
    return text


# ---------------------------------------------------------------- updates


def _update_hint(graph: Graph, question: Question, trace: StepTrace, level: int) -> str:
    name = question.node
    theta = graph.label(name)
    gradient = graph.derivative_symbol(name)
    if level == 1:
        return (
            f"Gradient descent moves {theta} a small step against its gradient: "
            f"subtract η times {gradient} from {theta}."
        )
    if level == 2:
        return f"new {theta} = {theta} − η·{gradient}"
    before = trace.params_before[name]
    grad_value = trace.grads[name]
    grad_text = format_number(grad_value)
    if grad_value < 0:
        grad_text = f"({grad_text})"
    rate = format_number(trace.learning_rate)
    return f"new {theta} = {format_number(before)} − {rate}·{grad_text}"
