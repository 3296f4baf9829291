"""One question of the quiz: its mark and name, an input, and the checker's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Label, Static

from backprop_tutor.quiz import Question

from .. import deferred
from ..state import TutorState
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
# The name column, as wide as `.question-label` in app.tcss (its last cell is padding).
LABEL_WIDTH = 18


class QuestionRow(Widget):
    """A question to answer; its mark follows the quiz session's record of it.

    A row starts as one widget that draws its name and an empty field itself; its name
    label and real `Input` are mounted the first time the row is used, and the feedback
    line the first time there is something to say. An `Input` costs about 20 ms to
    mount, and a step has twenty-odd questions: made up front, they tripled start-up.
    Those mounts are tracked (`deferred.track`), so `deferred.settled` waits for them.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {"question-row--label", "question-row--field"}

    def __init__(
        self,
        question: Question,
        index: int,
        state: TutorState,
        check: Callable[[QuestionRow, str], None] | None = None,
        resized: Callable[[QuestionRow], None] | None = None,
        opened: bool = False,
    ) -> None:
        self.question = question
        # Made with its children: the row the cursor starts in, or one with something
        # typed. Composed with the panel, they cost no layout of their own after it.
        self._opened = opened
        self.index = index
        self.state = state
        self._check = check  # judges what is typed here (the quiz panel's check)
        self._resized = resized  # told when the row grows or shrinks
        self._height = 0
        # The mark last drawn, so a redraw restyles the row only when it changed.
        self._drawn = state.mark(question)
        super().__init__(id=f"q-{index}", classes=f"question -{self._drawn}")

    @property
    def status(self) -> str:
        """How the learner has fared: open, right, carried, wrong, close, invalid, revealed."""
        return self.state.mark(self.question)

    @property
    def finished(self) -> bool:
        """Solved or revealed: nothing left to answer."""
        return self.state.finished(self.question)

    def compose(self) -> ComposeResult:
        """Nothing, for a row drawn by itself; its name, input and feedback line if opened."""
        if self._opened:
            yield from self._parts()

    def render(self) -> Text:
        """Until the row is used: its name and an empty field, drawn without children."""
        if self.children:
            return Text()
        text = Text(no_wrap=True, overflow="crop")
        label = self._label_text()[-(LABEL_WIDTH - 1) :]
        # Padding and name as separate runs, so exported SVGs place the name exactly.
        text.append(" " * (LABEL_WIDTH - 1 - len(label)))
        text.append(label, style=self.get_component_rich_style("question-row--label"))
        text.append(" ")
        field = self.get_component_rich_style("question-row--field")
        # The input's left padding, then its "?" as a run of its own (see above).
        text.append(" ", style=field)
        rest = "?".ljust(max(1, self.size.width - LABEL_WIDTH - 1))
        text.append(rest, style=field + Style(bold=False))
        return text

    def _label_text(self) -> str:
        name = self.question.row_label
        if len(name) > LABEL_WIDTH - 3:
            name = name[-(LABEL_WIDTH - 3) :]
        mark = MARKS.get(self.status, " ").strip()
        # Right-aligned by the stylesheet, the mark just before the name.
        return f"{mark} {name}" if mark else name

    @property
    def input(self) -> AnswerInput:
        """Where the learner types (mounted in place of the stand-in on first use)."""
        for found in self.query(AnswerInput).results(AnswerInput):
            return found
        label, field, line = self._parts()
        deferred.track(self, self.mount(label, field, line))
        return field

    def _parts(self) -> tuple[Label, AnswerInput, Static]:
        field = AnswerInput(placeholder="?", classes="question-input", select_on_focus=False)
        field.value = self.state.typed(self.question)
        field.disabled = self.finished
        if self._check is not None:
            check = self._check
            field.answered = lambda text: check(self, text)
        label = Label(self._label_text(), classes="question-label")
        # The feedback line comes with the input, hidden: a verdict then only fills it in,
        # and reaches the screen in the frame after Enter rather than after a mount.
        line = Static("", classes="question-feedback")
        line.display = False
        return label, field, line

    def on_resize(self, event: events.Resize) -> None:
        """Grown by a feedback line: the panel keeps the row in view if it is the learner's."""
        # Only a change of height: a scrollbar coming and going changes the width, and
        # reacting to that would scroll, toggle the scrollbar and resize again, forever.
        if event.size.height != self._height and self._resized is not None:
            self._resized(self)
        self._height = event.size.height

    def on_click(self) -> None:
        """A click on the row puts the cursor in it."""
        if not self.finished:
            self.input.focus()

    def show_status(self) -> None:
        """Redraw the mark and restyle the row after its record changed (one restyle)."""
        status = self.status
        if status == self._drawn:
            return
        self._drawn = status
        for label in self.query(".question-label").results(Label):
            # The label's size is fixed by the stylesheet: a new mark needs no layout.
            label.update(self._label_text(), layout=False)
        self.refresh()
        self.set_classes(f"question -{status}")
        if self.finished:
            self.input.disabled = True

    def feedback(self, message: str) -> None:
        """Show the checker's sentence under the input (empty hides it)."""
        if not message and not self.children:
            return
        _ = self.input  # the line is mounted with the input
        line = next(self.query(".question-feedback").results(Static))
        shown = line.display
        line.update(message, layout=False)
        line.display = bool(message)
        # A layout only where the line's height changes: shown, hidden, or wrapped anew.
        if shown and message and self._height_changed(line):
            line.refresh(layout=True)

    def coming_height(self) -> int | None:
        """The height the next layout will give the row (None: not laid out yet).

        The input's line and, when shown, the feedback line as it wraps at the row's
        width: so the panel can scroll in the same frame as the verdict, not after it.
        """
        width = self.content_region.width
        if not width:
            return None
        if not self.children:
            return 1
        line = next(self.query(".question-feedback").results(Static))
        if not line.display:
            return 1
        room = width - line.styles.gutter.width
        if room <= 0:
            return None
        return 1 + line.visual.get_height(line.styles, room)  # type: ignore[arg-type]

    @staticmethod
    def _height_changed(line: Static) -> bool:
        width = line.content_region.width
        if not width:
            return True  # not laid out yet: the next layout measures it anyway
        # As Widget.get_content_height measures it, without filling the layout's cache.
        height = line.visual.get_height(line.styles, width)  # type: ignore[arg-type]
        return height != line.content_region.height

    @property
    def feedback_text(self) -> str:
        """The sentence under the input, if any."""
        for line in self.query(".question-feedback").results(Static):
            return str(line.render())
        return ""

    def prepare(self) -> None:
        """Mount the real input ahead of use, unless the row is done with."""
        if not self.finished:
            _ = self.input
