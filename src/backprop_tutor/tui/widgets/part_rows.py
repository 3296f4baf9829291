"""A hard gradient broken down: one row per part, each answered and checked, under its question."""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Label, Static

from backprop_tutor.quiz import Breakdown, Question

from ..state import TutorState
from .answer_input import AnswerInput
from .question_row import LABEL_WIDTH, MARKS


class PartRow(Widget):
    """One part of a breakdown: its name, an input, and the checker's words."""

    DEFAULT_CSS = """
    PartRow {
        height: auto;
        layout: grid;
        grid-size: 2;
        grid-columns: 18 1fr;
        grid-rows: auto;
        padding-right: 1;
    }
    PartRow .part-label { width: 18; height: 1; padding-right: 1; text-align: right; }
    PartRow .part-input { width: 1fr; height: 1; border: none; padding: 0 1; background: $boost; }
    PartRow .part-input:focus { background: $accent-muted; }
    PartRow .part-input:disabled { opacity: 100%; background: transparent; color: $text-success; }
    PartRow .part-feedback {
        column-span: 2; height: auto; padding: 0 1 0 2; color: $foreground-muted;
    }
    PartRow.-right .part-label { color: $text-success; }
    PartRow.-wrong .part-label { color: $text-error; }
    PartRow.-wrong .part-feedback { color: $text-error; }
    PartRow.-close .part-feedback { color: $text-warning; }
    PartRow.-invalid .part-feedback { color: $text-warning; }
    PartRow.-revealed .part-label { color: $text-secondary; }
    PartRow.-revealed .part-input:disabled { color: $text-secondary; }
    """

    def __init__(
        self,
        question: Question,
        index: int,
        state: TutorState,
        check: Callable[[PartRow, str], None],
        resized: Callable[[Widget], None] | None = None,
    ) -> None:
        self.question = question
        self.index = index
        self.state = state
        self._check = check
        self._resized = resized  # told when the row grows or shrinks
        self._height = 0
        super().__init__(classes=f"part -{self.status}")

    def on_resize(self, event: events.Resize) -> None:
        """Grown by a longer sentence: the panel keeps the learner's row in view."""
        if event.size.height != self._height and self._resized is not None:
            self._resized(self)
        self._height = event.size.height

    @property
    def breakdown(self) -> Breakdown:
        """The breakdown this part belongs to."""
        found = self.state.breakdown(self.question)
        assert found is not None, "a part row exists only for a breakdown taken"
        return found

    @property
    def status(self) -> str:
        """open, right, wrong, close, invalid or revealed."""
        return self.state.part_mark(self.question, self.index)

    @property
    def finished(self) -> bool:
        """Answered right or shown: nothing left to do here."""
        return self.status in ("right", "revealed")

    def _label_text(self) -> str:
        label = self.breakdown.parts[self.index].label
        if len(label) > LABEL_WIDTH - 3:
            label = "…" + label[-(LABEL_WIDTH - 4) :]
        mark = MARKS.get(self.status, " ").strip()
        return f"{mark} {label}" if mark else label

    def compose(self) -> ComposeResult:
        """Name, input (with what was typed), and the part in words under them."""
        yield Label(self._label_text(), classes="part-label")
        field = AnswerInput(placeholder="?", classes="part-input", select_on_focus=False)
        field.value = self.state.part_typed(self.question, self.index)
        field.disabled = self.finished
        field.answered = lambda text: self._check(self, text)
        yield field
        yield Static(self.breakdown.parts[self.index].words, classes="part-feedback")

    @property
    def input(self) -> AnswerInput:
        """Where the learner types this part."""
        return self.query_one(AnswerInput)

    @property
    def feedback_text(self) -> str:
        """The sentence under the input."""
        return str(self.query_one(".part-feedback", Static).render())

    def say(self, message: str) -> None:
        """Show the checker's words (or a hint) under the input, and the mark."""
        self.query_one(".part-feedback", Static).update(message)
        self.query_one(".part-label", Label).update(self._label_text())
        self.set_classes(f"part -{self.status}")
        if self.finished:
            self.input.disabled = True


class PartsBlock(Vertical):
    """How the parts make the gradient, then one row per part."""

    DEFAULT_CSS = """
    PartsBlock { height: auto; margin: 0 0 0 2; border-left: solid $primary-muted; }
    PartsBlock > .parts-how { padding: 0 1; color: $text-primary; }
    """

    def __init__(
        self,
        question: Question,
        state: TutorState,
        check: Callable[[PartRow, str], None],
        resized: Callable[[Widget], None] | None = None,
    ) -> None:
        super().__init__(classes="parts")
        self.question = question
        self.state = state
        self._check = check
        self._resized = resized

    def compose(self) -> ComposeResult:
        """The breakdown's sentence, then its parts."""
        breakdown = self.state.breakdown(self.question)
        assert breakdown is not None
        yield Static(f"In parts: {breakdown.how}", classes="parts-how")
        for i in range(len(breakdown.parts)):
            yield PartRow(self.question, i, self.state, self._check, self._resized)

    @property
    def rows(self) -> list[PartRow]:
        """The part rows, in order."""
        return list(self.query(PartRow))
