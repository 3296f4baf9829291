"""One quantity of the quiz: its mark and name, an input, and the checker's words."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.reactive import reactive
from textual.widget import Widget
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
LABEL_WIDTH = 17


class QuestionRow(Widget):
    """A quantity to compute; its `status` says how the learner has fared on it.

    A row starts as two light widgets, its name and a stand-in that looks like an empty
    input; the real `Input` is mounted the first time the row is used, and the feedback
    line the first time there is something to say. An `Input` costs about 20 ms to
    mount, and a step has twenty-odd quantities: made up front, they tripled start-up.
    """

    status: reactive[str] = reactive("open", init=False)

    def __init__(self, quantity: Quantity, index: int) -> None:
        super().__init__(id=f"q-{index}", classes="question -open")
        self.quantity = quantity
        self.index = index

    def compose(self) -> ComposeResult:
        """Mark and name, then a stand-in for the input."""
        yield Label(self._label_text(), classes="question-label")
        yield Static("?", classes="question-slot")

    def _label_text(self) -> str:
        name = self.quantity.label
        if len(name) > LABEL_WIDTH - 2:
            name = name[-(LABEL_WIDTH - 2) :]
        mark = MARKS.get(self.status, " ").strip()
        # Right-aligned by the stylesheet, the mark just before the name.
        return f"{mark} {name}" if mark else name

    @property
    def input(self) -> AnswerInput:
        """Where the learner types (mounted in place of the stand-in on first use)."""
        for found in self.query(AnswerInput).results(AnswerInput):
            return found
        field = AnswerInput(placeholder="?", classes="question-input", select_on_focus=False)
        slots = list(self.query(".question-slot"))
        if slots:
            self.mount(field, after=slots[0])
            slots[0].remove()
        else:
            self.mount(field)
        return field

    def on_click(self) -> None:
        """A click on the row puts the cursor in it."""
        if not self.finished:
            self.input.focus()

    @property
    def finished(self) -> bool:
        """Solved or revealed: nothing left to answer."""
        return self.status in ("right", "carried", "revealed")

    def watch_status(self, status: str) -> None:
        """Show the mark and style the row after its status (one restyle, not six)."""
        self.query_one(".question-label", Label).update(self._label_text())
        self.set_classes(f"question -{status}")
        if self.finished:
            self.input.disabled = True

    def feedback(self, message: str) -> None:
        """Show the checker's sentence under the input (empty hides it)."""
        lines = self.query(".question-feedback").results(Static)
        line = next(lines, None)
        if line is None:
            if not message:
                return
            line = Static(message, classes="question-feedback")
            self.mount(line)
        else:
            line.update(message)
        line.display = bool(message)

    @property
    def feedback_text(self) -> str:
        """The sentence under the input, if any."""
        for line in self.query(".question-feedback").results(Static):
            return str(line.render())
        return ""

    def reveal(self, message: str) -> None:
        """Fill in the engine's value and mark it shown, not solved."""
        self.input.value = fmt(self.quantity.answer)
        self.status = "revealed"
        self.feedback(message)
