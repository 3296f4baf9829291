"""Likely wrong answers, generated from the graph itself, each with the mistake it names.

Nothing here is written per lesson: every candidate comes from re-running the chain
rule over the step's edges with one thing changed (a path dropped, a factor left out,
a sign lost, a branch ignored at a merge), from a slipped update rule, or from the
previous step's numbers. The checker decides whether an answer matches one of them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from backprop_tutor.engine import Graph, StepTrace, format_number
from backprop_tutor.engine.autodiff import StepError, run_step
from backprop_tutor.engine.expr import Bin, Call, Expr, Neg, Num, Var, walk
from backprop_tutor.engine.symbolic import render
from backprop_tutor.engine.tape import EvalError, compile_expr, value_at
from backprop_tutor.engine.trace import Edge

from . import skills
from .ids import Kind, QuestionId
from .questions import Question, engine_value
from .text import join_words, path_text


class Mistake(StrEnum):
    """The named mistakes; their values are stable strings a file or a test can key on."""

    SIGN = "sign"
    LOCAL_SIGN = "local_sign"
    PATH_LEFT_OUT = "path_left_out"
    ONE_BRANCH_ONLY = "one_branch_only"
    SUMMED_AT_WRONG_NODE = "summed_at_wrong_node"
    FACTOR_LEFT_OUT = "factor_left_out"
    POWER_RULE_SLIP = "power_rule_slip"
    TERM_LEFT_OUT = "term_left_out"
    WRONG_STEP_OPERAND = "wrong_step_operand"
    PRECEDENCE_SLIP = "precedence_slip"
    UPDATE_PLUS = "update_plus"
    UPDATE_NO_RATE = "update_no_rate"
    UPDATE_DATA_ONLY = "update_data_only"
    STALE_STEP = "stale_step"
    STALE_PARAMETERS = "stale_parameters"
    STALE_INPUTS = "stale_inputs"

    @property
    def words(self) -> str:
        """The name as a summary writes it: `path left out`."""
        return self.value.replace("_", " ")


# More paths than this and leaving out "each path in turn" is no longer a likely slip.
MAX_PATHS = 12


@dataclass(frozen=True, slots=True)
class Candidate:
    """A wrong answer a named mistake leads to; lower `rank` is the simpler mistake."""

    name: Mistake
    value: float
    rank: int
    message: str
    # The formula the mistake is about, where there is one (∂p/∂v = −1/(1 + v)²).
    detail: str = ""


def candidates(question: Question, trace: StepTrace, previous: StepTrace | None) -> list[Candidate]:
    """Every candidate wrong answer for a question, simplest first, none equal to the right one."""
    graph = trace.graph
    found: list[Candidate] = []
    if question.kind is Kind.VALUE:
        found += _value_candidates(graph, question, trace)
    elif question.kind is Kind.GRADIENT:
        found += _gradient_candidates(graph, question, trace)
    else:
        found += _update_candidates(graph, question, trace, previous)
    if previous is not None:
        found += _stale_candidates(graph, question, trace, previous)
        if question.kind is Kind.VALUE:
            found += _wrong_step_operands(graph, question, trace, previous)
    kept = [
        c
        for c in found
        if math.isfinite(c.value)
        and not math.isclose(c.value, question.expected, rel_tol=1e-9, abs_tol=1e-12)
    ]
    # Stable sort: within a rank, the order generated (nearest the node first).
    return sorted(kept, key=lambda c: c.rank)


# ---------------------------------------------------------------- forward values


def _value_candidates(graph: Graph, question: Question, trace: StepTrace) -> list[Candidate]:
    value = question.expected
    out = [Candidate(Mistake.SIGN, -value, 1, "That has the wrong sign.")]
    name = question.node
    formula = f"{graph.label(name)} = {graph.expression_text(name)}"
    values = dict(trace.values)
    for mistake, tree, words in _slips(graph.tree(name), graph):
        found = _value(tree, values)
        if found is not None:
            # Ranked after the named step and chain-rule mistakes: those were there first.
            out.append(Candidate(mistake, found, 5, f"{words}; {formula}."))
    return out


def _wrong_step_operands(
    graph: Graph, question: Question, trace: StepTrace, previous: StepTrace
) -> list[Candidate]:
    """One operand taken as the previous step had it, the others as they are now."""
    out = []
    for operand in graph.operands(question.node):
        then = previous.values[operand]
        if math.isclose(then, trace.values[operand], rel_tol=1e-12, abs_tol=1e-15):
            continue
        found = _value(graph.tree(question.node), {**trace.values, operand: then})
        if found is not None:
            out.append(
                Candidate(
                    Mistake.WRONG_STEP_OPERAND,
                    found,
                    6,
                    f"That takes {graph.label(operand)} from step {previous.step}; "
                    f"step {trace.step} has its own {graph.label(operand)}.",
                )
            )
    return out


def _value(tree: Expr, values: Mapping[str, float]) -> float | None:
    """A slipped expression's value at this step's numbers; None where it is undefined."""
    try:
        result = value_at(compile_expr(tree), values)
    except (EvalError, ArithmeticError, KeyError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _slips(tree: Expr, graph: Graph) -> list[tuple[Mistake, Expr, str]]:
    """The expression with one slip made somewhere in it, and the slip in words.

    A term or a factor left out, a minus lost, the exponent of a power dropped or used
    as a factor, and the two precedence slips: `a·x + b` worked as `a·(x + b)` and
    `1/(1 + v)` as `1/1 + v`.
    """
    out: list[tuple[Mistake, Expr, str]] = []

    def text(e: Expr) -> str:
        return render(e, label=graph.label)

    def visit(e: Expr, rebuild: Callable[[Expr], Expr]) -> None:
        if isinstance(e, Bin):
            if e.op in "+-":
                for kept, lost in ((e.left, e.right), (e.right, e.left)):
                    out.append(
                        (Mistake.TERM_LEFT_OUT, rebuild(kept), f"That leaves out {text(lost)}")
                    )
            if e.op == "*":
                for kept, lost in ((e.left, e.right), (e.right, e.left)):
                    out.append(
                        (
                            Mistake.FACTOR_LEFT_OUT,
                            rebuild(kept),
                            f"The factor {text(lost)} is missing",
                        )
                    )
            if e.op == "^" and isinstance(e.right, Num):
                out.append(
                    (
                        Mistake.POWER_RULE_SLIP,
                        rebuild(Bin("*", e.left, e.right)),
                        f"That multiplies by the exponent instead of raising to it in {text(e)}",
                    )
                )
                out.append(
                    (Mistake.POWER_RULE_SLIP, rebuild(e.left), f"The power in {text(e)} is missing")
                )
            left, right = e.left, e.right
            if e.op in "+-" and isinstance(left, Bin) and left.op == "*":
                slipped = Bin("*", left.left, Bin(e.op, left.right, right))
                out.append(
                    (
                        Mistake.PRECEDENCE_SLIP,
                        rebuild(slipped),
                        f"That works {text(e)} as {text(slipped)}: the product comes first",
                    )
                )
            if e.op == "/" and isinstance(right, Bin) and right.op in "+-":
                slipped = Bin(right.op, Bin("/", left, right.left), right.right)
                out.append(
                    (
                        Mistake.PRECEDENCE_SLIP,
                        rebuild(slipped),
                        f"That divides by {text(right.left)} alone: in {text(e)} the whole "
                        f"{text(right)} is below the line",
                    )
                )
            visit(e.left, lambda sub: rebuild(Bin(e.op, sub, e.right)))
            visit(e.right, lambda sub: rebuild(Bin(e.op, e.left, sub)))
        elif isinstance(e, Neg):
            out.append(
                (Mistake.SIGN, rebuild(e.arg), f"The minus sign in front of {text(e.arg)} was lost")
            )
            visit(e.arg, lambda sub: rebuild(Neg(sub)))
        elif isinstance(e, Call):
            visit(e.arg, lambda sub: rebuild(Call(e.fn, sub)))

    visit(tree, lambda sub: sub)
    return out


# ---------------------------------------------------------------- gradients


def _gradients(
    trace: StepTrace,
    *,
    local: Callable[[Edge], float] | None = None,
    override: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """The backward pass again, with some local derivatives or node gradients replaced."""
    graph = trace.graph
    override = override or {}
    grads = dict.fromkeys(trace.values, 0.0)
    grads[graph.objective] = 1.0
    for name in reversed(graph.computed):
        g = override.get(name, grads[name])
        grads[name] = g
        for operand in graph.operands(name):
            edge = trace.edge(operand, name)
            grads[operand] += g * (edge.local if local is None else local(edge))
    for name, value in override.items():
        if name not in graph.computed:
            grads[name] = value
    return grads


def _edges_toward(graph: Graph, trace: StepTrace, name: str) -> list[Edge]:
    """Edges on some path from the objective down to `name`, nearest `name` first."""
    downstream = graph.reaches(name)
    allowed = downstream | {name}
    nearest: list[Edge] = []
    order = [name, *(n for n in graph.computed if n in downstream)]
    for operand in order:
        for consumer in graph.live_consumers(operand):
            if consumer in allowed:
                nearest.append(trace.edge(operand, consumer))
    return nearest


def _power_of(graph: Graph, edge: Edge) -> float | None:
    """The constant exponent `operand` is raised to in its consumer, if any (2 in u²)."""
    tree: Expr = graph.tree(edge.node)
    for node in walk(tree):
        if (
            isinstance(node, Bin)
            and node.op == "^"
            and isinstance(node.right, Num)
            and node.right.value not in (0.0, 1.0)
            and any(isinstance(n, Var) and n.name == edge.operand for n in walk(node.left))
        ):
            return node.right.value
    return None


def _local_text(graph: Graph, edge: Edge) -> str:
    formula = graph.local_formula(edge.node, edge.operand)
    return f"∂{graph.label(edge.node)}/∂{graph.label(edge.operand)} = {formula}"


def _local_changes(
    graph: Graph, edge: Edge, changed: Callable[[float], float], rank: int
) -> list[Candidate]:
    """A local derivative's minus sign lost, or a power-rule slip in it.

    `changed` gives the answer the slipped local derivative leads to (the whole
    gradient again, or just the part it is in).
    """
    text = _local_text(graph, edge)
    out = []
    # Only a leading minus sign is easy to drop: −1/(1 + v)², not the one in p − y.
    if graph.local_formula(edge.node, edge.operand).startswith("−") and edge.local != 0.0:
        out.append(
            Candidate(
                Mistake.LOCAL_SIGN,
                changed(-edge.local),
                rank,
                f"The minus sign in front of {text} was lost on the way.",
                text,
            )
        )
    power = _power_of(graph, edge)
    if power is not None:
        k = format_number(power)
        out.append(
            Candidate(
                Mistake.POWER_RULE_SLIP,
                changed(edge.local / power),
                rank,
                f"The power rule brings the exponent {k} down as a factor; "
                f"in {text} it is missing.",
            )
        )
        out.append(
            Candidate(
                Mistake.POWER_RULE_SLIP,
                changed(edge.local * power),
                rank,
                f"That is {k} times too large: in {text} the exponent comes down once "
                f"and cancels a 1/{k} in front.",
            )
        )
    return out


def _gradient_candidates(graph: Graph, question: Question, trace: StepTrace) -> list[Candidate]:
    name = question.node
    target = question.expected
    label = graph.derivative_symbol(name)
    out = [Candidate(Mistake.SIGN, -target, 1, "That has the wrong sign.")]

    # Each path left out in turn.
    count = trace.path_count(name)
    if 2 <= count <= MAX_PATHS:
        for path in trace.paths(name, limit=MAX_PATHS):
            out.append(
                Candidate(
                    Mistake.PATH_LEFT_OUT,
                    target - path.product,
                    2,
                    f"That leaves out the path {path_text(graph, path.nodes)}; "
                    f"{label} adds up all {count} paths from {graph.label(graph.objective)} "
                    f"to {graph.label(name)}.",
                )
            )

    # Merges: where a node on the way has several consumers, their contributions add.
    merge_points = [name, *(n for n in reversed(graph.computed) if n in graph.reaches(name))]
    for merge in merge_points:
        live = list(graph.live_consumers(merge))
        if merge == graph.objective or len(live) < 2:
            continue
        names = join_words([graph.label(c) for c in live])
        at = graph.label(merge)
        for consumer in live:
            alone = trace.edge(merge, consumer).contribution
            out.append(
                Candidate(
                    Mistake.ONE_BRANCH_ONLY,
                    _gradients(trace, override={merge: alone})[name],
                    2,
                    f"That follows only the branch through {graph.label(consumer)} at {at}; "
                    f"the branches through {names} meet there and their contributions add.",
                )
            )
        summed = sum(trace.grads[c] for c in live)
        locals_text = join_words([_local_text(graph, trace.edge(merge, c)) for c in live])
        out.append(
            Candidate(
                Mistake.SUMMED_AT_WRONG_NODE,
                _gradients(trace, override={merge: summed})[name],
                4,
                f"That adds up the gradients at {names} themselves; what adds up at {at} "
                f"is each of them times its local derivative ({locals_text}).",
            )
        )

    # One local derivative changed: left out, its minus sign lost, a power-rule slip.
    for edge in _edges_toward(graph, trace, name):
        text = _local_text(graph, edge)

        def changed(new: float, edge: Edge = edge) -> float:
            swap = {(edge.operand, edge.node): new}
            return _gradients(trace, local=lambda e: swap.get((e.operand, e.node), e.local))[name]

        if edge.local != 1.0:
            out.append(
                Candidate(
                    Mistake.FACTOR_LEFT_OUT,
                    changed(1.0),
                    3,
                    f"A factor is missing: the local derivative {text} was left out of the chain.",
                )
            )
        out += _local_changes(graph, edge, changed, 3)
    return out


# ---------------------------------------------------------------- updates


def _update_candidates(
    graph: Graph, question: Question, trace: StepTrace, previous: StepTrace | None
) -> list[Candidate]:
    name = question.node
    theta = graph.label(name)
    grad_label = graph.derivative_symbol(name)
    rule = f"new {theta} = {theta} − η·{grad_label}"
    before = trace.params_before[name]
    gradient = trace.grads[name]
    rate = trace.learning_rate
    out = [
        Candidate(
            Mistake.UPDATE_PLUS,
            before + rate * gradient,
            1,
            f"That steps up the gradient; the update goes against it: {rule}.",
        ),
        Candidate(
            Mistake.UPDATE_NO_RATE,
            before - gradient,
            1,
            f"The learning rate is missing: {rule}, with η = {format_number(rate)}.",
        ),
    ]
    branches = skills.regularization_branches(graph)
    if branches:
        objective = graph.objective

        def data_only(edge: Edge) -> float:
            return 0.0 if edge.node == objective and edge.operand in branches else edge.local

        reg_paths = [
            path_text(graph, p.nodes)
            for p in trace.paths(name, limit=MAX_PATHS)
            if p.branch in branches
        ]
        if reg_paths:
            data_gradient = _gradients(trace, local=data_only)[name]
            out.append(
                Candidate(
                    Mistake.UPDATE_DATA_ONLY,
                    before - rate * data_gradient,
                    2,
                    f"That steps with the data part of {grad_label} alone; the regularization "
                    f"path {join_words(reg_paths)} belongs in the gradient too.",
                )
            )
    if previous is not None:
        out.append(
            Candidate(
                Mistake.STALE_PARAMETERS,
                previous.params_before[name] - rate * gradient,
                4,
                f"That starts from {theta} as it was before step {previous.step}'s update; "
                f"start from the updated {theta} = {format_number(before)}.",
            )
        )
    return out


# ---------------------------------------------------------------- stale numbers


def rerun(
    graph: Graph, trace: StepTrace, inputs: Mapping[str, float], params: Mapping[str, float]
) -> StepTrace | None:
    """The step again with other inputs and parameters; None where the graph is undefined."""
    constants = {name: trace.values[name] for name in graph.constants}
    try:
        return run_step(
            graph,
            step=trace.step,
            inputs=inputs,
            constants=constants,
            params=params,
            learning_rate=trace.learning_rate,
        )
    except StepError:
        return None


def _stale_candidates(
    graph: Graph, question: Question, trace: StepTrace, previous: StepTrace
) -> list[Candidate]:
    if question.kind is Kind.UPDATE:
        return []
    now, then = trace.step, previous.step
    # Parameters by name, not number: they were asked in step {then}'s update, and one
    # of them may be this answer (u = b at x = 0). Inputs are never asked.
    names = join_words([graph.label(p) for p in trace.params_before])
    params_now = f"{names} as step {then}'s update left them"
    inputs_now = ", ".join(
        f"{graph.label(i)} = {format_number(v)}" for i, v in trace.inputs.items()
    )
    inputs_then = ", ".join(
        f"{graph.label(i)} = {format_number(v)}" for i, v in previous.inputs.items()
    )
    out = [
        Candidate(
            Mistake.STALE_STEP,
            engine_value(previous, question.kind, question.node),
            4,
            f"That is step {then}'s number; step {now} starts from the updated parameters "
            f"({params_now}) and feeds {inputs_now}.",
        )
    ]
    old_params = rerun(graph, trace, trace.inputs, previous.params_before)
    if old_params is not None:
        out.append(
            Candidate(
                Mistake.STALE_PARAMETERS,
                engine_value(old_params, question.kind, question.node),
                4,
                f"That uses step {then}'s parameters; step {now} starts from the updated "
                f"ones ({params_now}).",
            )
        )
    if previous.inputs != trace.inputs:
        old_inputs = rerun(graph, trace, previous.inputs, trace.params_before)
        if old_inputs is not None:
            out.append(
                Candidate(
                    Mistake.STALE_INPUTS,
                    engine_value(old_inputs, question.kind, question.node),
                    4,
                    f"That uses step {then}'s input ({inputs_then}); "
                    f"step {now} feeds {inputs_now}.",
                )
            )
    return out


# ---------------------------------------------------------------- parts of a breakdown


def _kept(found: list[Candidate], right: float) -> tuple[Candidate, ...]:
    """The candidates that differ from the right value, simplest first."""
    kept = [
        c
        for c in found
        if math.isfinite(c.value) and not math.isclose(c.value, right, rel_tol=1e-9, abs_tol=1e-12)
    ]
    return tuple(sorted(kept, key=lambda c: c.rank))


def local_slips(graph: Graph, edge: Edge) -> tuple[Candidate, ...]:
    """Slips at one local derivative asked on its own: its sign, its minus, the power rule."""
    found = [Candidate(Mistake.SIGN, -edge.local, 1, "That has the wrong sign.")]
    found += _local_changes(graph, edge, lambda new: new, 2)
    return _kept(found, edge.local)


def contribution_slips(trace: StepTrace, operand: str, consumer: str) -> tuple[Candidate, ...]:
    """Slips in what one consumer sends back: a factor left out, a sign lost, the power rule."""
    graph = trace.graph
    edge = trace.edge(operand, consumer)
    upstream = trace.grads[consumer]
    found = [Candidate(Mistake.SIGN, -edge.contribution, 1, "That has the wrong sign.")]
    if consumer != graph.objective:
        found.append(
            Candidate(
                Mistake.FACTOR_LEFT_OUT,
                edge.local,
                2,
                f"The gradient at {graph.label(consumer)} is missing: this part is "
                f"{graph.gradient_label(consumer)} times the local derivative.",
            )
        )
        if edge.local != 1.0:
            found.append(
                Candidate(
                    Mistake.FACTOR_LEFT_OUT,
                    upstream,
                    2,
                    f"The local derivative {_local_text(graph, edge)} is missing from this part.",
                )
            )
    found += _local_changes(graph, edge, lambda new: upstream * new, 2)
    return _kept(found, edge.contribution)


def gradient_slips(trace: StepTrace, node: str) -> tuple[Candidate, ...]:
    """Slips in a gradient asked as a part: the ones the gradient question itself names."""
    graph = trace.graph
    stand_in = Question(
        QuestionId(trace.step, Kind.GRADIENT, node),
        graph.gradient_label(node),
        graph.gradient_label(node),
        trace.grads[node],
        (),
        (),
    )
    return _kept(_gradient_candidates(graph, stand_in, trace), trace.grads[node])
