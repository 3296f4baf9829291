"""The home screen: the curriculum in order, how far each lesson is, and the keys from it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Static

from backprop_tutor.engine import list_lessons, load_lesson
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.tutor_records import Place
from backprop_tutor.study.tutor_saves import LessonSaves
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp

from .helpers import STEP1_ANSWERS, settle, tutor, type_answer

SIZE = (120, 40)
NOW = datetime(2026, 3, 2, 19, 30, tzinfo=UTC)


def clock() -> datetime:
    """A fixed time, so what is due and every snapshot stay the same."""
    return NOW


class Ticking:
    """A clock a second on at every reading: work saved later is later."""

    def __init__(self) -> None:
        self.now = NOW - timedelta(hours=1)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


TICKING = Ticking()


def home_app(folder: Path) -> TutorApp:
    """The app on its home screen, progress in `folder`."""
    return make_app(None, store=ProgressStore(folder), clock=clock, plan=NUMBERS_ONLY)


def work(folder: Path, name: str, count: int | None = None) -> None:
    """Answer a lesson's first `count` number questions right (all of them if None), as the
    tutor saves (the home_app asks the numbers only)."""
    lesson = load_lesson(name)
    saves = LessonSaves.open(ProgressStore(folder), lesson, clock=TICKING)
    questions = QuizSession(lesson, plan=NUMBERS_ONLY).questions
    for question in questions[:count]:
        saves.add(question.id, "answer", repr(question.expected), Place())


def lines(app: TutorApp) -> list[str]:
    """The lesson list's first lines, one per lesson."""
    home = app.home
    assert home is not None
    return [str(entry.prompt()).splitlines()[0].strip() for entry in home.entries]


async def test_the_curriculum_in_order_and_enter_on_the_third_opens_it(tmp_path: Path) -> None:
    """Eight lessons by their order; the cursor moved to the third and Enter opens it."""
    app = home_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [lesson.title for lesson in list_lessons()]
        # Each first line: mark, order, title, status, two spaces apart.
        columns = [line.split("  ") for line in lines(app)]
        assert [c[2] for c in columns] == titles
        assert [c[1].strip() for c in columns] == [str(n) for n in range(1, 9)]
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        assert tutor(app).lesson.title == "Branch and merge"


async def test_going_home_shows_the_lessons_progress_at_once(tmp_path: Path) -> None:
    """Three answers, ctrl+o: home says in progress, and c carries on at the same place."""
    app = home_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lesson("branch-merge")
        await settle(pilot)
        for key in ("value:u", "value:h", "value:v"):
            await type_answer(pilot, STEP1_ANSWERS[key])
        await pilot.press("ctrl+o")
        await settle(pilot)
        home = app.home
        assert home is not None
        assert lines(app)[2].endswith("in progress (step 1, 3 of 42 answered)")
        assert home.last is not None and home.last.lesson.name == "branch-merge"
        assert home.lesson_list.highlighted == 2  # the cursor on the lesson to continue
        await pilot.press("c")
        await settle(pilot)
        assert tutor(app).quiz_panel.border_title == "Quiz: 3/21 solved"


async def test_s_asks_for_self_study_on_the_selected_lesson(tmp_path: Path) -> None:
    """s closes the app with self-study on the selected lesson to run next."""
    app = home_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "s")  # the app exits: nothing left to settle
    assert app.study_next is not None and app.study_next.name == "two-paths"


async def test_the_palette_offers_home_and_start_over(tmp_path: Path) -> None:
    """From a lesson: go home and start over; from home: open, continue, self-study."""
    from backprop_tutor.tui.commands import TutorCommands

    work(tmp_path, "single-chain", 2)
    app = home_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [title for title, _, _ in TutorCommands(app.screen)._commands()]
        assert "Continue: A single chain" in titles
        assert "Open lesson: Branch and merge" in titles
        assert "Self-study: Branch and merge" in titles
        assert "Start over: A single chain" in titles
        assert "Start over: Branch and merge" not in titles  # nothing to start over
        app.open_lesson("single-chain")
        await settle(pilot)
        commands = {title: run for title, _, run in TutorCommands(app.screen)._commands()}
        assert "Go home" in commands
        commands["Start over: A single chain"]()
        await settle(pilot)
        assert tutor(app).quiz_panel.border_title.startswith("Quiz: 0/")


class TestHomeSnapshots:
    """The home screen as a learner meets it: new, part way, all done."""

    def test_home_empty(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """Nothing saved yet: every lesson not started, a line on where to begin."""
        assert snap_compare(home_app(tmp_path), terminal_size=SIZE, run_before=settle)

    def test_home_in_progress(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """Lesson 1 done, lesson 3 part way: continue names lesson 3, the cursor is on it."""
        work(tmp_path, "single-chain")
        work(tmp_path, "branch-merge", 5)
        assert snap_compare(home_app(tmp_path), terminal_size=SIZE, run_before=settle)

    def test_home_all_done(self, snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
        """Every lesson done, each with its score."""
        for lesson in list_lessons():
            work(tmp_path, lesson.name)
        assert snap_compare(home_app(tmp_path), terminal_size=SIZE, run_before=settle)


async def test_page_keys_on_the_home_list_with_no_room(tmp_path: Path) -> None:
    """PageDown/PageUp in a terminal so small the list has no room, then grown again.

    Textual's OptionList raised KeyError there (the key fuzz found it): the app died.
    """
    app = home_app(tmp_path)
    async with app.run_test(size=(30, 8)) as pilot:
        await settle(pilot)
        await pilot.press("pagedown", "pagedown", "pageup", "pagedown")
        await pilot.resize_terminal(60, 18)
        await settle(pilot)
        assert app.home is not None and app.is_running
        await pilot.press("enter")
        await settle(pilot)
        assert tutor(app).lesson.title != ""


async def test_a_lesson_file_opened_directly_is_on_the_home_screen(tmp_path: Path) -> None:
    """`--lesson PATH` then ctrl+o: the file's lesson is listed, in progress, to continue."""
    path = Path(__file__).parents[1] / "lessons" / "published" / "max-gate.toml"
    lesson = load_lesson(str(path))
    app = make_app(lesson, store=ProgressStore(tmp_path / "data"), clock=clock, plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = tutor(app).state.questions[0]
        await type_answer(pilot, repr(first.expected))
        await pilot.press("ctrl+o")
        await settle(pilot)
        home = app.home
        assert home is not None
        assert home.entries[-1].lesson.title == lesson.title
        assert home.entries[-1].status.state == "in progress"
        assert home.last is not None and home.last.lesson.title == lesson.title


async def test_the_selected_lessons_introduction_is_shown_under_the_list(tmp_path: Path) -> None:
    """The lesson's own [text] intro, for the lesson the cursor is on; where the terminal
    is too short for it and the list, the list keeps the room."""
    app = home_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.home
        assert home is not None
        about = home.query_one("#home-about", Static)
        lessons = list_lessons()
        assert (about.border_title, str(about.render())) == (
            f"About: {lessons[0].title}",
            lessons[0].text.intro.strip(),
        )
        await pilot.press("down", "down")
        await settle(pilot)
        assert about.border_title == f"About: {lessons[2].title}"
        assert str(about.render()) == lessons[2].text.intro.strip()
        assert about.display
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not about.display
        assert home.lesson_list.size.height > 8
