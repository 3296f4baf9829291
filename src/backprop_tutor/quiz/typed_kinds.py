"""The typed kinds of question (paths, local derivatives, formulas): judging, hints, reveals.

The session hands a question of one of these kinds here instead of to the number checker;
the feedback, hints and reveals come back in the same shapes, so every front end shows
them as it shows the numbers' (name the mistake, never the answer; three hints; a
reveal counts as shown).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from backprop_tutor.engine import Graph, StepTrace
from backprop_tutor.engine.numbers import format_number

from .answers import Reading, read_answer
from .checker import Feedback, check
from .diagnosis import Candidate, candidates
from .formula_answer import (
    allowed_gradients,
    as_written,
    formula_text,
    gradient_formula,
    how_to_type_formula,
    judge_formula,
)
from .ids import Kind, QuestionId
from .path_answer import (
    all_paths,
    asks_count,
    how_to_type_paths,
    judge_paths,
    read_paths,
    shown_answer,
)
from .questions import Question
from .record import Status

if TYPE_CHECKING:
    from .session import QuizSession
from .text import join_words, path_text

TYPED_KINDS = frozenset({Kind.PATHS, Kind.LOCAL, Kind.FORMULA})


def typed_forms(graph: Graph) -> str:
    """How the typed kinds are answered, for a front end's opening lines."""
    return (
        f"Paths: {how_to_type_paths(graph)} Formulas: {how_to_type_formula(graph)} A formula "
        "is checked as a formula, at many values, not as text."
    )


def is_typed(question: Question) -> bool:
    """Whether the question is answered with paths or a formula rather than a number."""
    return question.kind in TYPED_KINDS


def judge(question: Question, trace: StepTrace, text: str) -> Feedback:
    """Judge an answer to a typed-kind question; never raises."""
    graph = trace.graph
    qid = question.id
    shown = shown_text(question, trace)
    if question.kind is Kind.LOCAL and isinstance(read_answer(text), Reading):
        numeric = check(question, text)  # a local derivative typed as its number
        return replace(numeric, diagnosis=None, shown=shown)
    if question.kind is Kind.PATHS:
        found = judge_paths(graph, trace, qid.node, text)
    else:
        found = judge_formula(
            graph,
            trace,
            text,
            symbol=question.symbol,
            seed=str(qid),
            **_formula_target(question, graph),
        )
    return Feedback(qid, found.verdict, found.message, found.mistake, question.expected, shown)


def _formula_target(question: Question, graph: Graph) -> dict[str, Any]:
    """What a formula answer is compared with: the local derivative, or the gradient (whose
    candidate mistakes name what a wrong one left out)."""
    node, consumer = question.node, question.id.via
    if question.kind is Kind.LOCAL:
        return {
            "target": lambda t: t.edge(node, consumer).local,
            "gradients": None,
            "written": as_written(graph.local_tree(consumer, node)),
        }
    return {
        "target": lambda t: t.grads[node],
        "gradients": allowed_gradients(graph, node),
        "mistakes": lambda t: gradient_mistakes(t, node),
        "written": as_written(gradient_formula(graph, node)),
    }


def gradient_mistakes(trace: StepTrace, node: str) -> list[Candidate]:
    """The numeric machinery's candidate mistakes for ∂objective/∂node at one point."""
    qid = QuestionId(trace.step, Kind.GRADIENT, node)
    stand_in = Question(qid, "", "", trace.grads[node], (), ())
    return candidates(stand_in, trace, None)


def shown_text(question: Question, trace: StepTrace) -> str:
    """The answer as a reveal shows it: the paths, the formula, the local derivative."""
    graph = trace.graph
    qid = question.id
    if question.kind is Kind.PATHS:
        return shown_answer(graph, trace, qid.node)
    if question.kind is Kind.LOCAL:
        formula = graph.local_formula(qid.via, qid.node)
        value = format_number(question.expected)
        return value if formula == value else f"{formula} = {value}"
    return formula_text(graph, gradient_formula(graph, qid.node))


# ---------------------------------------------------------------- hints


def hint_text(question: Question, trace: StepTrace, level: int) -> str:
    """The hint at `level` (1 to 3) for a typed-kind question."""
    if question.kind is Kind.PATHS:
        return _path_hint(question, trace, level)
    if question.kind is Kind.LOCAL:
        return _local_hint(question, trace, level)
    return _formula_hint(question, trace, level)


def _path_hint(question: Question, trace: StepTrace, level: int) -> str:
    graph = trace.graph
    target = question.node
    objective, node = graph.objective_label, graph.label(target)
    live = graph.live_consumers(target)
    users = join_words([graph.label(c) for c in live])
    if level == 1:
        through = "through it" if len(live) == 1 else "through one of them"
        return (
            f"A path starts at {objective} and steps from a node to a name its expression "
            f"uses, until it reaches {node}. {node} is used by {users}, so every path "
            f"arrives {through}, and a path splits wherever a node has more than one input "
            f"leading to {node}."
        )
    count = graph.path_counts[target]
    if asks_count(graph, target):
        parts = join_words(
            [f"{graph.label(c)}: {graph.path_counts[c]}" for c in graph.live_consumers(target)]
        )
        if level == 2:
            return (
                "Count node by node from the objective down: a node is reached along as "
                "many paths as its users are, added up."
            )
        return f"The paths reaching each user of {node} ({parts}); add them."
    starts = join_words(
        [graph.label(op) for op in graph.operands(graph.objective) if target in _below(trace, op)]
    )
    if level == 2:
        return (
            f"{objective} leads to {node} through {starts}. There "
            f"{'is 1 path' if count == 1 else f'are {count} paths'} in all."
        )
    paths = all_paths(trace, target)
    if len(paths) == 1:
        return f"It begins {path_text(graph, paths[0][:2])}→…"
    listed = "; ".join(path_text(graph, p) for p in paths[:-1])
    return f"{listed}; and one more, through {graph.label(paths[-1][1])}."


def _below(trace: StepTrace, node: str) -> set[str]:
    """The nodes some path from `node` downward reaches (its ancestors, and itself)."""
    graph = trace.graph
    seen = {node}
    stack = [node]
    while stack:
        current = stack.pop()
        if current in graph.computed:
            for operand in graph.operands(current):
                if operand not in seen:
                    seen.add(operand)
                    stack.append(operand)
    return seen


def _local_hint(question: Question, trace: StepTrace, level: int) -> str:
    graph = trace.graph
    consumer, operand = question.id.via, question.node
    c, x = graph.label(consumer), graph.label(operand)
    if level == 1:
        rest = ""
        if "direct term" in question.label:
            rest = (
                f" Take only the term where {x} appears itself: the route through the other "
                "nodes is a path of its own."
            )
        return (
            f"Differentiate {c} = {graph.expression_text(consumer)} with respect to {x}, "
            f"holding its other names fixed.{rest}"
        )
    formula = graph.local_formula(consumer, operand)
    if level == 2:
        return f"∂{c}/∂{x} = {formula}"
    return f"∂{c}/∂{x} = {graph.local_formula(consumer, operand, trace.values)}"


def _formula_hint(question: Question, trace: StepTrace, level: int) -> str:
    graph = trace.graph
    node = question.node
    users = graph.live_consumers(node)
    names = allowed_gradients(graph, node)
    if level == 1:
        may = ""
        if names:
            shown = join_words([graph.gradient_label(n) for n in names.values()])
            may = f" You may write {shown} for the gradient the lesson names."
        return (
            f"{question.symbol} adds, over each node that uses {graph.label(node)} "
            f"({join_words([graph.label(u) for u in users])}), that node's gradient times "
            f"its local derivative; then write each gradient out down to the leaves.{may}"
        )
    terms = []
    for user in users:
        local = graph.local_formula(user, node)
        gradient = "1" if user == graph.objective else graph.gradient_label(user)
        terms.append(f"{gradient}·({local})")
    if level == 2:
        return f"{question.symbol} = {' + '.join(terms)}"
    parts = [
        f"{graph.gradient_label(u)} = {formula_text(graph, gradient_formula(graph, u))}"
        for u in users
        if u != graph.objective and u not in graph.gradient_names
    ]
    known = f"; with {'; '.join(parts)}" if parts else ""
    return f"{question.symbol} = {' + '.join(terms)}{known}"


def withheld(
    session: QuizSession,
    step: int,
    node: str,
    at: QuestionId | None = None,
    *,
    only_at: bool = False,
) -> str | None:
    """Why a panel listing `node`'s paths and local formulas should wait, or None.

    The open typed questions the learner has reached (every one up to `at`, the question
    they are at; by default the step's first open one; with `only_at`, `at` alone, as
    self-study asks one question of many) hold back each node whose paths would give
    part of the answer away: those that share a step with the asked paths (a paths or
    formula question), or take the asked step (a local derivative). They are shown once
    the question is settled.
    """
    graph = session.graph
    along = _along(graph, node)
    asking = reached(session, step, at)
    if only_at:
        asking = [q for q in asking if q.id == at]
    for q in asking:
        asked = {q.node} if q.kind is Kind.LOCAL else _along(graph, q.node)
        shared = along & asked
        if not shared:
            continue
        if q.node == node:
            return _own_reason(session, q)
        return _other_reason(graph, q, node, shared)
    return None


def reached(session: QuizSession, step: int, at: QuestionId | None = None) -> list[Question]:
    """The open typed questions of `step` up to `at` (default: its first open question)."""
    questions = session.questions_for(step)
    if at is None or all(q.id != at for q in questions):
        first = session.next_open(step)
        at = first.id if first is not None else None
    out: list[Question] = []
    for q in questions:
        if is_typed(q) and session.status(q.id) not in (Status.SOLVED, Status.REVEALED):
            out.append(q)
        if q.id == at:
            break
    return out


def _along(graph: Graph, node: str) -> frozenset[str]:
    """The nodes the paths from the objective to `node` pass through (the objective left
    out: every path starts there), `node` included."""
    return (graph.reaches(node) | {node}) - {graph.objective}


def _own_reason(session: QuizSession, q: Question) -> str:
    """The node's own question is open: its paths (or the step asked) are the answer."""
    graph = session.graph
    node = q.node
    if q.kind is Kind.PATHS:
        asked = f"The paths from {graph.objective_label} to {graph.label(node)} are "
        asked += "asked in the quiz; they are"
    elif q.kind is Kind.FORMULA:
        asked = f"{graph.gradient_label(node)} is asked as a formula in the quiz; its "
        asked += "paths are"
    else:
        asked = f"{q.label} is asked in the quiz; the paths to {graph.label(node)}, which "
        asked += "take that step, are"
    mine = _listed(session, q) if q.kind is Kind.PATHS else []
    so_far = f" Listed so far: {'; '.join(mine)}." if mine else ""
    return f"{asked} listed here once you have answered.{so_far}"


def _other_reason(graph: Graph, q: Question, node: str, shared: frozenset[str]) -> str:
    """Another node's question is open and this node's paths would show part of it."""
    here = f"the paths to {graph.label(node)}"
    if q.kind is Kind.LOCAL:
        step = f"{graph.label(q.id.via)} → {graph.label(q.node)}"
        why = f"{here} take the step {step}, so they would show it"
        what = q.label
    else:
        if node in shared:
            meets = f"{graph.label(node)} is on"
        else:
            order = {name: i for i, name in enumerate(reversed(graph.computed))}
            names = sorted(shared, key=lambda n: (order.get(n, len(order)), n))
            through = join_words([graph.label(n) for n in names[:4]])
            if len(names) > 4:
                through = f"{', '.join(graph.label(n) for n in names[:4])} and more"
            meets = f"{here} pass through {through}, as do"
        if q.kind is Kind.PATHS:
            what = f"the paths from {graph.objective_label} to {graph.label(q.node)}"
            why = f"{meets} those paths, so {here} would list part of them"
        else:
            what = f"{graph.gradient_prompt(q.node)} as a formula"
            why = f"{meets} its paths, so the local derivatives along them would give it away"
    return (
        f"Held back while the quiz asks for {what}: {why}. They are listed here once you "
        "have answered it."
    )


def _listed(session: QuizSession, question: Question) -> list[str]:
    """The right paths in the learner's last answer to a paths question, as they read."""
    graph = session.graph
    attempts = [a for a in session.record(question.id).attempts if a.verdict.counted]
    if not attempts:
        return []
    trace = session.traces[question.step - 1]
    right = set(all_paths(trace, question.node))
    try:
        typed = read_paths(graph, question.node, attempts[-1].text)
    except ValueError:
        return []
    return [path_text(graph, p) for p in typed if p in right]
