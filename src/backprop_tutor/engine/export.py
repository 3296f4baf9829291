"""Traces as plain JSON-ready data (the shape `backprop-tutor trace --json` prints)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from operator import mul
from typing import Any

from .graph import Graph
from .lesson import Lesson
from .shapes import names_json
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
        "paths": _paths(trace),
        "params_after": dict(trace.params_after),
    }


def _paths(trace: StepTrace) -> dict[str, Any]:
    """Per parameter, how many paths reach it from the objective, and the first 100."""
    return {
        name: {
            "count": trace.path_count(name),
            "paths": [
                {"nodes": list(nodes), "product": trace.path_product(nodes)}
                for nodes in trace.path_nodes(name, limit=100)
            ],
        }
        for name in trace.graph.parameters
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


def lesson_json(lesson: Lesson, traces: tuple[StepTrace, ...]) -> str:
    """`json.dumps(lesson_to_dict(lesson, traces), ensure_ascii=False)`, byte for byte."""
    pieces: list[str] = []
    write_lesson_json(lesson, traces, pieces.append)
    return "".join(pieces)


def write_lesson_json(
    lesson: Lesson, traces: tuple[StepTrace, ...], write: Callable[[str], object]
) -> None:
    """Write `lesson_json`'s text in pieces, made without a dictionary per edge (each
    node's edges come from its shape's template), so a large lesson's document is never
    held whole."""
    head = json.dumps(
        {
            "lesson": lesson.name,
            "title": lesson.title,
            "objective": lesson.objective,
            "learning_rate": lesson.learning_rate,
        },
        ensure_ascii=False,
    )
    graph = lesson.graph
    # Every name and its label as JSON text, once for all steps.
    pairs = {name: names_json(name, graph.label(name)) for name in graph.slot_names}
    write(f'{head[:-1]}, "steps": [')
    for index, trace in enumerate(traces):
        if index:
            write(", ")
        _write_step(trace, pairs, write)
    write("]}")


def _write_step(
    trace: StepTrace, pairs: Mapping[str, tuple[str, str]], write: Callable[[str], object]
) -> None:
    """One step as `step_to_dict` gives it, as JSON text."""
    graph = trace.graph
    grads = trace.grads
    head = json.dumps(
        {
            "step": trace.step,
            "inputs": trace.inputs,
            "params_before": trace.params_before,
            "values": trace.values,
            "grads": grads,
        },
        ensure_ascii=False,
    )
    write(f'{head[:-1]}, "edges": [')
    # Every number is finite (run_step refuses a local derivative or a gradient that is
    # not, and each contribution is a term of a gradient), so each formats as json writes it.
    contributions = list(map(mul, map(grads.__getitem__, graph.edge_nodes), trace.local_partials))
    chunks = _edge_chunks(graph, pairs, trace.local_partials, contributions)
    for index, chunk in enumerate(chunks):
        write(f", {chunk}" if index else chunk)
    tail = json.dumps(
        {"paths": _paths(trace), "params_after": trace.params_after}, ensure_ascii=False
    )
    write(f"], {tail[1:]}")


_NODES_A_CHUNK = 1024


def _edge_chunks(
    graph: Graph,
    pairs: Mapping[str, tuple[str, str]],
    local: Sequence[float],
    contributions: Sequence[float],
) -> Iterator[str]:
    """Every edge's JSON text, a node at a time through its shape's template, joined into
    chunks of `_NODES_A_CHUNK` nodes."""
    pair = pairs.__getitem__
    pieces = []
    start = 0
    for name, shaped in graph.shaped_nodes():
        if not shaped.names:
            continue  # a node of numbers alone has no edges
        end = start + len(shaped.names)
        pieces.append(
            shaped.shape.edges_json().format(
                *map(pair, shaped.names), pair(name), *local[start:end], *contributions[start:end]
            )
        )
        start = end
        if len(pieces) == _NODES_A_CHUNK:
            yield ", ".join(pieces)
            pieces.clear()
    if pieces:
        yield ", ".join(pieces)
