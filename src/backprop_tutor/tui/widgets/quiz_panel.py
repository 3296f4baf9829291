"""The quiz panel: the step's questions in the order a person computes them by hand."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar, Concatenate, ParamSpec

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from backprop_tutor.quiz import Question
from backprop_tutor.quiz.words import BREAK_DOWN

from .. import deferred
from ..state import TutorState
from .ending import Ending
from .part_rows import PartRow, PartsBlock
from .question_row import QuestionRow

# Seconds after a row gets focus before the next row's input is made (after the paint).
PREPARE_DELAY = 0.15
P = ParamSpec("P")
MOVE_KEYS = Binding.Group("previous / next quantity in the quiz; paths in the path panel")


def _in_one_frame(
    method: Callable[Concatenate[QuizPanel, P], None],
) -> Callable[Concatenate[QuizPanel, P], None]:
    """A handler whose changes to the panel reach the screen in one frame
    (`deferred.one_frame`): a verdict, a reveal, a hint."""

    @functools.wraps(method)
    def in_one_frame(panel: QuizPanel, /, *args: P.args, **kwargs: P.kwargs) -> None:
        with deferred.one_frame(panel.app, within=panel):
            method(panel, *args, **kwargs)

    return in_one_frame


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
        self._kept: Widget | None = None  # the row (or part, or step's end) kept in view
        self._height = 0
        self.border_title = self._title()
        # Stepping keys typed fast ask for loads while one is still mounting: they take
        # turns, and one overtaken by a later one does nothing (the later shows its step).
        self._loading = asyncio.Lock()
        self._loads = 0

    def compose(self) -> ComposeResult:
        """The current step's rows; `load` replaces them for another step."""
        yield from self._rows()

    def _rows(self) -> list[QuestionRow]:
        """The step's rows; the first open one and any used one are made with their input."""
        state = self.state
        first_open = next((q for q in state.questions if not state.finished(q)), None)
        return [
            QuestionRow(
                q,
                i,
                state,
                self.check,
                self._row_resized,
                # A used row shows what was typed in a real input; the cursor starts in
                # the first open one.
                opened=q is first_open or bool(state.typed(q)),
            )
            for i, q in enumerate(state.questions)
        ]

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
        self._loads += 1
        ticket = self._loads
        async with self._loading:
            if ticket == self._loads:
                await self._load()

    async def _load(self) -> None:
        await self.remove_children()
        rows = self._rows()
        widgets: list[QuestionRow | PartsBlock | Ending] = []
        for row in rows:
            widgets.append(row)
            if self.state.breakdown(row.question) is not None:
                widgets.append(
                    PartsBlock(row.question, self.state, self.check_part, self._row_resized)
                )
        ending = self._ending()
        if ending is not None:
            widgets.append(ending)
        await self.mount_all(widgets)
        self.update_title()
        self.scroll_home(animate=False, immediate=True)
        # A new step or lesson starts with the cursor in its first open question.
        self.focus_first_open()

    def _title(self) -> str:
        progress = self.state.progress
        extra = f", {progress.shown} shown" if progress.shown else ""
        return f"Quiz: {progress.solved}/{progress.total} solved{extra}"

    def update_title(self) -> None:
        """Say how far the learner is (a title set anew repaints the whole panel)."""
        title = self._title()
        if title != self.border_title:
            self.border_title = title

    def focus_first_open(self) -> None:
        """Put the cursor in the first question not yet done."""
        row = next((r for r in self.rows if not r.finished), None)
        if row is not None:
            self._focus(row)

    def _focus(self, row: QuestionRow, grown: QuestionRow | None = None) -> None:
        """Move the cursor to a row, and select its node at once.

        Selecting now, not when the focus event comes back, lets an answer and the
        move to the next question reach the screen in one frame instead of two.
        """
        self.state.selected = row.question.node
        # Now, not after a message round trip: the next key typed goes to this row.
        self.screen.set_focus(row.input, scroll_visible=False)
        self.keep_in_view(row, grown)

    def keep_in_view(self, row: Widget, grown: QuestionRow | None = None) -> None:
        """Scroll so `row` and everything written under it are inside the panel.

        The row's feedback line is mounted and laid out after this call, so the
        scroll waits for the next refresh, and the row asks again when it is resized.
        `grown`: a row whose verdict just changed its height (scrolled for at once).
        """
        self._kept = row
        if grown is not None:
            self._scroll_ahead(row, grown)

        def scroll() -> None:
            if row.is_attached and self._kept is row:
                self._scroll_into_view(row)

        deferred.after_refresh(self, scroll)  # counted: settled() waits for the scroll

    def _scroll_ahead(self, target: Widget, grown: QuestionRow) -> None:
        """Scroll now to where `target` will be once `grown`'s new height is laid out.

        A verdict changes a row's height (its feedback line), and the exact scroll can
        only follow the layout: a second frame, with every row in view drawn again.
        Predicted here, the scroll and the layout make one frame; the exact scroll after
        the refresh then finds nothing to do.
        """
        if not isinstance(target, QuestionRow) or target.parent is not self:
            return
        coming = grown.coming_height()
        view = self.scrollable_content_region.height
        if coming is None or not view:
            return
        growth = coming - grown.outer_size.height
        top = target.virtual_region.y
        if grown is target:
            height = coming
        else:
            height = target.outer_size.height
            if grown.virtual_region.y < top:
                top += growth
        bottom = top + height
        scroll_y = self.scroll_y
        if bottom > scroll_y + view:
            scroll_y = bottom - view
        scroll_y = min(scroll_y, top)
        if scroll_y == self.scroll_y:
            return
        # Room for the rows as they will be (the layout sets the real size again), so
        # the scroll is not cut short at the current end of the rows.
        if growth > 0:
            width, rows = self.virtual_size
            self.virtual_size = Size(width, rows + growth)
        self.scroll_to(y=scroll_y, animate=False, immediate=True)
        self._drawn_by_layout()

    def _scroll_into_view(self, widget: Widget) -> bool:
        """Scroll `widget` into the panel now, drawn by a layout; whether it moved."""
        moved = self.scroll_to_widget(widget, animate=False, immediate=True)
        if moved:
            self._drawn_by_layout()
        return moved

    def _drawn_by_layout(self) -> None:
        """Have the scroll just made drawn by a layout, which redraws only what moved.

        Textual draws a scroll alone, straight after a layout, as the whole screen (its
        scroll path then has no earlier picture to compare with): 41 KB at 200x60 for
        a one-line verdict, where the layout's comparison draws the quiz panel.
        """
        self.refresh(layout=True)

    def _row_resized(self, row: Widget) -> None:
        # Any row growing (a feedback line mounted above the learner's) moves it: follow it.
        if self._kept is not None:
            self.keep_in_view(self._kept)

    def on_resize(self, event: events.Resize) -> None:
        """A panel made shorter or taller (the terminal resized) still shows the learner's row."""
        if self._kept is not None and event.size.height != self._height:
            self.keep_in_view(self._kept)
        self._height = event.size.height

    def _focus_after(self, row: QuestionRow) -> None:
        # The state's rule, so the status line names the question the cursor moves to.
        after = self.state.open_after(self.state.questions, row.index)
        for target in self.rows:
            if target.question == after:
                self._focus(target, grown=row)
                return

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

    @_in_one_frame
    def check(self, row: QuestionRow, text: str) -> None:
        """Judge `text` for `row` and show the verdict; a solved row moves focus on."""
        if row.finished:
            return
        state, question = self.state, row.question
        if text.strip().lower() == BREAK_DOWN and (
            state.offers_breakdown(question) or state.breakdown(question) is not None
        ):
            row.input.value = state.typed(question)  # the word taken, the last answer back
            self.open_parts(row)
            return
        state.answer(question, text)
        row.feedback(state.said(question))
        # The cursor moves on before the row is marked: disabling the focused input
        # would first send the focus somewhere else, restyling twice.
        self._moved_on(row)
        row.show_status()

    def _moved_on(self, row: QuestionRow) -> None:
        """After a row's record changed: the next open row, or the step's end."""
        if row.finished:
            if not self._end_of_step():
                self._focus_after(row)
        else:
            self.keep_in_view(row, grown=row)
        self.update_title()

    # --- the end of a step ------------------------------------------------------------
    def _ending(self) -> Ending | None:
        """The step's end (and the lesson's), where the step is done."""
        end = self.state.step_end
        if end is None:
            return None
        return Ending(end, self.state.lesson_end, self.state.open_steps, id="ending")

    @property
    def ending(self) -> Ending | None:
        """The end of the step on screen, if the step is done."""
        for found in self.query(Ending).results(Ending):
            return found
        return None

    def _end_of_step(self) -> bool:
        """Write the step's end under the last row once it is done; focus moves to it."""
        if not self.state.step_done:
            return False
        ending = self.ending
        if ending is not None:
            self._focus_ending(ending)
            return True
        made = self._ending()
        if made is not None:
            deferred.track(self, self._show_ending(made))
        return True

    async def _show_ending(self, ending: Ending) -> None:
        await self.mount(ending)
        self._focus_ending(ending)

    def _focus_ending(self, ending: Ending) -> None:
        self.screen.set_focus(ending, scroll_visible=False)
        self._kept = None
        deferred.after_refresh(
            self,
            lambda: ending.is_attached and self._scroll_into_view(ending),
        )

    # --- breaking a question down -----------------------------------------------------
    def open_parts(self, row: QuestionRow) -> None:
        """Take the offer: the question's parts as rows under it, the cursor in the first."""
        question = row.question
        already = self._block_of(question)
        if already is not None:
            self._focus_part(already)
            return
        self.state.break_down(question)
        block = PartsBlock(question, self.state, self.check_part, self._row_resized)
        deferred.track(self, self._mount_parts(row, block))

    async def _mount_parts(self, row: QuestionRow, block: PartsBlock) -> None:
        await self.mount(block, after=row)
        row.feedback("")
        self._focus_part(block)

    def _block_of(self, question: Question) -> PartsBlock | None:
        for block in self.query(PartsBlock).results(PartsBlock):
            if block.question.id == question.id:
                return block
        return None

    def _focus_part(self, block: PartsBlock) -> None:
        """The cursor to the first part not yet done, or back to the question."""
        part = next((p for p in block.rows if not p.finished), None)
        if part is not None:
            self.screen.set_focus(part.input, scroll_visible=False)
            self._kept = None
            deferred.after_refresh(
                self,
                lambda: part.is_attached and self._scroll_into_view(part),
            )
            return
        row = self._row_of(block.question)
        breakdown = self.state.breakdown(block.question)
        if row is not None and breakdown is not None:
            row.feedback(breakdown.recap)
            row.input.value = ""  # a fresh start, with the parts on screen
            self._focus(row)

    def _row_of(self, question: Question) -> QuestionRow | None:
        return next((r for r in self.rows if r.question.id == question.id), None)

    @_in_one_frame
    def check_part(self, part: PartRow, text: str) -> None:
        """Judge one part; a right one moves to the next part, the last back to the question."""
        if part.finished:
            return
        feedback = self.state.answer_part(part.question, part.index, text)
        part.say(feedback.message)
        self.keep_in_view(part)
        if part.finished:
            block = next(a for a in part.ancestors if isinstance(a, PartsBlock))
            self._focus_part(block)

    def _current_part(self) -> PartRow | None:
        focused = self.screen.focused
        if focused is None:
            return None
        return next((a for a in focused.ancestors if isinstance(a, PartRow)), None)

    @_in_one_frame
    def reveal_current(self) -> None:
        """Show the value of the current question (marked shown, not solved)."""
        part = self._current_part()
        if part is not None:
            self._reveal_part(part)
            return
        row = self.current
        if row is None or row.finished:
            return
        shown = self.state.reveal(row.question)
        row.input.value = shown.shown
        row.show_status()
        row.feedback(self.state.said(row.question))
        self.keep_in_view(row)
        self._moved_on(row)

    def _reveal_part(self, part: PartRow) -> None:
        if part.finished:
            return
        shown = self.state.reveal_part(part.question, part.index)
        part.input.value = shown
        label = part.breakdown.parts[part.index].label
        part.say(f"Shown: {label} = {shown}.")
        block = next(a for a in part.ancestors if isinstance(a, PartsBlock))
        self._focus_part(block)

    @_in_one_frame
    def hint_current(self) -> None:
        """Show the next hint for the current question."""
        part = self._current_part()
        if part is not None:
            words = part.breakdown.parts[part.index].words
            part.say(f"{words}: work it from the numbers you already have; ctrl+r shows it.")
            self.keep_in_view(part)
            return
        row = self.current
        if row is None or row.finished:
            return
        self.state.hint(row.question)
        row.feedback(self.state.said(row.question))
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
