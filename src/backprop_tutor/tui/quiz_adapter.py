"""The quiz package's session seen through the panel's `Quiz` protocol."""

from __future__ import annotations

from collections.abc import Sequence

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.quiz import Feedback, QuizSession

from .quantities import Quantity


class SessionQuiz:
    """Questions, checking (with carried errors and named mistakes), hints and reveals."""

    def __init__(self, lesson: Lesson, traces: Sequence[StepTrace]) -> None:
        self.session = QuizSession(lesson, traces)
        # The panel keys quantities by text; each key maps back to its question's id.
        self._ids = {str(q.id): q.id for q in self.session.questions}

    def quantities(self, step: int) -> tuple[Quantity, ...]:
        """The questions of a step (0-based here, 1-based in the session)."""
        return tuple(
            Quantity(str(q.id), q.kind.value, q.node, q.label, q.expected)
            for q in self.session.questions_for(step + 1)
        )

    def check(self, quantity: Quantity, text: str) -> Feedback:
        """Check and record an answer."""
        return self.session.answer(self._ids[quantity.key], text)

    def reveal(self, quantity: Quantity) -> str:
        """Show the value; the session counts it revealed, not solved."""
        return f"Shown, not solved: {self.session.reveal(self._ids[quantity.key]).message}"

    def hint(self, quantity: Quantity) -> str:
        """The next of the three hints."""
        h = self.session.hint(self._ids[quantity.key])
        return f"Hint {h.level}: {h.text}"
