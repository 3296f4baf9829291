"""The DAG layout on its own: layers, crossings, boxes and edge routes."""

from __future__ import annotations

import itertools

import pytest

from backprop_tutor.tui.layout import (
    ARROW,
    assign_layers,
    draw_plain,
    layout_dag,
)

WORKED = {
    "u": ["a", "x", "b"],
    "h": ["u"],
    "v": ["c", "h", "u", "d"],
    "p": ["v"],
    "L": ["p", "y"],
    "R": ["lambda", "a", "c"],
    "J": ["L", "R"],
}
LEAVES = ["x", "y", "lambda", "a", "b", "c", "d"]


def worked_edges() -> list[tuple[str, str]]:
    """Every operand → node edge of the worked example."""
    return [(op, node) for node, ops in WORKED.items() for op in ops]


def worked_layout():  # type: ignore[no-untyped-def]
    """The worked example laid out with leaf chips and five-row boxes."""
    nodes = LEAVES + list(WORKED)
    sizes = {n: (10, 2) if n in LEAVES else (13, 5) for n in nodes}
    return nodes, sizes, layout_dag(nodes, worked_edges(), sizes)


def test_layers_put_sources_left_and_objective_right() -> None:
    """Leaves sit in layer 0, each node one right of its furthest operand."""
    layer = assign_layers(LEAVES + list(WORKED), worked_edges())
    assert all(layer[n] == 0 for n in LEAVES)
    assert layer["u"] == 1 and layer["h"] == 2 and layer["v"] == 3
    assert layer["R"] == 1
    assert layer["J"] == max(layer.values()) == 6


def test_cycle_is_refused() -> None:
    """A cycle is not a DAG and is reported, not looped on."""
    with pytest.raises(ValueError, match="cycle"):
        assign_layers(["a", "b"], [("a", "b"), ("b", "a")])


def test_deep_chain_does_not_recurse() -> None:
    """A chain of 5000 nodes is layered without hitting the recursion limit."""
    names = [f"n{i}" for i in range(5000)]
    layer = assign_layers(names, list(itertools.pairwise(names)))
    assert layer["n4999"] == 4999


def test_boxes_never_overlap_and_columns_follow_layers() -> None:
    """No two boxes share a cell, and a node's column is right of its operands'."""
    _, _, lay = worked_layout()
    rects = list(lay.rects.items())
    for (_, r1), (_, r2) in itertools.combinations(rects, 2):
        overlap_x = r1.x < r2.x + r2.w and r2.x < r1.x + r1.w
        overlap_y = r1.y < r2.y + r2.h and r2.y < r1.y + r1.h
        assert not (overlap_x and overlap_y)
    for op, node in worked_edges():
        assert lay.rects[op].x + lay.rects[op].w < lay.rects[node].x


def test_every_edge_runs_from_its_source_port_to_an_arrow_at_its_target() -> None:
    """An edge's cells start beside the source box and end in an arrow at the target."""
    _, _, lay = worked_layout()
    for op, node in worked_edges():
        cells = lay.edge_cells[(op, node)]
        src, dst = lay.rects[op], lay.rects[node]
        assert (src.x + src.w, src.port_row) in cells
        assert (dst.x - 1, dst.port_row) in cells
        assert lay.glyphs[(dst.x - 1, dst.port_row)] == ARROW
        # The route is connected: each cell touches another one of the route.
        cellset = set(cells)
        for x, y in cells:
            near = {(x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)}
            assert near & cellset


def test_edges_never_draw_inside_boxes() -> None:
    """Lines go around boxes, never through them."""
    _, _, lay = worked_layout()
    for x, y in lay.glyphs:
        assert lay.node_at(x, y) is None


def test_simple_diamond_has_no_crossings_and_draws_joins() -> None:
    """A diamond a → (b, c) → d draws a fork and a merge with box-drawing joins."""
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("a", "c"), ("b", "d"), ("c", "d")]
    sizes = {n: (3, 1) for n in nodes}
    lay = layout_dag(nodes, edges, sizes)
    text = "\n".join(draw_plain(lay, {n: [f"[{n}]"] for n in nodes}))
    assert lay.layers == [["a"], ["b", "c"], ["d"]]
    assert "┬" in text or "╮" in text
    assert "┤" in text or "╯" in text
    # Lines into one target share its arrow.
    assert text.count(ARROW) == 3


def test_lines_that_need_not_cross_are_not_joined() -> None:
    """Ordering the layers untangles a → d, b → e, c → d: no crossing, no four-way join."""
    nodes = ["a", "b", "c", "d", "e"]
    # a→d bends down across b's straight line to e's column.
    edges = [("a", "d"), ("b", "e"), ("c", "d")]
    sizes = {n: (3, 1) for n in nodes}
    lay = layout_dag(nodes, edges, sizes)
    assert "┼" not in lay.glyphs.values()


def test_layout_is_deterministic() -> None:
    """The same graph always gives the same drawing (snapshots depend on it)."""
    nodes, sizes, lay = worked_layout()
    again = layout_dag(nodes, worked_edges(), sizes)
    assert lay.glyphs == again.glyphs and lay.rects == again.rects


def test_node_at_finds_the_clicked_box() -> None:
    """A cell inside a box maps back to that node, one outside to nothing."""
    _, _, lay = worked_layout()
    r = lay.rects["v"]
    assert lay.node_at(r.x + 1, r.y + 1) == "v"
    assert lay.node_at(lay.width + 5, 0) is None


def test_lines_whose_rows_lie_apart_share_a_track() -> None:
    """Two merges one above the other need one vertical track between the layers, not two."""
    nodes = ["p", "q", "r", "s", "T1", "T2"]
    edges = [("p", "T1"), ("q", "T1"), ("r", "T2"), ("s", "T2")]
    sizes = {n: (4, 1) if len(n) == 1 else (6, 3) for n in nodes}
    lay = layout_dag(nodes, edges, sizes)
    # Leaf column, one cell, one shared track, the arrow cell, then the boxes.
    assert lay.rects["T1"].x == lay.rects["T2"].x == 4 + 3
    vertical = {x for (x, _), ch in lay.glyphs.items() if ch in "│┤├╮╯╭╰"}
    assert vertical == {5}
    lines = draw_plain(lay, {n: [n] * sizes[n][1] for n in nodes})
    assert lines == [
        "p   ─╮ T1",
        "     ├▶T1",
        "q   ─╯ T1",
        "",
        "r   ─╮ T2",
        "     ├▶T2",
        "s   ─╯ T2",
    ]
    for target in ("T1", "T2"):
        rect = lay.rects[target]
        assert lay.glyphs[(rect.x - 1, rect.port_row)] == ARROW
