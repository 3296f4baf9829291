"""One question of the quiz: its mark and name, an input, and the checker's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.geometry import Region, Size
from textual.strip import Strip
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
        # A finished row's picture, drawn while its children are hidden (`fold`), and
        # what the picture depends on: the theme, the row's width and classes.
        self._folded: list[Strip] | None = None
        self._folded_look: tuple[object, ...] = ()
        self._shown: list[bool] = []
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

    def render_lines(self, crop: Region) -> list[Strip]:
        """The row's picture while folded; otherwise as Textual draws it."""
        if self._folded is None:
            return super().render_lines(crop)
        return [line.crop(crop.x, crop.right) for line in self._folded[crop.y : crop.bottom]]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A folded row keeps the height it had unfolded."""
        if self._folded is not None:
            return len(self._folded)
        return super().get_content_height(container, viewport, width)

    # --- a finished row drawn from a picture of itself --------------------------------
    @property
    def folded(self) -> bool:
        """Drawn from its picture, its name, input and feedback line hidden."""
        return self._folded is not None

    def fold(self) -> None:
        """A finished row, once painted: drawn from a picture of itself, children hidden.

        A finished row no longer changes, but its name, input and feedback line are three
        widgets that every layout and every scroll of the panel arranged and drew again:
        a verdict late in a step cost nearly twice one at its start. Folded, the row is one
        widget that looks the same to the cell; it unfolds when its look could change (its
        record, its width, the theme) and folds again after the next paint.
        """
        if self._folded is not None or not self.finished or self.has_focus_within:
            return
        width, height = self.outer_size
        shown = [child for child in self.children if child.display]
        if not width or not height or not shown:
            return
        picture = self._picture(width, height, shown)
        if picture is None:
            return
        self._folded, self._folded_look = picture, self._look()
        self._shown = [child.display for child in self.children]
        for child in self.children:
            child.display = False
        self.refresh(layout=True)

    def _picture(self, width: int, height: int, shown: list[Widget]) -> list[Strip] | None:
        """The row as the screen shows it: its own lines, each child drawn over them."""
        origin = self.region
        if origin.size != self.outer_size:
            return None  # not placed on the screen as it is now
        lines = super().render_lines(Region(0, 0, width, height))
        for child in shown:
            place = child.region
            if not place:
                return None
            x, y = place.x - origin.x, place.y - origin.y
            for dy, strip in enumerate(child.render_lines(Region(0, 0, *place.size))):
                if 0 <= y + dy < height:
                    line = lines[y + dy]
                    lines[y + dy] = Strip.join(
                        [line.crop(0, x), strip, line.crop(x + place.width, width)]
                    )
        return lines

    def _look(self) -> tuple[object, ...]:
        return (self.app.theme, self.size.width, tuple(sorted(self.classes)))

    def unfold(self) -> None:
        """Show the row's children again (before anything about it changes)."""
        if self._folded is None:
            return
        self._folded = None
        for child, shown in zip(self.children, self._shown, strict=False):
            child.display = shown
        self.refresh(layout=True)

    def _fold_after_paint(self) -> None:
        if self.finished and self._folded is None:
            deferred.after_paint(self, self.fold)

    def _retake_if_stale(self) -> None:
        """A picture taken in another theme, width or class is taken again after the paint."""
        if self._folded is not None and self._look() != self._folded_look:
            self.unfold()
        self._fold_after_paint()

    def notify_style_update(self) -> None:
        """Restyled: a picture taken in another theme is drawn anew."""
        super().notify_style_update()
        if self._folded is not None:
            self._retake_if_stale()

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
        self._retake_if_stale()  # (a finished row is first folded once it has a size)

    def on_click(self) -> None:
        """A click on the row puts the cursor in it."""
        if not self.finished:
            self.input.focus()

    def show_status(self) -> None:
        """Redraw the mark and restyle the row after its record changed (one restyle)."""
        status = self.status
        if status == self._drawn:
            return
        self.unfold()
        self._drawn = status
        for label in self.query(".question-label").results(Label):
            # The label's size is fixed by the stylesheet: a new mark needs no layout.
            label.update(self._label_text(), layout=False)
        self.refresh()
        self.set_classes(f"question -{status}")
        if self.finished:
            self.input.disabled = True
            self._fold_after_paint()

    def feedback(self, message: str) -> None:
        """Show the checker's sentence under the input (empty hides it)."""
        if not message and not self.children:
            return
        self.unfold()
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
        if self._folded is not None:
            return len(self._folded)
        if not self.children:
            return 1
        line = next(self.query(".question-feedback").results(Static))
        if not line.display:
            return 1
        room = width - line.styles.gutter.width
        if room <= 0:
            return None
        return 1 + self._wrapped_height(line, room)

    @staticmethod
    def _wrapped_height(line: Static, width: int) -> int:
        """The feedback line's height at `width`, as Widget.get_content_height measures it,
        without filling the layout's cache."""
        return line.visual.get_height(line.styles, width)  # type: ignore[arg-type]

    @classmethod
    def _height_changed(cls, line: Static) -> bool:
        width = line.content_region.width
        if not width:
            return True  # not laid out yet: the next layout measures it anyway
        return cls._wrapped_height(line, width) != line.content_region.height

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
