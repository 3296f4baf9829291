"""The lesson's `[quiz]` plan: the default, step 2 numbers only, every built-in lesson's
plan, check-lesson's file:line errors; and the issue's plain-mode transcript of step 1."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from backprop_tutor.engine import (
    Lesson,
    LessonError,
    builtin_lesson_paths,
    list_lessons,
    load_lesson,
)
from backprop_tutor.plain.quiz import run_plain
from backprop_tutor.quiz import Kind, QuizSession
from backprop_tutor.quiz.plan import NUMBERS, NUMBERS_ONLY, WORKED_EXAMPLE, QuizPlan, lesson_plan

if TYPE_CHECKING:
    from conftest import RunMain

LESSON = load_lesson("branch-merge")


def _kinds(session: QuizSession, step: int) -> list[str]:
    """The kinds a step asks, in order, each once."""
    return list(dict.fromkeys(q.kind.value for q in session.questions_for(step)))


def test_the_default_follows_the_worked_example_and_step_two_asks_numbers() -> None:
    """Paths, values, local derivatives, formulas, gradients, update; then numbers only."""
    session = QuizSession(LESSON, plan=QuizPlan())
    assert _kinds(session, 1) == ["paths", "value", "local", "formula", "grad", "update"]
    assert _kinds(session, 2) == ["value", "grad", "update"]
    labels = [q.prompt for q in session.questions_for(1) if q.kind is not Kind.VALUE][:13]
    assert labels == [
        "paths from J to a = ?",
        "paths from J to b = ?",
        "paths from J to c = ?",
        "paths from J to d = ?",
        "∂h/∂u = ?",
        "∂v/∂u through the direct term = ?",
        "δ = ∂J/∂v, as a formula = ?",
        "∂J/∂d, as a formula = ?",
        "∂J/∂c, as a formula = ?",
        "∂J/∂b, as a formula = ?",
        "∂J/∂a, as a formula = ?",
        "∂J/∂R = ?",
        "∂J/∂L = ?",
    ]


def test_a_session_without_a_plan_asks_the_lessons_own() -> None:
    """QuizSession(lesson) asks the lesson's [quiz] plan; the numbers only when told so."""
    default, own = QuizSession(LESSON), QuizSession(LESSON, plan=lesson_plan(LESSON))
    assert [q.id for q in default.questions] == [q.id for q in own.questions]
    assert _kinds(default, 1) == ["paths", "value", "local", "formula", "grad", "update"]
    assert _kinds(QuizSession(LESSON, plan=NUMBERS_ONLY), 1) == ["value", "grad", "update"]


@pytest.mark.parametrize("lesson", list_lessons(), ids=lambda lesson: lesson.name)
def test_every_built_in_lesson_has_a_plan_that_maps_and_derives_first(lesson: Lesson) -> None:
    """Each built-in lesson writes a [quiz] table: paths first at step 1, numbers at step 2."""
    assert lesson.quiz, lesson.name
    plan = lesson_plan(lesson)
    assert plan.first[0] == "paths" and set(NUMBERS) <= set(plan.first)
    assert plan.later == NUMBERS
    session = QuizSession(lesson, plan=plan)
    first = session.questions_for(1)
    assert any(q.kind is Kind.PATHS for q in first)
    assert all(q.kind.value in ("value", "grad", "update") for q in session.questions_for(2))


def test_branch_merge_writes_the_worked_examples_order() -> None:
    """The built-in worked example spells the default out."""
    assert lesson_plan(LESSON).first == WORKED_EXAMPLE


def _with_quiz(tmp_path: Path, table: str) -> Path:
    """branch-merge with its [quiz] table replaced by `table`."""
    source = builtin_lesson_paths()["branch-merge"].read_text(encoding="utf-8")
    start = source.index("[quiz]")
    end = source.index("[[steps]]")
    path = tmp_path / "planned.toml"
    path.write_text(source[:start] + table + "\n" + source[end:], encoding="utf-8")
    return path


def test_a_plan_of_ones_own_is_followed(tmp_path: Path) -> None:
    """Formulas first, only a's paths, numbers at step 2 as well as formulas."""
    path = _with_quiz(
        tmp_path,
        '[quiz]\nfirst = ["formulas", "paths", "values"]\nlater = ["formulas", "values"]\n'
        'paths = ["a"]\nformulas = ["a"]\n',
    )
    session = QuizSession(load_lesson(path), plan=lesson_plan(load_lesson(path)))
    assert [str(q.id) for q in session.questions_for(1)][:2] == ["1:formula:a", "1:paths:a"]
    assert _kinds(session, 2) == ["formula", "value"]


def test_check_lesson_names_each_problem_with_its_line(tmp_path: Path, run_main: RunMain) -> None:
    """Unknown kinds and keys, repeats, an empty order, unknown nodes: file:line, exit 2."""
    path = _with_quiz(
        tmp_path,
        '[quiz]\nfirst = ["paths", "sums", "paths"]\nlater = []\npaths = ["zz", "J"]\n'
        'colour = 1\nformulas = "a"\n',
    )
    result = run_main("check-lesson", str(path))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    line = path.read_text(encoding="utf-8").splitlines().index('first = ["paths", "sums", "paths"]')
    assert lines == [
        f"{path}:{line + 1}: [quiz] first: unknown kind 'sums' (known: paths, values, locals, "
        "formulas, gradients, updates)",
        f"{path}:{line + 1}: [quiz] first: paths is listed twice",
        f"{path}:{line + 2}: [quiz] later is empty: a step must ask something",
        f"{path}:{line + 3}: [quiz] paths: 'zz' is not a node of the graph",
        f"{path}:{line + 3}: [quiz] paths: 'J' is the objective, which has no paths or gradient",
        f"{path}:{line + 4}: [quiz] unknown key 'colour' (expected: first, later, paths, "
        "locals, formulas)",
        f"{path}:{line + 5}: [quiz] formulas must be a list of names in quotes",
    ]
    with pytest.raises(LessonError, match=r"planned.toml:\d+: \[quiz\] first: unknown kind"):
        load_lesson(path)


def test_check_lesson_accepts_every_built_in_plan(run_main: RunMain) -> None:
    """The built-in lessons' tables are valid."""
    for path in builtin_lesson_paths().values():
        assert run_main("check-lesson", str(path)).returncode == 0, path


# ---------------------------------------------------------------- the transcript


def test_step_one_of_branch_merge_maps_derives_then_computes() -> None:
    """The paths to a with the regularization path missing (named); δ and ∂J/∂a derived
    (an expanded form accepted, one without λa named as the missing path); the numbers."""
    typed = [
        "J L p v u a; J L p v h u a",  # the regularization path left out
        "J L p v u a; J L p v h u a; J R a",
        "J L p v u b; J L p v h u b",
        "J L p v c; J R c",
        "J L p v d",
        "2",
        "4",
        "6",
        "1/7",
        "0.734694",
        "0.1",
        "0.834694",
        "2*u",
        "1",
        "2*(p - y)*(-1/(1 + v)^2)",  # δ
        "delta",
        "delta*h + lambda*c",
        "delta*(2*c*u + 1)",
        "delta*(2*c*u + 1)*x",  # λa left out
        "2*x*c*u*delta + x*delta + lambda*a",  # expanded
        "1",
        "1",
        "-12/7",
        "0.034985",
    ]
    out = io.StringIO()
    assert run_plain(LESSON, io.StringIO("".join(f"{t}\n" for t in typed)), out) == 0
    lines = out.getvalue().splitlines()
    expected = [
        "Mapping the paths",
        "paths from J to a = ? J L p v u a; J L p v h u a",
        "  You have not yet listed a route through R (the regularization branch).",
        "paths from J to a = ? J L p v u a; J L p v h u a; J R a",
        "  Correct: all 3 paths from J to a.",
        "Forward pass",
        "  Correct: J = 0.834694.",
        "Backward pass",
        "∂h/∂u = ? 2*u",
        "  Correct: that is ∂h/∂u.",
        "δ = ∂J/∂v, as a formula = ? 2*(p - y)*(-1/(1 + v)^2)",
        "  Correct: that is δ.",
        "∂J/∂a, as a formula = ? delta*(2*c*u + 1)*x",
        "  That leaves out the path J→R→a; ∂J/∂a adds up all 3 paths from J to a.",
        "∂J/∂a, as a formula = ? 2*x*c*u*delta + x*delta + lambda*a",
        "  Correct: that is ∂J/∂a.",
        "∂J/∂R = ? 1",
        "  Correct: δ = ∂J/∂v = 0.0349854.",
    ]
    position = 0
    for line in expected:
        assert line in lines[position:], f"missing, or out of order: {line!r}"
        position = lines.index(line, position) + 1
