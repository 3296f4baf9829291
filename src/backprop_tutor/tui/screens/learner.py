"""The first screen of a classroom session: who is learning? One checked name, one folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from backprop_tutor.study.learners import (
    RULE,
    Learner,
    LearnerFolderError,
    RefusedName,
    open_learner,
)


class LearnerScreen(Screen[None]):
    """Asks for the learner's name; a refused name is explained and stays to be fixed."""

    DEFAULT_CSS = """
    LearnerScreen { align: center middle; }
    #learner-body {
        width: 64;
        max-width: 100%;
        height: auto;
        border: round $accent;
        border-title-color: $text-accent;
        background: $surface;
        padding: 1 2;
    }
    #learner-body Static { margin-bottom: 1; }
    #learner-body #learner-message { color: $text-error; margin-bottom: 0; }
    """

    @dataclass
    class Chosen(Message):
        """A name was accepted and its folder is ready."""

        learner: Learner

    def __init__(self, data_dir: Path) -> None:
        """The data folder the learners' folders are made in."""
        super().__init__()
        self.data_dir = data_dir

    def compose(self) -> ComposeResult:
        """The question, the rule for names, the input and the line for a refusal."""
        with Vertical(id="learner-body") as body:
            body.border_title = "backprop-tutor"
            yield Static(
                "Who is learning? Type your name and press Enter. Your work is kept"
                " under it: type the same name next time to carry on where you left off.",
                id="learner-question",
            )
            yield Static(f"A name is {RULE}.", id="learner-rule")
            # No length cap on the input: a name too long is refused with its length, not cut.
            yield Input(placeholder="your name", id="learner-name")
            yield Static("", id="learner-message")

    def on_mount(self) -> None:
        """The name box has the focus before the screen is first drawn."""
        # Not AUTO_FOCUS: Textual applies it only once the app has focus, which in a browser
        # waits for the page's focus event; the browser test's typed names were lost to it.
        self.query_one("#learner-name", Input).focus()

    @on(Input.Submitted, "#learner-name")
    def _submitted(self, event: Input.Submitted) -> None:
        """Accept the name and open its folder, or say why not and keep what was typed."""
        try:
            learner = open_learner(self.data_dir, event.value)
        except (RefusedName, LearnerFolderError) as problem:
            self.query_one("#learner-message", Static).update(str(problem))
            return
        self.post_message(self.Chosen(learner))
