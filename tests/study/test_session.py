"""A study session end to end on the worked example, with a fake clock and a temp folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from tests.conftest import RunMain

from backprop_tutor.engine import Lesson
from backprop_tutor.quiz import Question, QuestionId, Summary
from backprop_tutor.study.progress import ProgressStore, UnreadableProgress
from backprop_tutor.study.session import StudySession

from .conftest import FakeClock

ID = QuestionId.parse  # ids written as text, the way the progress file keeps them


def _open(folder: Path, lesson: Lesson, clock: FakeClock, seed: int | None = None) -> StudySession:
    return StudySession.open(
        ProgressStore(folder), lesson, clock=clock, seed=seed, new_seed=lambda: 1234
    )


def _right(question: Question) -> str:
    return question.typed or repr(question.expected)


def _answer_all(session: StudySession, text: Callable[[Question], str] = _right) -> None:
    while (question := session.current) is not None:
        feedback = session.answer(text(question))
        if not feedback.solved:
            session.reveal()


def test_a_new_session_is_saved_before_the_first_answer(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Seed and plan are on disk at once, so even a kill before answering resumes."""
    session = _open(tmp_path, worked_example, clock)
    assert not session.resumed and session.seed == 1234
    document = json.loads((tmp_path / "progress.json").read_text())
    [saved] = document["sessions"]
    assert saved["seed"] == 1234 and saved["position"] == 0
    assert (
        saved["queue"] == [str(key) for key in session.plan.queue] and 0 < len(saved["queue"]) <= 8
    )


def test_a_whole_session_saves_every_answer_and_closes(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """All right: one answer per question on disk, every skill moved to box 2."""
    session = _open(tmp_path, worked_example, clock)
    planned = list(session.plan.queue)
    _answer_all(session)
    assert session.finished
    document = json.loads((tmp_path / "progress.json").read_text())
    assert [a["question"] for a in document["answers"]] == [str(key) for key in planned]
    assert all(a["outcome"] == "right" for a in document["answers"])
    assert document["sessions"] == []
    assert {s["box"] for s in document["skills"].values()} == {2}
    summary = session.summary()
    assert isinstance(summary, Summary)  # the quiz's own summary type
    assert summary.total == summary.first_try == len(planned)
    assert all(score.box == 2 for score in summary.skills)
    asked = [score.asked for score in summary.skills]
    assert asked == sorted(asked, reverse=True)  # most practised skill first
    assert summary.standing is not None and summary.standing.streak == 1
    due_next = summary.standing.due_next
    assert due_next and due_next[0][0] == clock().date() + timedelta(1)


def test_an_interrupted_session_resumes_at_the_same_question_with_the_same_numbers(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Three answers, then a new process: same exercise, fourth question next."""
    first = _open(tmp_path, worked_example, clock)
    for _ in range(3):
        question = first.current
        assert question is not None
        first.answer(_right(question))
    expected = first.current
    again = _open(tmp_path, worked_example, clock)
    assert again.resumed and again.seed == first.seed
    assert dict(again.lesson.parameters) == dict(first.lesson.parameters)
    assert again.lesson.steps == first.lesson.steps
    assert again.current is not None and expected is not None
    assert again.current.id == expected.id and again.done == 3
    _answer_all(again)
    answers = ProgressStore(tmp_path).load().answers
    assert len(answers) == len(first.plan.queue)


def test_another_seed_starts_afresh_and_sets_the_old_session_aside(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """--seed with a different number is a new exercise, not a resume."""
    first = _open(tmp_path, worked_example, clock)
    first.answer(_right(first.current))  # type: ignore[arg-type]
    other = _open(tmp_path, worked_example, clock, seed=99)
    assert not other.resumed and other.seed == 99
    sessions = ProgressStore(tmp_path).load().sessions
    assert [s.seed for s in sessions.values()] == [99]


def test_a_miss_is_saved_and_brings_its_skill_back(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """A wrong first try counts as missed even when corrected; a follow-up is planned."""
    session = _open(tmp_path, worked_example, clock, seed=3)
    question = session.current
    assert question is not None
    before = len(session.plan.queue)
    # A wrong answer of the question's own kind: a number, or paths and formulas ("J").
    wrong = session.answer("J" if question.typed else "123456")
    assert not wrong.solved and wrong.counted
    session.answer(_right(question))
    saved = ProgressStore(tmp_path).load().answers
    assert [(a.question, a.outcome) for a in saved] == [(question.id, "missed")]
    assert saved[0].charged
    pending = session.plan.queue[session.plan.position :]
    assert len(session.plan.queue) >= before
    assert any(set(saved[0].charged) & set(session.quiz.question(key).skills) for key in pending)


def test_a_hint_then_right_is_hinted_and_a_reveal_is_missed(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Outcomes as the scheduler sees them."""
    session = _open(tmp_path, worked_example, clock, seed=5)
    first = session.current
    assert first is not None
    assert session.hint().level == 1
    session.answer(_right(first))
    session.reveal()
    outcomes = [a.outcome for a in ProgressStore(tmp_path).load().answers]
    assert outcomes == ["hinted", "missed"]


def test_the_next_day_plans_around_yesterdays_misses(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Missing everything today makes tomorrow's session start from those skills."""
    session = _open(tmp_path, worked_example, clock, seed=8)
    _answer_all(session, lambda q: "123456")
    missed = {s for a in ProgressStore(tmp_path).load().answers for s in a.charged}
    clock.days(1)
    tomorrow = _open(tmp_path, worked_example, clock, seed=9)
    skills = {s for key in tomorrow.plan.queue for s in tomorrow.quiz.question(key).skills}
    assert missed & skills


def test_givens_hand_over_what_a_question_builds_on(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """∂J/∂a needs ∂J/∂u, ∂J/∂R and the leaves x, λ, a; a new a needs η."""
    session = _open(tmp_path, worked_example, clock, seed=2)
    by_id = {q.id: q for q in session.questions}
    labels = [label for label, _ in session.givens(by_id[ID("1:grad:a")])]
    assert {"∂J/∂u", "∂J/∂R", "x", "λ", "a"} <= set(labels)
    update = dict(session.givens(by_id[ID("2:update:a")]))
    assert "η" in update and "∂J/∂a" in update
    forward = dict(session.givens(by_id[ID("2:value:u")]))
    assert set(forward) == {"a", "x", "b"}


def test_an_unreadable_file_stops_the_session_before_it_starts(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Opening raises; the file is untouched."""
    (tmp_path / "progress.json").write_bytes(b"{not json")
    with pytest.raises(UnreadableProgress):
        _open(tmp_path, worked_example, clock)
    assert (tmp_path / "progress.json").read_bytes() == b"{not json"


def test_a_question_asked_again_starts_clean(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """A repeat (a follow-up with no fresh question left) is answered anew, not pre-solved."""
    session = _open(tmp_path, worked_example, clock, seed=4)
    first = session.current
    assert first is not None
    session.plan.queue[session.plan.position + 1 : session.plan.position + 1] = [first.id]
    session.answer(_right(first))
    assert session.current is not None and session.current.id == first.id
    assert session.quiz.record(first.id).attempts == []
    session.answer(_right(first))
    assert [a.question for a in ProgressStore(tmp_path).load().answers] == [first.id] * 2


def test_due_today_lists_new_skills_then_empties(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """At first every skill is new and due; right after a perfect session, fewer are."""
    session = _open(tmp_path, worked_example, clock, seed=6)
    before = session.due_today()
    assert "evaluate" in before
    _answer_all(session)
    assert "evaluate" not in session.due_today()


def test_a_failed_save_keeps_the_answer_for_the_next_one(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder turns read-only for one save: the answer waits in memory, then lands."""
    from backprop_tutor.study.progress import CannotSave

    session = _open(tmp_path, worked_example, clock, seed=12)
    store = session.store
    real_save = store.save

    def refuse(*args: object, **kwargs: object) -> object:
        raise CannotSave(f"cannot save progress in {tmp_path}: the folder is read-only")

    monkeypatch.setattr(store, "save", refuse)
    first = session.current
    assert first is not None
    with pytest.raises(CannotSave):
        session.answer(_right(first))
    assert session.unsaved == 1 and session.done == 1
    monkeypatch.setattr(store, "save", real_save)
    second = session.current
    assert second is not None
    session.answer(_right(second))
    assert session.unsaved == 0
    saved = [a.question for a in ProgressStore(tmp_path).load().answers]
    assert saved == [first.id, second.id]


def test_a_saved_session_whose_lesson_changed_starts_afresh(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Question ids that no longer exist (the file was edited) are not resumed."""
    from dataclasses import replace

    first = _open(tmp_path, worked_example, clock, seed=2)
    store = ProgressStore(tmp_path)
    store.save(session=replace(first.plan, queue=[ID("9:value:nowhere")]))
    again = _open(tmp_path, worked_example, clock)
    assert not again.resumed and again.seed == 1234
    assert [s.seed for s in store.load().sessions.values()] == [1234]


def test_a_session_edited_to_its_end_is_not_resumed_at_question_9_of_8(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock, run_main: RunMain
) -> None:
    """A saved place past the last question (finished flag lost) said "question 9 of 8"."""
    first = _open(tmp_path, worked_example, clock, seed=5)
    assert first.current is not None
    first.answer(_right(first.current))
    path = tmp_path / "progress.json"
    document = json.loads(path.read_text())
    document["sessions"][0]["position"] = len(document["sessions"][0]["queue"])
    path.write_text(json.dumps(document))
    listed = run_main("progress", "--data-dir", str(tmp_path))
    assert listed.returncode == 0 and "Unfinished session" not in listed.stdout
    again = _open(tmp_path, worked_example, clock)
    assert not again.resumed and again.plan.id != first.plan.id
    assert again.current is not None and 1 == again.number <= again.total
