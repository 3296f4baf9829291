"""Every lesson as a quiz: its questions generate, and right answers get full marks,
through the quiz API for both steps and through the plain front end for the first."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from backprop_tutor.engine import STAGES, list_lessons, load_lesson, run_lesson
from backprop_tutor.quiz import Kind, Question, QuizSession, Status, Verdict
from backprop_tutor.quiz.plan import NUMBERS_ONLY, lesson_plan

CURRICULUM = [lesson.name for lesson in list_lessons()]


def typed(value: float) -> str:
    """A right answer as a learner types it: six decimals, or more digits for tiny values."""
    if value == int(value):
        return str(int(value))
    six = f"{value:.6f}"
    # Six decimals of 0.000012 leave too few significant figures to count as an answer.
    return six if abs(value) >= 1e-3 else f"{value:.6g}"


@pytest.mark.parametrize("name", CURRICULUM)
def test_questions_generate_for_every_step(name: str) -> None:
    """Both steps have number questions for every stage, each expecting the engine's number."""
    lesson = load_lesson(name)
    traces = run_lesson(lesson)
    session = QuizSession(lesson, traces, NUMBERS_ONLY)
    assert session.step_count == 2
    for trace in traces:
        questions = session.questions_for(trace.step)
        assert tuple(dict.fromkeys(q.stage for q in questions)) == STAGES
        for question in questions:
            if question.kind is Kind.VALUE:
                expected = trace.values[question.node]
            elif question.kind is Kind.GRADIENT:
                expected = trace.grads[question.node]
            else:
                expected = trace.params_after[question.node]
            assert question.expected == pytest.approx(expected, rel=1e-12, abs=1e-15)
        # Every computed node, and every parameter, is asked about in this step.
        asked = {(q.kind, q.node) for q in questions}
        for node in lesson.graph.computed:
            assert (Kind.VALUE, node) in asked
        for param in lesson.parameters:
            assert (Kind.GRADIENT, param) in asked
            assert (Kind.UPDATE, param) in asked


@pytest.mark.parametrize("name", CURRICULUM)
def test_right_answers_solve_every_question(name: str) -> None:
    """Typing each right value, as a learner would, solves the whole lesson at first try."""
    session = QuizSession(load_lesson(name), plan=NUMBERS_ONLY)
    for step in range(1, session.step_count + 1):
        for question in session.questions_for(step):
            feedback = session.answer(question.id, typed(question.expected))
            assert feedback.verdict in (Verdict.CORRECT, Verdict.CORRECT_ROUNDED), question.id
            assert session.status(question.id) is Status.SOLVED
    summary = session.summary()
    assert summary.solved == summary.first_try == summary.total
    assert summary.wrong_answers == summary.hints == summary.revealed == 0


def run_plain(name: str, answers: list[str]) -> subprocess.CompletedProcess[str]:
    """`backprop-tutor --plain --lesson NAME` with the answers piped in, one per line."""
    environment = dict(os.environ, PYTHONUTF8="1")
    environment.pop("FORCE_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "backprop_tutor", "--plain", "--lesson", name],
        input="".join(f"{answer}\n" for answer in answers),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=environment,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("name", CURRICULUM)
def test_first_step_through_the_plain_front_end_gets_full_marks(name: str) -> None:
    """Right answers for step 1, then end of input: every step-1 question solved first time."""
    lesson = load_lesson(name)
    session = QuizSession(lesson, plan=lesson_plan(lesson))
    first = session.questions_for(1)
    total = len(session.questions)

    def right(q: Question) -> str:
        return q.typed or typed(q.expected)

    result = run_plain(name, [right(q) for q in first])
    assert result.returncode == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    # Each prompt is echoed with the answer, and each answer is accepted.
    prompts = [line for line in lines if " = ? " in line]
    assert prompts[: len(first)] == [f"{q.prompt} {right(q)}" for q in first]
    # Then step 2's first prompt, where the input ends.
    assert prompts[len(first) :] == [f"{session.questions_for(2)[0].prompt} "]
    verdicts = [line.strip() for line in lines if line.startswith("  ")]
    assert len([v for v in verdicts if v.startswith("Correct")]) == len(first), verdicts
    assert not [v for v in verdicts if v.startswith(("Not quite", "Wrong", "Hint"))]
    assert f"Solved {len(first)} of {total} ({len(first)} at the first try," in result.stdout
    not_reached = total - len(first)
    assert (
        f"Revealed 0, still open 0, not reached {not_reached}; hints used 0; wrong answers 0."
        in result.stdout
    )
