"""`backprop-tutor trace`: every step of a lesson as tables, or as one JSON document."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from ..engine import DEFAULT_LESSON, Lesson, StepTrace, format_number, load_lesson, run_lesson
from ..engine.collector import collector_paused
from ..engine.export import write_lesson_json

PATHS_SHOWN = 12  # more than this per parameter and the table says how many were left out


def add_parser(subparsers: Any) -> None:
    """Register `trace`."""
    parser = subparsers.add_parser(
        "trace",
        help="print every step of a lesson: values, local derivatives, gradients, paths, update",
        description="Run every step of a lesson and print what the engine computed.",
    )
    parser.add_argument("--lesson", default=DEFAULT_LESSON, metavar="NAME|PATH")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead")


def run(args: argparse.Namespace) -> int:
    """Print the trace of every step."""
    lesson = load_lesson(args.lesson)
    if args.json:
        write_trace_json(lesson, sys.stdout.write)
        return 0
    print_tables(lesson, run_lesson(lesson))
    return 0


def trace_json(lesson: Lesson) -> str:
    """Every step of a lesson as the one JSON document `trace --json` prints, and a newline."""
    pieces: list[str] = []
    write_trace_json(lesson, pieces.append)
    return "".join(pieces)


def write_trace_json(lesson: Lesson, write: Callable[[str], object]) -> None:
    """Write `trace_json`'s document with `write` in pieces (it is never held whole)."""
    with collector_paused():
        # The text json.dumps gives lesson_to_dict's document, without a dictionary per edge.
        write_lesson_json(lesson, run_lesson(lesson), write)
        write("\n")


def print_tables(lesson: Lesson, traces: tuple[StepTrace, ...]) -> None:
    """Rich tables per step, readable at 80 columns."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console()
    graph = lesson.graph
    # Lesson text is data: escaped, so a title with "[/]" is printed, not read as markup.
    console.print(f"[bold]{escape(lesson.title)}[/bold]  ({escape(lesson.name)})")
    for trace in traces:
        inputs = ", ".join(
            f"{graph.label(k)} = {format_number(v)}" for k, v in trace.inputs.items()
        )
        console.rule(f"Step {trace.step} of {len(traces)}" + (f"  ·  {inputs}" if inputs else ""))

        forward = Table(title="Forward pass", title_justify="left", expand=False)
        forward.add_column("node")
        forward.add_column("expression")
        forward.add_column("value", justify="right")
        for node in graph.nodes:
            expression = graph.expression_text(node.name) if node.expression else node.kind.value
            forward.add_row(
                graph.label(node.name),
                expression,
                format_number(trace.values[node.name]),
            )
        console.print(forward)

        local = Table(title="Local derivatives", title_justify="left")
        local.add_column("edge")
        local.add_column("formula")
        local.add_column("local", justify="right")
        local.add_column("contribution", justify="right")
        for edge in trace.edges:
            local.add_row(
                f"∂{graph.label(edge.node)}/∂{graph.label(edge.operand)}",
                graph.local_formula(edge.node, edge.operand),
                format_number(edge.local),
                format_number(edge.contribution),
            )
        console.print(local)

        grads = Table(title="Backward pass", title_justify="left")
        grads.add_column("gradient")
        grads.add_column("value", justify="right")
        grads.add_column("collected from")
        for name in reversed(graph.computed):
            _add_gradient_row(grads, trace, name)
        for name in graph.parameters:
            _add_gradient_row(grads, trace, name)
        console.print(grads)

        paths = Table(title="Paths from the objective", title_justify="left")
        paths.add_column("to")
        paths.add_column("path")
        paths.add_column("product", justify="right")
        for name in graph.parameters:
            count = trace.path_count(name)
            for path in trace.paths(name, limit=PATHS_SHOWN):
                paths.add_row(
                    graph.label(name),
                    "→".join(graph.label(n) for n in path.nodes),
                    format_number(path.product),
                )
            if count > PATHS_SHOWN:
                paths.add_row(graph.label(name), f"… {count - PATHS_SHOWN} more paths", "")
            paths.add_row(
                "",
                "[dim]sum = gradient[/dim]",
                format_number(trace.grads[name]),
                end_section=True,
            )
        console.print(paths)

        update = Table(
            # θ stands for every parameter; the objective is the lesson's own.
            title=f"Update  θ ← θ − η·∂{graph.objective_label}/∂θ"
            f"  (η = {format_number(trace.learning_rate)})",
            title_justify="left",
        )
        update.add_column("parameter")
        update.add_column("before", justify="right")
        update.add_column("gradient", justify="right")
        update.add_column("after", justify="right")
        for name, before in trace.params_before.items():
            update.add_row(
                graph.label(name),
                format_number(before),
                format_number(trace.grads[name]),
                format_number(trace.params_after[name]),
            )
        console.print(update)


def _add_gradient_row(table: Any, trace: StepTrace, name: str) -> None:
    graph = trace.graph
    parts = [
        f"via {graph.label(edge.node)}: {format_number(edge.contribution)}"
        for edge in trace.contributions_to(name)
    ]
    table.add_row(
        graph.gradient_label(name),
        format_number(trace.grads[name]),
        " + ".join(parts) or "—",
    )
