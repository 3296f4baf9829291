"""One quantity of the quiz: its name, an input, a mark and the checker's words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from ..numbers import fmt
from ..quantities import Quantity
from .answer_input import AnswerInput

MARKS = {
    "open": " ",
    "right": "✓",
    "carried": "✓",
    "wrong": "✗",
    "close": "≈",
    "revealed": "◌",
    "invalid": "?",
}


class QuestionRow(Vertical):
    """A quantity to compute; its `status` says how the learner has fared on it."""

    status: reactive[str] = reactive("open")

    def __init__(self, quantity: Quantity, index: int) -> None:
        super().__init__(id=f"q-{index}", classes="question")
        self.quantity = quantity
        self.index = index

    def compose(self) -> ComposeResult:
        """Label, input and mark on one line, the feedback under them."""
        with Horizontal(classes="question-line"):
            yield Label(self.quantity.label, classes="question-label")
            yield AnswerInput(placeholder="?", classes="question-input", select_on_focus=False)
            yield Label(" ", classes="question-mark")
        yield Static("", classes="question-feedback")

    @property
    def input(self) -> AnswerInput:
        """Where the learner types."""
        return self.query_one(AnswerInput)

    @property
    def finished(self) -> bool:
        """Solved or revealed: nothing left to answer."""
        return self.status in ("right", "carried", "revealed")

    def watch_status(self, status: str) -> None:
        """Show the mark and style the row after its status."""
        self.query_one(".question-mark", Label).update(MARKS.get(status, " "))
        for name in MARKS:
            self.set_class(name == status, f"-{name}")
        if self.finished:
            self.input.disabled = True

    def feedback(self, message: str) -> None:
        """Show the checker's sentence (empty hides it)."""
        line = self.query_one(".question-feedback", Static)
        line.update(message)
        line.display = bool(message)

    def reveal(self, message: str) -> None:
        """Fill in the engine's value and mark it shown, not solved."""
        self.input.value = fmt(self.quantity.answer)
        self.status = "revealed"
        self.feedback(message)
