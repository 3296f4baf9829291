"""The computation graph: named nodes, their kinds, operands and consumers, and formulas."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, reduce
from itertools import accumulate, chain, compress, repeat
from operator import or_

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
        # The validated parts are kept as they came (not copied): sources for `nodes`.
        self._computed = computed
        # What a step runs. Values live in a list of slots, one per name in `slot_names`
        # (leaves first, then computed nodes in evaluation order), so the hot loops index
        # lists instead of hashing names. Per computed node, in parallel tuples: its
        # operands' slots, the tape its sweep reads (a node's shape's, shared by every
        # node of that shape: a sweep reads only its operations and literals) and the
        # function that sweeps it (a shortcut for one-operation tapes).
        self.slot_names: tuple[str, ...] = (*inputs, *constants, *parameters, *computed)
        self._slot = slot = {name: index for index, name in enumerate(self.slot_names)}
        forms = [form for _, form in computed.values()]
        self._node_tapes: dict[str, Tape] = {}
        if set(map(type, forms)) <= {Shaped}:
            # A lesson's nodes, all shapes: every pass below is one C loop over the nodes.
            shaped_forms: list[Shaped] = forms  # type: ignore[assignment]
            self._shaped = dict(zip(self.computed, shaped_forms, strict=True))
            operand_names = [shaped.names for shaped in shaped_forms]
            tapes = [shaped.shape.tape for shaped in shaped_forms]
        else:
            operand_names, tapes = [], []
            for name, form in zip(self.computed, forms, strict=True):
                if isinstance(form, Shaped):
                    self._shaped[name] = form
                    tape = form.shape.tape
                    names = form.names
                else:
                    self._trees[name] = form
                    tape = self._node_tapes[name] = compile_expr(form)
                    names = tape.operands
                operand_names.append(names)
                tapes.append(tape)
        self._operands: dict[str, tuple[str, ...]] = dict(
            zip(self.computed, operand_names, strict=True)
        )
        # tuple(map(slot.__getitem__, names)) for each node's names, without a Python loop.
        self.program_slots: tuple[tuple[int, ...], ...] = tuple(
            map(tuple, map(map, repeat(slot.__getitem__), operand_names))
        )
        self.program_tapes: tuple[Tape, ...] = tuple(tapes)
        self.program_sweeps: tuple[Sweep, ...] = tuple(map(sweep_for, tapes))
        # Every edge operand → node, in evaluation order (u→h before h→v), as two flat
        # tuples of names, and as slots from the objective down for the backward sweep:
        # numbers in flat tuples, not an object per edge.
        fan_in = list(map(len, operand_names))
        self.edge_operands: tuple[str, ...] = tuple(chain.from_iterable(operand_names))
        self.edge_nodes: tuple[str, ...] = tuple(
            chain.from_iterable(map(repeat, self.computed, fan_in))
        )
        leaves = len(self.slot_names) - len(self.computed)
        operand_slots = list(chain.from_iterable(self.program_slots))
        node_slots = list(chain.from_iterable(map(repeat, range(leaves, len(slot)), fan_in)))
        self.backward_operands: tuple[int, ...] = tuple(reversed(operand_slots))
        self.backward_nodes: tuple[int, ...] = tuple(reversed(node_slots))

    @cached_property
    def nodes(self) -> tuple[NodeInfo, ...]:
        """Every node: inputs, constants, parameters, then computed nodes in order."""
        nodes = [NodeInfo(name, NodeKind.INPUT) for name in self.inputs]
        nodes += [NodeInfo(name, NodeKind.CONSTANT) for name in self.constants]
        nodes += [NodeInfo(name, NodeKind.PARAMETER) for name in self.parameters]
        objective = self.objective
        for name, (source, _) in self._computed.items():
            kind = NodeKind.OBJECTIVE if name == objective else NodeKind.INTERMEDIATE
            nodes.append(NodeInfo(name, kind, source, self._operands[name]))
        return tuple(nodes)

    @cached_property
    def _by_name(self) -> dict[str, NodeInfo]:
        return {node.name: node for node in self.nodes}

    @cached_property
    def tapes(self) -> Mapping[str, Tape]:
        """Each computed node's tape, reading the node's own names."""
        made = self._node_tapes
        return {name: made.get(name) or self._shaped[name].tape() for name in self.computed}

    @cached_property
    def edge_pairs(self) -> tuple[tuple[str, str], ...]:
        """Every edge (operand, node), in evaluation order (u→h before h→v)."""
        return tuple(zip(self.edge_operands, self.edge_nodes, strict=True))

    @cached_property
    def _consumers(self) -> dict[str, tuple[str, ...]]:
        consumers: dict[str, list[str]] = {name: [] for name in self.slot_names}
        for operand, name in zip(self.edge_operands, self.edge_nodes, strict=True):
            consumers[operand].append(name)
        return {name: tuple(users) for name, users in consumers.items()}

    def __contains__(self, name: object) -> bool:
        return name in self._slot

    def node(self, name: str) -> NodeInfo:
        """The node called `name` (KeyError if there is none)."""
        return self._by_name[name]

    def operands(self, name: str) -> tuple[str, ...]:
        """The distinct names `name`'s expression uses, in order of first appearance."""
        found = self._operands.get(name)
        if found is None:
            if name not in self._slot:
                raise KeyError(name)
            return ()
        return found

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

    def shaped_nodes(self) -> Iterator[tuple[str, Shaped]]:
        """Each computed node, in evaluation order, with its shape and names."""
        shape_of = self._shape_of
        return ((name, shape_of(name)) for name in self.computed)

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
    def _edge_starts(self) -> dict[str, int]:
        # Where each computed node's edges start in edge order (its operands follow).
        starts = accumulate(map(len, self._operands.values()), initial=0)
        return dict(zip(self.computed, starts, strict=False))  # one start more than nodes

    def edge_position(self, operand: str, node: str) -> int:
        """Where the edge operand → node stands in edge order (KeyError if there is none)."""
        try:
            return self._edge_starts[node] + self._operands[node].index(operand)
        except (KeyError, ValueError):
            raise KeyError((operand, node)) from None

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
        counts = dict.fromkeys(self.slot_names, 0)
        counts[self.objective] = 1
        operands = self._operands
        for name in reversed(self.computed):
            count = counts[name]
            if count:
                for operand in operands[name]:
                    counts[operand] += count
        return counts

    @cached_property
    def _parameter_bits(self) -> dict[str, int]:
        """Per node, one bit per parameter its value depends on: one pass over the edges."""
        bits = {name: 1 << index for index, name in enumerate(self.parameters)}
        get = bits.get
        for name, operands in self._operands.items():
            bits[name] = reduce(or_, map(get, operands, repeat(0)), 0)
        return bits

    def depends_on(self, target: str) -> Callable[[str], object]:
        """A test of whether a computed node's value depends on `target`: true exactly for
        the names in `reaches(target)`, without building that set for a parameter."""
        if target in self.parameters:
            bits, bit = self._parameter_bits, self._parameter_bits[target]
            computed = self._operands
            return lambda name: name in computed and bits[name] & bit
        return self.reaches(target).__contains__

    def reaches(self, target: str) -> frozenset[str]:
        """The computed nodes whose value depends on `target` (through any path)."""
        if target in self.parameters:
            # Asked for every parameter (paths, the export): one pass answers them all.
            bits = self._parameter_bits
            computed = self.computed
            masks = map(bits[target].__and__, map(bits.__getitem__, computed))
            return frozenset(compress(computed, masks))
        found: set[str] = set()
        frontier = [target]
        while frontier:
            for consumer in self._consumers[frontier.pop()]:
                if consumer not in found:
                    found.add(consumer)
                    frontier.append(consumer)
        return frozenset(found)


__all__ = ["EvalError", "Graph", "NodeInfo", "NodeKind"]
