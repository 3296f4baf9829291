"""The home screen: the curriculum in order, how far each lesson is, and what is due."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from backprop_tutor.engine import Lesson
from backprop_tutor.quiz.plan import QuizPlan, lesson_plan
from backprop_tutor.study.progress import Progress
from backprop_tutor.study.session import lesson_key
from backprop_tutor.study.tutor_records import current_record
from backprop_tutor.study.tutor_saves import LessonStatus, last_worked_on, lesson_status

from .. import deferred, keymap
from ..widgets.key_footer import KeyFooter
from ..widgets.paged_option_list import PagedOptionList
from .styled_once import StyledOnce

if TYPE_CHECKING:
    from ..app import TutorApp

MARK = {"not started": "·", "in progress": "…", "done": "✓"}
INDENT = "\u00a0" * 6  # under the title
STYLE = {"not started": "", "in progress": "$text-warning", "done": "$text-success"}


class LessonList(PagedOptionList):
    """The lessons; Enter opens the highlighted one (and the footer says so)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", tooltip="Open the selected lesson where you left it"),
    ]


@dataclass(frozen=True)
class Entry:
    """One lesson on the home screen, with how far the learner is in it."""

    lesson: Lesson
    status: LessonStatus

    def prompt(self) -> Content:
        """Two lines: order, title and status; then the one-line summary."""
        state = self.status.state
        # No run starts with a space: an exported SVG drops such leading spaces, so
        # each gap ends the run before it, and the indent is made of no-break spaces.
        first = Content.assemble(
            f"{MARK[state]} {self.lesson.order:>2}  ",
            (f"{self.lesson.title}  ", "bold"),
            (self.status.words(), STYLE[state]),
        )
        summary = self.lesson.summary or "(no summary)"
        return Content.assemble(first, "\n", (f"{INDENT}{summary}", "$text-muted"))


def due_today(progress: Progress, today: date) -> int:
    """How many self-study skills are due today (among those practised before)."""
    return sum(state.is_due(today) for state in progress.skills().values())


class HomeScreen(StyledOnce):
    """Every lesson in order: Enter opens one, s starts self-study on it, c carries on."""

    DEFAULT_CSS = """
    HomeScreen { layout: vertical; }
    #home-main { height: 1fr; padding: 0 1; }
    #home-intro { margin: 1 0 0 0; color: $foreground; }
    #home-continue { margin: 1 0 0 0; color: $text-primary; text-style: bold; }
    #home-study { margin: 0 0 1 0; color: $foreground-muted; }
    #home-lessons {
        height: 1fr;
        border: round $primary-muted;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    #home-lessons:focus { border: round $accent; }
    #home-about {
        height: auto;
        max-height: 12;
        border: round $primary-muted;
        border-title-color: $text-primary;
        padding: 0 1;
    }
    """
    # Rows the terminal needs before the selected lesson's introduction is shown: below
    # them the list itself needs the room.
    ABOUT_FROM_HEIGHT = 32

    BINDINGS: ClassVar[list[BindingType]] = [
        # Enter is the list's own (LessonList), so it follows the keys before it in order.
        Binding("s", "study", "Self-study", tooltip="Self-study on the selected lesson"),
        Binding("c", "resume", "Continue", tooltip="Continue the lesson you last worked on"),
        keymap.HELP,
        # The list's own keys, for the moment before it has the focus (the app starting).
        Binding("down", "move(1)", "Next lesson", show=False),
        Binding("up", "move(-1)", "Previous lesson", show=False),
    ]

    def __init__(
        self,
        lessons: Sequence[Lesson],
        progress: Progress,
        today: date,
        plan_of: Callable[[Lesson], QuizPlan] = lesson_plan,
    ) -> None:
        """The lessons in the order shown, with the progress saved for them.

        `plan_of` is what the tutor asks in each lesson, so the counts match its quiz.
        """
        super().__init__()
        self.entries = tuple(
            Entry(
                lesson,
                lesson_status(
                    lesson,
                    current_record(progress.tutor, lesson_key(lesson)),
                    plan_of(lesson),
                    count_unstarted=False,  # the first screen: run only lessons begun
                ),
            )
            for lesson in lessons
        )
        last = last_worked_on(progress.tutor)
        self.last = next((e for e in self.entries if lesson_key(e.lesson) == last), None)
        self.due = due_today(progress, today)
        self.practised = bool(progress.answers)

    @property
    def lesson_list(self) -> LessonList:
        """The list of lessons."""
        return self.query_one("#home-lessons", LessonList)

    @property
    def selected(self) -> Lesson:
        """The lesson the cursor is on."""
        index = self.lesson_list.highlighted
        return self.entries[index or 0].lesson

    def compose(self) -> ComposeResult:
        """A line on the app, where to carry on, what is due, then the lessons."""
        with Vertical(id="home-main"):
            yield Static(
                "Backpropagation by hand: work out every value and gradient of a small"
                " graph, and every number you type is checked.",
                id="home-intro",
            )
            yield Static(self._continue_line(), id="home-continue")
            yield Static(self._study_line(), id="home-study")
            options = LessonList(
                *(Option(e.prompt(), id=f"lesson-{i}") for i, e in enumerate(self.entries)),
                id="home-lessons",
            )
            options.border_title = f"Lessons ({len(self.entries)})"
            yield options
            # The lesson's own introduction (lesson text is data: never read as markup).
            yield Static("", id="home-about", markup=False)
        yield KeyFooter(compact=True)

    def _continue_line(self) -> str:
        if self.last is None:
            first = self.entries[0].lesson if self.entries else None
            where = f" with lesson {first.order}, {first.title}" if first else ""
            return f"New here? Start{where}: Enter opens the selected lesson."
        lesson, status = self.last.lesson, self.last.status
        return f"Continue (c): {lesson.title}, {status.words()}."

    def _study_line(self) -> str:
        if not self.practised:
            return (
                "Self-study (s): fresh numbers on the selected lesson's graph;"
                " nothing practised yet."
            )
        skills = "skill is" if self.due == 1 else "skills are"
        return f"Self-study (s): {self.due} {skills} due today."

    @property
    def first_focus(self) -> LessonList:
        """What `on_mount` focuses (the footer shows its keys from the first frame)."""
        return self.lesson_list

    def on_mount(self) -> None:
        """The cursor starts on the lesson last worked on, else on the first not done."""
        self.title = "backprop-tutor"
        start = self.last or next((e for e in self.entries if e.status.state != "done"), None)
        index = self.entries.index(start) if start is not None else 0
        self.lesson_list.highlighted = index
        self.first_focus.focus()

    @property
    def tutor_app(self) -> TutorApp:
        """The app, typed."""
        return cast("TutorApp", self.app)

    @on(OptionList.OptionHighlighted, "#home-lessons")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted lesson's introduction under the list."""
        self._show_about(self.entries[event.option_index].lesson)

    def _show_about(self, lesson: Lesson) -> None:
        about = self.query_one("#home-about", Static)
        intro = lesson.text.intro.strip()
        about.border_title = f"About: {lesson.title}"
        about.update(intro)
        about.display = bool(intro) and self.size.height >= self.ABOUT_FROM_HEIGHT

    def on_resize(self) -> None:
        """The introduction shown only where the list keeps its room."""
        if self.entries:
            self._show_about(self.selected)

    @on(OptionList.OptionSelected, "#home-lessons")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter or a click on a lesson opens it."""
        event.stop()
        self.tutor_app.open_lesson(self.entries[event.option_index].lesson)

    def action_study(self) -> None:
        """Self-study on the selected lesson."""
        self.tutor_app.start_study(self.selected)

    def action_resume(self) -> None:
        """Open the lesson last worked on (the selected one when there is none)."""
        self.tutor_app.open_lesson(self.last.lesson if self.last else self.selected)

    def action_move(self, delta: int) -> None:
        """Move the cursor a lesson down or up (keys that came before the list had the focus)."""
        options = self.lesson_list
        index = (options.highlighted or 0) + delta
        options.highlighted = max(0, min(index, len(self.entries) - 1))

    def action_help(self) -> None:
        """Every key of the home screen."""
        from .help import HelpScreen, help_rows  # no part of the first screen

        rows = help_rows(LessonList.BINDINGS, self.BINDINGS, self.app.BINDINGS)
        deferred.track(self, self.app.push_screen(HelpScreen(rows)))
