"""How the tutor screen uses a terminal of a given size; no Textual.

At each size the graph is drawn (at the fullest of `graph_view.LEVELS` that fits: full
gradient names, the usual boxes, four significant figures, no formula lines, one-line
parameters), or listed (the panel then draws the selected node's neighbourhood instead
where that fits), or the screen asks for a larger terminal.
"""

from __future__ import annotations

from enum import StrEnum

from .graph_view import GraphView

MIN_WIDTH = 60
MIN_HEIGHT = 18
# Rows kept for everything but the graph: status, footer, lesson title, lower panels.
RESERVED_ROWS = 17
# Columns kept for the graph panel's border and padding.
RESERVED_COLUMNS = 4
SHORT_TERMINAL = 30  # below this many rows the lesson text starts folded
PALETTE_HINT_WIDTH = 100  # the footer's palette hint would overlap the keys below this


class Drawing(StrEnum):
    """What the graph panel shows."""

    DRAWN = "drawn"
    NARROW = "narrow"  # drawn, numbers with four significant figures (levels 1 to 3)
    COMPACT = "compact"  # one node a line, or the selected node's neighbourhood
    TOO_SMALL = "too-small"  # the app asks for a larger terminal instead


def too_small(width: int, height: int) -> bool:
    """Whether the terminal is too small for the app at all."""
    return width < MIN_WIDTH or height < MIN_HEIGHT


def graph_room(width: int, height: int) -> tuple[int, int]:
    """The cells the graph's drawing may take on a terminal of this size."""
    return width - RESERVED_COLUMNS, height - RESERVED_ROWS


def drawing(view: GraphView, width: int, height: int) -> Drawing:
    """What the graph panel shows at this size (the view picks narrow numbers if they fit)."""
    fits = view.fits(*graph_room(width, height))
    if too_small(width, height):
        return Drawing.TOO_SMALL
    if not fits:
        return Drawing.COMPACT
    return Drawing.NARROW if view.narrow else Drawing.DRAWN
