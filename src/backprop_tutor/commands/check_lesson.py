"""`backprop-tutor check-lesson PATH`: validate a learner's lesson file.

A valid file gets a summary of its graph; an invalid one gets every problem found, one
per line, so the learner can fix them all in one go.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from typing import Any

from ..engine import (
    Lesson,
    LessonError,
    NodeKind,
    StepTrace,
    format_number,
    lesson_errors,
    load_lesson,
    run_lesson,
)
from ..quiz.giveaways import giveaways

EXIT_INVALID = 2
_LINE = re.compile(r"^.*?:(\d+): ")


@dataclass(frozen=True)
class CheckResult:
    """What checking found: the lesson and its traces when valid, else every error."""

    lesson: Lesson | None
    traces: tuple[StepTrace, ...]
    errors: tuple[LessonError, ...]


def add_parser(subparsers: Any) -> None:
    """Register `check-lesson`."""
    parser = subparsers.add_parser(
        "check-lesson",
        help="validate a lesson file: print its graph summary or every error found",
        description="Check a lesson file. A valid lesson is summarised (nodes by kind, "
        "edges, paths to each parameter); an invalid one gets every error, one per line.",
    )
    parser.add_argument("path", metavar="PATH", help="the lesson file (.toml) to check")


def check(spec: str) -> CheckResult:
    """Validate a lesson file and run its steps, collecting every error found."""
    errors = lesson_errors(spec)
    if errors:
        return CheckResult(None, (), tuple(errors))
    lesson = load_lesson(spec)
    try:
        # Evaluation problems (log of 0 at step 2, ...) only show when the steps run.
        # Each step starts from the previous one's parameters, so the first failure ends
        # the run: there is at most one such error.
        traces = run_lesson(lesson)
    except LessonError as error:
        return CheckResult(lesson, (), (error,))
    return CheckResult(lesson, traces, ())


def summary_lines(lesson: Lesson, traces: tuple[StepTrace, ...]) -> list[str]:
    """The graph summary: nodes by kind, edges, paths to each parameter, the steps."""
    graph = lesson.graph
    objective = graph.label(graph.objective)
    lines = [f"{lesson.path}: a valid lesson, {lesson.title!r}"]
    lines.append(f"nodes: {len(graph.nodes)}")
    for kind in NodeKind:
        names = [graph.label(node.name) for node in graph.nodes if node.kind is kind]
        lines.append(f"  {kind.value + ':':<14}{', '.join(names) if names else '—'}")
    edges = sum(len(graph.operands(name)) for name in graph.computed)
    lines.append(f"edges: {edges}")
    if graph.parameters:
        lines.append(f"paths from {objective} to each parameter:")
        width = max(len(graph.label(name)) for name in graph.parameters)
        for name in graph.parameters:
            count = graph.path_counts[name]
            note = _plural(count, "path")
            if count == 0:
                # Legal, but almost certainly a mistake: SGD will never move it.
                note += f" (it never reaches {objective}, so it never changes)"
            lines.append(f"  {graph.label(name):<{width}}  {note}")
    else:
        lines.append("parameters: none, so no step updates anything")
    values = " → ".join(format_number(trace.values[graph.objective]) for trace in traces)
    lines.append(f"steps: {len(traces)}; {objective} = {values}")
    return lines


def _line_of(error: LessonError) -> int:
    """The line an error names (`file:12: ...`), 0 when it names none: errors read top down."""
    match = _LINE.match(str(error))
    return int(match.group(1)) if match else 0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def run(args: argparse.Namespace) -> int:
    """Print the summary (exit 0), or every error on stderr, one per line (exit 2)."""
    result = check(args.path)
    if result.errors:
        for error in sorted(result.errors, key=_line_of):
            print(error, file=sys.stderr)
        return EXIT_INVALID
    assert result.lesson is not None  # no errors means the lesson loaded
    for line in summary_lines(result.lesson, result.traces):
        print(line)
    # A warning, not an error: the lesson works, but its text tells an answer early.
    for found in giveaways(result.lesson, result.traces):
        print(f"{result.lesson.path}: warning: {found.message}", file=sys.stderr)
    return 0
