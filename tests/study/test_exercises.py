"""Exercises with fresh numbers: reproducible, hand-friendly, never undefined or huge."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.engine import Lesson, list_lessons, parse_lesson, run_lesson
from backprop_tutor.study.exercises import HUGE, ExerciseError, make_exercise, usable

LESSONS = list_lessons()


def _lesson(graph: str, *, steps: str = "[[steps]]\nx = 2\n", extra: str = "") -> Lesson:
    source = (
        'title = "t"\nobjective = "J"\n[parameters]\nw = 1\n[optimizer]\nlearning_rate = 0.1\n'
        f"{extra}[graph]\n{graph}\n{steps}"
    )
    return parse_lesson(source, Path("/tmp/test-lesson.toml"))


def _one_decimal(value: float) -> bool:
    return abs(value * 10 - round(value * 10)) < 1e-9


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_every_builtin_lesson_gets_usable_exercises(lesson: Lesson) -> None:
    """Forty seeds per lesson: each gives numbers the engine can run, none huge."""
    for seed in range(40):
        exercise = make_exercise(lesson, seed)
        traces = run_lesson(exercise.lesson)
        for trace in traces:
            assert all(abs(v) <= HUGE for v in trace.values.values())
            assert all(abs(g) <= HUGE for g in trace.grads.values())
            assert any(abs(trace.grads[p]) > 0 for p in trace.params_before)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.name)
def test_numbers_are_hand_friendly(lesson: Lesson) -> None:
    """Parameters, constants and inputs are small with at most one decimal."""
    exercise = make_exercise(lesson, 7).lesson
    numbers = [
        *exercise.parameters.values(),
        *exercise.constants.values(),
        *(v for step in exercise.steps for v in step.values()),
    ]
    assert all(_one_decimal(n) and abs(n) <= 3 for n in numbers)


def test_same_seed_same_numbers_other_seed_other_numbers(worked_example: Lesson) -> None:
    """The seed alone decides the numbers."""
    first, again = make_exercise(worked_example, 42), make_exercise(worked_example, 42)
    assert first.lesson.parameters == again.lesson.parameters
    assert first.lesson.steps == again.lesson.steps
    assert first.lesson.constants == again.lesson.constants
    others = {tuple(make_exercise(worked_example, s).lesson.parameters.values()) for s in range(10)}
    assert len(others) > 5


def test_exercise_keeps_graph_name_rate_and_step_count(worked_example: Lesson) -> None:
    """Everything but the numbers is the lesson's own."""
    exercise = make_exercise(worked_example, 3)
    lesson = exercise.lesson
    assert lesson.graph is worked_example.graph
    assert lesson.name == worked_example.name
    assert lesson.learning_rate == worked_example.learning_rate
    assert len(lesson.steps) == len(worked_example.steps)
    assert set(lesson.parameters) == set(worked_example.parameters)
    assert set(lesson.constants) == set(worked_example.constants)
    assert exercise.seed == 3 and exercise.base is worked_example
    assert lesson.text.notes == ()  # step notes quote the original numbers


def test_small_coefficient_stays_small_and_positive(worked_example: Lesson) -> None:
    """λ stays a positive one-decimal coefficient below 1."""
    for seed in range(20):
        lam = make_exercise(worked_example, seed).lesson.constants["lambda"]
        assert 0 < lam < 1


def test_one_hot_labels_stay_one_hot() -> None:
    """The softmax lesson's (y1, y2) is always one of the pairs the lesson uses."""
    lesson = next(lesson for lesson in LESSONS if "softmax" in lesson.name)
    for seed in range(20):
        for step in make_exercise(lesson, seed).lesson.steps:
            assert (step["y1"], step["y2"]) in {(0.0, 1.0), (1.0, 0.0)}


def test_undefined_draws_are_rejected() -> None:
    """A node 1/x is never drawn with x = 0 (the engine raises; the draw is redone)."""
    lesson = _lesson('q = "1/x"\nJ = "w*q"')
    for seed in range(30):
        exercise = make_exercise(lesson, seed)
        assert all(step["x"] != 0 for step in exercise.lesson.steps)


def test_huge_draws_are_rejected() -> None:
    """exp(w·x) is kept only where it stays under the limit."""
    lesson = _lesson('q = "exp(3*w*x)"\nJ = "q"')
    for seed in range(30):
        for trace in run_lesson(make_exercise(lesson, seed).lesson):
            assert trace.values["q"] <= HUGE


def test_all_zero_gradients_are_rejected() -> None:
    """relu(w·x) with a dead unit gives no gradient; such draws are redone."""
    lesson = _lesson('q = "relu(w*x)"\nJ = "q"')
    for seed in range(30):
        for trace in run_lesson(make_exercise(lesson, seed).lesson):
            assert trace.grads["w"] != 0


def test_usable_says_no_to_an_undefined_lesson() -> None:
    """`usable` is the rejection test on its own."""
    assert not usable(_lesson('q = "1/x"\nJ = "w*q"', steps="[[steps]]\nx = 0\n"))
    assert usable(_lesson('q = "1/x"\nJ = "w*q"'))


def test_a_graph_with_no_good_numbers_raises_one_line() -> None:
    """A graph that is undefined for every draw is a clear error, not a hang."""
    lesson = _lesson('q = "log(-1 - x*x)"\nJ = "w*q"')
    with pytest.raises(ExerciseError) as caught:
        make_exercise(lesson, 1, max_draws=50)
    assert "\n" not in str(caught.value)
