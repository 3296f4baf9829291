"""Reading a drawn layout as a reader would: follow each line's characters on the grid.

No Textual. `follow` starts on the cell just right of a source's box and walks the line
glyphs (a crossing `┼` goes straight on, a junction branches), never using the layout's
own record of which cells belong to which edge; it returns the boxes whose arrows it
reaches. `problems` lists everything that would let a reader follow a line wrongly.
"""

from __future__ import annotations

from collections.abc import Sequence

from backprop_tutor.tui.layout import ARROW, CROSSING, JOIN, Layout

# The sides a glyph's line leaves its cell by.
N, E, S, W = (0, -1), (1, 0), (0, 1), (-1, 0)
SIDES: dict[str, frozenset[tuple[int, int]]] = {
    "─": frozenset({E, W}),
    "│": frozenset({N, S}),
    "╭": frozenset({S, E}),
    "╮": frozenset({S, W}),
    "╰": frozenset({N, E}),
    "╯": frozenset({N, W}),
    "├": frozenset({N, S, E}),
    "┤": frozenset({N, S, W}),
    "┬": frozenset({E, W, S}),
    "┴": frozenset({E, W, N}),
    CROSSING: frozenset({N, E, S, W}),
    JOIN: frozenset({N, E, S, W}),
    ARROW: frozenset({E, W}),
}


def _back(d: tuple[int, int]) -> tuple[int, int]:
    return (-d[0], -d[1])


def follow(layout: Layout, source: str) -> tuple[set[str], list[str]]:
    """The targets reached by walking the lines out of `source`, and any dead ends."""
    rect = layout.rects[source]
    start = (rect.x + rect.w, rect.port_row)
    reached: set[str] = set()
    errors: list[str] = []
    todo = [(start, E)]
    seen: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    while todo:
        (x, y), moving = todo.pop()
        if ((x, y), moving) in seen:
            continue
        seen.add(((x, y), moving))
        ch = layout.glyphs.get((x, y))
        if ch is None:
            inside = layout.node_at(x, y)
            errors.append(f"{source}: line stops at {(x, y)} ({inside or 'blank'})")
            continue
        entered = _back(moving)
        if entered not in SIDES[ch]:
            errors.append(f"{source}: {ch!r} at {(x, y)} does not take a line from that side")
            continue
        if ch == ARROW:
            target = layout.node_at(x + 1, y)
            if target is None:
                errors.append(f"{source}: arrow at {(x, y)} points at no box")
            else:
                reached.add(target)
            continue
        # A crossing goes straight on; any other glyph may branch (a fan-out or fan-in).
        # Lines run left to right, so a reader never follows one leftwards: at a fan-in
        # the other operands' lines, joining from the left, are not taken.
        outs = {moving} if ch == CROSSING else SIDES[ch] - {entered, W}
        for d in outs:
            todo.append(((x + d[0], y + d[1]), d))
    return reached, errors


def problems(layout: Layout, edges: Sequence[tuple[str, str]]) -> list[str]:
    """Every way the drawing could be misread: wrong targets, dead ends, false joins."""
    found: list[str] = []
    targets: dict[str, set[str]] = {}
    for src, dst in edges:
        targets.setdefault(src, set()).add(dst)
    for src, wanted in targets.items():
        reached, errors = follow(layout, src)
        found += errors
        if reached != wanted:
            found.append(f"{src}: the lines lead to {sorted(reached)}, not {sorted(wanted)}")
    for (x, y), ch in layout.glyphs.items():
        right = layout.glyphs.get((x + 1, y))
        if right is None:
            continue
        # Two line ends side by side on a row read as one line: "╮╰".
        ends_here = W in SIDES[ch] and E not in SIDES[ch]
        starts_there = E in SIDES[right] and W not in SIDES[right]
        if ends_here and starts_there:
            found.append(f"{ch}{right} at {(x, y)} reads as one line")
    return found
