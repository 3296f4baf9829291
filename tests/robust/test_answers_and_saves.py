"""Answers that crashed every front end, and the way out with a pending save that fails."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Lesson
from backprop_tutor.plain.study import PlainStudy
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.answers import Reading, read_answer
from backprop_tutor.study.progress import CannotSave, ProgressStore
from backprop_tutor.study.session import StudySession


def FakeClock() -> Callable[[], datetime]:
    """A clock stopped on Monday evening, 2 March 2026."""
    moment = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    return lambda: moment


# Small in `make test`; BACKPROP_TUTOR_FUZZ_EXAMPLES=2000 for a longer run.
EXAMPLES = int(os.environ.get("BACKPROP_TUTOR_FUZZ_EXAMPLES", "150"))

EXTREME_EXPONENTS = st.sampled_from(
    ["0e1000000", "0e-9999999", "1e-99999999999", "0E+999999999999999999", "-0e500", "0.0e-141"]
)
NUMBER = st.builds(
    lambda digits, point, exp: digits + point + exp,
    st.text("0123456789", min_size=1, max_size=60),
    st.sampled_from(["", ".", ".5", ".000"]),
    st.sampled_from(["", "e5", "e-5", "e999", "e-999", "e1000000", "e-9999999", "E+0"]),
)
ANSWER = st.one_of(
    EXTREME_EXPONENTS,
    NUMBER,
    st.builds(lambda a, op, b: f"{a}{op}{b}", NUMBER, st.sampled_from("+-*/^"), NUMBER),
    st.text(alphabet=st.sampled_from("0123456789.eE+-*/^()= ,٣−×"), max_size=40),
    st.text(max_size=60),
)


@pytest.mark.parametrize("text", ["0e1000000", "0e-9999999", "0E+999999999999999999"])
def test_zero_with_a_huge_exponent_is_refused(text: str) -> None:
    """Decimal kept the exponent, and the precision arithmetic then overflowed."""
    reading = read_answer(text)
    assert not isinstance(reading, Reading)
    assert "too large or too small" in reading.message


def test_non_ascii_digits_are_not_numbers() -> None:
    """The README says ASCII digits; an Arabic-Indic three is not read as 3."""
    assert not isinstance(read_answer("٣"), Reading)


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=ANSWER)
def test_any_answer_is_checked_without_raising(worked_example: Lesson, text: str) -> None:
    """Whatever is typed, every question checks it and says something."""
    session = QuizSession(worked_example)
    for question in session.questions[:3]:
        feedback = session.answer(question.id, text)
        assert feedback.message


def _study(folder: Path, lesson: Lesson) -> StudySession:
    return StudySession.open(
        ProgressStore(folder), lesson, clock=FakeClock(), seed=7, new_seed=lambda: 7
    )


def _failing_saves(session: StudySession, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> object:
        raise CannotSave("cannot save progress: no space left on the device")

    monkeypatch.setattr(session.store, "save", refuse)


@pytest.mark.parametrize("ending", ["q\n", ""], ids=["q", "end of input"])
def test_stopping_with_a_failed_save_says_what_was_not_saved(
    tmp_path: Path, worked_example: Lesson, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    """It said "your place is saved" and dropped the answer kept in memory."""
    study = _study(tmp_path, worked_example)
    question = study.current
    assert question is not None
    _failing_saves(study, monkeypatch)
    out = io.StringIO()
    code = PlainStudy(
        study, io.StringIO(f"{question.typed or repr(question.expected)}\n{ending}"), out
    ).run()
    text = out.getvalue()
    assert code == 2
    assert "your place is saved" not in text
    assert f"1 answer was NOT saved ({question.id})" in text
    assert "no space left on the device" in text


def test_stopping_saves_what_a_failed_save_left(
    tmp_path: Path, worked_example: Lesson, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk has room again by the time the learner stops: the answer lands."""
    study = _study(tmp_path, worked_example)
    question = study.current
    assert question is not None
    real_save = study.store.save
    _failing_saves(study, monkeypatch)
    with pytest.raises(CannotSave):
        study.answer(question.typed or repr(question.expected))
    monkeypatch.setattr(study.store, "save", real_save)
    assert study.close() is None
    assert [a.question for a in ProgressStore(tmp_path).load().answers] == [question.id]


def test_the_study_app_tries_the_pending_save_on_every_way_out(
    tmp_path: Path,
    worked_example: Lesson,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """run_study_app ends with one more try and names what is still not saved."""
    from backprop_tutor.tui.screens import study_app

    study = _study(tmp_path, worked_example)
    question = study.current
    assert question is not None
    _failing_saves(study, monkeypatch)
    with pytest.raises(CannotSave):
        study.answer(question.typed or repr(question.expected))

    class Ran:
        farewell = None
        return_code = 0

        def __init__(self) -> None:
            self.study = study

        def run(self) -> None:
            """The learner pressed ctrl+q at once."""

    monkeypatch.setattr(study_app, "make_study_app", lambda *a, **k: Ran())
    code = study_app.run_study_app(
        study.store, worked_example, clock=FakeClock(), new_seed=lambda: 7
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"1 answer was NOT saved ({question.id})" in err


def test_the_tutor_app_names_what_is_not_saved_on_every_way_out(
    tmp_path: Path, worked_example: Lesson, capsys: pytest.CaptureFixture[str]
) -> None:
    """q, ctrl+q, the home screen's quit: every one ends in run_app, which says what is lost."""
    from backprop_tutor.commands.tutor import run_app
    from backprop_tutor.quiz.ids import QuestionId
    from backprop_tutor.study.tutor_records import Place
    from backprop_tutor.study.tutor_saves import LessonSaves
    from backprop_tutor.tui import make_app

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")  # saving there fails as a full disk does
    store = ProgressStore(blocked)
    saves = LessonSaves.open(store, worked_example, clock=FakeClock())
    assert not saves.add(QuestionId.parse("1:value:u"), "answer", "2", Place())
    app = make_app(worked_example, store=store, clock=FakeClock())
    app.saves["branch-merge"] = saves
    app.run = lambda *args, **kwargs: None  # type: ignore[method-assign]  # quit at once
    code = run_app(store, worked_example, (), fresh=False, first=app)
    err = capsys.readouterr().err
    assert code == 2
    assert "1 answer, hint or reveal was in Branch and merge NOT saved" in err


@pytest.mark.parametrize("command", [("quiz", "--plain"), ("--plain",)], ids=["quiz", "tutor"])
def test_invalid_utf8_on_stdin_is_an_answer_not_a_crash(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Under a real UTF-8 locale, stray bytes typed at a plain prompt crashed `quiz --plain`."""
    import subprocess
    import sys

    env = dict(os.environ, LC_ALL="C.UTF-8", PYTHONUTF8="1", BACKPROP_TUTOR_HOME=str(tmp_path))
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run(
        [sys.executable, "-m", "backprop_tutor", *command],
        input=b"\xff\xfe\x80 2\nq\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in err
    assert "\ufffd" in done.stdout.decode("utf-8")  # the bytes, echoed as replacement marks
