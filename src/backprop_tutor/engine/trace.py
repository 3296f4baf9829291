"""What one step of a lesson computed: immutable data that every front end reads."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .graph import Graph


@dataclass(frozen=True, slots=True)
class Edge:
    """An operand feeding a node: ∂node/∂operand (`local`) and ∂J/∂node · local (`contribution`)."""

    operand: str
    node: str
    local: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Path:
    """One path from the objective down to a node, with one local-derivative factor per hop."""

    nodes: tuple[str, ...]
    factors: tuple[Edge, ...]
    product: float

    @property
    def branch(self) -> str:
        """The node the path leaves the objective through (L for data, R for regularization)."""
        return self.nodes[1] if len(self.nodes) > 1 else self.nodes[0]


@dataclass(frozen=True)
class StepTrace:
    """Values, gradients, edges and the SGD update of one step."""

    graph: Graph = field(repr=False)
    step: int
    inputs: Mapping[str, float]
    params_before: Mapping[str, float]
    values: Mapping[str, float]
    grads: Mapping[str, float]
    # ∂node/∂operand for every edge, in graph.edge_pairs order: what each Edge is made of.
    local_partials: tuple[float, ...] = field(repr=False)
    params_after: Mapping[str, float]
    learning_rate: float

    @cached_property
    def edges(self) -> tuple[Edge, ...]:
        """Every operand → node edge, in evaluation order (u→h before h→v), as a learner
        reads them; built on first use from `local_partials` and `grads`."""
        grads = self.grads
        return tuple(
            Edge(operand, node, local, grads[node] * local)
            for (operand, node), local in zip(
                self.graph.edge_pairs, self.local_partials, strict=True
            )
        )

    @cached_property
    def _edge_memo(self) -> dict[tuple[str, str], Edge]:
        return {}

    def edge(self, operand: str, node: str) -> Edge:
        """The edge operand → node (KeyError if `node` does not use `operand`)."""
        # Built alone, from the same numbers as `edges`: a path or a gradient row reads a
        # few edges, and need not wait for every edge of a large graph.
        key = (operand, node)
        found = self._edge_memo.get(key)
        if found is None:
            local = self.local_partials[self.graph.edge_position(operand, node)]
            found = self._edge_memo[key] = Edge(operand, node, local, self.grads[node] * local)
        return found

    def contributions_to(self, name: str) -> tuple[Edge, ...]:
        """The edges from `name` to its consumers; their contributions sum to grads[name]."""
        return tuple(self.edge(name, consumer) for consumer in self.graph.consumers(name))

    def path_count(self, name: str) -> int:
        """How many paths lead from the objective to `name` (counted, never enumerated)."""
        return self.graph.path_counts[name]

    def paths(self, name: str, limit: int | None = None) -> Iterator[Path]:
        """Paths from the objective to `name`, lazily, in operand order; at most `limit`."""
        return map(self._make_path, self.path_nodes(name, limit))

    def path_product(self, nodes: tuple[str, ...]) -> float:
        """The product of the local derivatives along a path, as its `Path.product`."""
        local = self.local_partials
        position = self.graph.edge_position
        product = 1.0
        for i in range(len(nodes) - 1):
            product *= local[position(nodes[i + 1], nodes[i])]
        return product

    def path_nodes(self, name: str, limit: int | None = None) -> Iterator[tuple[str, ...]]:
        """The nodes of each path `paths` gives, without its edges."""
        graph = self.graph
        useful = graph.depends_on(name)
        start = graph.objective
        if start != name and not useful(start):
            return
        emitted = 0
        # Iterative depth-first search, so a 100k-deep chain cannot exhaust the stack.
        trail = [start]
        choices = [self._next_hops(start, name, useful)]
        while choices:
            hop = next(choices[-1], None)
            if trail[-1] == name:
                hop = None
                if limit is not None and emitted >= limit:
                    return
                yield tuple(trail)
                emitted += 1
            if hop is None:
                choices.pop()
                trail.pop()
                continue
            trail.append(hop)
            choices.append(self._next_hops(hop, name, useful))

    def _next_hops(self, node: str, target: str, useful: Callable[[str], object]) -> Iterator[str]:
        if node == target:
            return iter(())
        return iter([op for op in self.graph.operands(node) if op == target or useful(op)])

    def _make_path(self, nodes: tuple[str, ...]) -> Path:
        factors = tuple(self.edge(nodes[i + 1], nodes[i]) for i in range(len(nodes) - 1))
        product = 1.0
        for factor in factors:
            product *= factor.local
        return Path(nodes, factors, product)
