"""Forward mistakes, generated from the node's expression tree, are named (issue 11)."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.quiz import QuestionId, QuizSession, Verdict

LESSON = load_lesson("branch-merge")
TRACES = run_lesson(LESSON)
ID = QuestionId.parse


@pytest.mark.parametrize(
    ("qid", "typed", "mistake", "words"),
    [
        ("1:value:v", "4", "term_left_out", "leaves out u"),
        ("1:value:v", "2", "term_left_out", "leaves out c·h"),
        ("1:value:p", "7", "precedence_slip", "the whole 1 + v is below the line"),
        ("2:value:u", "a", "precedence_slip", "the product comes first"),
        ("1:value:h", "4", "", ""),  # right: no mistake
    ],
)
def test_forward_slips_are_named(qid: str, typed: str, mistake: str, words: str) -> None:
    """Each slip fits one candidate and nothing else, and is named without the value."""
    session = QuizSession(LESSON, TRACES)
    question = session.question(ID(qid))
    if typed == "a":  # a·(x + b) at step 2's numbers
        trace = TRACES[1]
        a, x, b = (trace.values[n] for n in ("a", "x", "b"))
        typed = repr(a * (x + b))
    feedback = session.answer(ID(qid), typed)
    if not mistake:
        assert feedback.verdict is Verdict.CORRECT
        return
    assert feedback.verdict is Verdict.WRONG
    assert feedback.diagnosis == mistake, feedback.message
    assert words in feedback.message
    assert feedback.shown not in feedback.message.replace(question.label + " =", "")
