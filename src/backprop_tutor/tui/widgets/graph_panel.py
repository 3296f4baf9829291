"""The graph panel: the lesson's DAG, a node selectable by key or click, paths picked on it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.reactive import reactive

from ..graph_view import GraphState, GraphView, legend, neighbours
from .graph_canvas import GraphCanvas

if TYPE_CHECKING:
    from ..path_pick import Picked
    from ..state import TutorState

MOVE_KEYS = Binding.Group("move the selected node in the graph panel")
# The keys that pick a path, offered only while a paths question is open.
PICK_ACTIONS = frozenset({"mark", "add_path", "take_back"})


class GraphPanel(ScrollableContainer, can_focus=True):
    """Shows the graph; arrows move the selection, a click selects a node."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move('left')", "Node left", show=False, group=MOVE_KEYS),
        Binding("up", "move('up')", "Node up", show=False, group=MOVE_KEYS),
        Binding("right", "move('right')", "Node right", show=False, group=MOVE_KEYS),
        Binding("down", "move('down')", "Node down", show=False, group=MOVE_KEYS),
        Binding(
            "space",
            "mark",
            "Mark node",
            tooltip="Paths question: mark the selected node onto the path being picked",
        ),
        Binding(
            "backspace",
            "take_back",
            "Take back",
            tooltip="Paths question: take the last marked node back",
        ),
        Binding(
            "enter",
            "add_path",
            "Add path",
            tooltip="Paths question: add the picked path to the answer",
        ),
    ]

    state: reactive[GraphState | None] = reactive(None)
    compact: reactive[bool] = reactive(False)

    @dataclass
    class NodeSelected(Message):
        """The learner picked a node in the graph."""

        name: str

    def __init__(
        self,
        view: GraphView,
        id: str | None = None,
        *,
        tutor: TutorState | None = None,
        picked: Callable[[Picked], None] | None = None,
    ) -> None:
        """With `tutor`, the selection is the tutor's and paths can be picked (told to `picked`)."""
        super().__init__(id=id)
        self.view = view
        self.tutor = tutor
        self._picked = picked
        self.border_title = "Graph"
        self.border_subtitle = legend(view.graph)

    def compose(self) -> ComposeResult:
        """The canvas, following this panel's state."""
        yield GraphCanvas(self.view).data_bind(GraphPanel.state, GraphPanel.compact)

    @property
    def canvas(self) -> GraphCanvas:
        """The drawing inside the panel."""
        return self.query_one(GraphCanvas)

    def set_view(self, view: GraphView) -> None:
        """Show another step of the lesson."""
        self.view = view
        self.canvas.set_view(view)

    def fit(self, width: int, height: int) -> None:
        """Draw the full graph if it fits in width × height, else the selected node's
        neighbourhood if that fits, else the compact list."""
        level = self.view.level
        # The border keeps two cells each side of the legend.
        self.border_subtitle = legend(self.view.graph, width - 2)
        room = self.view.room
        self.compact = not self.view.fits(width, height)
        if self.view.level != level or (self.compact and self.view.room != room):
            # Another level, or (small) another room that the neighbourhood may now fit.
            self.canvas.refresh(layout=True)
        self.watch_state(self.state)

    def watch_compact(self, compact: bool) -> None:
        """Let the stylesheet give the compact list less room."""
        self.set_class(compact, "-compact")

    def watch_state(self, state: GraphState | None) -> None:
        """Keep the selected node in view in the compact list; name the neighbourhood's node."""
        near = self.view.near_layout(state.selected) if self.compact and state else None
        if near is not None and state is not None:
            name = state.selected or self.view.graph.objective
            self.border_title = f"Graph around {self.view.graph.label(name)}"
        else:
            self.border_title = "Graph"
        if state is None or state.selected is None or not self.compact or near is not None:
            return
        row = self.view.compact_row_of(state.selected)
        self.scroll_to(y=max(0, row - 2), animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The picking keys only while a paths question is open (else not in the footer)."""
        if action in PICK_ACTIONS:
            return self._picking()
        return True

    def _picking(self) -> bool:
        """Whether a paths question is open to pick for (not yet solved or shown)."""
        tutor = self.tutor
        if tutor is None or tutor.pick.question is None:
            return False
        return not tutor.finished(tutor.pick.question)

    def action_mark(self) -> None:
        """Mark the selected node onto the path being picked."""
        if self.tutor is not None:
            self._tell(self.tutor.pick.mark(self.tutor.selected))

    def action_take_back(self) -> None:
        """Take the last marked node back."""
        if self.tutor is not None:
            self._tell(self.tutor.pick.take_back())

    def action_add_path(self) -> None:
        """Add the picked path to the answer."""
        if self.tutor is not None:
            self._tell(self.tutor.pick.add())

    def _tell(self, picked: Picked) -> None:
        if self._picked is not None:
            self._picked(picked)

    def action_move(self, direction: str) -> None:
        """Select the neighbouring node in the drawing (or the list)."""
        state = self.state
        if state is None:
            return
        # The tutor's selection is the live one (the drawing's follows it after a paint).
        live = self.tutor.selected if self.tutor is not None else state.selected
        current = live or self.view.graph.objective
        near = self.view.near_layout(current) if self.compact else None
        if near is not None:
            target = neighbours(near, current, direction)
        elif self.compact:
            step = {"up": -1, "down": 1}.get(direction, 0)
            target = self.view.compact_node_at(self.view.compact_row_of(current) + step)
        else:
            target = neighbours(self.view.layout, current, direction)
        if target is None:
            return
        if self.tutor is not None:
            # Now, not by a message: in a burst (Right, Space) Space marks the node moved to.
            self.tutor.selected = target
        else:
            self.post_message(self.NodeSelected(target))

    @on(GraphCanvas.Clicked)
    def _clicked(self, event: GraphCanvas.Clicked) -> None:
        """Turn a click on the canvas into a selection."""
        event.stop()
        self.focus()
        self.post_message(self.NodeSelected(event.name))
