"""The tutor app for one browser session of `backprop-tutor serve`.

The same app as in a terminal, with the learner's name asked first: the learner screen
is the default (bottom) screen, and the tutor's own first screen is pushed over it once
a name is accepted, with that learner's folder as the place progress is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual import on
from textual.screen import Screen

from backprop_tutor.engine import Lesson
from backprop_tutor.study.learners import Learner
from backprop_tutor.study.progress import ProgressStore

from . import deferred
from .app import TutorApp
from .screens.learner import LearnerScreen


class ClassroomApp(TutorApp):
    """The tutor, for whichever learner names themselves first."""

    def __init__(self, data_dir: Path, extra_lessons: Sequence[Lesson] = ()) -> None:
        """The data folder the learners' folders go in, and any lessons beyond the built-in."""
        # No store until the learner is known: nothing reads progress before the name.
        super().__init__(None, store=None, extra_lessons=extra_lessons)
        self.data_dir = data_dir
        self.learner: Learner | None = None

    def get_default_screen(self) -> Screen[None]:
        """The learner's name comes before the tutor's first screen."""
        return LearnerScreen(self.data_dir)

    @on(LearnerScreen.Chosen)
    def _learner_chosen(self, event: LearnerScreen.Chosen) -> None:
        """Keep this session's progress in the learner's folder, then open the tutor."""
        self.learner = event.learner
        self.store = ProgressStore(event.learner.folder)
        self.sub_title = event.learner.name
        greeting = "Welcome back" if event.learner.returning else "Welcome"
        self.notify(f"{greeting}, {event.learner.name}.", timeout=4)
        deferred.track(self, self.push_screen(self.first_screen()))

    @property
    def progress_dir(self) -> Path:
        """Where this session's progress goes: the learner's folder once named."""
        return self.learner.folder if self.learner is not None else self.data_dir
