"""The end of a step or of the lesson, written under the quiz's last row."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from backprop_tutor.quiz import LessonEnd, StepEnd


def ending_text(end: StepEnd, lesson: LessonEnd | None, open_steps: tuple[int, ...]) -> Text:
    """The step's end, what the keys do next, and the lesson's end once every step is done."""
    text = Text()
    lines = list(end.lines)
    text.append(lines[0], style="bold")
    for line in lines[1:-1]:
        text.append(f"\n{line}")
    if end.last:
        text.append(f"\n{lines[-1]}")
        earlier = [s for s in open_steps if s != end.step]
        if earlier:
            which = ", ".join(str(s) for s in earlier)
            word = "Step" if len(earlier) == 1 else "Steps"
            text.append(f"\n{word} {which} still {'has' if len(earlier) == 1 else 'have'} ")
            text.append("open questions: F7 goes back.")
    else:
        text.append(f"\n{lines[-1]} ")
        text.append(f"Press F8 for step {end.step + 1}.", style="bold")
    if lesson is not None:
        text.append("\n\n")
        out = list(lesson.lines)
        text.append(out[0], style="bold")
        for line in out[1:-1]:
            text.append(f"\n{line}")
        if lesson.next_lesson is None:
            text.append(f"\n{out[-1]}")
        else:
            nxt = lesson.next_lesson
            text.append(f"\nNext lesson: {nxt.title}. ")
            text.append("Press Enter here to open it", style="bold")
            text.append(f" (or ctrl+p, Switch lesson: {nxt.name}).")
    return text


class Ending(Static, can_focus=True):
    """A step's end (and the lesson's, after the last): focusable, so Enter opens what is next."""

    DEFAULT_CSS = """
    Ending {
        height: auto;
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: thick $success;
        color: $foreground;
    }
    Ending:focus {
        border-left: thick $accent;
        background: $boost;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_next", "Next lesson", show=False),
    ]

    def __init__(
        self,
        end: StepEnd,
        lesson: LessonEnd | None,
        open_steps: tuple[int, ...],
        id: str | None = None,
    ) -> None:
        super().__init__(ending_text(end, lesson, open_steps), id=id)
        self.end = end
        self.lesson = lesson

    @property
    def plain(self) -> str:
        """The ending as plain text (what a test reads)."""
        return str(self.render())

    def action_open_next(self) -> None:
        """Open the next lesson, where the lesson is done and there is one."""
        nxt = self.lesson.next_lesson if self.lesson is not None else None
        if nxt is not None:
            open_lesson = getattr(self.app, "open_lesson", None)
            if callable(open_lesson):
                open_lesson(nxt.name)
