"""The collapsible lesson-text panel: what this stage is about."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Collapsible, Static


class LessonText(Collapsible):
    """A short text about the current stage, and the step's note when there is one."""

    def __init__(self, id: str | None = None) -> None:
        super().__init__(Static(id="lesson-body"), title="About this stage", collapsed=False, id=id)
        self._text: Text | None = None

    @property
    def body(self) -> Static:
        """The text itself."""
        return self.query_one("#lesson-body", Static)

    def say(self, title: str, body: str, note: str | None) -> None:
        """Show a stage's text, with the step note in bold below it."""
        self.title = f"{title}  (ctrl+t)"
        text = Text(body)
        if note:
            text.append("\n")
            text.append(note, style="bold")
        if text != self._text:  # the same text again (after an answer) repaints nothing
            self._text = text
            self.body.update(text)
