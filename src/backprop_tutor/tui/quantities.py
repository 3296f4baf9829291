"""What the quiz panel needs from a quiz: quantities, checking, reveals and hints.

The quiz package (`backprop_tutor.quiz`) owns question generation and answer checking;
the panel depends only on the small protocol here, so another checker drops in (tests
use the real one through `SessionQuiz`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Quantity:
    """One number the learner computes by hand at a step."""

    key: str  # unique across the lesson: "1:value:u"
    kind: str  # "value", "grad" or "update"
    node: str
    label: str  # how the learner reads it: "u", "δ = ∂J/∂v", "new a"
    answer: float

    @property
    def short(self) -> str:
        """The kind and the node: "value:u", "grad:v"."""
        return f"{self.kind}:{self.node}"


class Feedback(Protocol):
    """What a checker says about one answer."""

    @property
    def verdict(self) -> str:
        """A short word: correct, wrong, incomplete_precision, unreadable…"""

    @property
    def message(self) -> str:
        """The sentence shown under the input."""

    @property
    def solved(self) -> bool:
        """Whether the answer completes the quantity."""

    @property
    def counted(self) -> bool:
        """Whether it was an answer at all (unreadable text is not)."""


class Quiz(Protocol):
    """A lesson's quiz: its quantities per step, and the learner's answers to them."""

    def quantities(self, step: int) -> tuple[Quantity, ...]:
        """The quantities of a step (0-based), in the order a person computes them."""

    def check(self, quantity: Quantity, text: str) -> Feedback:
        """Judge `text` as an answer to `quantity`."""

    def reveal(self, quantity: Quantity) -> str:
        """Give up on a quantity: the sentence that shows its value."""

    def hint(self, quantity: Quantity) -> str:
        """The next hint for a quantity."""
