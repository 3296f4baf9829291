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


# The stage of a step each kind of question belongs to.
STAGE_OF: dict[Kind, str] = {
    Kind.VALUE: "forward",
    Kind.GRADIENT: "backward",
    Kind.UPDATE: "update",
}


@dataclass(frozen=True, slots=True)
class QuestionId:
    """Which question: the step (1-based), what it asks for, and the node it is about."""

    step: int
    kind: Kind
    node: str

    def __str__(self) -> str:
        """The id as text, the form the progress file keeps: `1:value:u`, `2:grad:a`."""
        return f"{self.step}:{self.kind.value}:{self.node}"

    @classmethod
    def parse(cls, text: str) -> QuestionId:
        """An id read back from its text form; ValueError naming the text if it is not one."""
        try:
            step, kind, node = text.split(":", 2)
            if step.isdigit() and node:
                return cls(int(step), Kind(kind), node)
        except ValueError:
            pass  # too few parts, or an unknown kind: said below
        raise ValueError(f"{text!r} is not a question id (step:kind:node, e.g. 1:grad:a)")

    @property
    def stage(self) -> str:
        """forward, backward or update."""
        return STAGE_OF[self.kind]
