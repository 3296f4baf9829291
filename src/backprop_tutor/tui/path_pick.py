"""A path picked on the graph for a paths question: nodes marked one by one, then added.

While a paths question is open, the learner moves the graph's selection and marks each
node onto the path being built (Space), from the objective down or from the node up;
Backspace takes the last node back, and Enter adds the finished path to the question's
answer, written as a learner would type it (`J → L → p → v → u → a`), so it is judged
exactly as typed text is. Each hop is checked as it is marked, in the words a typed path
gets (`J → v is not an edge: J uses L and R.`). A plain object: no Textual here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from backprop_tutor.engine import Graph
from backprop_tutor.quiz import Kind, Question
from backprop_tutor.quiz.path_answer import asks_count, hop_problem

KEYS = "Space marks the selected node, Backspace takes one back, Enter adds the path"


class Picked(NamedTuple):
    """What a key did: the words the quiz row shows, and the path added (if one was)."""

    message: str
    added: str = ""


class PathPick:
    """The path being built on the graph for the open paths question, if there is one."""

    def __init__(self, graph: Graph, changed: Callable[[], None] = lambda: None) -> None:
        self.graph = graph
        self._changed = changed  # told when the nodes change (the graph draws them)
        self.question: Question | None = None
        self.nodes: tuple[str, ...] = ()  # in the order marked

    def follow(self, question: Question | None) -> None:
        """The learner is at `question`: pick for it if it asks for paths, else for none."""
        asks = question if question is not None and question.kind is Kind.PATHS else None
        if asks == self.question:
            return
        self.question = asks
        self._set(())

    def _set(self, nodes: tuple[str, ...]) -> None:
        if nodes != self.nodes:
            self.nodes = nodes
            self._changed()

    @property
    def target(self) -> str:
        """The node the paths run to (the objective when no question is open)."""
        return self.question.node if self.question is not None else self.graph.objective

    @property
    def upward(self) -> bool:
        """Whether the path is being marked from the node up to the objective."""
        return bool(self.nodes) and self.nodes[0] != self.graph.objective

    @property
    def drawn(self) -> tuple[str, ...]:
        """The nodes marked so far, objective first (as the graph highlights a path)."""
        return self.nodes[::-1] if self.upward else self.nodes

    @property
    def finished(self) -> bool:
        """Whether the path has reached its far end (the node, or the objective going up)."""
        end = self.graph.objective if self.upward else self.target
        return len(self.nodes) > 1 and self.nodes[-1] == end

    def shown(self) -> str:
        """The path so far as the quiz row shows it: `J → L → …` (or `a ← u ← …` going up)."""
        arrow = " ← " if self.upward else " → "
        text = arrow.join(self.graph.label(n) for n in self.nodes)
        return text if self.finished else text + arrow + "…"

    def mark(self, node: str) -> Picked:
        """Mark `node` onto the path; a hop that is not an edge is refused, named."""
        label = self.graph.label
        objective, target = self.graph.objective, self.target
        if not self.nodes:
            if node not in (objective, target):
                return Picked(
                    f"A path runs from {label(objective)} down to {label(target)}: start it at "
                    f"{label(objective)} (or at {label(target)}, going up). {KEYS}."
                )
            return self._grown((node,))
        if self.finished:
            end = label(self.nodes[-1])
            return Picked(f"The path has reached {end}: Enter adds it, Backspace takes {end} back.")
        nodes = (*self.nodes, node)
        problem = hop_problem(self.graph, nodes[::-1] if self.upward else nodes)
        if problem is not None:
            return Picked(f"{problem} The path stays {self.shown()}")
        return self._grown(nodes)

    def _grown(self, nodes: tuple[str, ...]) -> Picked:
        self._set(nodes)
        if self.finished:
            return Picked(f"Picked {self.shown()}: Enter adds it to the answer.")
        return Picked(f"Picking {self.shown()}: {KEYS}.")

    def take_back(self) -> Picked:
        """Take the last marked node back."""
        if not self.nodes:
            return Picked(f"No node is marked yet. {KEYS}.")
        self._set(self.nodes[:-1])
        if not self.nodes:
            return Picked(f"No node is marked now. {KEYS}.")
        return Picked(f"Picking {self.shown()}: {KEYS}.")

    def add(self) -> Picked:
        """The finished path, as typed into the answer; the next path starts afresh."""
        label = self.graph.label
        if not self.nodes:
            start = label(self.graph.objective)
            return Picked(f"No path is marked yet: select {start} and press Space. {KEYS}.")
        if not self.finished:
            end = label(self.graph.objective if self.upward else self.target)
            return Picked(
                f"{self.shown()} stops at {label(self.nodes[-1])}: mark nodes on to {end}, "
                "then Enter adds it."
            )
        text = " → ".join(label(n) for n in self.drawn)
        self._set(())
        if asks_count(self.graph, self.target):
            return Picked(
                f"Added {text} as the example: the answer is the number of paths, then ';', "
                "then one path.",
                text,
            )
        return Picked(
            f"Added {text} to the answer: pick another, or Enter in the quiz row checks it.",
            text,
        )
