"""The quantities of a step the quiz asks for, and the checker contract the panel uses.

The quiz package (issue 4) owns question generation and answer checking; the panel only
depends on the small protocols here, so richer feedback drops in without touching it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from backprop_tutor.engine import Lesson, StepTrace

# What a verdict means to the panel: solved, not yet, or not an answer at all.
SOLVED = frozenset({"right", "correct", "carried", "method"})
NOT_COUNTED = frozenset({"invalid", "unreadable", "not_an_answer"})


@dataclass(frozen=True)
class Quantity:
    """One number the learner computes by hand at this step."""

    key: str  # "value:u", "grad:v", "update:a": unique within a step
    kind: str  # "value", "grad" or "update"
    node: str
    label: str  # how the learner reads it: "u", "δ = ∂J/∂v", "a′"
    answer: float


class Feedback(Protocol):
    """What a checker says about one answer."""

    @property
    def verdict(self) -> str:
        """A short word: right, wrong, close, carried, invalid…"""

    @property
    def message(self) -> str:
        """The sentence shown under the input."""


class Checker(Protocol):
    """Anything that can judge a typed answer to a quantity."""

    def check(self, quantity: Quantity, text: str) -> Feedback:
        """Judge `text` as an answer to `quantity`."""


def quantities_for(lesson: Lesson, trace: StepTrace) -> tuple[Quantity, ...]:
    """Forward values, gradients backward, parameter gradients, updated parameters."""
    graph = lesson.graph
    objective = graph.objective
    params = tuple(lesson.parameters)
    out: list[Quantity] = []
    for name in graph.computed:
        out.append(Quantity(f"value:{name}", "value", name, graph.label(name), trace.values[name]))
    for name in reversed(graph.computed):
        if name == objective:
            continue  # ∂J/∂J = 1 is not worth asking.
        label = graph.gradient_label(name)
        full = f"∂{graph.label(objective)}/∂{graph.label(name)}"
        if label != full:
            label = f"{label} = {full}"
        out.append(Quantity(f"grad:{name}", "grad", name, label, trace.grads[name]))
    for name in params:
        label = f"∂{graph.label(objective)}/∂{graph.label(name)}"
        out.append(Quantity(f"grad:{name}", "grad", name, label, trace.grads[name]))
    for name in params:
        label = f"{graph.label(name)}′ (updated)"
        out.append(Quantity(f"update:{name}", "update", name, label, trace.params_after[name]))
    return tuple(out)
