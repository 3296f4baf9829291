"""What a front end says when a step or the lesson is done: what changed, what comes next.

A step's end gives the objective before and after the update (on the same inputs, so the
change is the update's doing) and each parameter's move; the lesson's end gives its
takeaways, this lesson's counts and the lesson that comes next.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backprop_tutor.engine import Lesson, StepTrace, format_number, list_lessons
from backprop_tutor.engine.autodiff import StepError, run_step

from .summary import Summary
from .text import join_words


@dataclass(frozen=True, slots=True)
class ParameterMove:
    """One parameter before and after a step's update."""

    label: str
    before: float
    after: float

    @property
    def text(self) -> str:
        """`a 1 → 0.955015`."""
        return f"{self.label} {format_number(self.before)} → {format_number(self.after)}"


@dataclass(frozen=True, slots=True)
class StepEnd:
    """A step whose every question is solved or revealed."""

    step: int
    step_count: int
    objective: str  # the objective's label: J, E
    before: float  # the objective at this step's parameters
    after: float | None  # at the updated ones, same inputs (None where that is undefined)
    moves: tuple[ParameterMove, ...]
    next_inputs: str  # the next step's inputs in words (`x = 0`), empty on the last step

    @property
    def last(self) -> bool:
        """Whether this was the lesson's last step."""
        return self.step >= self.step_count

    @property
    def lines(self) -> tuple[str, ...]:
        """The step's end as short lines: done, what changed, what comes next."""
        out = [f"Step {self.step} of {self.step_count} is done."]
        if self.after is not None:
            out.append(
                f"With the updated parameters and the same input, {self.objective} goes from "
                f"{format_number(self.before)} to {format_number(self.after)}."
            )
        if self.moves:
            out.append(f"The update moved {join_words([m.text for m in self.moves])}.")
        if self.last:
            out.append("That was the last step.")
        else:
            nxt = f"Next: step {self.step + 1}"
            out.append(f"{nxt}, with {self.next_inputs}." if self.next_inputs else f"{nxt}.")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class NextLesson:
    """The lesson after this one in the curriculum."""

    name: str
    title: str


@dataclass(frozen=True, slots=True)
class LessonEnd:
    """The lesson done: its takeaways, how it went, and what comes next."""

    title: str
    takeaways: tuple[str, ...]
    summary: Summary
    next_lesson: NextLesson | None

    @property
    def counts(self) -> str:
        """This lesson in one line: right at the first try, carried, scaffolded, revealed."""
        s = self.summary
        return (
            f"Of {s.total} questions: {s.first_try} right at the first try, "
            f"{s.method_correct} right for your own earlier numbers, "
            f"{s.scaffolded} worked through step by step, {s.revealed} revealed."
        )

    @property
    def lines(self) -> tuple[str, ...]:
        """The lesson's end as short lines."""
        out = [f"{self.title} is done."]
        if self.takeaways:
            out.append("What to take away:")
            out += [f"  • {t}" for t in self.takeaways]
        out.append(self.counts)
        if self.next_lesson is None:
            out.append("That was the last lesson.")
        else:
            out.append(
                f"Next lesson: {self.next_lesson.title} "
                f"(backprop-tutor --lesson {self.next_lesson.name})."
            )
        return tuple(out)


def step_end(lesson: Lesson, traces: Sequence[StepTrace], step: int) -> StepEnd:
    """The end of one step (1-based) of `lesson`."""
    trace = traces[step - 1]
    graph = lesson.graph
    after: float | None
    try:
        again = run_step(
            graph,
            step=step,
            inputs=trace.inputs,
            constants={name: trace.values[name] for name in graph.constants},
            params=trace.params_after,
            learning_rate=trace.learning_rate,
        )
        after = again.values[graph.objective]
    except StepError:
        after = None
    moves = tuple(
        ParameterMove(graph.label(p), before, trace.params_after[p])
        for p, before in trace.params_before.items()
    )
    next_inputs = ""
    if step < len(traces):
        nxt = traces[step].inputs
        next_inputs = ", ".join(f"{graph.label(k)} = {format_number(v)}" for k, v in nxt.items())
    return StepEnd(
        step,
        len(traces),
        graph.objective_label,
        trace.values[graph.objective],
        after,
        moves,
        next_inputs,
    )


def next_lesson(lesson: Lesson) -> NextLesson | None:
    """The built-in lesson after `lesson` in curriculum order (None after the last)."""
    ordered = list_lessons()
    names = [other.name for other in ordered]
    if lesson.name not in names:
        return None  # a lesson file of the learner's own: no place in the curriculum
    index = names.index(lesson.name)
    if index + 1 >= len(ordered):
        return None
    following = ordered[index + 1]
    return NextLesson(following.name, following.title)
