"""Three hints for every question, all read off the engine's graph and trace.

1. the rule, and why it applies at this node, in words (a sum, a merge, the chain rule);
2. the formula with the numbers the learner already has put in (their own, where they
   typed them);
3. the numbers one step further: the parts worked out, one operation left to do.

None restates the question or the formula the screen already shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backprop_tutor.engine import Graph, StepTrace
from backprop_tutor.engine.expr import Bin, Call, Expr, Neg, Num, Var
from backprop_tutor.engine.numbers import format_number
from backprop_tutor.engine.symbolic import render, simplify
from backprop_tutor.engine.tape import EvalError, compile_expr, value_at

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


def hint(
    question: Question,
    trace: StepTrace,
    level: int,
    learner: Mapping[QuestionId, float] | None = None,
) -> Hint:
    """The hint at `level` (clamped to 1..3) for a question.

    `learner` holds the numbers the learner has settled on; level 2 puts them in where
    they differ from the engine's, so the hint works from what is on their page.
    """
    level = max(1, min(LEVELS, level))
    graph = trace.graph
    mine = learner or {}
    if question.kind is Kind.VALUE:
        text = _value_hint(graph, question, trace, level, mine)
    elif question.kind is Kind.GRADIENT:
        text = _gradient_hint(graph, question, trace, level, mine)
    else:
        text = _update_hint(graph, question, trace, level, mine)
    return Hint(question.id, level, text)


def _theirs(
    trace: StepTrace, learner: Mapping[QuestionId, float], kind: Kind, *, complete: bool
) -> dict[str, float]:
    """This step's numbers for nodes (values) or gradients, the learner's where they have one.

    Not `complete` (level 2): only what the learner has, and the inputs and parameters
    the screen shows, so the hint never fills in a number they have yet to work out.
    """
    graph = trace.graph
    if complete:
        base = dict(trace.values) if kind is Kind.VALUE else dict(trace.grads)
    elif kind is Kind.VALUE:
        base = {k: v for k, v in trace.values.items() if k not in graph.computed}
    else:
        base = {}
    for qid, value in learner.items():
        if qid.step == trace.step and qid.kind is kind:
            base[qid.node] = value
    return base


def _parts(tree: Expr, op: str) -> list[Expr]:
    """The terms of a sum (op +) or the factors of a product (op *), flattened."""
    if isinstance(tree, Bin) and tree.op == op:
        return _parts(tree.left, op) + _parts(tree.right, op)
    return [tree]


def _worked(tree: Expr, numbers: Mapping[str, float]) -> str:
    """The expression one operation from done: each compound part worked out."""

    def num(e: Expr) -> str:
        try:
            value = value_at(compile_expr(e), numbers)
        except (EvalError, ArithmeticError, KeyError, ValueError):
            return render(e, numbers)
        return f"({format_number(value)})" if value < 0 else format_number(value)

    if isinstance(tree, Bin) and tree.op in "+*":
        pieces = [num(p) for p in _parts(tree, tree.op)]
        joiner = " + " if tree.op == "+" else " · "
        word = "add" if tree.op == "+" else "multiply"
        return f"the parts come to {joiner.join(pieces)}; {word} them."
    if isinstance(tree, Bin):
        left, right = num(tree.left), num(tree.right)
        how = {
            "-": f"take {right} away from {left}",
            "/": f"divide {left} by {right}",
            "^": f"raise {left} to the power {right}",
        }[tree.op]
        return f"the two sides come to {left} and {right}; {how}."
    if isinstance(tree, Neg):
        return f"the inside comes to {num(tree.arg)}; change its sign."
    if isinstance(tree, Call):
        return f"the argument of {tree.fn} comes to {num(tree.arg)}; apply {tree.fn} to it."
    return f"it is {num(tree)}."


# ---------------------------------------------------------------- forward values


def _value_hint(
    graph: Graph,
    question: Question,
    trace: StepTrace,
    level: int,
    learner: Mapping[QuestionId, float],
) -> str:
    name = question.node
    label = graph.label(name)
    numbers = _theirs(trace, learner, Kind.VALUE, complete=level == LEVELS)
    if level == 1:
        ops = graph.operands(name)
        operands = join_words([graph.label(op) for op in ops])
        values = "values" if len(ops) > 1 else "value"
        text = f"Forward pass: put the current {values} of {operands} into {label}'s expression."
        updated = [op for op in graph.operands(name) if op in graph.parameters]
        if trace.step > 1 and updated:
            names = join_words([graph.label(op) for op in updated])
            text += f" Use {names} as step {trace.step - 1}'s update left them."
        return text
    if level == 2:
        return f"{label} = {render(graph.tree(name), numbers)}"
    return "With your numbers, " + _worked(graph.tree(name), numbers)


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

    def numbers_of(self) -> dict[str, str]:
        """Every stand-in named so far, with the node whose gradient it is."""
        return dict(self._nodes)


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


def _gradient_hint(
    graph: Graph,
    question: Question,
    trace: StepTrace,
    level: int,
    learner: Mapping[QuestionId, float],
) -> str:
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
    complete = level == LEVELS
    values = _theirs(trace, learner, Kind.VALUE, complete=complete)
    theirs = _theirs(trace, learner, Kind.GRADIENT, complete=complete)
    stand_ins = {k: theirs[n] for k, n in gradients.numbers_of().items() if n in theirs}
    if live == [objective]:
        # No chain: the formula is the objective's own expression, differentiated.
        if level == 2:
            return (
                f"Differentiate {graph.objective_label} = {graph.expression_text(objective)} "
                f"with respect to {graph.label(name)}, the other names held fixed."
            )
        return f"{head} = {render(immediate, values)}"
    if level == 2:
        # The learner's gradients put in; the local derivatives still as formulas.
        text = f"{head} = {render(immediate, stand_ins, gradients.label)}"
        fits = trace.path_count(name) <= EXPAND_PATHS
        tree = _expanded(graph, name, gradients) if fits else None
        if tree is not None and objective not in live:
            expanded = render(tree, label=gradients.label)
            if expanded not in text and len(expanded) <= EXPAND_LENGTH:
                text += f", which is {expanded}"
        return text
    numbers = {**values, **stand_ins}
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
            f"{graph.objective_label} uses {node} directly, with no node in between, so no "
            f"chain is needed: differentiate {graph.objective_label}'s own expression."
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


def _update_hint(
    graph: Graph,
    question: Question,
    trace: StepTrace,
    level: int,
    learner: Mapping[QuestionId, float],
) -> str:
    name = question.node
    theta = graph.label(name)
    gradient = graph.derivative_symbol(name)
    if level == 1:
        return (
            f"Gradient descent moves {theta} a small step against its gradient: "
            f"subtract η times {gradient} from {theta}."
        )
    # From step 2 on, the update starts where the learner's own last update left θ.
    earlier = QuestionId(trace.step - 1, Kind.UPDATE, name)
    before = learner.get(earlier, trace.params_before[name])
    grad_value = _theirs(trace, learner, Kind.GRADIENT, complete=True)[name]
    rate = trace.learning_rate
    if level == 2:
        grad_text = format_number(grad_value)
        if grad_value < 0:
            grad_text = f"({grad_text})"
        return f"new {theta} = {format_number(before)} − {format_number(rate)}·{grad_text}"
    step = format_number(rate * grad_value)
    return f"The step η·{gradient} comes to {step}; take it away from {format_number(before)}."
