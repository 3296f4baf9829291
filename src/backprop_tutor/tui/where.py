"""What the status line says the learner is doing: a pass of the stepping, or a move of
the method (mapping the paths, finding a local derivative, deriving a formula), and what
comes next. Words only, in the lesson's own names; no Textual.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_tutor.engine import Graph
from backprop_tutor.quiz import Kind, Question
from backprop_tutor.quiz.words import STAGE_TITLES

# A move of the worked example named as the thing that comes next.
MOVE_OF_KIND = {
    Kind.PATHS: "mapping the paths",
    Kind.VALUE: "the forward pass",
    Kind.LOCAL: "the local derivatives",
    Kind.FORMULA: "deriving the formulas",
    Kind.GRADIENT: "the backward pass",
    Kind.UPDATE: "the update",
}


def pass_text(graph: Graph, stage: str, done: int, total: int, current: str | None) -> str:
    """`Forward pass at L (3/7)`, or `Backward pass (0/11)` before its first node."""
    title = STAGE_TITLES[stage]
    if done and current is not None:
        return f"{title} at {graph.label(current)} ({done}/{total})"
    return f"{title} ({done}/{total})"


def doing(graph: Graph, question: Question) -> str:
    """`mapping the paths to a`, `finding ∂h/∂u`, `deriving δ = ∂J/∂v`."""
    if question.kind is Kind.PATHS:
        return f"mapping the paths to {graph.label(question.node)}"
    if question.kind is Kind.LOCAL:
        return f"finding {question.label}"
    return f"deriving {graph.gradient_prompt(question.node)}"


def method_text(graph: Graph, question: Question, questions: Sequence[Question]) -> str:
    """The move the learner is at and how far along its kind: `deriving δ = ∂J/∂v (1 of 3)`."""
    same = [q.id for q in questions if q.kind is question.kind]
    return f"{doing(graph, question)} ({same.index(question.id) + 1} of {len(same)})"


def next_text(graph: Graph, at: Question, coming: Question | None) -> str:
    """What comes after `at`: the next of its kind by name, else the next move."""
    if coming is None:
        return "next: the end of the step"
    if coming.kind is not at.kind:
        return f"next: {MOVE_OF_KIND[coming.kind]}"
    if coming.kind is Kind.PATHS:
        return f"next: the paths to {graph.label(coming.node)}"
    if coming.kind is Kind.FORMULA:
        return f"next: {graph.gradient_prompt(coming.node)}"
    return f"next: {coming.label}"
