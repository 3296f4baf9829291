"""Exercises: a lesson's graph with fresh, hand-friendly numbers drawn from a seed.

The exercise is an ordinary engine `Lesson` (same graph, name, text and learning rate;
new parameters, constants and step inputs), so `run_lesson`, the quiz and the app panels
work on it unchanged.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, replace

from ..engine import Lesson, LessonError, StepTrace, run_lesson
from ..quiz.plan import QuizPlan, lesson_plan

HUGE = 1000.0  # any value, gradient or updated parameter beyond this is no fun by hand
MAX_DRAWS = 2000
_ZERO = 1e-12

# Pools of hand-friendly numbers. Parameters mix small whole numbers and one-decimal
# values; inputs are whole numbers; both include zero so that cases like x = 0 appear.
_WHOLE_PARAMS = tuple(float(i) for i in range(-2, 3))
_DECIMAL_PARAMS = tuple(k / 10 for k in range(-15, 16) if k % 10)
_INPUTS = tuple(float(i) for i in range(-3, 4))
_SMALL_COEFFICIENTS = tuple(k / 10 for k in range(1, 6))


class ExerciseError(LessonError):
    """No usable set of numbers could be drawn for a lesson."""


@dataclass(frozen=True)
class Exercise:
    """A lesson with fresh numbers, the seed that drew them and the lesson it came from."""

    lesson: Lesson
    seed: int
    base: Lesson
    draws: int  # how many draws it took (the rejected ones plus this one)

    @property
    def traces(self) -> tuple[StepTrace, ...]:
        """Every step of the exercise, as the engine computes it."""
        return run_lesson(self.lesson)


def make_exercise(lesson: Lesson, seed: int, *, max_draws: int = MAX_DRAWS) -> Exercise:
    """Draw fresh numbers for `lesson` from `seed`; the same seed gives the same exercise."""
    counts = lesson.graph.path_counts
    if not any(counts[name] for name in lesson.parameters):
        # Every gradient would be 0, so no draw can ever be usable: say why, at once.
        objective = lesson.graph.objective_label
        raise ExerciseError(
            f"{lesson.path}: the objective {objective} depends on no parameter, so there is"
            " no gradient to practise"
        )
    rng = random.Random(seed)
    labels = _label_inputs(lesson)
    for draw in range(1, max_draws + 1):
        candidate = _draw(lesson, rng, labels)
        if usable(candidate):
            return Exercise(lesson=candidate, seed=seed, base=lesson, draws=draw)
    raise ExerciseError(
        f"{lesson.path}: no hand-friendly numbers found for this graph after {max_draws} draws"
    )


def study_plan(lesson: Lesson) -> QuizPlan:
    """What an exercise may ask: the lesson's own plan, so "mapping the paths" and
    "deriving a formula" are skills the scheduler plans like the others (paths and
    formulas at step 1, where the plan asks them; they do not change with the numbers)."""
    return lesson_plan(lesson)


def usable(lesson: Lesson) -> bool:
    """Whether every node is defined, nothing is huge and each step moves some parameter."""
    try:
        traces = run_lesson(lesson)
    except LessonError:
        return False
    for trace in traces:
        numbers = [*trace.values.values(), *trace.grads.values(), *trace.params_after.values()]
        if any(not math.isfinite(x) or abs(x) > HUGE for x in numbers):
            return False
        # A step whose parameter gradients are all zero has nothing to teach backward.
        if trace.params_before and all(
            abs(trace.grads[name]) <= _ZERO for name in trace.params_before
        ):
            return False
    return True


def _label_inputs(lesson: Lesson) -> tuple[str, ...]:
    """Inputs that only ever hold 0 or 1 in the lesson: targets and one-hot labels."""
    if not lesson.steps:
        return ()
    return tuple(
        name for name in lesson.inputs if all(step.get(name) in (0.0, 1.0) for step in lesson.steps)
    )


def _draw(lesson: Lesson, rng: random.Random, labels: tuple[str, ...]) -> Lesson:
    """One candidate: new parameters, constants and inputs, everything else kept."""
    parameters = {name: _parameter(rng) for name in lesson.parameters}
    constants = {name: _constant(rng, value) for name, value in lesson.constants.items()}
    # Several label inputs together are kept as combinations the lesson itself uses, so a
    # one-hot pair (y1, y2) stays one-hot; a single label is 0 or 1.
    label_choices: list[tuple[float, ...]] = (
        [(0.0,), (1.0,)]
        if len(labels) == 1
        else sorted({tuple(step[n] for n in labels) for step in lesson.steps})
    )
    steps: list[Mapping[str, float]] = []
    for _ in lesson.steps:
        values = {name: rng.choice(_INPUTS) for name in lesson.inputs if name not in labels}
        if labels:
            values.update(zip(labels, rng.choice(label_choices), strict=True))
        steps.append({name: values[name] for name in lesson.inputs})
    # Step notes quote the lesson's own numbers, which no longer hold.
    text = replace(lesson.text, notes=())
    return replace(
        lesson, parameters=parameters, constants=constants, steps=tuple(steps), text=text
    )


def _parameter(rng: random.Random) -> float:
    pool = _WHOLE_PARAMS if rng.random() < 0.4 else _DECIMAL_PARAMS
    return rng.choice(pool)


def _constant(rng: random.Random, original: float) -> float:
    """A constant like the original: a small coefficient stays small, a sign stays."""
    if original == 0:
        return 0.0
    sign = 1.0 if original > 0 else -1.0
    if abs(original) < 1 and original != round(original):
        return sign * rng.choice(_SMALL_COEFFICIENTS)
    return sign * float(rng.randint(1, 3))
