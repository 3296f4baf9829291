"""Every lesson drawn legibly, checked on the layout: fits 120×40, each line can be followed.

`layout_check.problems` walks the drawn glyphs from each source (not the layout's own
record of edge cells) and lists every way a reader could follow a line wrongly. Run with
`-s -k figures` to print the per-lesson figures and the random graphs' shares.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from backprop_tutor.engine import builtin_lesson_paths, load_lesson, run_lesson
from backprop_tutor.tui import fit
from backprop_tutor.tui.graph_view import LEVELS, GraphState, GraphView
from backprop_tutor.tui.layout import CROSSING, JOIN, Layout, draw_plain, layout_dag

from .layout_check import problems

PUBLISHED = sorted((Path(__file__).parents[1] / "lessons" / "published").glob("*.toml"))
LESSONS = [*builtin_lesson_paths().values(), *PUBLISHED]


def view_of(path: Path) -> GraphView:
    """A lesson's first step, ready to draw."""
    lesson = load_lesson(path)
    return GraphView(lesson.graph, run_lesson(lesson)[0])


def figures(path: Path, width: int = 120, height: int = 40) -> tuple[str, str, int]:
    """A lesson's name, what the size shows, and how many misreadings its drawing has.

    Where the whole graph is listed, what is shown is the share of nodes whose
    neighbourhood is drawn instead ("near 11/12"), and the misreadings are theirs.
    """
    view = view_of(path)
    shown = fit.drawing(view, width, height)
    if shown is not fit.Drawing.COMPACT:
        return path.stem, shown.value, len(problems(view.layout, view.edges))
    near = {n: lay for n in view.nodes if (lay := view.near_layout(n)) is not None}
    found = sum(len(problems(lay, star(view, n))) for n, lay in near.items())
    return path.stem, f"near {len(near)}/{len(view.nodes)}", found


def star(view: GraphView, name: str) -> list[tuple[str, str]]:
    """The edges of a node's neighbourhood drawing: into it and out of it."""
    return [e for e in view.edges if name in e]


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_lesson_is_drawn_at_120_by_40(path: Path) -> None:
    """Drawn, not listed."""
    name, shown, _ = figures(path)
    assert shown in (fit.Drawing.DRAWN, fit.Drawing.NARROW), (name, shown)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
@pytest.mark.parametrize("level", LEVELS)
def test_every_line_leads_to_its_own_targets(path: Path, level: int) -> None:
    """At every level of detail, following each source's lines reaches exactly its consumers."""
    view = view_of(path)
    assert problems(view.layout_at(level), view.edges) == []


def random_dag(rng: random.Random, size: int) -> tuple[list[str], list[tuple[str, str]]]:
    """A connected lesson-like DAG of `size` nodes: leaves, then nodes using 1-3 earlier ones."""
    leaves = max(2, size // 3)
    nodes = [f"n{i}" for i in range(size)]
    edges: list[tuple[str, str]] = []
    for i in range(leaves, size):
        for j in rng.sample(range(i), min(i, rng.randint(1, 3))):
            edges.append((nodes[j], nodes[i]))
    return nodes, edges


# Boxes and leaf chips as the tutor sizes them: the usual drawing, and the smallest level's.
USUAL, SMALLEST = ((15, 5), (12, 2)), ((10, 4), (18, 1))


def random_layout(
    seed: int, boxes: tuple[tuple[int, int], tuple[int, int]] = USUAL
) -> tuple[Layout, list[tuple[str, str]]]:
    """A seeded random graph of 5 to 25 nodes, boxes sized as the tutor's are."""
    rng = random.Random(seed)
    nodes, edges = random_dag(rng, rng.randint(5, 25))
    used = {n for edge in edges for n in edge}
    nodes = [n for n in nodes if n in used]
    targets = {dst for _, dst in edges}
    sizes = {n: boxes[0] if n in targets else boxes[1] for n in nodes}
    return layout_dag(nodes, edges, sizes), edges


def test_figures(capsys: pytest.CaptureFixture[str]) -> None:
    """The figures for the lead's note: per lesson, and the random graphs' shares."""
    rows = [figures(path) for path in LESSONS]
    small = [figures(path, 80, 24) for path in LESSONS]
    width, height = fit.graph_room(120, 40)
    seeds = range(200)
    drawn = legible = drawn_small = legible_small = 0
    for seed in seeds:
        lay, edges = random_layout(seed)
        drawn += lay.width <= width and lay.height <= height
        legible += not problems(lay, edges)
        smallest, _ = random_layout(seed, SMALLEST)
        fits = smallest.width <= width and smallest.height <= height
        drawn_small += fits or (lay.width <= width and lay.height <= height)
        legible_small += not problems(smallest, edges)
    with capsys.disabled():
        for (name, shown, count), (_, shown_80, count_80) in zip(rows, small, strict=True):
            print(
                f"{name:24} 120×40: {shown:8} misreadings: {count}"
                f"   80×24: {shown_80:11} misreadings: {count_80}"
            )
        print(f"random 5-25 nodes, {len(seeds)} seeds: drawn at 120×40 {drawn}, legible {legible}")
        print(f"  with the smallest boxes too: drawn {drawn_small}, legible {legible_small}")
    assert len(rows) == len(LESSONS)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_at_80_by_24_a_listed_lesson_draws_every_neighbourhood_legibly(path: Path) -> None:
    """Drawn, or else every node's neighbourhood is drawn, legibly, instead of the list."""
    view = view_of(path)
    if fit.drawing(view, 80, 24) is not fit.Drawing.COMPACT:
        assert problems(view.layout, view.edges) == []
        return
    for name in view.nodes:
        lay = view.near_layout(name)
        assert lay is not None, name
        assert problems(lay, star(view, name)) == [], name
        assert set(lay.rects) == {name, *(n for e in star(view, name) for n in e)}


def test_a_crossing_is_drawn_as_a_crossing() -> None:
    """A track crossing a line straight is drawn as a crossing a reader goes through."""
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "b"), ("a", "c"), ("a", "d")]
    lay = layout_dag(nodes, edges, {n: (3, 1) for n in nodes})
    assert draw_plain(lay, {n: [f"[{n}]"] for n in nodes}) == [
        "[a]─┬┬▶[b]",
        "    ││",
        f"    ╰{CROSSING}▶[c]",
        "     │",
        "     ╰▶[d]",
    ]
    assert problems(lay, edges) == []


def test_a_four_way_join_is_not_drawn_as_a_crossing() -> None:
    """Lines from above, beside and below joining into one box meet at a join, not ┼."""
    nodes = ["x", "w", "b", "z"]
    edges = [("x", "z"), ("w", "z"), ("b", "z")]
    lay = layout_dag(nodes, edges, {"x": (3, 1), "w": (3, 1), "b": (3, 1), "z": (3, 3)})
    text = draw_plain(lay, {n: [f"[{n}]"] * lay.rects[n].h for n in nodes})
    assert JOIN in "".join(text) and CROSSING not in "".join(text), text
    assert problems(lay, edges) == []


def test_a_fan_in_never_runs_on_into_a_shared_sources_other_line() -> None:
    """b feeds c (with a) and d: c's track sits right of d's, so a's line stops at c."""
    nodes = ["a", "b", "c", "d"]
    edges = [("a", "c"), ("b", "c"), ("b", "d")]
    lay = layout_dag(nodes, edges, {"a": (3, 1), "b": (3, 1), "c": (3, 3), "d": (3, 3)})
    assert problems(lay, edges) == []


def test_a_leaf_feeding_one_node_sits_just_before_it() -> None:
    """w feeds only h, so it is drawn in h's column's neighbour; x, shared, stays left."""
    nodes = ["x", "w", "a", "b", "h"]
    edges = [("x", "a"), ("x", "b"), ("a", "h"), ("w", "h"), ("b", "h")]
    lay = layout_dag(nodes, edges, {n: (3, 1) for n in nodes})
    assert "w" in lay.layers[1], lay.layers
    assert "x" in lay.layers[0] and "w" not in lay.layers[0]
    assert problems(lay, edges) == []


def test_a_graph_too_wide_for_its_formulas_is_drawn_without_them() -> None:
    """micrograd's chain: too wide even with short numbers, drawn with one line less."""
    view = view_of(next(p for p in PUBLISHED if p.stem == "micrograd-readme"))
    slim = view.layout_for(narrow=True)
    assert view.fits(slim.width, slim.height) and view.narrow and not view.slim
    assert view.fits(slim.width - 10, slim.height) and view.slim
    state = GraphState(frozenset(), frozenset(), frozenset(), None, None, ())
    text = "".join(t for line in view.draw(state) for t, _ in line)
    assert "= ?" in text
    computed = [n for n in view.nodes if view.graph.operands(n)]
    assert computed and not any(view.graph.expression_text(n) in text for n in computed)
