"""The quiz panel: the step's quantities in the order a person computes them by hand."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input

from ..numbers import fmt
from ..quantities import NOT_COUNTED, SOLVED, Checker, Quantity
from .question_row import QuestionRow


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
        status: str  # "right" or "revealed"

    def __init__(self, checker: Checker, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checker = checker
        self.quantities: tuple[Quantity, ...] = ()
        self.border_title = "Quiz"

    def compose(self) -> ComposeResult:
        """Rows come with `load`."""
        yield from ()

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
        solved = sum(r.status == "right" for r in rows)
        shown = sum(r.status == "revealed" for r in rows)
        return solved, shown, len(rows)

    async def load(
        self, quantities: tuple[Quantity, ...], done: Mapping[str, str] | None = None
    ) -> None:
        """Show a step's quantities; those in `done` keep their "right" or "revealed"."""
        self.quantities = quantities
        await self.remove_children()
        rows = [QuestionRow(q, i) for i, q in enumerate(quantities)]
        await self.mount_all(rows)
        for row in rows:
            status = (done or {}).get(row.quantity.key)
            if status == "revealed":
                row.reveal()
            elif status == "right":
                row.input.value = fmt(row.quantity.answer)
                row.status = "right"
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
            row.input.focus()
            row.scroll_visible(animate=False)

    def _focus_after(self, row: QuestionRow) -> None:
        rows = self.rows
        later = [r for r in rows[row.index + 1 :] if not r.finished]
        earlier = [r for r in rows[: row.index] if not r.finished]
        for target in (later or earlier)[:1]:
            target.input.focus()
            target.scroll_visible(animate=False)

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
        fb = self.checker.check(row.quantity, text)
        verdict = getattr(fb.verdict, "value", fb.verdict)
        verdict = str(verdict).lower()
        row.feedback(fb.message)
        if verdict in SOLVED:
            row.status = "right"
            self.post_message(self.Answered(row.quantity, "right"))
            self._focus_after(row)
        elif verdict in NOT_COUNTED:
            row.status = "invalid"
        elif verdict in ("close", "partial", "incomplete"):
            row.status = "close"
        else:
            row.status = "wrong"
        self.update_title()

    def reveal_current(self) -> None:
        """Show the value of the current quantity (marked shown, not solved)."""
        row = self.current
        if row is None or row.finished:
            return
        row.reveal()
        self.post_message(self.Answered(row.quantity, "revealed"))
        self.update_title()
        self._focus_after(row)

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
            rows[i].input.focus()
            rows[i].scroll_visible(animate=False)
