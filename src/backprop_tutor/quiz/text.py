"""Numbers and paths written the way the lesson writes them."""

from __future__ import annotations

from collections.abc import Iterable

from backprop_tutor.engine import Graph


def path_text(graph: Graph, nodes: Iterable[str]) -> str:
    """A path as the learner reads it: J→R→a."""
    return "→".join(graph.label(node) for node in nodes)


def join_words(items: list[str]) -> str:
    """`a`, `a and b`, `a, b and c`."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
