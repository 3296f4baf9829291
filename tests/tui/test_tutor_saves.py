"""Tutor work is saved after every answer and restored: switching lessons, relaunching, --fresh."""

from __future__ import annotations

import json
from pathlib import Path
from unittest import mock

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.tutor_saves import LessonSaves
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp

from .helpers import STEP1_ANSWERS, record_notes, settle, short, tutor, type_answer

SIZE = (120, 40)


def saved_app(tmp_path: Path, lesson: str | None = "branch-merge", **options: object) -> TutorApp:
    """The app with its progress in `tmp_path`."""
    return make_app(lesson, store=ProgressStore(tmp_path), **options, plan=NUMBERS_ONLY)  # type: ignore[arg-type]


def marks(app: TutorApp) -> dict[str, str]:
    """Each quiz row's mark, by its short name."""
    return {short(row.question): row.status for row in tutor(app).quiz_panel.rows}


def typed(app: TutorApp) -> dict[str, str]:
    """What each used row's input shows."""
    return {
        short(row.question): row.input.value
        for row in tutor(app).quiz_panel.rows
        if row.status != "open"
    }


async def answer_three(pilot: Pilot[None]) -> None:
    """u, h and v of step 1, right."""
    await settle(pilot)
    for key in ("value:u", "value:h", "value:v"):
        await type_answer(pilot, STEP1_ANSWERS[key])


THREE = {"value:u": "2", "value:h": "4", "value:v": "6"}


async def test_three_answers_survive_a_switch_a_relaunch_and_go_with_fresh(tmp_path: Path) -> None:
    """Answer three, switch lesson and back: there; relaunch: there; --fresh: gone, old kept."""
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_three(pilot)
        assert typed(app) == THREE
        app.open_lesson("two-layer")
        await settle(pilot)
        assert tutor(app).lesson.name == "two-layer"
        assert tutor(app).quiz_panel.border_title.startswith("Quiz: 0/")
        app.open_lesson("branch-merge")
        await settle(pilot)
        assert typed(app) == THREE
        assert [marks(app)[k] for k in THREE] == ["right"] * 3
        assert tutor(app).quiz_panel.border_title == "Quiz: 3/21 solved"
        # The cursor waits on the first open question, and the pass is where it was.
        assert short(tutor(app).quiz_panel.current.question) == "value:p"  # type: ignore[union-attr]
        assert tutor(app).position.stage == "forward"
        assert tutor(app).position.done == 3

    again = saved_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert typed(again) == THREE
        assert tutor(again).quiz_panel.border_title == "Quiz: 3/21 solved"

    fresh = saved_app(tmp_path, fresh=True)
    async with fresh.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert typed(fresh) == {}
        assert tutor(fresh).quiz_panel.border_title == "Quiz: 0/21 solved"
    document = json.loads((tmp_path / "progress.json").read_text())
    kept = [r for r in document["tutor"] if r["lesson"] == "branch-merge"]
    assert [r["aside"] for r in kept] == ["fresh"]
    assert [e["text"] for e in kept[0]["events"]] == ["2", "4", "6"]


def sentences(app: TutorApp) -> dict[str, str]:
    """What each row's feedback line says, by its short name (rows with none left out)."""
    rows = tutor(app).quiz_panel.rows
    return {short(row.question): row.feedback_text for row in rows if row.feedback_text}


async def test_a_wrong_answer_a_hint_and_a_reveal_come_back_as_they_were(tmp_path: Path) -> None:
    """Marks follow the replayed record: wrong stays wrong, shown stays shown (not solved),
    and each row says again what it said (why it is marked as it is)."""
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "5")  # u is 2
        await pilot.press("ctrl+g")
        await settle(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot)
        await type_answer(pilot, "3")  # h is 4
        before = sentences(app)
    assert before["value:u"].startswith("Shown, not solved")
    assert before["value:h"] and "4" not in before["value:h"]  # the miss named, not its value
    again = saved_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sentences(again) == before
        state = tutor(again).state
        assert marks(again)["value:u"] == "revealed"
        assert marks(again)["value:h"] == "wrong"
        u = state.session.record(state.questions[0].id)
        assert (u.hints, u.revealed, [a.text for a in u.attempts]) == (1, True, ["5"])
        assert tutor(again).quiz_panel.border_title == "Quiz: 0/21 solved, 1 shown"


async def test_the_step_reached_is_restored(tmp_path: Path) -> None:
    """Moved on to step 2 with F8: reopened, the lesson shows step 2."""
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await answer_three(pilot)
        await pilot.press("f8")
        await settle(pilot)
        assert tutor(app).position.step == 1
        await pilot.press("ctrl+o")  # home, which keeps the place
        await settle(pilot)
        assert app.home is not None
    again = saved_app(tmp_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert tutor(again).position.step == 1
        assert tutor(again).quiz_panel.step == 1
        assert "step 2/2 (x = 0)" in str(tutor(again).query_one("#status").render())


async def test_an_unreadable_file_is_asked_about_and_left_alone_if_told(tmp_path: Path) -> None:
    """A damaged progress file: the dialog asks; leaving it quits with it byte for byte."""
    (tmp_path / "progress.json").write_bytes(b"{damaged")
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ == "CorruptProgressDialog"
        await pilot.press("escape")
    assert app.return_code == 2 and app.farewell is not None and "left as it is" in app.farewell
    assert (tmp_path / "progress.json").read_bytes() == b"{damaged"


async def test_an_unreadable_file_moved_aside_with_consent_then_work_is_saved(
    tmp_path: Path,
) -> None:
    """Moving it aside keeps the old bytes under a dated name; the next answer is saved."""
    (tmp_path / "progress.json").write_bytes(b"{damaged")
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#corrupt-move")
        await settle(pilot)
        await type_answer(pilot, "2")
        assert typed(app) == {"value:u": "2"}
    [aside] = [p for p in tmp_path.iterdir() if p.name.startswith("progress.json.corrupt-")]
    assert aside.read_bytes() == b"{damaged"
    record = json.loads((tmp_path / "progress.json").read_text())["tutor"][0]
    assert [e["text"] for e in record["events"]] == ["2"]


async def test_a_folder_that_cannot_be_written_says_so_and_keeps_the_work(tmp_path: Path) -> None:
    """Saving fails (the folder is a file): the learner is told, and quitting reports it."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    app = make_app(store=ProgressStore(blocked), plan=NUMBERS_ONLY)
    said = record_notes(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "2")
        assert typed(app) == {"value:u": "2"}
        assert any("Not saved yet" in message for message in said), said
    [line] = app.unsaved()
    assert "1 answer, hint or reveal was in Branch and merge NOT saved" in line


def answers_on_disk(tmp_path: Path) -> list[str]:
    """The answers the progress file holds for branch-merge, in order."""
    path = tmp_path / "progress.json"
    if not path.exists():
        return []
    records = json.loads(path.read_text())["tutor"]
    events = [e for r in records if not r.get("aside") for e in r["events"]]
    return [e["text"] for e in events if e["action"] == "answer"]


async def test_an_answer_is_written_once_its_verdict_is_painted(tmp_path: Path) -> None:
    """Enter checks and paints the verdict first; the file is written after that frame
    (writing and syncing it took a third of the time to the verdict)."""
    app = saved_app(tmp_path)
    frames: list[int] = []
    hook = app.post_display_hook

    def painted() -> None:
        frames.append(len(frames))
        hook()

    app.post_display_hook = painted  # type: ignore[method-assign]
    writes: list[int] = []
    real = LessonSaves.save

    def save(saves: LessonSaves) -> bool:
        writes.append(len(frames))
        return real(saves)

    with mock.patch.object(LessonSaves, "save", save):
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("2")
            await settle(pilot)
            before, writes[:] = len(frames), []
            await pilot.press("enter")
            await settle(pilot)
            assert writes and writes[0] > before, (before, writes)
    assert answers_on_disk(tmp_path) == ["2"]


async def test_an_answer_then_quit_at_once_is_saved(tmp_path: Path) -> None:
    """Enter and ctrl+q in one burst: the app leaves before the verdict's frame, and the
    answer is on disk all the same."""
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "enter", "ctrl+q")
    assert answers_on_disk(tmp_path) == ["2"]


async def test_whatever_stops_the_app_it_writes_what_is_waiting(tmp_path: Path) -> None:
    """An answer not yet written when the app stops another way (a crash, the terminal
    closed) is written by `unsaved`, which the command runs however the app ended."""
    app = saved_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        state = tutor(app).state
        state.save_later = lambda save: None  # the frame never comes
        await type_answer(pilot, "2")
        assert state.saves is not None and state.saves.unsaved == 1
        assert answers_on_disk(tmp_path) == []
        assert app.unsaved() == []
        assert answers_on_disk(tmp_path) == ["2"]
