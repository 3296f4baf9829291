"""The quiz panel: the step's quantities in the order a person computes them by hand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input

from ..quantities import Feedback, Quantity, Quiz
from .question_row import QuestionRow

# Seconds after a row gets focus before the next row's input is made (after the paint).
PREPARE_DELAY = 0.15

STATUS_OF_VERDICT = {
    "correct": "right",
    "correct_rounded": "right",
    "method_correct_carried": "carried",
    "incomplete_precision": "close",
    "wrong": "wrong",
    "unreadable": "invalid",
}


def status_of(feedback: Feedback) -> str:
    """The row status a verdict leads to."""
    verdict = str(getattr(feedback.verdict, "value", feedback.verdict))
    if verdict in STATUS_OF_VERDICT:
        return STATUS_OF_VERDICT[verdict]
    if feedback.solved:
        return "right"
    return "wrong" if feedback.counted else "invalid"


class QuizPanel(VerticalScroll, can_focus=False):
    """One input per quantity; Enter checks it, a correct answer moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous quantity", show=False),
        Binding("down", "move(1)", "Next quantity", show=False),
    ]

    @dataclass
    class Answered(Message):
        """A quantity was solved or revealed; the other panels may show its value."""

        quantity: Quantity
        status: str  # "right", "carried" or "revealed"
        text: str  # what the input holds

    @dataclass
    class QuantityFocused(Message):
        """The learner moved to a quantity; the graph may select its node."""

        quantity: Quantity

    def __init__(
        self, quiz: Quiz, quantities: tuple[Quantity, ...] = (), id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.quiz = quiz
        self.quantities = quantities
        self.border_title = f"Quiz: 0/{len(quantities)} solved"

    def compose(self) -> ComposeResult:
        """The first step's rows; `load` replaces them for another step."""
        for i, q in enumerate(self.quantities):
            yield QuestionRow(q, i)

    @property
    def rows(self) -> list[QuestionRow]:
        """Every question row, in order."""
        return list(self.query(QuestionRow))

    @property
    def current(self) -> QuestionRow | None:
        """The row the learner is at: the focused one, else the first unfinished one."""
        focused = self.screen.focused
        if focused is not None:
            for row in focused.ancestors:
                if isinstance(row, QuestionRow) and row.parent is self:
                    return row
        return next((r for r in self.rows if not r.finished), None)

    @property
    def progress(self) -> tuple[int, int, int]:
        """Solved, revealed and total quantities."""
        rows = self.rows
        solved = sum(r.status in ("right", "carried") for r in rows)
        shown = sum(r.status == "revealed" for r in rows)
        return solved, shown, len(rows)

    async def load(
        self,
        quantities: tuple[Quantity, ...],
        done: Mapping[str, tuple[str, str]] | None = None,
    ) -> None:
        """Show a step's quantities; `done` maps keys to (status, text) kept from before."""
        self.quantities = quantities
        await self.remove_children()
        rows = [QuestionRow(q, i) for i, q in enumerate(quantities)]
        await self.mount_all(rows)
        for row in rows:
            kept = (done or {}).get(row.quantity.key)
            if kept is not None:
                status, text = kept
                row.input.value = text
                row.status = status
        self.update_title()

    def update_title(self) -> None:
        """Say how far the learner is."""
        solved, shown, total = self.progress
        extra = f", {shown} shown" if shown else ""
        self.border_title = f"Quiz: {solved}/{total} solved{extra}"

    def focus_first_open(self) -> None:
        """Put the cursor in the first quantity not yet done."""
        row = next((r for r in self.rows if not r.finished), None)
        if row is not None:
            row.input.focus(scroll_visible=False)
            row.scroll_visible(animate=False)

    def _focus_after(self, row: QuestionRow) -> None:
        rows = self.rows
        later = [r for r in rows[row.index + 1 :] if not r.finished]
        earlier = [r for r in rows[: row.index] if not r.finished]
        for target in (later or earlier)[:1]:
            target.input.focus(scroll_visible=False)
            target.scroll_visible(animate=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tell the screen which quantity the learner is at."""
        row = next((a for a in event.widget.ancestors if isinstance(a, QuestionRow)), None)
        if row is not None:
            self.post_message(self.QuantityFocused(row.quantity))
            # Make the next row's input once the screen has been drawn, so a right answer
            # moves on without waiting for one to be mounted.
            self.set_timer(PREPARE_DELAY, partial(self._prepare_after, row.index))

    def _prepare_after(self, index: int) -> None:
        rows = self.rows
        for row in rows[index + 1 : index + 2]:
            if not row.finished:
                _ = row.input

    @on(Input.Submitted, ".question-input")
    def _submitted(self, event: Input.Submitted) -> None:
        """Check the answer typed in a row."""
        event.stop()
        row = next(a for a in event.input.ancestors if isinstance(a, QuestionRow))
        self.check(row, event.value)

    def check(self, row: QuestionRow, text: str) -> None:
        """Judge `text` for `row` and show the verdict; a solved row moves focus on."""
        if row.finished:
            return
        fb = self.quiz.check(row.quantity, text)
        row.feedback(fb.message)
        row.status = status_of(fb)
        if row.finished:
            self.post_message(self.Answered(row.quantity, row.status, text))
            self._focus_after(row)
        self.update_title()

    def reveal_current(self) -> None:
        """Show the value of the current quantity (marked shown, not solved)."""
        row = self.current
        if row is None or row.finished:
            return
        row.reveal(self.quiz.reveal(row.quantity))
        self.post_message(self.Answered(row.quantity, "revealed", row.input.value))
        self.update_title()
        self._focus_after(row)

    def hint_current(self) -> None:
        """Show the next hint for the current quantity."""
        row = self.current
        if row is None or row.finished:
            return
        row.feedback(self.quiz.hint(row.quantity))
        row.input.focus()

    def action_move(self, delta: int) -> None:
        """Move to the previous or next open quantity."""
        row = self.current
        if row is None:
            return
        rows = self.rows
        i = row.index + delta
        while 0 <= i < len(rows) and rows[i].finished:
            i += delta
        if 0 <= i < len(rows):
            rows[i].input.focus(scroll_visible=False)
            rows[i].scroll_visible(animate=False)
