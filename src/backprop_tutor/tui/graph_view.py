"""What the graph panel draws, as lines of (text, style name) runs; no Textual.

The widget maps style names to theme-aware styles. Node kinds carry a mark as well as
a colour, so the drawing reads without colour too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from backprop_tutor.engine import Graph, NodeKind, StepTrace, format_number

from .layout import Layout, Plan, Rect, layout_dag, least_size, plan

# Significant figures in a narrow drawing's boxes.
NARROW_FIGURES = 4
# Levels of detail, fullest first: -1 each gradient by its full name (∂J/∂u = ?), for
# a roomy terminal; 0 the usual boxes (∇ ?); 1 numbers to four significant figures;
# 2 that, and computed boxes without their formula line (the path panel still writes
# it); 3 that, and each parameter on one line.
LARGE = -1
LEVELS = range(LARGE, 4)
NEAR_LEVEL = 3  # how the neighbourhood drawing writes its boxes and chips

MARKS: dict[NodeKind, str] = {
    NodeKind.INPUT: "▷",
    NodeKind.CONSTANT: "■",
    NodeKind.PARAMETER: "◆",
    NodeKind.INTERMEDIATE: "●",
    NodeKind.OBJECTIVE: "★",
}
KINDS_LEGEND = "▷ input  ■ constant  ◆ parameter  ● intermediate  ★ objective"
# Shorter forms of the legend for narrower panels, longest first.
SHORT_LEGENDS = (
    "▷ input ■ constant ◆ parameter ● intermediate ★ objective",
    "▷ input ■ const ◆ param ● computed ★ objective",
    "▷ in ■ const ◆ param ● computed ★ obj",
    "",
)

Run = tuple[str, str]  # text and a style name ("" for the default style)


@dataclass(frozen=True)
class GraphState:
    """Everything the drawing depends on besides the graph itself."""

    values: frozenset[str]
    grads: frozenset[str]
    updated: frozenset[str]
    selected: str | None
    current: str | None
    path: tuple[str, ...]  # nodes of the highlighted path, objective first


def legend(graph: Graph, width: int | None = None) -> str:
    """What the marks mean, and ∇ as the derivative of the lesson's own objective.

    Given a `width`, the longest form that fits in it (the ∇ part always stays).
    """
    grad = f"∇ = ∂{graph.objective_label}/∂node"
    for kinds, gap in ((KINDS_LEGEND, "  "), *((k, " ") for k in SHORT_LEGENDS)):
        text = f"{kinds}{gap}{grad}" if kinds else grad
        if width is None or len(text) <= width:
            return text
    return grad


def kind_style(kind: NodeKind) -> str:
    """The style name of a node kind."""
    return f"kind-{kind.value}"


class GraphView:
    """A graph and one step's numbers, laid out once and drawn for any state."""

    def __init__(self, graph: Graph, trace: StepTrace) -> None:
        self.graph = graph
        self.trace = trace
        self.nodes = tuple(n.name for n in graph.nodes)
        self.edges = tuple((op, n.name) for n in graph.nodes for op in graph.operands(n.name))
        self._grad_mark = {n: self._short_grad(n) for n in self.nodes}
        self.level = 0  # one of LEVELS
        self._plan: Plan | None = None
        self._layouts: dict[int, Layout] = {}
        self._sizes: dict[int, dict[str, tuple[int, int]]] = {}
        # The level that fits each size asked about (None: none does), so a resize back
        # to a size seen before, or to the same size, lays nothing out again.
        self._fitting: dict[tuple[int, int], int | None] = {}
        self.room: tuple[int, int] | None = None  # the size the last `fits` was asked about
        self._near: dict[str, Layout] = {}

    @property
    def narrow(self) -> bool:
        """Whether the boxes write their numbers with four significant figures."""
        return self.level >= 1

    @property
    def slim(self) -> bool:
        """Whether computed boxes leave out their formula line to fit."""
        return self.level >= 2

    @property
    def layout(self) -> Layout:
        """The drawing's layout at the level chosen by the last `fits`."""
        return self.layout_at(self.level)

    def layout_for(self, *, narrow: bool) -> Layout:
        """The usual layout, or the one with numbers written with four significant figures."""
        return self.layout_at(1 if narrow else 0)

    def layout_at(self, level: int) -> Layout:
        """The layout with boxes sized as `level` draws them (computed once)."""
        if level not in self._layouts:
            self._layouts[level] = layout_dag(
                self.nodes, self.edges, self._sizes_at(level), self._planned()
            )
        return self._layouts[level]

    def _planned(self) -> Plan:
        """The graph's layers and their order, shared by every level (made once)."""
        if self._plan is None:
            self._plan = plan(self.nodes, self.edges)
        return self._plan

    def _sizes_at(self, level: int) -> dict[str, tuple[int, int]]:
        """Every node's box at `level` (computed once)."""
        if level not in self._sizes:
            with self._at(level):
                self._sizes[level] = {n: self._size(n) for n in self.nodes}
        return self._sizes[level]

    def _fits_at(self, level: int, width: int, height: int) -> bool:
        """Whether the drawing at `level` fits, laying it out only if it might."""
        least_w, least_h = least_size(self._planned(), self._sizes_at(level))
        if least_w > width or least_h > height:
            return False
        lay = self.layout_at(level)
        return lay.width <= width and lay.height <= height

    def _num(self, value: float) -> str:
        """A computed number as the boxes show it (four significant figures when narrow)."""
        # Narrow boxes have no room for six figures: four keep the drawing a drawing.
        return format_number(value, significant=NARROW_FIGURES if self.narrow else 6)

    def _short_grad(self, name: str) -> str:
        label = self.graph.gradient_label(name)
        # A named gradient (δ) is short enough to stand in the box; others get ∇.
        return label if len(label) <= 2 else "∇"

    def _leaf(self, name: str) -> bool:
        return self.graph.node(name).is_leaf

    def _lines(self, name: str, state: GraphState | None) -> list[str]:
        """A node's text lines; with `state` None, the widest lines it can ever have."""
        g, t = self.graph, self.trace
        kind = g.node(name).kind
        mark, label = MARKS[kind], g.label(name)
        show_v = state is None or name in state.values
        show_g = state is None or name in state.grads
        given = kind in (NodeKind.CONSTANT, NodeKind.INPUT)
        # Numbers the lesson gives are shown as written (λ = 0.1), computed ones to 6 places.
        shown = format_number(t.values[name]) if given else self._num(t.values[name])
        value = shown if show_v else "?"
        mark_g = f"{g.gradient_prompt(name)} =" if self.level == LARGE else self._grad_mark[name]
        grad = f"{mark_g} {self._num(t.grads[name]) if show_g else '?'}"
        if self._leaf(name):
            head = f"{mark} {label} = {value}"
            if kind is NodeKind.PARAMETER:
                # Once updated, the chip shows the new value (← marks it); the old one
                # stays in the path panel's update line.
                after = f"{mark} {label} ← {self._num(t.params_after[name])}"
                if state is None:
                    head = max(head, after, key=len)
                elif name in state.updated:
                    head = after
                # The smallest drawing writes a parameter's gradient on its one line.
                return [f"{head}  {grad}"] if self.level >= 3 else [head, f"  {grad}"]
            return [head]
        if self.slim:
            return [f"{mark} {label}", f"= {value}", grad]
        return [f"{mark} {label}", g.expression_text(name), f"= {value}", grad]

    def _size(self, name: str) -> tuple[int, int]:
        lines = self._lines(name, None)
        if self._leaf(name):
            # One blank cell keeps the outgoing line off the text.
            return max(len(s) for s in lines) + 1, len(lines)
        # Title sits in the top border: "╭─ ● u ─╮" needs 5 more cells than the title.
        inner = max(len(lines[0]) + 3, *(len(s) for s in lines[1:]))
        return inner + 2, len(lines) + 1

    def fits(self, width: int, height: int) -> bool:
        """Whether the full drawing fits in width × height cells (narrow if need be).

        Picks the usual drawing when it fits, else the one whose boxes write their
        numbers to four significant figures (fewer cells), else that one with computed
        boxes one line shorter and only as wide as their numbers, else that one with
        each parameter on one line (fewer rows, more columns).
        """
        size = self.room = (width, height)
        if size not in self._fitting:
            fitting = (lv for lv in LEVELS if self._fits_at(lv, width, height))
            self._fitting[size] = next(fitting, None)
        level = self._fitting[size]
        self.level = 0 if level is None else level
        return level is not None

    # --- the selected node's neighbourhood, when the whole graph does not fit ----------
    def _near_layout(self, name: str) -> Layout:
        """`name` with its operands left and its consumers right, each a one-line chip."""
        if name not in self._near:
            ops, users = self.graph.operands(name), self.graph.consumers(name)
            edges = [(o, name) for o in ops] + [(name, u) for u in users]
            with self._at(NEAR_LEVEL):
                sizes = {n: (len(self._chip(n, None)) + (n in ops), 1) for n in (*ops, *users)}
                sizes[name] = self._size(name)
            # Chips stacked with no blank row between: a node of five operands fits 80×24.
            self._near[name] = layout_dag([*ops, name, *users], edges, sizes, tight=True)
        return self._near[name]

    def near_layout(self, name: str | None) -> Layout | None:
        """The layout of `name`'s neighbourhood (None: the objective's), if the full
        drawing does not fit the room but that does."""
        if self.room is None or self._fitting.get(self.room) is not None:
            return None
        lay = self._near_layout(name or self.graph.objective)
        return lay if lay.width <= self.room[0] and lay.height <= self.room[1] else None

    def small(self, state: GraphState) -> list[list[Run]]:
        """The selected node's neighbourhood if it fits the room, else the compact list."""
        name = state.selected or self.graph.objective
        lay = self.near_layout(name)
        if lay is None:
            return self.compact(state)
        with self._at(NEAR_LEVEL):
            return self._paint(lay, state, lambda n, r: n == name)

    def _chip(self, name: str, state: GraphState | None) -> str:
        """A node on one line: "● h = 4  ∇ ?" (a leaf's one line at NEAR_LEVEL)."""
        lines = self._lines(name, state)
        return lines[0] if len(lines) == 1 else f"{lines[0]} {lines[1]}  {lines[2]}"

    @contextmanager
    def _at(self, level: int) -> Iterator[None]:
        """Size and write boxes as `level` does, for a moment."""
        was, self.level = self.level, level
        try:
            yield
        finally:
            self.level = was

    def draw(self, state: GraphState) -> list[list[Run]]:
        """The drawing as lines of runs."""
        return self._paint(self.layout, state, lambda n, r: True)

    def _paint(
        self, lay: Layout, state: GraphState, boxed: Callable[[str, Rect], bool]
    ) -> list[list[Run]]:
        """A layout's lines and nodes as runs: a box where `boxed`, else a one-line chip."""
        chars = [[" "] * lay.width for _ in range(lay.height)]
        styles = [[""] * lay.width for _ in range(lay.height)]
        hot_edges = {(state.path[i + 1], state.path[i]) for i in range(len(state.path) - 1)}
        for (x, y), ch in lay.glyphs.items():
            chars[y][x] = ch
            styles[y][x] = "edge"
        for edge in hot_edges:
            for x, y in lay.edge_cells.get(edge, ()):
                styles[y][x] = "edge-path"
        for name, rect in lay.rects.items():
            if boxed(name, rect):
                self._draw_node(name, rect.x, rect.y, rect.w, rect.h, state, chars, styles)
                continue
            chip = self._chip(name, state)
            for i, ch in enumerate(chip):
                chars[rect.y][rect.x + i] = ch
                styles[rect.y][rect.x + i] = self._frame(name, state)
            if (rect.x + rect.w, rect.y) in lay.glyphs:
                # A line leaves this chip: it starts right after the text, as a leaf's does.
                for x in range(rect.x + len(chip) + 1, rect.x + rect.w):
                    chars[rect.y][x], styles[rect.y][x] = "─", "edge"
        return [_runs(chars[y], styles[y]) for y in range(lay.height)]

    def _frame(self, name: str, state: GraphState) -> str:
        """The style of a node's frame: selected, on the path, current, or its kind's."""
        if name == state.selected:
            return "selected"
        if name in state.path:
            return "on-path"
        if name == state.current:
            return "current"
        return kind_style(self.graph.node(name).kind)

    def _draw_node(
        self,
        name: str,
        x0: int,
        y0: int,
        w: int,
        h: int,
        state: GraphState,
        chars: list[list[str]],
        styles: list[list[str]],
    ) -> None:
        frame = self._frame(name, state)
        lines = self._lines(name, state)

        def put(x: int, y: int, text: str, style: str) -> None:
            for i, ch in enumerate(text):
                chars[y][x + i] = ch
                styles[y][x + i] = style

        if self._leaf(name):
            for dy, line in enumerate(lines):
                put(x0, y0 + dy, line, frame if dy == 0 else _num_style(line))
            # The outgoing line starts right after the text, however short it is.
            lead = len(lines[0]) + 1
            put(x0 + lead, y0, "─" * (w - lead), "edge-path" if name in state.path else "edge")
            return
        title = f" {lines[0]} "
        put(x0, y0, "╭─" + title + "─" * (w - 3 - len(title)) + "╮", frame)
        # A box given extra rows for its outgoing lines (layout._exit_rows) is blank there.
        for dy, line in enumerate([*lines[1:], *[""] * (h - 1 - len(lines))], start=1):
            put(x0, y0 + dy, "│", frame)
            expr = dy == 1 and not self.slim
            put(x0 + 1, y0 + dy, line.ljust(w - 2), "expr" if expr else _num_style(line))
            put(x0 + w - 1, y0 + dy, "│", frame)
        put(x0, y0 + h - 1, "╰" + "─" * (w - 2) + "╯", frame)

    def _columns(self, name: str, state: GraphState | None) -> tuple[str, str, str]:
        """A node's value ("= 2", "← 0.955015"), gradient ("∇ ?") and expression."""
        lines = self._lines(name, state)
        if self._leaf(name):
            label = self.graph.label(name)
            value = lines[0][len(MARKS[self.graph.node(name).kind]) + len(label) + 2 :]
            grad = lines[1].strip() if len(lines) > 1 else ""
            return value, grad, ""
        return lines[2], lines[3], lines[1]

    @property
    def compact_order(self) -> list[str]:
        """The nodes in the compact list's order: the leaves, then the computed nodes."""
        return [n for n in self.nodes if self._leaf(n)] + list(self.graph.computed)

    def compact(self, state: GraphState) -> list[list[Run]]:
        """One line per node, in aligned columns, for terminals too small for the drawing."""
        rows: list[list[Run]] = []
        names = self.compact_order
        width = max(len(self.graph.label(n)) for n in names)
        # Column widths from the widest numbers a node can show, so nothing jumps.
        widest = [self._columns(n, None) for n in names]
        value_w = max(len(c[0]) for c in widest)
        grad_w = max(len(c[1]) for c in widest)
        for name in names:
            kind = self.graph.node(name).kind
            value, grad, expr = self._columns(name, state)
            pointer = "▸ " if name == state.current else "  "
            style = "selected" if name == state.selected else kind_style(kind)
            head = f"{MARKS[kind]} {self.graph.label(name).ljust(width)}"
            row: list[Run] = [(pointer, "current"), (head, style)]
            row.append((f"  {value.ljust(value_w)}", _num_style(value)))
            row.append((f"  {grad.ljust(grad_w)}", _num_style(grad) if grad else ""))
            if expr:
                row.append((f"  {expr}", "expr"))
            rows.append(row)
        return rows

    def compact_row_of(self, name: str) -> int:
        """The line of a node in the compact list."""
        return self.compact_order.index(name)

    def compact_node_at(self, row: int) -> str | None:
        """The node drawn on a line of the compact list."""
        names = self.compact_order
        return names[row] if 0 <= row < len(names) else None


def _num_style(line: str) -> str:
    return "unknown" if line.rstrip().endswith("?") else "number"


def _runs(chars: list[str], styles: list[str]) -> list[Run]:
    """Merge neighbouring cells of one style into runs."""
    runs: list[Run] = []
    for ch, st in zip(chars, styles, strict=True):
        if runs and runs[-1][1] == st:
            runs[-1] = (runs[-1][0] + ch, st)
        else:
            runs.append((ch, st))
    return runs


def neighbours(layout: Layout, name: str, direction: str) -> str | None:
    """The node next to `name` in the drawing: up/down in its layer, left/right by layer."""
    layers = layout.layers
    k = next(i for i, lay in enumerate(layers) if name in lay)
    i = layers[k].index(name)
    if direction in ("up", "down"):
        j = i + (1 if direction == "down" else -1)
        return layers[k][j] if 0 <= j < len(layers[k]) else None
    k2 = k + (1 if direction == "right" else -1)
    while 0 <= k2 < len(layers) and not layers[k2]:
        k2 += 1 if direction == "right" else -1
    if not 0 <= k2 < len(layers):
        return None
    row = layout.rects[name].port_row
    return min(layers[k2], key=lambda n: abs(layout.rects[n].port_row - row))
