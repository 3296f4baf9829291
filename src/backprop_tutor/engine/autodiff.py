"""Reverse-mode autodiff across the graph: one forward sweep, one backward sweep, one update."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .graph import Graph
from .tape import EvalError
from .trace import StepTrace


class StepError(ArithmeticError):
    """A node whose value or slope cannot be computed at some step."""

    def __init__(self, node: str, reason: str) -> None:
        super().__init__(f"node {node}: {reason}")
        self.node = node
        self.reason = reason


def _check_local_partials(graph: Graph, local_partials: list[float]) -> None:
    """Raise StepError at the first node with a local derivative too large for a float."""
    # One sum for the whole step instead of a test per node: it is finite when they all
    # are (and when it overflows although they are finite, the exact test says so).
    if math.isfinite(sum(local_partials)) or all(map(math.isfinite, local_partials)):
        return
    first = next(i for i, x in enumerate(local_partials) if not math.isfinite(x))
    raise StepError(graph.edge_nodes[first], "a local derivative is too large to represent")


def run_step(
    graph: Graph,
    *,
    step: int,
    inputs: Mapping[str, float],
    constants: Mapping[str, float],
    params: Mapping[str, float],
    learning_rate: float,
) -> StepTrace:
    """Forward, backward and SGD update for one step; raises StepError naming the node."""
    values: dict[str, float] = {}
    values.update(inputs)
    values.update(constants)
    values.update(params)
    leaves = len(graph.slot_names) - len(graph.computed)
    slots = [values[name] for name in graph.slot_names[:leaves]]
    # ∂node/∂operand for every edge, in graph.edge_pairs order, taken while the forward
    # slots are at hand, so that the backward sweep below is only the chain rule.
    local_partials: list[float] = []
    keep = local_partials.extend
    isfinite = math.isfinite
    slot_value = slots.__getitem__
    store = slots.append
    program = zip(
        graph.computed, graph.program_slots, graph.program_tapes, graph.program_sweeps, strict=True
    )
    for name, operands, tape, sweep in program:
        try:
            value, partials = sweep(tape, list(map(slot_value, operands)))
        except EvalError as error:
            # A node before this one whose slope overflowed is the first to fail.
            _check_local_partials(graph, local_partials)
            raise StepError(name, str(error)) from None
        store(value)
        keep(partials)
    _check_local_partials(graph, local_partials)

    # Edges from the objective down: every consumer of a node comes after it, so ∂J/∂node
    # is complete before the node passes it on to its operands.
    adjoint = [0.0] * len(slots)
    adjoint[graph.slot_names.index(graph.objective)] = 1.0
    edges = zip(
        graph.backward_operands, graph.backward_nodes, reversed(local_partials), strict=True
    )
    for operand, node, local in edges:
        adjoint[operand] += adjoint[node] * local
    # Finite locals can still multiply past the largest float along a long path. Name the
    # node nearest the objective where that happened (its gradient is overflowed first).
    if not isfinite(sum(adjoint)) and not all(isfinite(x) for x in adjoint):
        name = next(
            graph.slot_names[index]
            for index in reversed(range(len(adjoint)))
            if not isfinite(adjoint[index])
        )
        raise StepError(
            name, f"∂{graph.objective}/∂{name} overflows: the gradient is too large for a float"
        )

    values.update(zip(graph.slot_names[leaves:], slots[leaves:], strict=True))
    grads = dict.fromkeys(values, 0.0)
    grads.update(zip(graph.slot_names, adjoint, strict=True))
    params_after = {name: value - learning_rate * grads[name] for name, value in params.items()}
    for name, value in params_after.items():
        if not math.isfinite(value):
            raise StepError(name, "the updated value overflows")
    # The Edge objects (operand → node, local, contribution) are built from these numbers
    # when a display first asks for them.
    return StepTrace(
        graph=graph,
        step=step,
        inputs=dict(inputs),
        params_before=dict(params),
        values=values,
        grads=grads,
        local_partials=tuple(local_partials),
        params_after=params_after,
        learning_rate=learning_rate,
    )
