"""Breaking a hard gradient down: smaller questions the learner answers on the way back.

Offered (never forced) after two wrong tries at a gradient where branches merge or a path
has more than two factors. At a merge the parts are the contribution through each
consumer; on a single long path they are its local derivatives; with one consumer and
several paths, the gradient arriving there and the local derivative. Each part is checked
like any answer; once all are right the learner returns to the original question with
their own numbers for the parts on screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backprop_tutor.engine import StepTrace

from .diagnosis import Candidate, contribution_slips, gradient_slips, local_slips
from .ids import Kind
from .questions import Question

# Wrong tries at a question before breaking it down is offered.
OFFER_AFTER = 2
# A path with more factors than this counts as long.
LONG_PATH = 2


@dataclass(frozen=True, slots=True)
class Part:
    """One smaller question of a breakdown: what it is, in words and symbols, and its value."""

    words: str  # "the part through v"
    label: str  # "δ·∂v/∂u"
    expected: float
    # The slips this part's machinery can name (a factor left out, a sign lost).
    mistakes: tuple[Candidate, ...] = ()

    @property
    def prompt(self) -> str:
        """The prompt a learner reads: `the part through v, δ·∂v/∂u = ?`."""
        return f"{self.words}, {self.label} = ?"


@dataclass(slots=True)
class Breakdown:
    """The parts of one gradient, and the learner's right answers to them so far."""

    question: Question
    how: str  # how the parts make the gradient, in words
    parts: tuple[Part, ...]
    answers: dict[int, str] = field(default_factory=dict)  # part index → the learner's text
    shown: set[int] = field(default_factory=set)  # parts whose value was shown on request

    @property
    def done(self) -> bool:
        """Whether every part has been answered right."""
        return len(self.answers) == len(self.parts)

    def next_part(self) -> int | None:
        """The index of the first part not yet answered right."""
        return next((i for i in range(len(self.parts)) if i not in self.answers), None)

    @property
    def recap(self) -> str:
        """The parts with the learner's own numbers, for the return to the question."""
        shown = ", ".join(
            f"{part.label} = {self.answers[i].strip()}"
            for i, part in enumerate(self.parts)
            if i in self.answers
        )
        return f"Your parts: {shown}. {self.how} Now {self.question.prompt}"


def needs_breakdown(question: Question, trace: StepTrace) -> bool:
    """Whether the question is a gradient with a merge or a path longer than two factors."""
    if question.kind is not Kind.GRADIENT:
        return False
    graph = trace.graph
    name = question.node
    if len(graph.live_consumers(name)) >= 2:
        return True
    return any(len(path.factors) > LONG_PATH for path in trace.paths(name, limit=12))


def breakdown(question: Question, trace: StepTrace) -> Breakdown | None:
    """The parts a gradient question breaks into, or None where it does not break down."""
    if not needs_breakdown(question, trace):
        return None
    graph = trace.graph
    name = question.node
    at = graph.label(name)
    head = graph.derivative_symbol(name)
    live = list(graph.live_consumers(name))

    def local(consumer: str, operand: str) -> str:
        return f"∂{graph.label(consumer)}/∂{graph.label(operand)}"

    def upstream(consumer: str) -> str:
        return "" if consumer == graph.objective else f"{graph.gradient_label(consumer)}·"

    if len(live) >= 2:
        parts = tuple(
            Part(
                f"the part through {graph.label(c)}",
                f"{upstream(c)}{local(c, name)}",
                trace.edge(name, c).contribution,
                contribution_slips(trace, name, c),
            )
            for c in live
        )
        return Breakdown(question, f"{head} is the sum of these parts.", parts)
    paths = list(trace.paths(name, limit=2))
    consumer = live[0]
    if len(paths) == 1:
        path = paths[0]
        parts = tuple(
            Part(
                f"the local derivative of {graph.label(e.node)} with respect to "
                f"{graph.label(e.operand)}",
                local(e.node, e.operand),
                e.local,
                local_slips(graph, e),
            )
            for e in path.factors
        )
        return Breakdown(question, f"{head} is the product of these along the path.", parts)
    parts = (
        Part(
            f"the gradient at {graph.label(consumer)}",
            graph.gradient_label(consumer),
            trace.grads[consumer],
            gradient_slips(trace, consumer),
        ),
        Part(
            f"the local derivative of {graph.label(consumer)} with respect to {at}",
            local(consumer, name),
            trace.edge(name, consumer).local,
            local_slips(graph, trace.edge(name, consumer)),
        ),
    )
    return Breakdown(question, f"{head} is the first times the second.", parts)
