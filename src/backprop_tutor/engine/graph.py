"""The computation graph: named nodes, their kinds, operands and consumers, and formulas."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property

from .expr import ZERO, Expr
from .names import display_name
from .shapes import Shaped, Shapes
from .symbolic import render
from .tape import EvalError, Sweep, Tape, backward, compile_expr, forward, sweep_for, value_at


class NodeKind(Enum):
    """What a node is, which decides how it is drawn and whether SGD updates it."""

    INPUT = "input"
    CONSTANT = "constant"
    PARAMETER = "parameter"
    INTERMEDIATE = "intermediate"
    OBJECTIVE = "objective"


@dataclass(frozen=True, slots=True)
class NodeInfo:
    """One node: its name, kind, source expression (computed nodes) and operands."""

    name: str
    kind: NodeKind
    expression: str | None = None
    operands: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        """Whether the node is fed from outside (input, constant, parameter)."""
        return self.expression is None


class Graph:
    """An immutable computation graph, compiled once and evaluated at every step."""

    def __init__(
        self,
        *,
        inputs: tuple[str, ...],
        constants: tuple[str, ...],
        parameters: tuple[str, ...],
        computed: Mapping[str, tuple[str, Expr | Shaped]],
        objective: str,
        gradient_names: Mapping[str, str] | None = None,
        roles: Mapping[str, str] | None = None,
        shapes: Shapes | None = None,
    ) -> None:
        """Build from validated parts; `computed` maps name → (source text, parsed tree or
        its shape, as `shapes` parsed it)."""
        self.objective = objective
        # What the lesson says a node is ("data", "regularization"); never guessed.
        self.roles: Mapping[str, str] = dict(roles or {})
        self.inputs = inputs
        self.constants = constants
        self.parameters = parameters
        self.computed: tuple[str, ...] = tuple(computed)
        # A node comes as its tree or as its shape (shapes.py); the other is made when asked.
        self._shapes = shapes or Shapes()
        self._trees: dict[str, Expr] = {}
        self._shaped: dict[str, Shaped] = {}
        self._gradient_names = dict(gradient_names or {})
        self._formulas: dict[tuple[str, str], Expr] = {}
        self._formula_texts: dict[tuple[str, str], str] = {}
        self._labels: dict[str, str] = {}
        nodes: list[NodeInfo] = []
        nodes += [NodeInfo(name, NodeKind.INPUT) for name in inputs]
        nodes += [NodeInfo(name, NodeKind.CONSTANT) for name in constants]
        nodes += [NodeInfo(name, NodeKind.PARAMETER) for name in parameters]
        # What a step runs. Values live in a list of slots, one per node in `nodes` order
        # (leaves first, then computed nodes in evaluation order), so the hot loops index
        # lists instead of hashing names. Per computed node: its name, its operands' slots,
        # its tape and the function that sweeps it (a shortcut for one-operation tapes).
        self.slot_names: tuple[str, ...] = (*inputs, *constants, *parameters, *computed)
        slot = {name: index for index, name in enumerate(self.slot_names)}
        consumers: dict[str, list[str]] = {name: [] for name in self.slot_names}
        self.tapes: dict[str, Tape] = {}
        program: list[tuple[str, tuple[int, ...], Tape, Sweep]] = []
        # One pass over the computed nodes (a lesson may have 100k), then one over the edges.
        for name, (source, form) in computed.items():
            if isinstance(form, Shaped):
                self._shaped[name] = form
                tape = form.tape()
            else:
                self._trees[name] = form
                tape = compile_expr(form)
            self.tapes[name] = tape
            operands = tape.operands
            kind = NodeKind.OBJECTIVE if name == objective else NodeKind.INTERMEDIATE
            nodes.append(NodeInfo(name, kind, source, operands))
            program.append((name, tuple(map(slot.__getitem__, operands)), tape, sweep_for(tape)))
        # Flat passes over every edge: one comprehension each, not one per node.
        edge_pairs = [
            (operand, name) for name, tape in self.tapes.items() for operand in tape.operands
        ]
        edge_slots = [(slot[operand], slot[name]) for operand, name in edge_pairs]
        for operand, name in edge_pairs:
            consumers[operand].append(name)
        self.nodes: tuple[NodeInfo, ...] = tuple(nodes)
        self._by_name = {node.name: node for node in nodes}
        self._consumers = {name: tuple(users) for name, users in consumers.items()}
        self.program: tuple[tuple[str, tuple[int, ...], Tape, Sweep], ...] = tuple(program)
        # Every edge operand → node, in evaluation order (u→h before h→v), as names and as
        # slot pairs; the backward sweep takes the pairs from the objective down.
        self.edge_pairs: tuple[tuple[str, str], ...] = tuple(edge_pairs)
        self.backward_slots: tuple[tuple[int, int], ...] = tuple(reversed(edge_slots))

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def node(self, name: str) -> NodeInfo:
        """The node called `name` (KeyError if there is none)."""
        return self._by_name[name]

    def operands(self, name: str) -> tuple[str, ...]:
        """The distinct names `name`'s expression uses, in order of first appearance."""
        return self._by_name[name].operands

    def consumers(self, name: str) -> tuple[str, ...]:
        """The computed nodes whose expressions use `name`, in evaluation order."""
        return self._consumers[name]

    def live_consumers(self, name: str) -> tuple[str, ...]:
        """The consumers of `name` that the objective depends on: where its gradient comes from."""
        counts = self.path_counts
        return tuple(c for c in self._consumers[name] if counts[c] > 0)

    def tree(self, name: str) -> Expr:
        """The parsed expression of a computed node."""
        tree = self._trees.get(name)
        if tree is None:
            tree = self._trees[name] = self._shaped[name].tree()
        return tree

    def _shape_of(self, name: str) -> Shaped:
        shaped = self._shaped.get(name)
        if shaped is None:
            shaped = self._shaped[name] = self._shapes.of_tree(self._trees[name])
        return shaped

    def label(self, name: str) -> str:
        """The name as a learner reads it (λ for lambda)."""
        return display_name(name)

    @property
    def objective_label(self) -> str:
        """The objective's name as a learner reads it: J, E, loss."""
        return self.label(self.objective)

    def derivative_symbol(self, name: str) -> str:
        """∂objective/∂name in the lesson's own names: ∂J/∂a, ∂E/∂w₅."""
        return f"∂{self.objective_label}/∂{self.label(name)}"

    def gradient_label(self, name: str) -> str:
        """How ∂objective/∂name is written: its lesson-given name (δ) or ∂E/∂name."""
        if name in self._gradient_names:
            return display_name(self._gradient_names[name])
        return self.derivative_symbol(name)

    def gradient_prompt(self, name: str) -> str:
        """A gradient as a question names it: `∂J/∂a`, or `δ = ∂J/∂v` where it is named."""
        named, full = self.gradient_label(name), self.derivative_symbol(name)
        return full if named == full else f"{named} = {full}"

    @property
    def gradient_names(self) -> Mapping[str, str]:
        """The lesson's names for gradients, node → name."""
        return dict(self._gradient_names)

    def role(self, name: str) -> str | None:
        """The role the lesson declares for a node ([roles]), or None if it declares none."""
        return self.roles.get(name)

    def expression_text(self, name: str) -> str:
        """A computed node's expression, pretty-printed (c·h + u + d)."""
        return render(self.tree(name))

    def local_tree(self, node: str, operand: str) -> Expr:
        """∂node/∂operand as a simplified expression tree (built once, then cached)."""
        key = (node, operand)
        if key not in self._formulas:
            shaped = self._shape_of(node)
            # A name the node does not use has slope 0, as differentiating would say.
            found = shaped.derivative(operand) if operand in shaped.names else ZERO
            self._formulas[key] = found
        return self._formulas[key]

    def local_formula(
        self, node: str, operand: str, values: Mapping[str, float] | None = None
    ) -> str:
        """∂node/∂operand pretty-printed; with `values`, the numbers put in for the names."""
        if values is not None:
            return render(self.local_tree(node, operand), values)
        key = (node, operand)
        text = self._formula_texts.get(key)
        if text is None:
            # Printed once per shape and operand; this node's names are put in.
            shaped = self._shape_of(node)
            if operand not in shaped.names:
                text = render(ZERO)
            else:
                labels = self._labels_of(shaped.names)
                text = shaped.shape.formula(shaped.names.index(operand), labels)
            self._formula_texts[key] = text
        return text

    def _labels_of(self, names: tuple[str, ...]) -> tuple[str, ...]:
        labels = self._labels
        missing = [name for name in names if name not in labels]
        labels.update(zip(missing, map(display_name, missing), strict=True))
        return tuple(map(labels.__getitem__, names))

    @cached_property
    def edge_index(self) -> Mapping[tuple[str, str], int]:
        """Where each edge (operand, node) stands in `edge_pairs`."""
        return {pair: index for index, pair in enumerate(self.edge_pairs)}

    @cached_property
    def edge_formulas(self) -> tuple[str, ...]:
        """∂node/∂operand printed for every edge, in `edge_pairs` order (as local_formula)."""
        texts: list[str] = []
        for name in self.computed:
            shaped = self._shape_of(name)
            formula = shaped.shape.formula
            labels = self._labels_of(shaped.names)
            texts += [formula(index, labels) for index in range(len(labels))]
        return tuple(texts)

    def evaluate(self, name: str, env: Mapping[str, float]) -> float:
        """A computed node's value from arbitrary operand values (raises EvalError)."""
        return value_at(self.tapes[name], env)

    def local_partials(self, name: str, env: Mapping[str, float]) -> dict[str, float]:
        """∂name/∂operand for every operand, at arbitrary operand values."""
        tape = self.tapes[name]
        slots = forward(tape, [float(env[op]) for op in tape.operands])
        return dict(zip(tape.operands, backward(tape, slots), strict=True))

    @cached_property
    def path_counts(self) -> Mapping[str, int]:
        """How many paths lead from the objective to each node (dynamic programming)."""
        counts = {node.name: 0 for node in self.nodes}
        counts[self.objective] = 1
        for name in reversed(self.computed):
            count = counts[name]
            if count:
                for operand in self.operands(name):
                    counts[operand] += count
        return counts

    @cached_property
    def _parameter_bits(self) -> dict[str, int]:
        """Per node, one bit per parameter its value depends on: one pass over the edges."""
        bits = {name: 1 << index for index, name in enumerate(self.parameters)}
        for name in self.computed:
            mask = 0
            for operand in self.operands(name):
                mask |= bits.get(operand, 0)
            bits[name] = mask
        return bits

    def reaches(self, target: str) -> frozenset[str]:
        """The computed nodes whose value depends on `target` (through any path)."""
        if target in self.parameters:
            # Asked for every parameter (paths, the export): one pass answers them all.
            bits = self._parameter_bits
            bit = bits[target]
            return frozenset(name for name in self.computed if bits[name] & bit)
        found: set[str] = set()
        frontier = [target]
        while frontier:
            for consumer in self._consumers[frontier.pop()]:
                if consumer not in found:
                    found.add(consumer)
                    frontier.append(consumer)
        return frozenset(found)


__all__ = ["EvalError", "Graph", "NodeInfo", "NodeKind"]
