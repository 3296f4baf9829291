"""The quiz panel: the step's questions in the order a person computes them by hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input

from backprop_tutor.quiz import Question

from .. import deferred
from ..state import TutorState
from .question_row import QuestionRow

# Seconds after a row gets focus before the next row's input is made (after the paint).
PREPARE_DELAY = 0.15
MOVE_KEYS = Binding.Group("previous / next quantity in the quiz; paths in the path panel")


class QuizPanel(VerticalScroll, can_focus=False):
    """One input per question; Enter checks it, a correct answer moves on."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Previous quantity", show=False, group=MOVE_KEYS),
        Binding("down", "move(1)", "Next quantity", show=False, group=MOVE_KEYS),
    ]

    @dataclass
    class QuestionFocused(Message):
        """The learner moved to a question; the graph may select its node."""

        question: Question

    def __init__(self, state: TutorState, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.step = state.step  # the step whose rows are shown
        self._kept: QuestionRow | None = None  # the row kept in view
        self._height = 0
        self.border_title = self._title()

    def compose(self) -> ComposeResult:
        """The current step's rows; `load` replaces them for another step."""
        for i, q in enumerate(self.state.questions):
            yield QuestionRow(q, i, self.state, self.check, self._row_resized)

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

    async def load(self) -> None:
        """Show the state's current step: its questions, marked as the session has them."""
        self.step = self.state.step
        await self.remove_children()
        rows = [
            QuestionRow(q, i, self.state, self.check, self._row_resized)
            for i, q in enumerate(self.state.questions)
        ]
        await self.mount_all(rows)
        for row in rows:
            if self.state.typed(row.question):
                _ = row.input  # a used row shows what was typed in a real input
        self.update_title()
        self.scroll_home(animate=False, immediate=True)
        # A new step or lesson starts with the cursor in its first open question.
        self.focus_first_open()

    def _title(self) -> str:
        progress = self.state.progress
        extra = f", {progress.shown} shown" if progress.shown else ""
        return f"Quiz: {progress.solved}/{progress.total} solved{extra}"

    def update_title(self) -> None:
        """Say how far the learner is."""
        self.border_title = self._title()

    def focus_first_open(self) -> None:
        """Put the cursor in the first question not yet done."""
        row = next((r for r in self.rows if not r.finished), None)
        if row is not None:
            self._focus(row)

    def _focus(self, row: QuestionRow) -> None:
        """Move the cursor to a row, and select its node at once.

        Selecting now, not when the focus event comes back, lets an answer and the
        move to the next question reach the screen in one frame instead of two.
        """
        self.state.selected = row.question.node
        # Now, not after a message round trip: the next key typed goes to this row.
        self.screen.set_focus(row.input, scroll_visible=False)
        self.keep_in_view(row)

    def keep_in_view(self, row: QuestionRow) -> None:
        """Scroll so `row` and everything written under it are inside the panel.

        The row's feedback line is mounted and laid out after this call, so the
        scroll waits for the next refresh, and the row asks again when it is resized.
        """
        self._kept = row

        def scroll() -> None:
            if row.is_attached and self._kept is row:
                self.scroll_to_widget(row, animate=False, immediate=True)

        self.call_after_refresh(scroll)

    def _row_resized(self, row: QuestionRow) -> None:
        if row is self._kept:
            self.keep_in_view(row)

    def on_resize(self, event: events.Resize) -> None:
        """A panel made shorter or taller (the terminal resized) still shows the learner's row."""
        if self._kept is not None and event.size.height != self._height:
            self.keep_in_view(self._kept)
        self._height = event.size.height

    def _focus_after(self, row: QuestionRow) -> None:
        rows = self.rows
        later = [r for r in rows[row.index + 1 :] if not r.finished]
        earlier = [r for r in rows[: row.index] if not r.finished]
        for target in (later or earlier)[:1]:
            self._focus(target)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Tell the screen which question the learner is at."""
        row = next((a for a in event.widget.ancestors if isinstance(a, QuestionRow)), None)
        if row is not None:
            self.post_message(self.QuestionFocused(row.question))
            # Make the next row's input once the screen has been drawn, so a right answer
            # moves on without waiting for one to be mounted.
            rows = self.rows
            for after in rows[row.index + 1 : row.index + 2]:
                deferred.later(after, PREPARE_DELAY, after.prepare)

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
        feedback = self.state.answer(row.question, text)
        row.feedback(feedback.message)
        row.show_status()
        if row.finished:
            self._focus_after(row)
        else:
            self.keep_in_view(row)
        self.update_title()

    def reveal_current(self) -> None:
        """Show the value of the current question (marked shown, not solved)."""
        row = self.current
        if row is None or row.finished:
            return
        shown = self.state.reveal(row.question)
        row.input.value = shown.shown
        row.show_status()
        row.feedback(f"Shown, not solved: {shown.message}")
        self.update_title()
        self.keep_in_view(row)
        self._focus_after(row)

    def hint_current(self) -> None:
        """Show the next hint for the current question."""
        row = self.current
        if row is None or row.finished:
            return
        hint = self.state.hint(row.question)
        row.feedback(hint.message)
        self._focus(row)

    def action_move(self, delta: int) -> None:
        """Move to the previous or next open question."""
        row = self.current
        if row is None:
            return
        rows = self.rows
        i = row.index + delta
        while 0 <= i < len(rows) and rows[i].finished:
            i += delta
        if 0 <= i < len(rows):
            self._focus(rows[i])
