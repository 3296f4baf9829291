"""The study app: `backprop-tutor quiz` without --plain.

A small App of its own (the tutor app's stylesheet, so the graph and path panels look
the same) that opens a `StudySession`, asks before moving an unreadable progress file
aside, runs the study screen and ends on the summary.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.binding import BindingType

from backprop_tutor.engine import Lesson
from backprop_tutor.study.progress import (
    CannotSave,
    ProgressError,
    ProgressStore,
    UnreadableProgress,
)
from backprop_tutor.study.session import Clock, StudySession

from .. import keymap
from ..hang_up import HangsUp
from ..last_resort import LastResortApp
from ..pauses import CollectsInPauses
from .study_corrupt import CorruptProgressDialog
from .study_session import StudyScreen
from .study_summary import StudySummaryScreen

EXIT_REFUSED = 2
EXIT_INTERRUPTED = 130  # the shell's code for SIGINT, as the command line uses
INTERRUPTED = "interrupted; every answer given is saved"


class StudyApp(HangsUp, CollectsInPauses, LastResortApp):
    """One study session after another on a lesson; progress saved after every answer."""

    CSS_PATH = str(Path(__file__).resolve().parent.parent / "app.tcss")
    TITLE = "backprop-tutor"
    BINDINGS: ClassVar[list[BindingType]] = [
        keymap.QUIT,
    ]

    def __init__(
        self,
        store: ProgressStore,
        lesson: Lesson,
        *,
        clock: Clock,
        new_seed: Callable[[], int],
        seed: int | None = None,
    ) -> None:
        """Everything a session needs; nothing is read or written until mount."""
        super().__init__()
        self.store = store
        self.lesson = lesson
        self.clock = clock
        self.new_seed = new_seed
        self.first_seed = seed
        self.study: StudySession | None = None
        self.farewell: str | None = None  # one line printed after the app closes

    def on_mount(self) -> None:
        """Open (or resume) the session."""
        self.watch_for_hang_up()
        self.start_session(self.first_seed)

    def keep_everything(self) -> None:
        """The terminal has gone: a save still pending is tried once more, now."""
        if self.study is not None:
            self.study.close()

    def start_session(self, seed: int | None = None) -> None:
        """Open a session and show its first question (or the dialog for a bad file)."""
        try:
            study = StudySession.open(
                self.store, self.lesson, clock=self.clock, seed=seed, new_seed=self.new_seed
            )
        except UnreadableProgress as problem:
            self.push_screen(CorruptProgressDialog(problem), self._after_dialog(problem))
            return
        except (CannotSave, ProgressError) as problem:
            self._leave(str(problem))
            return
        self.study = study
        self._show(StudyScreen(study))

    def _show(self, screen: StudyScreen | StudySummaryScreen) -> None:
        # The first screen is pushed over the default one; later ones replace it.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def _after_dialog(self, problem: UnreadableProgress) -> Callable[[bool | None], None]:
        def answered(move: bool | None) -> None:
            """Move the file aside and start afresh, or quit with nothing changed."""
            if not move:
                self._leave(f"{problem.path} left as it is; nothing was changed")
                return
            try:
                moved = self.store.move_aside(
                    self.clock(), reason="newer" if problem.newer else "corrupt"
                )
            except CannotSave as error:
                self._leave(str(error))
                return
            self.notify(f"Moved it to {moved}. Starting afresh.", timeout=8)
            self.start_session(self.first_seed)

        return answered

    def _leave(self, message: str) -> None:
        self.farewell = message
        self.exit(return_code=EXIT_REFUSED)

    @on(StudyScreen.Finished)
    def _finished(self) -> None:
        """Show the summary of the session just completed."""
        if self.study is not None:
            self._show(StudySummaryScreen(self.study.summary(), self.lesson.title))
        self.first_seed = None  # another session draws fresh numbers


def make_study_app(
    store: ProgressStore,
    lesson: Lesson,
    *,
    clock: Clock,
    new_seed: Callable[[], int],
    seed: int | None = None,
) -> StudyApp:
    """The study app (tests drive it with a Pilot)."""
    return StudyApp(store, lesson, clock=clock, new_seed=new_seed, seed=seed)


def run_study_app(
    store: ProgressStore,
    lesson: Lesson,
    *,
    clock: Clock,
    new_seed: Callable[[], int],
    seed: int | None = None,
) -> int:
    """Run the study app in the terminal; returns the exit code."""
    app = make_study_app(store, lesson, clock=clock, new_seed=new_seed, seed=seed)
    interrupted = False
    try:
        app.run()
    except KeyboardInterrupt:  # a SIGINT from outside (ctrl+c itself is a key in the app)
        interrupted = True
    except Exception:
        _close(app)  # a bug in the app: the pending save is still tried, then the report
        raise
    if app.farewell:
        print(f"backprop-tutor: {app.farewell}", file=sys.stderr)
    # Every way out (q, ctrl+q, the summary, an interrupt) ends here: one more try at a
    # pending save.
    if not _close(app):
        return EXIT_REFUSED
    if interrupted:
        print(f"backprop-tutor: {INTERRUPTED}", file=sys.stderr)
        return EXIT_INTERRUPTED
    return app.return_code or 0


def _close(app: StudyApp) -> bool:
    """Try the pending save once more; False (with the line said) if answers are lost."""
    lost = app.study.close() if app.study is not None else None
    if lost is not None:
        print(f"backprop-tutor: {lost}", file=sys.stderr)
    return lost is None
