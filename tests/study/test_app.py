"""The study app: a whole session through the Pilot, the corrupt-file dialog, snapshots."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.tui.helpers import record_notes
from textual.pilot import Pilot

from backprop_tutor.engine import Lesson
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.tui import deferred
from backprop_tutor.tui.screens.study_app import StudyApp, make_study_app
from backprop_tutor.tui.screens.study_corrupt import CorruptProgressDialog
from backprop_tutor.tui.screens.study_session import StudyScreen
from backprop_tutor.tui.screens.study_summary import StudySummaryScreen

from .conftest import FakeClock

SIZE = (120, 40)
SEED = 7


def _app(folder: Path, lesson: Lesson, clock: FakeClock, seed: int | None = SEED) -> StudyApp:
    return make_study_app(
        ProgressStore(folder), lesson, clock=clock, new_seed=lambda: 4242, seed=seed
    )


async def _type(pilot: Pilot[Any], text: str) -> None:
    """Replace what is in the answer box with `text` and press Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, StudyScreen)
    screen.answer_input.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


async def _answer_current(pilot: Pilot[Any]) -> None:
    study = pilot.app.study
    assert study is not None and study.current is not None
    await _type(pilot, study.current.typed or repr(study.current.expected))


def _slip(pilot: Pilot[Any]) -> str:
    """A wrong answer of the current question's kind: one path of several, or a number."""
    study = pilot.app.study
    assert study is not None and study.current is not None
    typed = study.current.typed
    return typed.split(";")[0] if typed else "3.5"


class TestStudySession:
    """A session driven key by key, with the progress file checked afterwards."""

    async def test_a_whole_session_saves_every_answer(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """One miss then everything right: the file has each answer, the summary shows."""
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, StudyScreen)
            study = app.study
            assert study is not None
            first = study.current
            assert first is not None and screen.answer_input.has_focus
            assert screen.progress_bar.total == study.total
            # A wrong answer of the question's own kind: a number, or paths and formulas.
            await _type(pilot, "J" if first.typed else "123456")
            assert study.current is first  # a wrong answer keeps the question
            await _answer_current(pilot)
            assert study.done == 1 and screen.progress_bar.progress == 1
            saved = json.loads((tmp_path / "progress.json").read_text())
            assert [(a["question"], a["outcome"]) for a in saved["answers"]] == [
                (str(first.id), "missed")
            ]
            for _ in range(30):
                if study.current is None:
                    break
                await _answer_current(pilot)
            await pilot.pause()
            assert isinstance(app.screen, StudySummaryScreen)
            summary = app.screen.summary
            assert summary.total == study.total and summary.first_try == study.total - 1
        document = json.loads((tmp_path / "progress.json").read_text())
        assert len(document["answers"]) == study.total
        assert [a["outcome"] for a in document["answers"]].count("missed") == 1
        assert document["sessions"] == []

    async def test_hint_and_show_me_keys(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """ctrl+g shows a hint in place; ctrl+r shows the value, saves a miss and moves on."""
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            study = app.study
            assert study is not None
            first = study.current
            await pilot.press("ctrl+g")
            await pilot.pause()
            feedback = app.screen.query_one("#study-feedback")
            assert "Hint 1" in str(feedback.render())
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert study.current is not first and study.done == 1
        saved = ProgressStore(tmp_path).load().answers
        assert [a.outcome for a in saved] == ["missed"]

    async def test_quitting_mid_session_resumes_at_the_same_question(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """Two answers, quit, reopen without a seed: same numbers, third question."""
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await _answer_current(pilot)
            await _answer_current(pilot)
            study = app.study
            assert study is not None
            expected = study.current
            parameters = dict(study.lesson.parameters)
            await pilot.press("ctrl+q")
        again = _app(tmp_path, worked_example, clock, seed=None)
        async with again.run_test(size=SIZE) as pilot:
            await pilot.pause()
            resumed = again.study
            assert resumed is not None and resumed.resumed
            assert dict(resumed.lesson.parameters) == parameters
            assert expected is not None and resumed.current is not None
            assert resumed.current.id == expected.id and resumed.done == 2


class TestCorruptFile:
    """The dialog decides; nothing is moved without the learner's yes."""

    async def test_leaving_changes_nothing_and_exits_2(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """The safe button has focus; pressing it quits with the file as it was."""
        (tmp_path / "progress.json").write_bytes(b"{truncated")
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CorruptProgressDialog)
            await pilot.press("enter")
            await pilot.pause()
        assert app.return_code == 2 and app.farewell and "nothing was changed" in app.farewell
        assert (tmp_path / "progress.json").read_bytes() == b"{truncated"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]

    async def test_moving_aside_keeps_the_bytes_and_starts_afresh(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """Agreeing renames the file (corrupt-<time>) and opens a new session."""
        (tmp_path / "progress.json").write_bytes(b"\x00\xff random")
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.click("#corrupt-move")
            await pilot.pause()
            assert isinstance(app.screen, StudyScreen)
        moved = tmp_path / "progress.json.corrupt-20260302-190000"
        assert moved.read_bytes() == b"\x00\xff random"
        assert ProgressStore(tmp_path).load().open_session("branch-merge") is not None

    async def test_a_newer_file_is_named_as_such(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """A newer format is not called damaged, and is moved aside as newer-<time>."""
        (tmp_path / "progress.json").write_text(json.dumps({"schema": 99}))
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            body = app.screen.query_one("#corrupt-what")
            assert "newer version" in str(body.render())
            await pilot.click("#corrupt-move")
            await pilot.pause()
        assert (tmp_path / "progress.json.newer-20260302-190000").exists()


# ---------------------------------------------------------------- snapshots

Snap = Callable[..., bool]


@pytest.fixture
def data_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Work in tmp_path with the data dir `data`, so screens show the same path every run."""
    monkeypatch.chdir(tmp_path)
    return Path("data")


class TestSnapshots:
    """What the learner sees, at 120×40, with a fixed clock and seed."""

    def test_study_session_first_question(
        self, snap_compare: Snap, data_here: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """The first question: progress bar at 0, graph with the leaves, givens, prompt."""
        app = _app(data_here, worked_example, clock)
        assert snap_compare(app, terminal_size=SIZE)

    def test_study_session_after_a_miss_and_a_right_answer(
        self, snap_compare: Snap, data_here: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """Mid-session: the bar has moved, the last answer's feedback is shown."""
        app = _app(data_here, worked_example, clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            await _type(pilot, _slip(pilot))
            await _answer_current(pilot)
            await _answer_current(pilot)
            await _type(pilot, _slip(pilot))

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_summary_screen(
        self, snap_compare: Snap, data_here: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """The end: chart of accuracy per skill, streak, what is due and when."""
        app = _app(data_here, worked_example, clock)

        async def run_before(pilot: Pilot[Any]) -> None:
            await pilot.pause()
            await pilot.press("ctrl+r")  # one miss, so the chart is not all full bars
            for _ in range(30):
                study = pilot.app.study
                if study is None or study.current is None:
                    break
                await _answer_current(pilot)
            await pilot.pause()

        assert snap_compare(app, terminal_size=SIZE, run_before=run_before)

    def test_corrupt_file_dialog(
        self, snap_compare: Snap, data_here: Path, worked_example: Lesson, clock: FakeClock
    ) -> None:
        """The dialog for a truncated file, the safe choice focused."""
        data_here.mkdir()
        (data_here / "progress.json").write_text('{"schema": 1, "answers": [{"id"')
        app = _app(data_here, worked_example, clock)
        assert snap_compare(app, terminal_size=SIZE)


async def test_another_session_from_the_summary(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """n on the summary opens a new session with fresh numbers."""
    app = _app(tmp_path, worked_example, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(30):
            study = app.study
            if study is None or study.current is None:
                break
            await _answer_current(pilot)
        await pilot.pause()
        assert isinstance(app.screen, StudySummaryScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, StudyScreen)
        assert app.study is not None and app.study.seed == 4242 and not app.study.resumed


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (20, 8)])
async def test_small_terminals_do_not_break_the_study_screen(
    size: tuple[int, int], tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """Down to 20×8 the screen still answers questions (graph as a list or clipped)."""
    app = _app(tmp_path, worked_example, clock)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await _answer_current(pilot)
        await pilot.resize_terminal(*SIZE)
        await pilot.pause()
        await _answer_current(pilot)
        assert app.study is not None and app.study.done == 2


async def test_the_path_hint_names_no_stepping_key_here(
    tmp_path: Path, worked_example: Lesson, clock: FakeClock
) -> None:
    """The study screen has no ctrl+n, so the path panel's hint does not offer it."""
    app = _app(tmp_path, worked_example, clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StudyScreen)
        study = app.study
        assert study is not None
        # Paths and formulas are held back while asked: answer them to reach a number.
        while study.current is not None and study.current.typed:
            await _answer_current(pilot)
        summary = str(screen.path_panel.summary.render())
        assert "Numbers appear when you answer it." in summary
        assert "ctrl+n" not in summary


class TestStudyKeys:
    """The study screen's keys are the tutor's: `?` and `!` are answer text, F7/F8 explain."""

    @pytest.mark.parametrize("typed", ["?", "!", " ? "])
    async def test_question_and_exclamation_marks_are_answers(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock, typed: str
    ) -> None:
        """A lone `?` or `!` with Enter was read as hint / show me (the keymap says ctrl+g/r)."""
        app = _app(tmp_path, worked_example, clock)
        async with app.run_test(size=SIZE) as pilot:
            await deferred.settled(app)
            study = app.study
            assert study is not None and study.current is not None
            first = study.current
            await pilot.press(*typed, "enter")
            await deferred.settled(app)
            record = study.quiz.record(first.id)
            assert study.current is first and study.done == 0
            assert record.hints == 0 and not record.revealed
            feedback = str(app.screen.query_one("#study-feedback").render())
            assert "Hint" not in feedback and "Shown" not in feedback
        assert ProgressStore(tmp_path).load().answers == []

    @pytest.mark.parametrize("key", ["f7", "f8"])
    async def test_step_keys_say_why_there_are_no_steps(
        self, tmp_path: Path, worked_example: Lesson, clock: FakeClock, key: str
    ) -> None:
        """F7/F8 step the tutor; in self-study they say why not, and nothing moves."""
        app = _app(tmp_path, worked_example, clock)
        said = record_notes(app)
        async with app.run_test(size=SIZE) as pilot:
            await deferred.settled(app)
            study = app.study
            assert study is not None
            first = study.current
            await pilot.press(key)
            await deferred.settled(app)
            assert study.current is first and study.done == 0
            assert any("no steps to move through" in m and "--lesson" in m for m in said), said
