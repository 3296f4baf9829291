"""The drawing of the graph (or its compact list): text with theme-aware styles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from ..graph_view import GraphState, GraphView, Run

STYLE_NAMES = (
    "edge",
    "edge-path",
    "selected",
    "on-path",
    "current",
    "expr",
    "number",
    "unknown",
    "kind-input",
    "kind-constant",
    "kind-parameter",
    "kind-intermediate",
    "kind-objective",
)


class GraphCanvas(Widget):
    """Draws a `GraphView` for a `GraphState`; a click on a node posts `Clicked`."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"graph--{name}" for name in STYLE_NAMES}

    # A new state redraws in place: every box is sized for its widest numbers up front,
    # so only the compact switch and a new step (set_view) change the canvas's size.
    state: reactive[GraphState | None] = reactive(None)
    compact: reactive[bool] = reactive(False, layout=True)

    @dataclass
    class Clicked(Message):
        """The learner clicked on a node."""

        name: str

    def __init__(self, view: GraphView, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view = view
        # The drawing, made once for what it depends on (view, narrow, compact, state)
        # and cleared by the watchers, as DataTable caches its rows; width and height
        # and render all read it, three times a frame.
        self._drawn: list[list[Run]] | None = None
        self._drawn_for: tuple[object, ...] | None = None

    def set_view(self, view: GraphView) -> None:
        """Draw another step's numbers (the layout may change with them)."""
        self.view = view
        self.clear_cache()
        self.refresh(layout=True)

    def clear_cache(self) -> None:
        """Forget the drawing, so the next read makes it again."""
        self._drawn = None

    def watch_state(self) -> None:
        """A new state is a new drawing (in a small panel, maybe another node's neighbourhood)."""
        self.clear_cache()
        if self.compact:
            self.refresh(layout=True)

    def watch_compact(self) -> None:
        """The compact list is another drawing."""
        self.clear_cache()

    def _lines(self) -> list[list[Run]]:
        if self.state is None:
            return []
        # The view may switch to its narrow numbers on a resize (GraphView.fits).
        key = (self.view, self.view.level, self.view.room, self.compact, self.state)
        if self._drawn is None or self._drawn_for != key:
            view, state = self.view, self.state
            self._drawn = view.small(state) if self.compact else view.draw(state)
            self._drawn_for = key
        return self._drawn

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """As wide as the drawing."""
        lines = self._lines()
        return max((sum(len(t) for t, _ in line) for line in lines), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as the drawing."""
        return len(self._lines())

    def render(self) -> Text:
        """The drawing, each run styled from the stylesheet."""
        text = Text(no_wrap=True, overflow="crop")
        cache: dict[str, object] = {}
        for i, line in enumerate(self._lines()):
            if i:
                text.append("\n")
            for chunk, name in line:
                if not name:
                    text.append(chunk)
                    continue
                if name not in cache:
                    cache[name] = self.get_component_rich_style(f"graph--{name}", partial=True)
                text.append(chunk, style=cache[name])  # type: ignore[arg-type]
        return text

    def on_click(self, event: events.Click) -> None:
        """Select the node under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        near = self.view.near_layout(self.state.selected) if self.state else None
        if not self.compact:
            name = self.view.layout.node_at(offset.x, offset.y)
        elif near is not None:
            name = near.node_at(offset.x, offset.y)
        else:
            name = self.view.compact_node_at(offset.y)
        if name is not None:
            self.post_message(self.Clicked(name))
