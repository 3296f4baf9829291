"""The Textual app: the home screen and one lesson at a time, with a palette and themes.

The screen stack holds one main screen (home or a lesson) and whatever modal is over
it; opening a lesson or going home replaces the main screen. With a progress store,
every lesson's work is saved as it is done (`study/tutor_saves.py`) and a lesson opened
again carries on where it was left.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from backprop_tutor.engine import Lesson, list_lessons, load_lesson
from backprop_tutor.quiz.plan import QuizPlan, lesson_plan
from backprop_tutor.study.progress import (
    CannotSave,
    Progress,
    ProgressError,
    ProgressStore,
    UnreadableProgress,
)
from backprop_tutor.study.session import lesson_key
from backprop_tutor.study.tutor_saves import LessonSaves

from . import deferred, keymap
from .commands import TutorCommands
from .hang_up import HangsUp
from .last_resort import LastResortApp
from .pauses import CollectsInPauses

if TYPE_CHECKING:
    # Each screen's module is imported when that screen is first made: the first screen
    # is one of them, and its start-up should not pay for the other's widgets.
    from .screens.home import HomeScreen
    from .screens.tutor import TutorScreen

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"
EXIT_REFUSED = 2  # the progress file was left as it is, or work could not be saved
HOME = Binding("ctrl+o", "home", "Home", tooltip="Back to the home screen: every lesson")

Clock = Callable[[], datetime]


def local_now() -> datetime:
    """The local time with its offset (what saved work is stamped with)."""
    return datetime.now().astimezone()


class TutorApp(HangsUp, CollectsInPauses, LastResortApp):
    """Backpropagation, one node at a time."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "ctrl+p",
            "command_palette",
            "palette",
            show=False,
            priority=True,
            tooltip="command palette: steps, nodes, paths, lessons, theme",
        ),
        HOME,
        keymap.QUIT,
    ]

    def __init__(
        self,
        lesson: Lesson | None,
        *,
        store: ProgressStore | None = None,
        extra_lessons: Sequence[Lesson] = (),
        fresh: bool = False,
        clock: Clock = local_now,
        plan: QuizPlan | None = None,
    ) -> None:
        """The lesson to open first (None: the home screen); with a store, work is saved."""
        super().__init__()
        # What every lesson's quiz asks; None (the default): each lesson's own [quiz] plan.
        self.plan = plan
        self.lesson = lesson  # the lesson showing, or last shown
        self.first_lesson = lesson
        self.store = store
        self.extra_lessons = tuple(extra_lessons)
        self.fresh = fresh
        self.clock = clock
        self.farewell: str | None = None  # one line printed after the app closes
        self.study_next: Lesson | None = None  # self-study asked for: run after the app
        self.unreadable: UnreadableProgress | None = None  # asked about once mounted
        self.saves: dict[str, LessonSaves] = {}  # every lesson opened, by its key
        self._notices: list[tuple[str, bool]] = []  # said once the app runs (text, error)
        self._builtin: tuple[Lesson, ...] | None = None

    # --- screens ----------------------------------------------------------------------
    def first_screen(self) -> Screen[None]:
        """Where the app starts: the lesson asked for, else the home screen.

        The one choice of first screen: a screen shown before it (a learner's name) is
        pushed over this one and dismissed.
        """
        if self.first_lesson is not None:
            return self.tutor_screen(self.first_lesson, fresh=self.fresh)
        return self.home_screen()

    def get_default_screen(self) -> Screen[None]:
        """The first screen is the app's default one (no blank screen before it)."""
        return self.first_screen()

    @property
    def main(self) -> Screen[object]:
        """The screen under any modal: home or a lesson."""
        stack: list[Screen[object]] = self.screen_stack
        return next((s for s in reversed(stack) if not isinstance(s, ModalScreen)), self.screen)

    @property
    def tutor(self) -> TutorScreen | None:
        """The lesson's screen, when a lesson is the one showing (or under a modal)."""
        return cast("TutorScreen | None", self._main_of("tutor", "TutorScreen"))

    @property
    def home(self) -> HomeScreen | None:
        """The home screen, when it is the one showing (or under a modal)."""
        return cast("HomeScreen | None", self._main_of("home", "HomeScreen"))

    def _main_of(self, module: str, kind: str) -> Screen[object] | None:
        """The main screen if it is a `kind` from `screens.<module>` (which is not imported
        for this: no such screen exists before its module has been)."""
        loaded = sys.modules.get(f"{__package__}.screens.{module}")
        main = self.main
        return main if loaded is not None and isinstance(main, getattr(loaded, kind)) else None

    def lessons(self) -> tuple[Lesson, ...]:
        """The curriculum in order, then the lessons from --lessons-dir, then the lesson
        file opened with --lesson PATH (its work is saved: home must show it too)."""
        listed = self.builtin_lessons() + self.extra_lessons
        first = self.first_lesson
        if first is None or lesson_key(first) in {lesson_key(lesson) for lesson in listed}:
            return listed
        return (*listed, first)

    def builtin_lessons(self) -> tuple[Lesson, ...]:
        """The built-in lessons in curriculum order, loaded once (the files do not change)."""
        if self._builtin is None:
            self._builtin = tuple(list_lessons())
        return self._builtin

    def lesson_names(self) -> list[str]:
        """The built-in lessons, by name, in curriculum order."""
        return [lesson.name for lesson in self.builtin_lessons()]

    def progress(self) -> Progress:
        """What is saved (empty without a store or when it cannot be read)."""
        if self.store is None or self.unreadable is not None:
            return Progress()
        try:
            return self.store.load()
        except UnreadableProgress as problem:
            self.unreadable = problem
        except ProgressError as problem:
            self._say(str(problem), error=True)
        return Progress()

    def plan_of(self, lesson: Lesson) -> QuizPlan:
        """What the quiz asks in `lesson`: its own plan, unless the app was given one."""
        return lesson_plan(lesson) if self.plan is None else self.plan

    def home_screen(self) -> HomeScreen:
        """A home screen with what is saved now."""
        from .screens.home import HomeScreen

        return HomeScreen(self.lessons(), self.progress(), self.clock().date(), self.plan_of)

    def tutor_screen(self, lesson: Lesson, *, fresh: bool = False) -> TutorScreen:
        """A lesson's screen, restored from its saved work (or started over, if fresh)."""
        from .screens.tutor import TutorScreen

        key = lesson_key(lesson)
        saves = self.saves.get(key)
        if saves is not None and saves.unsaved and not fresh and not saves.save():
            pass  # still failing: carry on with the work in memory, which has it all
        elif self.store is not None and self.unreadable is None:
            saves = None
            try:
                saves = LessonSaves.open(self.store, lesson, clock=self.clock, fresh=fresh)
            except UnreadableProgress as problem:
                self.unreadable = problem
            except ProgressError as problem:
                self._say(f"Work in this lesson will not be saved: {problem}", error=True)
        if saves is not None:
            self.saves[key] = saves
            if saves.notice:
                self._say(saves.notice)
                saves.notice = None
        screen = TutorScreen(lesson, saves, self.plan_of(lesson))
        screen.state.on_problem = lambda problem: self._say(problem, error=True)
        # Written once the verdict is painted; leaving the lesson or the app writes
        # anything still waiting (`_keep_place`, `unsaved`).
        screen.state.save_later = lambda save: deferred.after_paint(self, save)
        return screen

    def _say(self, message: str, *, error: bool = False) -> None:
        """Tell the learner now, or as soon as the app runs."""
        if self.is_running:
            self.notify(message, severity="error" if error else "information", timeout=8)
        else:
            self._notices.append((message, error))

    def on_mount(self) -> None:
        """Say what opening found, and ask about a progress file that cannot be read."""
        for message, error in self._notices:
            self.notify(message, severity="error" if error else "information", timeout=8)
        self._notices.clear()
        self.watch_for_hang_up()
        if self.unreadable is not None:
            from .screens.study_corrupt import CorruptProgressDialog

            problem = self.unreadable
            deferred.track(
                self, self.push_screen(CorruptProgressDialog(problem), self._after_dialog(problem))
            )

    def _after_dialog(self, problem: UnreadableProgress) -> Callable[[bool | None], None]:
        def answered(move: bool | None) -> None:
            """Move the file aside and carry on saving, or quit with nothing changed."""
            if not move:
                self._leave(f"{problem.path} left as it is; nothing was changed")
                return
            assert self.store is not None
            try:
                moved = self.store.move_aside(
                    self.clock(), reason="newer" if problem.newer else "corrupt"
                )
            except CannotSave as error:
                self._leave(str(error))
                return
            self.unreadable = None
            self.notify(f"Moved it to {moved}. Starting afresh.", timeout=8)
            if self.tutor is not None:
                self.open_lesson(self.tutor.lesson)
            else:
                self.action_home()

        return answered

    def _leave(self, message: str) -> None:
        self.farewell = message
        self.exit(return_code=EXIT_REFUSED)

    def _show(self, screen: Screen[None]) -> None:
        """Put `screen` in the main screen's place (a modal over it goes with it)."""
        while len(self.screen_stack) > 1 and self.screen is not self.main:
            self.pop_screen()
        # The first screen is the default one, which cannot be switched away: the next
        # one goes over it, and later ones take that one's place.
        if len(self.screen_stack) > 1:
            deferred.track(self, self.switch_screen(screen))
        else:
            deferred.track(self, self.push_screen(screen))

    def keep_everything(self) -> None:
        """The terminal has gone: the learner's place, and every answer, written now."""
        self._keep_place()
        self.unsaved()

    def _keep_place(self) -> None:
        """Save where the learner is in the lesson showing, before it is left."""
        screen = self.tutor
        if screen is not None:
            screen.state.keep_place()

    # --- moving between lessons -----------------------------------------------------------
    def open_lesson(self, lesson: str | Lesson, *, fresh: bool = False) -> None:
        """Show a lesson (a name, a path or loaded) where its saved work left off."""
        self._keep_place()
        self.lesson = load_lesson(lesson) if isinstance(lesson, str) else lesson
        self._show(self.tutor_screen(self.lesson, fresh=fresh))

    def start_over(self) -> None:
        """Start the lesson showing over; its earlier work is kept, set aside."""
        screen = self.tutor
        if screen is not None:
            self.open_lesson(screen.lesson, fresh=True)

    def action_home(self) -> None:
        """Back to the home screen, which shows the lesson's progress at once."""
        self._keep_place()
        self._show(self.home_screen())

    def start_study(self, lesson: Lesson) -> None:
        """Self-study on a lesson: the app closes and the study app runs in its place."""
        self._keep_place()
        self.study_next = lesson
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Home is offered from a lesson only."""
        if action == "home":
            return self.tutor is not None
        return True

    async def action_quit(self) -> None:
        """Keep the lesson's place, then quit."""
        self._keep_place()
        self.exit()

    def unsaved(self) -> list[str]:
        """One line per lesson whose work could not be saved, after one more try each."""
        lines = []
        for saves in self.saves.values():
            line = saves.close()
            if line is not None:
                lines.append(line)
        return lines

    def post_display_hook(self) -> None:
        """A frame has been painted: work waiting for it may start (`deferred.after_paint`)."""
        deferred.painted(self)

    async def settled(self) -> None:
        """Return once no deferred work is pending (what tests wait for, never a sleep)."""
        await deferred.settled(self)

    def action_toggle_dark(self) -> None:
        """Switch between the light and the dark theme."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
