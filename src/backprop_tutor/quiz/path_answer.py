"""Path answers: the routes from the objective down to a node, typed as text, checked as a set.

A learner types paths one or several per line, separated by `;` or `,`, the nodes of a
path by spaces or arrows (`J L p v u a; J R a`, `J→R→a`, `a ← u ← v`). Names are the
lesson's, as written in the file or as shown (λ for lambda, w₁ for w1). The answer is
judged as a set: repeats are ignored, each path left out is named, and so is each wrong
one (a hop that is not an edge, a path that does not start at the objective or end at
the node). Where a node uses an operand both directly and through other nodes (v uses u,
and h = u²), a learner may write that hop once, at the coarser grain of the worked
example (v → u with ∂v/∂u = 2cu + 1): that is right at that grain, and said so.

Where there are more than `LIST_LIMIT` paths the question asks for their number and one
example instead (`12; J L p a`); the count is exact however large (dynamic programming,
never enumerated).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from backprop_tutor.engine import Graph, StepTrace

from .checker import Judgement, Verdict
from .diagnosis import Mistake
from .text import join_words, path_text

# More paths than this and the question asks for their number and one example.
LIST_LIMIT = 6
MAX_LENGTH = 2000
# Each path left out or wrong is named, up to this many; the rest are counted.
NAMED = 3

_ARROWS = re.compile(r"->|=>|<-|[→⟶←⟵>\-—–]")
_SEPARATORS = re.compile(r"[;,\n]")


def how_to_type_paths(graph: Graph) -> str:
    """How paths are typed, with an example in the lesson's names (J L; J R)."""
    objective = graph.objective
    example = "; ".join(f"{objective} {op}" for op in graph.operands(objective)[:2])
    return (
        f"Type each path as its nodes from {graph.objective_label} down, several separated by ';'"
        f" (e.g. {example})."
    )


class _Unreadable(ValueError):
    """Text that is not a list of paths, with the reason the learner reads."""


def asks_count(graph: Graph, target: str) -> bool:
    """Whether the question asks for the number of paths and one example, not the list."""
    return graph.path_counts[target] > LIST_LIMIT


def all_paths(trace: StepTrace, target: str) -> list[tuple[str, ...]]:
    """Every path from the objective to `target` (only asked where there are few)."""
    return [path.nodes for path in trace.paths(target, limit=LIST_LIMIT + 1)]


def model_answer(graph: Graph, trace: StepTrace, target: str) -> str:
    """The answer typed as a learner would, in the lesson's own (ASCII) names."""
    paths = all_paths(trace, target)
    if asks_count(graph, target):
        return f"{graph.path_counts[target]}; {' '.join(paths[0])}"
    return "; ".join(" ".join(p) for p in paths)


def shown_answer(graph: Graph, trace: StepTrace, target: str) -> str:
    """The answer as a reveal shows it: `J→L→p→v→u→a; J→R→a`."""
    paths = all_paths(trace, target)
    if asks_count(graph, target):
        count = graph.path_counts[target]
        return f"{count} paths, for example {path_text(graph, paths[0])}"
    return "; ".join(path_text(graph, p) for p in paths)


# ---------------------------------------------------------------- reading


def _names(graph: Graph) -> dict[str, str]:
    """Every way a node may be typed (its name, its shown label) → its name."""
    out: dict[str, str] = {}
    for node in graph.nodes:
        out[graph.label(node.name)] = node.name
    for node in graph.nodes:
        out[node.name] = node.name
    return out


# Nodes a refusal lists at most; beyond them it says how many more.
NODES_LISTED = 20


def _read_path(graph: Graph, names: dict[str, str], item: str, target: str) -> tuple[str, ...]:
    words = _ARROWS.sub(" ", item).split()
    path: list[str] = []
    for word in words:
        if word not in names:
            raise _Unreadable(_not_a_node(graph, names, word, target))
        path.append(names[word])
    return tuple(path)


def _not_a_node(graph: Graph, names: dict[str, str], word: str, target: str) -> str:
    """`'02' is not a node of this lesson: did you mean o₂? A path runs from E through
    its computed nodes (o₂, z₂, o₁ … and a₁) down to w₁.` Only the nodes a path can hold are
    named (the computed ones, from the objective down, and the node it ends at), all of
    them or a count of the rest; a near miss (another case, a zero for an o) is named."""
    typed = word[:20]
    near = {name.lower().replace("0", "o"): name for name in names}
    guess = near.get(typed.lower().replace("0", "o"))
    said = f"{typed!r} is not a node of this lesson"
    said += f": did you mean {graph.label(names[guess])}?" if guess else "."
    through = [graph.label(n) for n in reversed(graph.computed) if n != graph.objective]
    listed = _named(through, "nodes", NODES_LISTED)
    top, end = graph.label(graph.objective), graph.label(target)
    return f"{said} A path runs from {top} through its computed nodes ({listed}) down to {end}."


def read_paths(graph: Graph, target: str, text: str) -> list[tuple[str, ...]]:
    """The typed paths, each turned to run from the objective down; raises _Unreadable."""
    if len(text) > MAX_LENGTH:
        raise _Unreadable(f"That answer is longer than {MAX_LENGTH} characters.")
    names = _names(graph)
    paths: list[tuple[str, ...]] = []
    for item in _SEPARATORS.split(text):
        path = _read_path(graph, names, item, target)
        if not path:
            continue  # nothing but spaces or arrows
        if path[0] == target and path[-1] == graph.objective and len(path) > 1:
            path = path[::-1]  # typed from the node up: the same path
        if path not in paths:
            paths.append(path)
    if not paths:
        raise _Unreadable("The answer is empty.")
    return paths


# ---------------------------------------------------------------- judging


def _routes(graph: Graph, top: str, bottom: str) -> Iterator[tuple[str, ...]]:
    """Every route from `top` down to `bottom` (small graphs only: a hop's expansion)."""
    useful = graph.reaches(bottom)
    stack: list[tuple[str, ...]] = [(top,)]
    while stack:
        trail = stack.pop()
        here = trail[-1]
        if here == bottom:
            yield trail
            continue
        if here in graph.computed:
            for operand in reversed(graph.operands(here)):
                if operand == bottom or operand in useful:
                    stack.append((*trail, operand))


def _coarse_hops(graph: Graph, path: Sequence[str]) -> list[int]:
    """Positions of hops X → Y where X uses Y directly and also through other nodes."""
    out = []
    for i in range(len(path) - 1):
        top, bottom = path[i], path[i + 1]
        if (
            top in graph.computed
            and bottom in graph.operands(top)
            and any(other in graph.reaches(bottom) for other in graph.operands(top))
        ):
            out.append(i)
    return out


def _expand(graph: Graph, path: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The fine-grained paths a path stands for when its coarse hops are read as routes."""
    found: set[tuple[str, ...]] = {path[:1]}
    for i in range(len(path) - 1):
        top, bottom = path[i], path[i + 1]
        routes = list(_routes(graph, top, bottom)) if i in _coarse_hops(graph, path) else []
        routes = routes or [(top, bottom)]
        found = {done + route[1:] for done in found for route in routes}
    return found


def _wrong(graph: Graph, target: str, path: tuple[str, ...]) -> str | None:
    """What is wrong with one typed path, or None if it is a path from the objective."""
    objective = graph.label(graph.objective)
    if path[0] != graph.objective:
        return f"{path_text(graph, path)} does not start at {objective}: every path does."
    problem = hop_problem(graph, path)
    if problem is not None:
        return problem
    if path[-1] != target:
        end, node = graph.label(path[-1]), graph.label(target)
        return f"{path_text(graph, path)} ends at {end}, not at {node}."
    return None


def hop_problem(graph: Graph, path: Sequence[str]) -> str | None:
    """The first hop of `path` (objective first) that is not an edge, named; None if all are.

    Typed paths and paths picked on the graph are refused in the same words.
    """
    for top, bottom in pairwise(path):
        if top not in graph.computed:
            return (
                f"{path_text(graph, path)} goes on past {graph.label(top)}, "
                "which uses nothing: it is a leaf."
            )
        if bottom not in graph.operands(top):
            uses = join_words([graph.label(n) for n in graph.operands(top)])
            hop = f"{graph.label(top)} → {graph.label(bottom)}"
            return f"{hop} is not an edge: {graph.label(top)} uses {uses}."
    return None


def _left_out_words(
    graph: Graph, missing: list[tuple[str, ...]], known: set[tuple[str, ...]]
) -> list[str]:
    """Each route left out, named by where it leaves every route the learner listed (its
    first hop none of them takes), never spelled out: `a route through R (the
    regularization branch)`, `2 routes through L`, `a route that steps from v to h`."""
    counts: dict[tuple[str, str], int] = {}
    for path in missing:
        shared = max((_shared_start(path, other) for other in known), default=1)
        at = min(max(shared, 1), len(path) - 1)
        hop = (path[at - 1], path[at])
        counts[hop] = counts.get(hop, 0) + 1
    words = []
    for (top, bottom), count in counts.items():
        some = "a route" if count == 1 else f"{count} routes"
        if top != graph.objective:
            steps = "steps" if count == 1 else "step"
            words.append(f"{some} that {steps} from {graph.label(top)} to {graph.label(bottom)}")
        elif graph.role(bottom):
            words.append(f"{some} through {graph.label(bottom)} (the {graph.role(bottom)} branch)")
        else:
            words.append(f"{some} through {graph.label(bottom)}")
    return words


def _shared_start(path: tuple[str, ...], other: tuple[str, ...]) -> int:
    """How many nodes two paths share from the objective down."""
    count = 0
    for mine, theirs in zip(path, other, strict=False):
        if mine != theirs:
            break
        count += 1
    return count


def _named(items: list[str], what: str, limit: int = NAMED) -> str:
    """`a, b and c`, or the first `limit` of them and how many more `what` there are."""
    shown = items[:limit]
    more = len(items) - len(shown)
    text = join_words(shown)
    return text + (f", and {more} more {what}" if more else "")


def judge_paths(graph: Graph, trace: StepTrace, target: str, text: str) -> Judgement:
    """Judge a typed list of paths (or count and example) from the objective to `target`."""
    try:
        if asks_count(graph, target):
            return _judge_count(graph, target, text)
        typed = read_paths(graph, target, text)
    except _Unreadable as refusal:
        return Judgement(Verdict.UNREADABLE, f"{refusal} {how_to_type_paths(graph)}")
    objective, node = graph.label(graph.objective), graph.label(target)
    wrong = [w for w in (_wrong(graph, target, p) for p in typed) if w is not None]
    listed = {p for p in typed if _wrong(graph, target, p) is None}
    expected = all_paths(trace, target)
    missing = [p for p in expected if p not in listed]
    covered = set().union(*(_expand(graph, p) for p in listed)) if listed else set()
    if wrong:
        return Judgement(Verdict.WRONG, " ".join(wrong[:NAMED]))
    if not missing:
        count = len(expected)
        many = {1: "the path", 2: "both paths"}.get(count, f"all {count} paths")
        return Judgement(Verdict.CORRECT, f"Correct: {many} from {objective} to {node}.")
    if all(p in covered for p in missing):
        return Judgement(
            Verdict.CORRECT, _grain_note(graph, target, listed, missing, len(expected))
        )
    # Named by where each leaves the listed ones, not spelled out: finding it is the task.
    left_out = [p for p in missing if p not in covered]
    names = _left_out_words(graph, left_out, listed | covered)
    return Judgement(
        Verdict.WRONG,
        f"You have not yet listed {_named(names, 'routes')}.",
        Mistake.PATH_LEFT_OUT,
    )


def _grain_note(
    graph: Graph,
    target: str,
    listed: set[tuple[str, ...]],
    missing: list[tuple[str, ...]],
    count: int,
) -> str:
    """Right at the coarser grain: say which hop stands for several paths."""
    notes: list[str] = []
    for path in sorted(listed):
        for i in _coarse_hops(graph, path):
            top, bottom = path[i], path[i + 1]
            routes = list(_routes(graph, top, bottom))
            longer = [r for r in routes if len(r) > 2]
            if not any(_contains(m, r) for m in missing for r in longer):
                continue  # the learner listed the longer routes too
            via = join_words([graph.label(r[1]) for r in longer])
            note = (
                f"{graph.label(top)} → {graph.label(bottom)} is itself {len(routes)} paths, "
                f"directly and through {via}"
            )
            if note not in notes:
                notes.append(note)
    objective = graph.label(graph.objective)
    return (
        f"Right at the grain of one step per use: {join_words(notes)}, so there are "
        f"{count} paths from {objective} to {graph.label(target)} in all."
    )


def _contains(path: tuple[str, ...], part: tuple[str, ...]) -> bool:
    return any(path[i : i + len(part)] == part for i in range(len(path) - len(part) + 1))


def _judge_count(graph: Graph, target: str, text: str) -> Judgement:
    """`12; J L p a`: the number of paths, exact, and one example path."""
    items = [item.strip() for item in re.split(r"[;,\n]", text, maxsplit=1)]
    head = items[0]
    if not (head.isascii() and head.isdigit()) or len(head) > 400:
        raise _Unreadable("Type the number of paths first, then one path: e.g. 12; J L p a.")
    count = int(head)
    expected = graph.path_counts[target]
    objective, node = graph.label(graph.objective), graph.label(target)
    if count != expected:
        side = "more" if expected > count else "fewer"
        return Judgement(
            Verdict.WRONG,
            f"There are {side} paths from {objective} to {node} than that: count them "
            "node by node, adding where routes merge.",
            Mistake.PATH_LEFT_OUT if side == "more" else None,
        )
    if len(items) < 2 or not items[1]:
        raise _Unreadable("The count is there; now add one path after a ';'.")
    path = read_paths(graph, target, items[1])[0]
    problem = _wrong(graph, target, path)
    if problem is not None:
        return Judgement(Verdict.WRONG, f"The count is right, but {problem}")
    return Judgement(
        Verdict.CORRECT, f"Correct: {count} paths from {objective} to {node}, and that is one."
    )
