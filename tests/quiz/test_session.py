"""The session: hints, reveals, records, summary, skills, and the package's boundaries."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backprop_tutor.engine import list_lessons, run_lesson
from backprop_tutor.plain.quiz import summary_lines
from backprop_tutor.quiz import Kind, QuestionId, QuizSession, Status, Verdict
from backprop_tutor.quiz.diagnosis import candidates
from backprop_tutor.quiz.hints import hint
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.quiz.questions import compute, engine_lookup

ID = QuestionId.parse  # ids written as text, the way the progress file keeps them


class TestHints:
    def test_three_levels_rule_then_formula_then_numbers(self, session: QuizSession) -> None:
        """∂J/∂a: the paths and the merge, then δ·(2cu + 1)·x + λa, then the numbers."""
        first = session.hint(ID("1:grad:a"))
        assert first.level == 1 and not first.last
        assert "3 paths" in first.text
        assert "J→R→a (regularization)" in first.text
        assert "branches meet at a" in first.text
        second = session.hint(ID("1:grad:a"))
        assert second.level == 2
        assert "∂J/∂u·x + ∂J/∂R·λ·a" in second.text
        assert "(2·δ·c·u + δ)·x + λ·a" in second.text
        third = session.hint(ID("1:grad:a"))
        assert third.level == 3 and third.last
        assert "0.174927·2" in third.text
        # Asking again repeats the last hint.
        assert session.hint(ID("1:grad:a")).level == 3
        assert session.record(ID("1:grad:a")).hints == 3

    def test_u_names_its_two_branches(self, session: QuizSession) -> None:
        """At u the first hint says two branches meet and names h and v."""
        text = session.hint(ID("1:grad:u")).text
        assert "u feeds h and v" in text and "2 branches" in text

    def test_forward_and_update_hints(self, session: QuizSession) -> None:
        """A value: operands, then the learner's numbers put in, then the parts worked out."""
        session.answer(ID("1:value:v"), "6")
        texts = [session.hint(ID("1:value:p")).text for _ in range(3)]
        assert texts == [
            "Forward pass: put the current value of v into p's expression.",
            "p = 1/(1 + 6)",
            "With your numbers, the two sides come to 1 and 7; divide 1 by 7.",
        ]
        update = [session.hint(ID("2:update:a")).text for _ in range(3)]
        assert "against its gradient" in update[0]
        assert update[1] == "new a = 0.955015 − 0.1·0.0955015"
        assert update[2] == "The step η·∂J/∂a comes to 0.00955015; take it away from 0.955015."

    def test_level_two_uses_the_learners_own_numbers(self, session: QuizSession) -> None:
        """With u answered 3 (wrong), h's formula hint puts in their 3, not the engine's 2."""
        session.answer(ID("1:value:u"), "3")
        session.hint(ID("1:value:h"))
        assert session.hint(ID("1:value:h")).text == "h = 3²"

    def test_level_two_never_fills_in_an_unanswered_number(self, session: QuizSession) -> None:
        """Before v is answered, p's formula hint keeps v as a name."""
        session.hint(ID("1:value:p"))
        assert session.hint(ID("1:value:p")).text == "p = 1/(1 + v)"

    def test_step_two_hint_points_at_the_updated_parameters(self, session: QuizSession) -> None:
        """At step 2 the forward hint says to use the parameters step 1 left."""
        assert "step 1's update" in session.hint(ID("2:value:u")).text

    def test_hints_are_recorded_with_the_answer(self, session: QuizSession) -> None:
        """An answer after two hints records that it came after two hints."""
        session.hint(ID("1:value:u"))
        session.hint(ID("1:value:u"))
        session.answer(ID("1:value:u"), "2")
        attempt = session.record(ID("1:value:u")).attempts[-1]
        assert attempt.hints_before == 2
        assert not session.record(ID("1:value:u")).first_try


class TestReveal:
    def test_a_revealed_value_is_not_solved(self, session: QuizSession) -> None:
        """Reveal shows the value; a right answer afterwards does not make it solved."""
        shown = session.reveal(ID("1:value:p"))
        assert shown.shown == "0.142857"
        assert "p = 0.142857" in shown.message
        assert session.status(ID("1:value:p")) is Status.REVEALED
        feedback = session.answer(ID("1:value:p"), "0.142857")
        assert feedback.verdict is Verdict.CORRECT
        assert session.status(ID("1:value:p")) is Status.REVEALED

    def test_revealing_after_solving_keeps_it_solved(self, session: QuizSession) -> None:
        """Solved first, revealed later: still solved."""
        session.answer(ID("1:value:u"), "2")
        session.reveal(ID("1:value:u"))
        assert session.status(ID("1:value:u")) is Status.SOLVED

    def test_after_a_reveal_later_answers_use_the_engine_value(self, session: QuizSession) -> None:
        """A wrong u, then u revealed: h is judged against the true u, not the wrong one."""
        session.answer(ID("1:value:u"), "3")
        assert session.answer(ID("1:value:h"), "9").verdict is Verdict.METHOD_CORRECT_CARRIED
        session.reveal(ID("1:value:u"))
        assert session.answer(ID("1:value:h"), "9").verdict is Verdict.WRONG


class TestRecordsAndSummary:
    def test_statuses_move_as_answers_come(self, session: QuizSession) -> None:
        """Unanswered, attempted after a wrong answer, solved after a right one."""
        assert session.status(ID("1:value:v")) is Status.UNANSWERED
        session.answer(ID("1:value:v"), "not a number")
        assert session.status(ID("1:value:v")) is Status.UNANSWERED  # unreadable: not counted
        session.answer(ID("1:value:v"), "7")
        assert session.status(ID("1:value:v")) is Status.ATTEMPTED
        session.answer(ID("1:value:v"), "6")
        assert session.status(ID("1:value:v")) is Status.SOLVED
        assert session.next_open(1) is not None
        assert session.next_open(1).id == ID("1:value:u")  # type: ignore[union-attr]

    def test_summary_counts_everything(self, session: QuizSession) -> None:
        """Solved, first try, carried, revealed, open, hints, wrong, mistakes, skills."""
        session.answer(ID("1:value:u"), "2")
        session.answer(ID("1:value:h"), "5")
        session.answer(ID("1:value:h"), "-4")
        session.hint(ID("1:value:v"))
        session.answer(ID("1:value:v"), "7")  # right for their h = −4? c·h + u + d = −2: no
        session.reveal(ID("1:value:v"))
        session.answer(ID("1:value:p"), "0.1429")
        session.answer(ID("1:value:L"), "0.73462")
        summary = session.summary()
        assert summary.total == len(session.questions) == 42
        assert summary.solved == 3
        assert summary.first_try == 3
        assert summary.method_correct == 1
        assert summary.revealed == 1
        assert summary.attempted == 1
        assert summary.unanswered == 42 - 5
        assert summary.hints == 1
        assert summary.wrong_answers == 3
        assert dict(summary.mistakes) == {"sign": 1}
        scores = {s.skill: (s.asked, s.solved) for s in summary.skills}
        assert scores["evaluate"] == (5, 3)
        lines = summary_lines(summary)
        assert lines[0].startswith("Solved 3 of 42")
        assert any("sign ×1" in line for line in lines)

    def test_first_try_means_the_first_answer_that_decides(self, session: QuizSession) -> None:
        """Too few digits neither spoils the first try nor counts it; a reveal before it does.

        The one definition both the quiz summary and the study mode's "right" use.
        """
        session.answer(ID("1:value:u"), "abc")  # not a number: not an answer
        session.answer(ID("1:value:u"), "2")
        session.answer(ID("1:value:J"), "0.83")  # right as far as it goes
        session.answer(ID("1:value:J"), "0.8347")
        session.reveal(ID("1:value:p"))
        session.answer(ID("1:value:p"), "0.142857")
        session.answer(ID("1:value:h"), "5")
        session.answer(ID("1:value:h"), "4")
        assert session.record(ID("1:value:u")).first_try
        assert session.record(ID("1:value:J")).first_try
        assert not session.record(ID("1:value:p")).first_try
        assert session.record(ID("1:value:p")).missed
        assert not session.record(ID("1:value:h")).first_try
        assert session.record(ID("1:value:h")).missed
        summary = session.summary()
        assert summary.first_try == 2 and summary.solved == 3

    def test_unknown_ids_and_steps_raise_plainly(self, session: QuizSession) -> None:
        """A front end bug (a wrong id or step) is a KeyError or ValueError, not silence."""
        with pytest.raises(KeyError):
            session.answer(ID("9:value:u"), "2")
        with pytest.raises(ValueError, match="step 3"):
            session.questions_for(3)


class TestSkills:
    def test_worked_example_tags(self, session: QuizSession) -> None:
        """Tags come from the graph: merge at u, power at h, reciprocal at p, R's decay."""
        skills = {q.id: set(q.skills) for q in session.questions}
        assert skills[ID("1:value:u")] == {"evaluate"}
        assert skills[ID("1:value:R")] == {"evaluate", "regularization"}
        assert {"local:power", "branch-merge", "chain-rule"} <= skills[ID("1:grad:u")]
        assert "regularization" not in skills[ID("1:grad:u")]
        assert "local:reciprocal" in skills[ID("1:grad:v")]
        assert "local:power" in skills[ID("1:grad:p")]
        assert {"regularization", "branch-merge", "local:product"} <= skills[ID("1:grad:a")]
        assert skills[ID("1:grad:d")] == {"local:sum", "chain-rule"}
        assert skills[ID("2:update:c")] == {"update"}

    def test_function_kinds_from_other_lessons(self) -> None:
        """exp, log, tanh, sigmoid and relu are tagged in the lessons that use them."""
        tags: set[str] = set()
        for lesson in list_lessons():
            for q in QuizSession(lesson).questions:
                tags.update(q.skills)
        assert {"local:exp", "local:log", "local:tanh", "local:sigmoid", "local:relu"} <= tags

    def test_dependencies_point_backwards(self, session: QuizSession) -> None:
        """Every question depends only on questions asked before it."""
        seen: set[QuestionId] = set()
        for q in session.questions:
            assert set(q.depends_on) <= seen, q.id
            seen.add(q.id)
        assert session.question(ID("2:value:u")).depends_on == (ID("1:update:a"), ID("1:update:b"))
        assert session.question(ID("1:grad:R")).depends_on == ()


@pytest.mark.parametrize("lesson", list_lessons(), ids=lambda lesson: lesson.name)
def test_every_lesson_gets_questions_hints_and_candidates(lesson: object) -> None:
    """Any lesson's numbers: formulas reproduce the engine, every hint level has text."""
    from backprop_tutor.engine import Lesson

    assert isinstance(lesson, Lesson)
    traces = run_lesson(lesson)
    session = QuizSession(lesson, traces, NUMBERS_ONLY)
    for q in session.questions:
        trace = traces[q.step - 1]
        assert compute(q, trace, engine_lookup(trace)) == pytest.approx(
            q.expected, rel=1e-9, abs=1e-12
        )
        for level in (1, 2, 3):
            assert hint(q, trace, level).text.strip()
        previous = traces[q.step - 2] if q.step > 1 else None
        for c in candidates(q, trace, previous):
            assert c.message and c.name
        assert q.kind in (Kind.VALUE, Kind.GRADIENT, Kind.UPDATE)
        assert session.answer(q.id, f"{q.expected:.6f}").solved


def test_the_quiz_never_imports_textual_or_rich() -> None:
    """The quiz, and the plain front ends over it, run without any terminal UI library."""
    code = (
        "import sys, backprop_tutor.quiz, backprop_tutor.plain.quiz, backprop_tutor.plain.study\n"
        "bad = [m for m in ('textual', 'rich') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == ""


def test_a_long_chain_lesson_stays_usable(tmp_path: object) -> None:
    """A 300-node chain: questions, every hint level and answers work, nothing recurses."""
    from pathlib import Path

    from backprop_tutor.engine import load_lesson

    assert isinstance(tmp_path, Path)
    lines = [
        'title = "Long chain"',
        'summary = "A chain of sums."',
        'objective = "J"',
        "[parameters]",
        "w = 0.01",
        "[optimizer]",
        "learning_rate = 0.1",
        "[graph]",
        'n0 = "w*x"',
        *(f'n{i} = "n{i - 1} + w"' for i in range(1, 300)),
        'J = "n299^2"',
        "[[steps]]",
        "x = 1",
    ]
    path = tmp_path / "chain.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = QuizSession(load_lesson(str(path)))
    question = session.question(ID("1:grad:n10"))
    texts = [session.hint(question.id).text for _ in range(3)]
    assert texts[1] == "∂J/∂n₁₀ = ∂J/∂n₁₁"
    assert session.answer(question.id, repr(question.expected)).solved
    assert session.answer(ID("1:grad:w"), "0").verdict is Verdict.WRONG


@pytest.mark.parametrize("lesson", list_lessons(), ids=lambda lesson: lesson.name)
def test_typing_a_candidate_never_counts_as_right(lesson: object) -> None:
    """Every generated mistake, typed to 8 figures, is wrong, and any name given fits it."""
    from backprop_tutor.engine import Lesson

    assert isinstance(lesson, Lesson)
    traces = run_lesson(lesson)
    for q in QuizSession(lesson, traces, NUMBERS_ONLY).questions:
        previous = traces[q.step - 2] if q.step > 1 else None
        found = candidates(q, traces[q.step - 1], previous)
        for c in found:
            feedback = QuizSession(lesson, traces, NUMBERS_ONLY).answer(q.id, f"{c.value:.8g}")
            if abs(c.value - q.expected) <= 5e-7:
                continue  # closer than the lesson's 6 decimals: indistinguishable
            assert not feedback.solved, (q.id, c)
            if feedback.diagnosis is not None:
                assert any(
                    d.name == feedback.diagnosis and abs(d.value - c.value) <= 1e-6 for d in found
                ), (q.id, c, feedback.diagnosis)
