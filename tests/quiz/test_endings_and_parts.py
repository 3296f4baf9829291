"""The session's step and lesson ends, its breakdowns, and what the learner has settled on."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.quiz import QuestionId, QuizSession
from backprop_tutor.quiz.plan import NUMBERS_ONLY

ID = QuestionId.parse
LESSON = load_lesson("branch-merge")
TRACES = run_lesson(LESSON)


@pytest.fixture
def session() -> QuizSession:
    """A fresh session over branch-merge."""
    return QuizSession(LESSON, TRACES, NUMBERS_ONLY)


def test_a_step_is_done_only_when_every_question_is_settled(session: QuizSession) -> None:
    """Solved or revealed, every one: then the step's end says what changed and what is next."""
    questions = session.questions_for(1)
    for q in questions[:-1]:
        session.answer(q.id, repr(q.expected))
    assert not session.step_done(1)
    session.reveal(questions[-1].id)
    assert session.step_done(1)
    end = session.step_end(1)
    assert not end.last
    assert end.before == pytest.approx(0.834694, abs=5e-7)
    assert end.after is not None and end.after < end.before
    assert end.moves[0].text == "a 1 → 0.955015"
    assert end.lines[-1] == "Next: step 2, with x = 0."


def test_the_last_step_says_it_is_the_last(session: QuizSession) -> None:
    """Step 2's end: no next step."""
    end = session.step_end(2)
    assert end.last and end.lines[-1] == "That was the last step."
    with pytest.raises(ValueError, match="step 3"):
        session.step_end(3)


def test_the_lesson_end_has_takeaways_counts_and_the_next_lesson(session: QuizSession) -> None:
    """Takeaways as written, this lesson's counts, and the next lesson in the curriculum."""
    end = session.lesson_end()
    assert end.takeaways == LESSON.text.takeaways
    assert end.counts.startswith("Of 42 questions: 0 right at the first try")
    assert end.next_lesson is not None and end.next_lesson.name != "branch-merge"


def test_breaking_down_waits_for_two_misses_at_a_hard_gradient(session: QuizSession) -> None:
    """Not after one miss, not at an easy question; at a merge the parts are contributions."""
    session.answer(ID("1:grad:u"), "0.03")
    assert not session.offers_breakdown(ID("1:grad:u"))
    session.answer(ID("1:grad:u"), "0.04")
    assert session.offers_breakdown(ID("1:grad:u"))
    for _ in range(2):
        session.answer(ID("1:grad:R"), "3")
    assert not session.offers_breakdown(ID("1:grad:R"))  # J uses R directly: one factor
    parts = session.break_down(ID("1:grad:u"))
    assert [p.label for p in parts.parts] == ["∂J/∂h·∂h/∂u", "δ·∂v/∂u"]
    assert not session.answer_part(ID("1:grad:u"), 0, "0.5").solved
    assert session.answer_part(ID("1:grad:u"), 0, "0.139942").solved
    assert not parts.done
    session.answer_part(ID("1:grad:u"), 1, "0.0349854")
    assert parts.done
    session.answer(ID("1:grad:u"), "0.174927")
    assert session.summary().scaffolded == 1
    assert not session.offers_breakdown(ID("1:grad:u"))


def test_a_long_single_path_breaks_into_its_local_derivatives(session: QuizSession) -> None:
    """δ = ∂J/∂v has one path, J→L→p→v: it breaks into its three local derivatives."""
    parts = session.breakdown_parts(ID("1:grad:v"))
    assert [p.label for p in parts] == ["∂J/∂L", "∂L/∂p", "∂p/∂v"]
    assert parts[0].expected == 1


def test_known_is_what_the_learner_settled_on(session: QuizSession) -> None:
    """Their own right number as typed, a revealed one marked, nothing for a wrong one."""
    session.answer(ID("1:value:u"), "2")
    session.answer(ID("1:value:h"), "5")
    session.reveal(ID("1:value:v"))
    u = session.known(ID("1:value:u"))
    assert u is not None and (u.text, u.revealed) == ("2", False)
    assert session.known(ID("1:value:h")) is None
    v = session.known(ID("1:value:v"))
    assert v is not None and (v.text, v.revealed) == ("6", True)


def test_a_part_gets_its_slip_named_without_its_value(session: QuizSession) -> None:
    """The part through h without the gradient at h, or with its sign lost: named, not told."""
    qid = ID("1:grad:u")
    session.answer(qid, "0.03")
    session.answer(qid, "0.04")
    parts = session.break_down(qid)
    assert parts.parts[0].label == "∂J/∂h·∂h/∂u"
    missing = session.answer_part(qid, 0, "4")
    assert missing.diagnosis is not None and missing.diagnosis.value == "factor_left_out"
    assert "0.139942" not in missing.message
    sign = session.answer_part(qid, 0, "-0.139942")
    assert sign.message == "That has the wrong sign."
    assert session.answer_part(qid, 0, "0.139942").solved


def test_a_shown_part_counts_as_done_and_is_marked(session: QuizSession) -> None:
    """reveal_part fills the part in, marks it shown, and the recap carries its number."""
    qid = ID("1:grad:u")
    session.answer(qid, "0.03")
    session.answer(qid, "0.04")
    assert session.taken_breakdown(qid) is None
    parts = session.break_down(qid)
    assert session.taken_breakdown(qid) is parts
    assert session.reveal_part(qid, 0) == "0.139942"
    assert parts.shown == {0} and parts.next_part() == 1


def test_the_step_two_update_hint_starts_from_the_learners_own_update(
    session: QuizSession,
) -> None:
    """Their new a in step 1 (slightly off) is where step 2's update of a starts."""
    session.answer(ID("1:update:a"), "0.955")
    text = session.hint(ID("2:update:a")).text
    text = session.hint(ID("2:update:a")).text
    assert text.startswith("new a = 0.955 − 0.1·")
