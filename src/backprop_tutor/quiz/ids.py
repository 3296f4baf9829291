"""What a question is about: its kind, and its id (step, kind, node) as one small value.

An id is kept as a value everywhere; it becomes text only where it leaves the program
(the progress file) and is read back with `QuestionId.parse`, the one place it is split.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a question asks for."""

    VALUE = "value"
    GRADIENT = "grad"
    UPDATE = "update"
    PATHS = "paths"  # every path from the objective to a node, typed as text
    LOCAL = "local"  # one local derivative ∂via/∂node, as a number or a formula
    FORMULA = "formula"  # a gradient written as a formula in the lesson's names


# The kinds whose answer is a number the learner computes (the others are typed forms).
NUMBER_KINDS = frozenset({Kind.VALUE, Kind.GRADIENT, Kind.UPDATE})


# The stage of a step each kind of question belongs to.
STAGE_OF: dict[Kind, str] = {
    Kind.VALUE: "forward",
    Kind.GRADIENT: "backward",
    Kind.UPDATE: "update",
    Kind.PATHS: "paths",
    Kind.LOCAL: "backward",
    Kind.FORMULA: "backward",
}


@dataclass(frozen=True, slots=True)
class QuestionId:
    """Which question: the step (1-based), what it asks for, and the node it is about.

    `via` is the consumer of a local derivative (∂h/∂u is node u via h); empty otherwise.
    """

    step: int
    kind: Kind
    node: str
    via: str = ""

    def __str__(self) -> str:
        """The id as text, the form the progress file keeps: `1:value:u`, `1:local:u@h`."""
        tail = f"@{self.via}" if self.via else ""
        return f"{self.step}:{self.kind.value}:{self.node}{tail}"

    @classmethod
    def parse(cls, text: str) -> QuestionId:
        """An id read back from its text form; ValueError naming the text if it is not one."""
        try:
            step, kind, node = text.split(":", 2)
            node, _, via = node.partition("@")
            if step.isdigit() and node and "@" not in via:
                return cls(int(step), Kind(kind), node, via)
        except ValueError:
            pass  # too few parts, or an unknown kind: said below
        raise ValueError(f"{text!r} is not a question id (step:kind:node, e.g. 1:grad:a)")

    @property
    def stage(self) -> str:
        """forward, backward or update."""
        return STAGE_OF[self.kind]
