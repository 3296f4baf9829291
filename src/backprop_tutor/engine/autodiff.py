"""Reverse-mode autodiff across the graph: one forward sweep, one backward sweep, one update."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .graph import Graph
from .tape import EvalError, backward, forward, value_of
from .trace import Edge, StepTrace


class StepError(ArithmeticError):
    """A node whose value or slope cannot be computed at some step."""

    def __init__(self, node: str, reason: str) -> None:
        super().__init__(f"node {node}: {reason}")
        self.node = node
        self.reason = reason


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
    locals_by_node: dict[str, list[float]] = {}
    tapes = graph.tapes
    for name in graph.computed:
        tape = tapes[name]
        try:
            slots = forward(tape, [values[op] for op in tape.operands])
            value = value_of(tape, slots)
            if not math.isfinite(value):
                # NaN is the one float unequal to itself.
                raise EvalError(
                    "overflow: the value is too large" if value == value else "not a number"
                )
            # Local partials are taken while the slots are at hand, so that the backward
            # sweep below is only the chain rule across nodes.
            partials = backward(tape, slots)
            if not all(math.isfinite(x) for x in partials):
                raise EvalError("a local derivative is too large to represent")
        except EvalError as error:
            raise StepError(name, str(error)) from None
        values[name] = value
        locals_by_node[name] = partials

    grads = dict.fromkeys(values, 0.0)
    grads[graph.objective] = 1.0
    edges_by_node: dict[str, list[Edge]] = {}
    for name in reversed(graph.computed):
        g = grads[name]
        node_edges = edges_by_node[name] = []
        for operand, local in zip(tapes[name].operands, locals_by_node[name], strict=True):
            contribution = g * local
            grads[operand] += contribution
            node_edges.append(Edge(operand, name, local, contribution))
    # Listed in evaluation order (u→h before h→v), which is how a learner reads them.
    edges = [edge for name in graph.computed for edge in edges_by_node[name]]

    params_after = {name: value - learning_rate * grads[name] for name, value in params.items()}
    for name, value in params_after.items():
        if not math.isfinite(value):
            raise StepError(name, "the updated value overflows")
    return StepTrace(
        graph=graph,
        step=step,
        inputs=dict(inputs),
        params_before=dict(params),
        values=values,
        grads=grads,
        edges=tuple(edges),
        params_after=params_after,
        learning_rate=learning_rate,
    )
