"""Running a lesson: every step in turn, each fed the parameters the previous one left."""

from __future__ import annotations

from collections.abc import Mapping

from .autodiff import StepError, run_step
from .lesson import Lesson, LessonError
from .trace import StepTrace


def run_lesson(
    lesson: Lesson, parameters: Mapping[str, float] | None = None
) -> tuple[StepTrace, ...]:
    """Trace every step of a lesson; raises LessonError naming the step and the node."""
    params = dict(lesson.parameters if parameters is None else parameters)
    traces: list[StepTrace] = []
    for number, inputs in enumerate(lesson.steps, start=1):
        try:
            trace = run_step(
                lesson.graph,
                step=number,
                inputs=inputs,
                constants=lesson.constants,
                params=params,
                learning_rate=lesson.learning_rate,
            )
        except StepError as error:
            node = lesson.graph.node(error.node)
            shown = f' = "{node.expression}"' if node.expression else ""
            raise LessonError(
                f"{lesson.path}: step {number}, node {error.node}{shown}: {error.reason}"
            ) from None
        traces.append(trace)
        params = dict(trace.params_after)
    return tuple(traces)
