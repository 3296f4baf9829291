"""A lesson whose objective is E, not J: everything the text front ends say names ∂E, never ∂J.

Each built-in lesson is copied with its objective renamed (in the graph and in its own
text), then run through `trace`, `check-lesson`, the plain tutor, the plain study mode,
and every hint, reveal and named mistake of every question. Whatever still says ∂J
came from the code, which must use the lesson's own objective.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import Lesson, builtin_lesson_paths, load_lesson
from backprop_tutor.plain.quiz import run_plain
from backprop_tutor.plain.study import PlainStudy
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.diagnosis import candidates
from backprop_tutor.quiz.typed_kinds import is_typed
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.session import StudySession

LESSONS = sorted(builtin_lesson_paths())


def renamed(name: str, folder: Path) -> Lesson:
    """The built-in lesson with its objective J called E everywhere, as a learner's file."""
    source = builtin_lesson_paths()[name].read_text(encoding="utf-8")
    assert re.search(r'^objective = "J"$', source, re.MULTILINE), "the copy assumes J"
    path = folder / f"{name}-e.toml"
    path.write_text(re.sub(r"\bJ\b", "E", source), encoding="utf-8")
    lesson = load_lesson(str(path))
    assert lesson.graph.objective_label == "E"
    return lesson


def quiz_texts(lesson: Lesson) -> list[str]:
    """Every hint, reveal, named mistake and carried-error message of every question."""
    texts: list[str] = []
    session = QuizSession(lesson)
    for question in session.questions:
        texts.append(question.prompt)
        texts += [session.hint(question.id).message for _ in range(3)]
        trace = session.traces[question.step - 1]
        previous = session.traces[question.step - 2] if question.step > 1 else None
        if is_typed(question):  # paths, local derivatives, formulas: a wrong one named
            fresh = QuizSession(lesson, session.traces)
            texts.append(fresh.answer(question.id, "1").message)
        for candidate in [] if is_typed(question) else candidates(question, trace, previous):
            texts.append(candidate.message)
            fresh = QuizSession(lesson, session.traces)
            texts.append(fresh.answer(question.id, repr(candidate.value)).message)
        texts.append(session.reveal(question.id).message)
    # Every answer a little off: later answers are judged with the learner's own numbers.
    carried = QuizSession(lesson)
    for question in carried.questions:
        texts.append(carried.answer(question.id, repr(question.expected + 0.5)).message)
    return texts


@pytest.mark.parametrize("name", LESSONS)
def test_no_text_front_end_names_the_objective_j(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """trace, check-lesson, --plain, quiz --plain, hints and mistakes all say ∂E."""
    lesson = renamed(name, tmp_path)
    outputs: dict[str, str] = {}

    assert main(["trace", "--lesson", str(lesson.path)]) == 0
    assert main(["check-lesson", str(lesson.path)]) == 0
    outputs["trace and check-lesson"] = capsys.readouterr().out

    typed = "?\n?\n?\n12345\n!\n" * len(QuizSession(lesson).questions)
    plain = io.StringIO()
    assert run_plain(lesson, io.StringIO(typed), plain) == 0
    outputs["--plain"] = plain.getvalue()

    study = StudySession.open(
        ProgressStore(tmp_path / "data"),
        lesson,
        clock=lambda: datetime(2026, 3, 2, 19, 0, tzinfo=UTC),
        seed=7,
        new_seed=lambda: 7,
    )
    studied = io.StringIO()
    assert PlainStudy(study, io.StringIO("?\n?\n?\n12345\n!\n" * 40), studied).run() == 0
    outputs["quiz --plain"] = studied.getvalue()

    outputs["hints and mistakes"] = "\n".join(quiz_texts(lesson))

    for where, text in outputs.items():
        assert "∂E/∂" in text, f"{where} never names a gradient"
        assert "∂J" not in text, f"{where}: {next(ln for ln in text.splitlines() if '∂J' in ln)}"
