"""The dialog for a progress file that cannot be used: move it aside, or leave everything."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from backprop_tutor.study.progress import UnreadableProgress


class CorruptProgressDialog(ModalScreen[bool]):
    """Asks before a damaged or newer progress file is moved aside; True means move it."""

    DEFAULT_CSS = """
    CorruptProgressDialog { align: center middle; }
    #corrupt-body {
        width: 76;
        height: auto;
        border: round $error;
        border-title-color: $text-error;
        background: $surface;
        padding: 1 2;
    }
    #corrupt-body Static { margin-bottom: 1; }
    #corrupt-buttons { height: auto; align-horizontal: right; }
    #corrupt-buttons Button { margin-left: 2; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave it, quit"),
    ]

    def __init__(self, problem: UnreadableProgress) -> None:
        """The problem the store reported."""
        super().__init__()
        self.problem = problem

    def compose(self) -> ComposeResult:
        """What is wrong, what moving aside does, and the two choices."""
        problem = self.problem
        what = (
            "It was written by a newer version of backprop-tutor."
            if problem.newer
            else "It is damaged and cannot be read."
        )
        with Vertical(id="corrupt-body") as body:
            body.border_title = "Your progress file cannot be used"
            yield Static(f"{problem.path}\n{what}", id="corrupt-what")
            yield Static(f"Details: {problem.reason}.", id="corrupt-reason")
            yield Static(
                "Moving it aside renames it (nothing is deleted) and starts a fresh progress"
                " file. Leaving it quits and changes nothing.",
                id="corrupt-choice",
            )
            with Horizontal(id="corrupt-buttons"):
                yield Button("Leave it and quit", id="corrupt-leave")
                yield Button("Move it aside, start afresh", id="corrupt-move", variant="error")

    def on_mount(self) -> None:
        """The safe choice has focus."""
        self.query_one("#corrupt-leave", Button).focus()

    @on(Button.Pressed, "#corrupt-move")
    def _move(self) -> None:
        """The learner agreed to move the file aside."""
        self.dismiss(True)

    @on(Button.Pressed, "#corrupt-leave")
    def _leave(self) -> None:
        """The learner wants nothing changed."""
        self.dismiss(False)

    def action_leave(self) -> None:
        """Escape: nothing changed."""
        self.dismiss(False)
