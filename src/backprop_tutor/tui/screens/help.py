"""The help screen: every key, and how answers are read."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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


# What the mouse does: no binding says it.
CLICKS = (("click", "select a node in the graph, a path in the path panel"),)
KEY_GLYPHS = {"up": "↑", "down": "↓", "left": "←", "right": "→", "question_mark": "?"}
ARROWS = frozenset("↑↓←→")


def _key(binding: Binding) -> str:
    return binding.key_display or KEY_GLYPHS.get(binding.key, binding.key)


def help_rows(
    *sources: Iterable[BindingType] | Sequence[tuple[str, str]],
) -> list[tuple[str, str]]:
    """Rows of (keys, what they do) from bindings in order; a binding group is one row.

    A source may also give rows as they are, for what no binding covers (a click).
    """
    rows: list[tuple[str, str]] = []
    groups: dict[int, int] = {}  # id of a group → its row
    grouped: dict[int, list[str]] = {}
    for source in sources:
        for item in source:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], str):
                rows.append((str(item[0]), item[1]))
                continue
            if not isinstance(item, Binding):
                continue
            if item.group is None:
                rows.append((_key(item), item.tooltip or item.description))
                continue
            gid = id(item.group)
            grouped.setdefault(gid, []).append(_key(item))
            keys = grouped[gid]
            # Arrows read as a cluster ("← ↑ → ↓"); other keys as alternatives.
            sep = " " if all(k in ARROWS for k in keys) else " / "
            row = (sep.join(keys), item.group.description)
            if gid in groups:
                rows[groups[gid]] = row
            else:
                groups[gid] = len(rows)
                rows.append(row)
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists the keys; escape, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,q", "dismiss", "Close help", priority=True),
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
