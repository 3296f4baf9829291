"""Layered DAG layout on a character canvas (Sugiyama style), with no Textual import.

The graph flows left to right: sources (nodes with no operands) sit in layer 0 and every
other node one layer right of its furthest operand. Edges spanning several layers pass
through one-row `Waypoint` slots (one per layer crossed), so that crossing reduction
and routing only ever deal with neighbouring layers. Routing happens in the channel
between two layer columns: every target gets its own vertical track, its incoming lines
join there and run into it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

# Direction bits of a line through a cell.
N, E, S, W = 1, 2, 4, 8

GLYPHS: dict[int, str] = {
    N: "│",
    S: "│",
    N | S: "│",
    E: "─",
    W: "─",
    E | W: "─",
    S | E: "╭",
    S | W: "╮",
    N | E: "╰",
    N | W: "╯",
    N | S | E: "├",
    N | S | W: "┤",
    E | W | S: "┬",
    E | W | N: "┴",
    N | E | S | W: "┼",
}
ARROW = "▶"
CROSSING = "┼"  # two unrelated lines crossing; never a four-way join
JOIN = "╋"  # lines from above, below and the left joining into one line to the right

Edge = tuple[str, str]
Cell = tuple[int, int]


@dataclass(frozen=True)
class Rect:
    """A box on the canvas: left column, top row, width and height in cells."""

    x: int
    y: int
    w: int
    h: int
    port: int | None = None  # the port's row in the box, if not its middle row

    @property
    def port_row(self) -> int:
        """Row where edges leave and enter the box (its middle row, the upper of two)."""
        return self.y + ((self.h - 1) // 2 if self.port is None else self.port)

    def contains(self, x: int, y: int) -> bool:
        """Whether the cell (x, y) lies inside the box."""
        return self.x <= x < self.x + self.w and self.y <= y < self.y + self.h


@dataclass
class Layout:
    """Where every box goes and which cells draw every edge."""

    width: int
    height: int
    rects: dict[str, Rect]
    layers: list[list[str]]
    glyphs: dict[Cell, str] = field(default_factory=dict)
    edge_cells: dict[Edge, tuple[Cell, ...]] = field(default_factory=dict)

    def node_at(self, x: int, y: int) -> str | None:
        """The node whose box covers the cell (x, y), if any."""
        for name, rect in self.rects.items():
            if rect.contains(x, y):
                return name
        return None


def assign_layers(nodes: Sequence[str], edges: Sequence[Edge]) -> dict[str, int]:
    """Layer of each node: 0 for sources, else one more than its furthest operand."""
    preds: dict[str, list[str]] = {n: [] for n in nodes}
    for src, dst in edges:
        preds[dst].append(src)
    layer: dict[str, int] = {}
    # Iterative DFS so deep chains don't hit the recursion limit.
    for root in nodes:
        if root in layer:
            continue
        stack: list[tuple[str, bool]] = [(root, False)]
        on_stack: set[str] = set()
        while stack:
            name, expanded = stack.pop()
            if name in layer:
                continue
            if expanded:
                on_stack.discard(name)
                layer[name] = 1 + max((layer[p] for p in preds[name]), default=-1)
                continue
            if name in on_stack:
                raise ValueError(f"cycle through {name!r}")
            on_stack.add(name)
            stack.append((name, True))
            stack.extend((p, False) for p in reversed(preds[name]) if p not in layer)
    return layer


def _leaves_beside_consumers(layer: dict[str, int], edges: Sequence[Edge]) -> dict[str, int]:
    """Move each leaf feeding a single node into the column just before that node.

    Its line is then one hop long, drawn beside the node it feeds, instead of a wire
    from the far-left column; leaves feeding several nodes stay where they are.
    """
    consumers: dict[str, set[str]] = {}
    has_operands = {dst for _, dst in edges}
    for src, dst in edges:
        consumers.setdefault(src, set()).add(dst)
    moved = dict(layer)
    for name, users in consumers.items():
        if name not in has_operands:
            moved[name] = min(layer[u] for u in users) - 1
    return moved


@dataclass(frozen=True)
class Waypoint:
    """Where an edge spanning several layers crosses layer `layer`: a slot, not a node."""

    edge: Edge
    layer: int


# A place in a layer: a node (by name) or an edge's waypoint.
Slot = str | Waypoint


@dataclass(frozen=True)
class _Segment:
    """One hop between neighbouring layers, part of an original edge."""

    src: Slot
    dst: Slot
    edge: Edge


def _split_edges(
    nodes: Sequence[str], edges: Sequence[Edge], layer: dict[str, int]
) -> tuple[list[list[Slot]], list[_Segment]]:
    """Layers as ordered lists (waypoints included) and the one-layer segments."""
    depth = max(layer.values(), default=0)
    layers: list[list[Slot]] = [[] for _ in range(depth + 1)]
    for n in nodes:
        layers[layer[n]].append(n)
    segments: list[_Segment] = []
    for edge in edges:
        src, dst = edge
        prev: Slot = src
        for k in range(layer[src] + 1, layer[dst]):
            d = Waypoint(edge, k)
            layers[k].append(d)
            segments.append(_Segment(prev, d, edge))
            prev = d
        segments.append(_Segment(prev, dst, edge))
    return layers, segments


def count_crossings(layers: list[list[Slot]], segments: Sequence[_Segment]) -> int:
    """Number of segment crossings between every pair of neighbouring layers."""
    pos = {n: i for lay in layers for i, n in enumerate(lay)}
    by_layer: dict[int, list[tuple[int, int]]] = {}
    index = {n: k for k, lay in enumerate(layers) for n in lay}
    for s in segments:
        by_layer.setdefault(index[s.src], []).append((pos[s.src], pos[s.dst]))
    total = 0
    for pairs in by_layer.values():
        for i, (a1, b1) in enumerate(pairs):
            for a2, b2 in pairs[i + 1 :]:
                if (a1 - a2) * (b1 - b2) < 0:
                    total += 1
    return total


def order_layers(
    layers: list[list[Slot]], segments: Sequence[_Segment], sweeps: int = 6
) -> list[list[Slot]]:
    """Reorder each layer by the barycentre of its neighbours, keeping the best found."""
    preds: dict[Slot, list[Slot]] = {}
    succs: dict[Slot, list[Slot]] = {}
    for s in segments:
        preds.setdefault(s.dst, []).append(s.src)
        succs.setdefault(s.src, []).append(s.dst)
    current = [list(lay) for lay in layers]
    best = [list(lay) for lay in current]
    best_score = count_crossings(best, segments)

    def reorder(k: int, neighbours: dict[Slot, list[Slot]], ref: list[Slot]) -> None:
        ref_pos = {n: i for i, n in enumerate(ref)}
        old = {n: i for i, n in enumerate(current[k])}

        def key(n: Slot) -> tuple[float, int]:
            ns = [ref_pos[m] for m in neighbours.get(n, ()) if m in ref_pos]
            # A node with no neighbour on that side keeps its place.
            bary = sum(ns) / len(ns) if ns else float(old[n])
            return (bary, old[n])

        current[k].sort(key=key)

    for sweep in range(sweeps):
        if sweep % 2 == 0:
            for k in range(1, len(current)):
                reorder(k, preds, current[k - 1])
        else:
            for k in range(len(current) - 2, -1, -1):
                reorder(k, succs, current[k + 1])
        score = count_crossings(current, segments)
        if score < best_score:
            best, best_score = [list(lay) for lay in current], score
        if best_score == 0:
            break
    return best


def _place_rows(
    layers: list[list[Slot]],
    segments: Sequence[_Segment],
    heights: Mapping[Slot, int],
    ports: Mapping[Slot, int],
    exits: Mapping[_Segment, int],
    tight: bool = False,
) -> dict[Slot, int]:
    """Top row of every slot: each item as close to its operands' rows as room allows.

    `tight` stacks one-row chips with no blank row between them.
    """
    preds: dict[Slot, list[_Segment]] = {}
    for s in segments:
        preds.setdefault(s.dst, []).append(s)
    index = {n: k for k, lay in enumerate(layers) for n in lay}
    by_layer: dict[int, list[_Segment]] = {}
    for s in segments:
        by_layer.setdefault(index[s.src], []).append(s)
    top: dict[Slot, int] = {}

    def port(n: Slot) -> int:
        return top[n] + ports[n]

    def gap(a: Slot, b: Slot) -> int:
        # Parallel pass-through lines may touch; anything next to a box keeps a blank row.
        if tight and heights[a] == heights[b] == 1:
            return 0
        return 0 if isinstance(a, Waypoint) and isinstance(b, Waypoint) else 1

    for k, lay in enumerate(layers):
        prev: Slot | None = None
        for n in lay:
            lowest = 0 if prev is None else top[prev] + heights[prev] + gap(prev, n)
            wanted = lowest
            if k > 0 and preds.get(n):
                rows = [port(s.src) + exits[s] for s in preds[n]]
                wanted = max(lowest, round(sum(rows) / len(rows)) - ports[n])
                # A line into n on a row another target's line leaves its source by
                # would have to cross that line lengthwise: try the rows nearby first.
                foreign = {port(s.src) + exits[s] for s in by_layer[k - 1]} - set(rows)
                for shift in (0, 1, -1, 2, -2):
                    if wanted + shift >= lowest and wanted + shift + ports[n] not in foreign:
                        wanted += shift
                        break
            top[n] = wanted
            prev = n
    return top


def _assign_tracks(groups: dict[Slot, tuple[list[int], int]]) -> dict[Slot, int]:
    """The vertical track (0 = leftmost) of every group of a channel.

    A group whose target row equals another group's source row must sit right of it,
    with a blank column between, so the first group's line into its target never runs
    over the other's line out of its source, nor touches its end ("╮╰" reads as one
    line). A group joining several lines must sit right of every other group sharing
    one of its source rows, so a line followed along its track never runs on into
    that source's other branch. Groups whose rows lie apart (with a blank row between)
    share a track, so a channel is only as wide as its overlapping lines need.
    """
    names = sorted(groups, key=lambda g: groups[g][1])
    must_left: dict[Slot, dict[Slot, int]] = {g: {} for g in names}
    for g in names:
        rows, target_row = groups[g]
        for other in names:
            if other == g:
                continue
            if target_row in groups[other][0]:
                must_left[g][other] = 2
            shared = set(rows) & set(groups[other][0]) - {target_row}
            if len(set(rows)) > 1 and shared:
                must_left[g].setdefault(other, 1)
    order: list[Slot] = []
    placed: set[Slot] = set()
    while len(order) < len(names):
        ready = [g for g in names if g not in placed and must_left[g].keys() <= placed]
        # On a cycle the constraints can't all hold; take the next one in row order.
        pick = ready[0] if ready else next(g for g in names if g not in placed)
        order.append(pick)
        placed.add(pick)

    def span(g: Slot) -> tuple[int, int]:
        rows = [*groups[g][0], groups[g][1]]
        return min(rows), max(rows)

    track: dict[Slot, int] = {}
    spans: list[list[tuple[int, int]]] = []
    for g in order:
        lo, hi = span(g)
        # Right of every group it must follow (and of all before it on a cycle).
        t = max((track[o] + d for o, d in must_left[g].items() if o in track), default=0)
        if not must_left[g].keys() <= track.keys():
            t = len(spans)
        while t < len(spans) and any(lo <= b + 1 and a <= hi + 1 for a, b in spans[t]):
            t += 1
        while t >= len(spans):
            spans.append([])
        spans[t].append((lo, hi))
        track[g] = t
    return track


def _exit_rows(layers: list[list[Slot]], segments: Sequence[_Segment]) -> dict[_Segment, int]:
    """The row, below its box's port, that each segment leaves its source by.

    A source feeding a fan-in (a target joining several lines) and anything else
    gives that fan-in a line of its own, split off just right of the box: a reader
    following another operand's line along the fan-in's track then arrives at the
    fan-in only, never running on into the source's other lines. The source's other
    targets share one line. Lines are stacked in their targets' order, so they don't
    cross.
    """
    incoming: dict[Slot, int] = {}
    for s in segments:
        incoming[s.dst] = incoming.get(s.dst, 0) + 1
    pos = {n: i for lay in layers for i, n in enumerate(lay)}
    by_source: dict[Slot, list[_Segment]] = {}
    for s in segments:
        by_source.setdefault(s.src, []).append(s)
    exits: dict[_Segment, int] = {}
    for segs in by_source.values():
        groups = [[s] for s in segs if incoming[s.dst] > 1]
        rest = [s for s in segs if incoming[s.dst] == 1]
        if rest:
            groups.append(rest)
        groups.sort(key=lambda g: min(pos[s.dst] for s in g))
        for row, group in enumerate(groups if len(groups) > 1 else [segs]):
            for s in group:
                exits[s] = row if len(groups) > 1 else 0
    return exits


@dataclass(frozen=True)
class Plan:
    """What a layout decides before box sizes matter: the layers, ordered, and the hops.

    Every level of detail of one graph shares it (GraphView keeps one).
    """

    nodes: tuple[str, ...]
    edges: tuple[Edge, ...]
    layers: list[list[Slot]]
    segments: list[_Segment]
    exits: dict[_Segment, int]
    leaves: frozenset[Slot]


def plan(nodes: Sequence[str], edges: Sequence[Edge]) -> Plan:
    """Layers, their order (crossing reduction) and each line's row: all size-independent."""
    edges = list(dict.fromkeys(edges))
    layer = _leaves_beside_consumers(assign_layers(nodes, edges), edges)
    layers, segments = _split_edges(nodes, edges, layer)
    layers = order_layers(layers, segments)
    targets = {s.dst for s in segments}
    leaves = frozenset(n for n in nodes if n not in targets)
    return Plan(tuple(nodes), tuple(edges), layers, segments, _exit_rows(layers, segments), leaves)


def least_size(p: Plan, sizes: Mapping[str, tuple[int, int]]) -> tuple[int, int]:
    """A lower bound on the layout's width and height, without routing any line."""
    width = height = 0
    for lay in p.layers:
        boxes = [sizes[n] for n in lay if not isinstance(n, Waypoint)]
        width += max((w for w, _ in boxes), default=1) + 2
        height = max(height, sum(h for _, h in boxes) + max(len(boxes) - 1, 0))
    return width - 2, height


def layout_dag(
    nodes: Sequence[str],
    edges: Sequence[Edge],
    sizes: Mapping[str, tuple[int, int]],
    planned: Plan | None = None,
    tight: bool = False,
) -> Layout:
    """Lay out a DAG left to right; `sizes` gives each node's box (width, height).

    `planned` is `plan(nodes, edges)`, made once for several sizes of boxes; `tight`
    stacks one-row boxes with no blank row between them.
    """
    p = planned or plan(nodes, edges)
    edges, layers, segments, exits = list(p.edges), p.layers, p.segments, p.exits

    heights: dict[Slot, int] = {
        n: (1 if isinstance(n, Waypoint) else sizes[n][1]) for lay in layers for n in lay
    }
    ports = {n: (h - 1) // 2 for n, h in heights.items()}
    split = {s.src for s, e in exits.items() if e}
    for s, e in exits.items():
        # A box grows to give each of its lines a row of its own (a computed box keeps
        # its bottom border below them).
        if e:
            border = 0 if s.src in p.leaves else 1
            heights[s.src] = max(heights[s.src], ports[s.src] + e + 1 + border)
    # A leaf whose lines split gets a cell more, so its line leaves before splitting.
    widths = {n: sizes[n][0] + (n in split and n in p.leaves) for n in p.nodes}
    top = _place_rows(layers, segments, heights, ports, exits, tight)

    by_channel: dict[int, list[_Segment]] = {}
    index = {n: k for k, lay in enumerate(layers) for n in lay}
    for s in segments:
        by_channel.setdefault(index[s.src], []).append(s)

    def port(n: Slot) -> int:
        return top[n] + ports[n]

    # Tracks per channel: one per target whose lines are not all straight across.
    channel_tracks: list[dict[Slot, int]] = []
    for k in range(len(layers) - 1):
        groups: dict[Slot, tuple[list[int], int]] = {}
        for s in by_channel.get(k, []):
            rows, _ = groups.get(s.dst, ([], port(s.dst)))
            rows.append(port(s.src) + exits[s])
            groups[s.dst] = (rows, port(s.dst))
        bent = {g: v for g, v in groups.items() if any(r != v[1] for r in v[0])}
        channel_tracks.append(_assign_tracks(bent))

    col_x: list[int] = []
    col_w: list[int] = []
    x = 0
    for k, lay in enumerate(layers):
        col_x.append(x)
        w = max((widths[n] for n in lay if not isinstance(n, Waypoint)), default=1)
        col_w.append(w)
        x += w
        if k < len(layers) - 1:
            x += max(channel_tracks[k].values(), default=-1) + 3
    width = x
    rects = {
        n: Rect(col_x[index[n]], top[n], widths[n], heights[n], ports[n])
        for lay in layers
        for n in lay
        if not isinstance(n, Waypoint)
    }
    height = max((top[n] + heights[n] for n in top), default=0)

    masks: dict[Cell, dict[int, int]] = {}
    cells_of: dict[Edge, list[Cell]] = {e: [] for e in edges}

    def mark(seg_id: int, edge: Edge, cell: Cell, bits: int) -> None:
        masks.setdefault(cell, {})
        masks[cell][seg_id] = masks[cell].get(seg_id, 0) | bits
        cells_of[edge].append(cell)

    def hline(seg_id: int, edge: Edge, row: int, x0: int, x1: int) -> None:
        for cx in range(x0, x1 + 1):
            bits = (W if cx > x0 else 0) | (E if cx < x1 else 0)
            mark(seg_id, edge, (cx, row), bits or (E | W))

    by_source: dict[Slot, list[_Segment]] = {}
    for s in segments:
        by_source.setdefault(s.src, []).append(s)
    arrows: set[Cell] = set()
    for seg_id, s in enumerate(segments):
        k = index[s.src]
        start = col_x[k] if isinstance(s.src, Waypoint) else col_x[k] + widths[s.src]
        chan0 = col_x[k] + col_w[k]
        end = col_x[k + 1] - 1  # the cell just left of the target column
        ys, yt = port(s.src) + exits[s], port(s.dst)
        if exits[s] or any(exits[o] for o in by_source[s.src]):
            # The source's lines split just right of its box, each onto its own row.
            mark(seg_id, s.edge, (start, port(s.src)), W | (S if exits[s] else E))
            for cy in range(port(s.src) + 1, ys):
                mark(seg_id, s.edge, (start, cy), N | S)
            if exits[s]:
                mark(seg_id, s.edge, (start, ys), N | E)
        tracks = channel_tracks[k]
        if s.dst in tracks and ys != yt:
            tx = chan0 + 1 + tracks[s.dst]
            hline(seg_id, s.edge, ys, start, tx)
            mark(seg_id, s.edge, (tx, ys), S if yt > ys else N)
            step = 1 if yt > ys else -1
            for cy in range(ys + step, yt, step):
                mark(seg_id, s.edge, (tx, cy), N | S)
            mark(seg_id, s.edge, (tx, yt), (N if yt > ys else S) | E)
            hline(seg_id, s.edge, yt, tx, end)
            mark(seg_id, s.edge, (tx, yt), E)
        else:
            hline(seg_id, s.edge, ys, start, end)
        if isinstance(s.dst, Waypoint):
            # The line runs on through the waypoint's column to the next channel.
            hline(seg_id, s.edge, yt, end, col_x[k + 1] + col_w[k + 1] - 1)
        else:
            arrows.add((end, yt))

    glyphs: dict[Cell, str] = {}
    for cell, per_seg in masks.items():
        union = 0
        for bits in per_seg.values():
            union |= bits
        straight = all(b in (N | S, E | W, N, S, E, W) for b in per_seg.values())
        if union == N | E | S | W and straight:
            # Two unrelated lines cross: a crossing, drawn as one (a reader goes straight on).
            glyphs[cell] = CROSSING
        elif union == N | E | S | W and len({segments[i].dst for i in per_seg}) == 1:
            # A four-way join into one target: not a crossing, so not drawn as one.
            glyphs[cell] = JOIN
        else:
            glyphs[cell] = GLYPHS[union]
    for cell in arrows:
        glyphs[cell] = ARROW

    return Layout(
        width=width,
        height=height,
        rects=rects,
        layers=[[n for n in lay if not isinstance(n, Waypoint)] for lay in layers],
        glyphs=glyphs,
        edge_cells={e: tuple(dict.fromkeys(c)) for e, c in cells_of.items()},
    )


def draw_plain(layout: Layout, boxes: Mapping[str, Sequence[str]]) -> list[str]:
    """The layout as lines of text; `boxes` gives the rows drawn in each node's rect."""
    grid = [[" "] * layout.width for _ in range(layout.height)]
    for (x, y), ch in layout.glyphs.items():
        grid[y][x] = ch
    for name, rect in layout.rects.items():
        for dy, row in enumerate(boxes[name][: rect.h]):
            for dx, ch in enumerate(row[: rect.w]):
                grid[rect.y + dy][rect.x + dx] = ch
    return ["".join(r).rstrip() for r in grid]
