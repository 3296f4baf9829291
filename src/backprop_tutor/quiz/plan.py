"""A lesson's quiz plan: which kinds of question each step asks, and in what order.

A lesson may say so in a `[quiz]` table::

    [quiz]
    first = ["paths", "values", "locals", "formulas", "gradients", "updates"]  # step 1
    later = ["values", "gradients", "updates"]                                 # steps 2 on
    paths = ["a", "c"]        # whose paths are asked (default: every parameter)
    locals = ["u"]            # whose local derivatives (default: nodes where branches meet)
    formulas = ["v", "a"]     # whose gradient formulas (default: named gradients, parameters)

Every key is optional. Left out, `first` follows the worked example (the paths to each
parameter, the forward values, the local derivatives where branches merge, the named
gradients' and the parameters' formulas, the gradient numbers, the update) and `later`
asks the numbers only. `plan_problems` checks a table for `check-lesson` and the loader.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from backprop_tutor.engine import Graph, Lesson, StepTrace

from . import formula_answer, path_answer, skills
from .ids import Kind, QuestionId
from .questions import Question, gradient_questions, update_questions, value_questions

KINDS = ("paths", "values", "locals", "formulas", "gradients", "updates")
NUMBERS = ("values", "gradients", "updates")
WORKED_EXAMPLE = ("paths", "values", "locals", "formulas", "gradients", "updates")
_ORDER_KEYS = ("first", "later")
_NODE_KEYS = ("paths", "locals", "formulas")
KEYS = (*_ORDER_KEYS, *_NODE_KEYS)


@dataclass(frozen=True, slots=True)
class QuizPlan:
    """The kinds each step asks, in order, and which nodes the typed kinds are about."""

    first: tuple[str, ...] = WORKED_EXAMPLE
    later: tuple[str, ...] = NUMBERS
    paths: tuple[str, ...] | None = None
    locals: tuple[str, ...] | None = None
    formulas: tuple[str, ...] | None = None

    def kinds_for(self, step: int) -> tuple[str, ...]:
        """The kinds step `step` (1-based) asks, in order."""
        return self.first if step == 1 else self.later


NUMBERS_ONLY = QuizPlan(first=NUMBERS, later=NUMBERS)


def lesson_plan(lesson: Lesson) -> QuizPlan:
    """The lesson's plan from its (already checked) `[quiz]` table, or the default."""
    table = lesson.quiz
    return QuizPlan(
        first=_optional(table, "first") or WORKED_EXAMPLE,
        later=_optional(table, "later") or NUMBERS,
        paths=_optional(table, "paths"),
        locals=_optional(table, "locals"),
        formulas=_optional(table, "formulas"),
    )


def _optional(table: Mapping[str, object], key: str) -> tuple[str, ...] | None:
    value = table.get(key)
    return tuple(str(v) for v in value) if isinstance(value, list) else None


# ---------------------------------------------------------------- checking a table


def plan_problems(
    table: object, nodes: Collection[str], objective: str | None
) -> list[tuple[str, str | None]]:
    """Every problem in a `[quiz]` table, each as (message, key it is on)."""
    if not isinstance(table, dict):
        return [("[quiz] must be a table", None)]
    out: list[tuple[str, str | None]] = []
    for key, value in table.items():
        if key not in KEYS:
            out.append((f"[quiz] unknown key {key!r} (expected: {', '.join(KEYS)})", key))
        elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            out.append((f"[quiz] {key} must be a list of names in quotes", key))
        elif key in _ORDER_KEYS:
            out += [(message, key) for message in _order_problems(key, value)]
        else:
            out += [(message, key) for message in _node_problems(key, value, nodes, objective)]
    return out


def _order_problems(key: str, kinds: list[str]) -> list[str]:
    if not kinds:
        return [f"[quiz] {key} is empty: a step must ask something"]
    out = []
    for kind in kinds:
        if kind not in KINDS:
            out.append(f"[quiz] {key}: unknown kind {kind!r} (known: {', '.join(KINDS)})")
    repeated = sorted({k for k in kinds if kinds.count(k) > 1})
    if repeated:
        out.append(f"[quiz] {key}: {', '.join(repeated)} is listed twice")
    return out


def _node_problems(
    key: str, names: list[str], nodes: Collection[str], objective: str | None
) -> list[str]:
    out = []
    for name in names:
        if name not in nodes:
            out.append(f"[quiz] {key}: {name!r} is not a node of the graph")
        elif name == objective:
            out.append(f"[quiz] {key}: {name!r} is the objective, which has no paths or gradient")
    return out


# ---------------------------------------------------------------- the questions


def plan_questions(graph: Graph, trace: StepTrace, plan: QuizPlan) -> tuple[Question, ...]:
    """Every question of one step, kind by kind in the plan's order."""
    makers: dict[str, Callable[[], tuple[Question, ...]]] = {
        "paths": lambda: path_questions(graph, trace, plan.paths),
        "values": lambda: value_questions(graph, trace),
        "locals": lambda: local_questions(graph, trace, plan.locals),
        "formulas": lambda: formula_questions(graph, trace, plan.formulas),
        "gradients": lambda: gradient_questions(graph, trace),
        "updates": lambda: update_questions(graph, trace),
    }
    return tuple(q for kind in plan.kinds_for(trace.step) for q in makers[kind]())


def path_label(graph: Graph, target: str) -> str:
    """`paths from J to a`, or, where there are many, their number and one of them."""
    objective, node = graph.objective_label, graph.label(target)
    if path_answer.asks_count(graph, target):
        return f"how many paths from {objective} to {node}, and one of them"
    return f"paths from {objective} to {node}"


def path_questions(
    graph: Graph, trace: StepTrace, targets: tuple[str, ...] | None
) -> tuple[Question, ...]:
    """Every path from the objective to each target (default: every parameter)."""
    chosen = graph.parameters if targets is None else targets
    return tuple(
        Question(
            QuestionId(trace.step, Kind.PATHS, name),
            path_label(graph, name),
            f"the paths from {graph.objective_label} to {graph.label(name)}",
            float(graph.path_counts[name]),
            skills.path_skills(graph, name),
            (),
            f"{'#' if path_answer.asks_count(graph, name) else ''}paths "
            f"{graph.objective_label}→{graph.label(name)}",
            path_answer.model_answer(graph, trace, name),
        )
        for name in chosen
        if graph.path_counts[name] > 0
    )


def merge_nodes(graph: Graph) -> tuple[str, ...]:
    """Computed nodes with several live consumers: where branches meet on the way back."""
    return tuple(
        n for n in graph.computed if n != graph.objective and len(graph.live_consumers(n)) > 1
    )


def direct_too(graph: Graph, node: str, operand: str) -> bool:
    """Whether `node` uses `operand` directly and also through another of its operands."""
    return any(other in graph.reaches(operand) for other in graph.operands(node))


def local_label(graph: Graph, node: str, operand: str) -> str:
    """`∂h/∂u`, or `∂v/∂u through the direct term` where v also gets u through h."""
    label = f"∂{graph.label(node)}/∂{graph.label(operand)}"
    return f"{label} through the direct term" if direct_too(graph, node, operand) else label


def local_questions(
    graph: Graph, trace: StepTrace, nodes: tuple[str, ...] | None
) -> tuple[Question, ...]:
    """The local derivative into each consumer of each node (default: where branches meet)."""
    chosen = merge_nodes(graph) if nodes is None else nodes
    out: list[Question] = []
    for name in chosen:
        for consumer in graph.live_consumers(name):
            label = local_label(graph, consumer, name)
            out.append(
                Question(
                    QuestionId(trace.step, Kind.LOCAL, name, consumer),
                    label,
                    label.split(" ")[0],
                    trace.edge(name, consumer).local,
                    skills.edge_skills(graph, consumer, name),
                    (),
                    label.replace(" through the direct term", " direct"),
                    _typed_local(graph, trace, consumer, name),
                )
            )
    return tuple(out)


def default_formulas(graph: Graph) -> tuple[str, ...]:
    """The named gradients (nearest the objective first), then the parameters backward."""
    named = [n for n in reversed(graph.computed) if n in graph.gradient_names]
    return (*named, *reversed(graph.parameters))


def formula_questions(
    graph: Graph, trace: StepTrace, nodes: tuple[str, ...] | None
) -> tuple[Question, ...]:
    """Each chosen gradient as a formula, where it is short enough and typable."""
    chosen = default_formulas(graph) if nodes is None else nodes
    return tuple(
        Question(
            QuestionId(trace.step, Kind.FORMULA, name),
            f"{graph.gradient_prompt(name)}, as a formula",
            graph.gradient_label(name),
            trace.grads[name],
            skills.formula_skills(graph, name),
            (),
            f"{graph.gradient_label(name)} formula",
            formula_answer.formula_text(
                graph, formula_answer.gradient_formula(graph, name), typed=True
            ),
        )
        for name in chosen
        if graph.path_counts[name] > 0 and formula_answer.askable(graph, name)
    )


def _typed_local(graph: Graph, trace: StepTrace, consumer: str, name: str) -> str:
    """A local derivative as typed: its formula, or its number where that has a bracket."""
    tree = graph.local_tree(consumer, name)
    if formula_answer.typable(tree):
        return formula_answer.formula_text(graph, tree, typed=True)
    return repr(trace.edge(name, consumer).local)
