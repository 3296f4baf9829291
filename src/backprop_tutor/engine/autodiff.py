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
    # ∂node/∂operand for every edge, in graph.edge_pairs order, taken while the forward
    # slots are at hand, so that the backward sweep below is only the chain rule.
    local_partials: list[float] = []
    keep = local_partials.extend
    isfinite = math.isfinite
    value_of = values.__getitem__
    for name, operands, tape, sweep in graph.program:
        try:
            value, partials = sweep(tape, list(map(value_of, operands)))
        except EvalError as error:
            raise StepError(name, str(error)) from None
        # One sum instead of a test per partial: it is finite when they all are (and when
        # it overflows although they are finite, the exact test below says so).
        if not isfinite(sum(partials)) and not all(isfinite(x) for x in partials):
            raise StepError(name, "a local derivative is too large to represent")
        values[name] = value
        keep(partials)

    grads = dict.fromkeys(values, 0.0)
    grads[graph.objective] = 1.0
    # Edges from the last node back: every consumer of a node comes after it, so ∂J/∂node
    # is complete before the node passes it on to its operands.
    for (operand, node), local in zip(
        graph.reversed_edge_pairs, reversed(local_partials), strict=True
    ):
        grads[operand] += grads[node] * local

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
