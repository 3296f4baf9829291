"""A step's trace turned into the questions a person answers working it by hand.

Order: the forward values in evaluation order, then the gradient at every computed node
backward (reverse topological order), then the parameter gradients (backward too), then
the updated parameters. Each question knows the earlier quantities its formula uses,
so that an answer can be re-checked against the learner's own earlier numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backprop_tutor.engine import Graph, NodeKind, StepTrace
from backprop_tutor.engine.expr import names_in

from . import skills
from .ids import Kind, QuestionId


@dataclass(frozen=True, slots=True)
class Question:
    """One number to compute by hand, with what it exercises and what it builds on."""

    id: QuestionId
    label: str  # how the prompt names it: "u", "δ = ∂J/∂v", "∂J/∂a", "new a"
    symbol: str  # how other messages name it: "u", "δ", "∂J/∂a", "new a"
    expected: float
    skills: tuple[str, ...]
    # Ids of the earlier questions whose answers this one's formula uses.
    depends_on: tuple[QuestionId, ...]
    # A name for a narrow column where the label is long: `paths J→a`, `∂J/∂a formula`.
    short: str = ""
    # For the typed kinds, one right answer as a learner types it (`J L p v d`, `delta*h`).
    typed: str = ""

    @property
    def row_label(self) -> str:
        """The name a quiz row shows: the short one where there is one, else the label."""
        return self.short or self.label

    @property
    def step(self) -> int:
        """The step it belongs to (1-based)."""
        return self.id.step

    @property
    def kind(self) -> Kind:
        """What it asks for: a value, a gradient or an update."""
        return self.id.kind

    @property
    def node(self) -> str:
        """The graph node it is about."""
        return self.id.node

    @property
    def stage(self) -> str:
        """forward, backward or update."""
        return self.id.stage

    @property
    def prompt(self) -> str:
        """The prompt a learner reads: `u = ?`, `∂J/∂a = ?`."""
        return f"{self.label} = ?"


def build_questions(graph: Graph, trace: StepTrace) -> tuple[Question, ...]:
    """Every number of one step, in the order a person computes them."""
    return (
        value_questions(graph, trace)
        + gradient_questions(graph, trace)
        + update_questions(graph, trace)
    )


def value_questions(graph: Graph, trace: StepTrace) -> tuple[Question, ...]:
    """The forward values, in evaluation order."""
    step = trace.step
    return tuple(
        Question(
            QuestionId(step, Kind.VALUE, name),
            graph.label(name),
            graph.label(name),
            trace.values[name],
            skills.value_skills(graph, name),
            tuple(_value_deps(graph, step, name)),
        )
        for name in graph.computed
    )


def gradient_questions(graph: Graph, trace: StepTrace) -> tuple[Question, ...]:
    """The gradient at every computed node backward, then at the parameters."""
    step = trace.step
    backward = [n for n in reversed(graph.computed) if n != graph.objective]
    backward += list(reversed(graph.parameters))
    return tuple(
        Question(
            QuestionId(step, Kind.GRADIENT, name),
            graph.gradient_prompt(name),
            graph.gradient_label(name),
            trace.grads[name],
            skills.gradient_skills(graph, name),
            tuple(_gradient_deps(graph, step, name)),
        )
        for name in backward
    )


def update_questions(graph: Graph, trace: StepTrace) -> tuple[Question, ...]:
    """The updated parameters."""
    step = trace.step
    out: list[Question] = []
    for name in graph.parameters:
        deps = [QuestionId(step, Kind.GRADIENT, name)]
        if step > 1:
            deps.append(QuestionId(step - 1, Kind.UPDATE, name))
        out.append(
            Question(
                QuestionId(step, Kind.UPDATE, name),
                f"new {graph.label(name)}",
                f"new {graph.label(name)}",
                trace.params_after[name],
                skills.update_skills(graph, name),
                tuple(deps),
            )
        )
    return tuple(out)


def _operand_id(graph: Graph, step: int, operand: str) -> QuestionId | None:
    """The question that gives an operand's value, or None for a fixed leaf."""
    if operand in graph.computed:
        return QuestionId(step, Kind.VALUE, operand)
    if step > 1 and graph.node(operand).kind is NodeKind.PARAMETER:
        # Step 2 starts from the parameters the learner updated at step 1.
        return QuestionId(step - 1, Kind.UPDATE, operand)
    return None


def _value_deps(graph: Graph, step: int, name: str) -> list[QuestionId]:
    deps = [_operand_id(graph, step, op) for op in graph.operands(name)]
    return [d for d in deps if d is not None]


def _gradient_deps(graph: Graph, step: int, name: str) -> list[QuestionId]:
    deps: list[QuestionId] = []
    for consumer in graph.live_consumers(name):
        if consumer != graph.objective:
            deps.append(QuestionId(step, Kind.GRADIENT, consumer))
        # Only the operands the local derivative uses: ∂J/∂R = 1 depends on nothing.
        for operand in names_in(graph.local_tree(consumer, name)):
            dep = _operand_id(graph, step, operand)
            if dep is not None and dep not in deps:
                deps.append(dep)
    return deps


Lookup = Callable[[QuestionId], float]


def engine_lookup(trace: StepTrace) -> Lookup:
    """The engine's value of every quantity a question of this step can depend on."""

    def lookup(qid: QuestionId) -> float:
        if qid.step == trace.step - 1 and qid.kind is Kind.UPDATE:
            return trace.params_before[qid.node]
        if qid.step != trace.step:
            raise KeyError(qid)
        return engine_value(trace, qid.kind, qid.node)

    return lookup


def engine_value(trace: StepTrace, kind: Kind, node: str) -> float:
    """The engine's number for a question of this kind about `node` at the trace's step."""
    if kind is Kind.VALUE:
        return trace.values[node]
    if kind is Kind.GRADIENT:
        return trace.grads[node]
    return trace.params_after[node]


def _operand_values(
    graph: Graph, trace: StepTrace, consumer: str, lookup: Lookup
) -> dict[str, float]:
    env: dict[str, float] = {}
    for operand in graph.operands(consumer):
        dep = _operand_id(graph, trace.step, operand)
        env[operand] = trace.values[operand] if dep is None else lookup(dep)
    return env


def compute(question: Question, trace: StepTrace, lookup: Lookup) -> float:
    """The question's formula evaluated with `lookup` giving its dependencies' values.

    With the engine's own values this is the expected answer; with the learner's it is
    the answer their earlier numbers lead to. Raises the engine's EvalError where the
    learner's numbers make the formula undefined (1/(1 + v) at v = −1).
    """
    graph = trace.graph
    name = question.node
    if question.kind is Kind.VALUE:
        return graph.evaluate(name, _operand_values(graph, trace, name, lookup))
    if question.kind is Kind.UPDATE:
        before = (
            trace.params_before[name]
            if trace.step == 1
            else lookup(QuestionId(trace.step - 1, Kind.UPDATE, name))
        )
        gradient = lookup(QuestionId(trace.step, Kind.GRADIENT, name))
        return before - trace.learning_rate * gradient
    total = 0.0
    for consumer in graph.live_consumers(name):
        upstream = (
            1.0
            if consumer == graph.objective
            else lookup(QuestionId(trace.step, Kind.GRADIENT, consumer))
        )
        partials = graph.local_partials(consumer, _operand_values(graph, trace, consumer, lookup))
        total += upstream * partials[name]
    return total
