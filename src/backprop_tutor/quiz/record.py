"""What the learner did with one question: every answer, the hints, a reveal."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from .checker import Verdict
from .diagnosis import Mistake
from .questions import Question


class Status(StrEnum):
    """Where a question stands."""

    UNANSWERED = "unanswered"
    ATTEMPTED = "attempted"  # answered, not yet right
    SOLVED = "solved"  # right, or right for the learner's own earlier numbers
    REVEALED = "revealed"  # shown before it was solved: not solved


@dataclass(frozen=True, slots=True)
class Attempt:
    """One answer as typed, with its verdict and the hints seen before it."""

    text: str
    verdict: Verdict
    diagnosis: Mistake | None
    hints_before: int


@dataclass(slots=True)
class QuestionRecord:
    """Everything the learner did with one question."""

    question: Question
    attempts: list[Attempt] = field(default_factory=list)
    hints: int = 0
    revealed: bool = False
    scaffolded: bool = False  # the learner took the offer to break it down
    solved_by: Verdict | None = None

    @property
    def status(self) -> Status:
        """Solved beats revealed only when it came first."""
        if self.solved_by is not None:
            return Status.SOLVED
        if self.revealed:
            return Status.REVEALED
        if any(a.verdict.counted for a in self.attempts):
            return Status.ATTEMPTED
        return Status.UNANSWERED

    @property
    def wrong_tries(self) -> int:
        """How many answers were judged wrong."""
        return sum(a.verdict is Verdict.WRONG for a in self.attempts)

    @property
    def first_deciding(self) -> Attempt | None:
        """The first answer that was right or a miss (not a request for more digits)."""
        return next((a for a in self.attempts if a.verdict.decides), None)

    @property
    def first_try(self) -> bool:
        """Right at the first deciding answer, with no hint and nothing revealed before it."""
        first = self.first_deciding
        return (
            self.solved_by is not None
            and first is not None
            and first.verdict.solved
            and first.hints_before == 0
        )

    @property
    def missed(self) -> bool:
        """Revealed before it was solved, or the first deciding answer was wrong."""
        first = self.first_deciding
        return self.revealed or (first is not None and not first.verdict.solved)
