"""Traces as plain JSON-ready data (the shape `backprop-tutor trace --json` prints)."""

from __future__ import annotations

from typing import Any

from .lesson import Lesson
from .trace import StepTrace


def step_to_dict(trace: StepTrace) -> dict[str, Any]:
    """One step: inputs, parameters before and after, values, gradients and every edge."""
    graph = trace.graph
    grads = trace.grads
    return {
        "step": trace.step,
        "inputs": dict(trace.inputs),
        "params_before": dict(trace.params_before),
        "values": dict(trace.values),
        "grads": dict(trace.grads),
        # The numbers of trace.edges, read without building an Edge object for each.
        "edges": [
            {
                "from": operand,
                "to": node,
                "local": local,
                "formula": formula,
                "contribution": grads[node] * local,
            }
            for (operand, node), local, formula in zip(
                graph.edge_pairs, trace.local_partials, graph.edge_formulas, strict=True
            )
        ],
        "paths": {
            name: {
                "count": trace.path_count(name),
                "paths": [
                    {"nodes": list(path.nodes), "product": path.product}
                    for path in trace.paths(name, limit=100)
                ],
            }
            for name in graph.parameters
        },
        "params_after": dict(trace.params_after),
    }


def lesson_to_dict(lesson: Lesson, traces: tuple[StepTrace, ...]) -> dict[str, Any]:
    """The whole run of a lesson."""
    return {
        "lesson": lesson.name,
        "title": lesson.title,
        "objective": lesson.objective,
        "learning_rate": lesson.learning_rate,
        "steps": [step_to_dict(trace) for trace in traces],
    }
