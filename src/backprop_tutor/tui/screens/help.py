"""The help screen: every key, and how answers are read."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from backprop_tutor.quiz import TOLERANCE_RULE

ANSWERS = (
    "Type a number as a decimal (0.142857), a fraction (1/7) or arithmetic "
    "(2*(1/7 - 1)), then press Enter. " + TOLERANCE_RULE
)


class HelpScreen(ModalScreen[None]):
    """Lists the keys; escape, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark,q", "dismiss", "Close help", priority=True),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        """A table of keys and a paragraph on answers."""
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key, what in self.keys:
            table.add_row(key, what)
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Help: keys and answers"
            body.border_subtitle = "escape closes"
            yield Static(table)
            yield Static(Text("\n" + ANSWERS), id="help-answers")

    async def action_dismiss(self, result: None = None) -> None:
        """Close the help screen."""
        self.dismiss(None)
