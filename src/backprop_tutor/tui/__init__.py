"""The Textual front end: `make_app` builds the tutor app on a lesson."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backprop_tutor.engine import Lesson, load_lesson

if TYPE_CHECKING:
    from .app import TutorApp


def make_app(lesson: str | Lesson = "branch-merge", *, method: bool = False) -> TutorApp:
    """The tutor app on a lesson given by name, path or as a loaded `Lesson`.

    With `method` the quiz asks the lesson's own plan (the paths and formulas before the
    numbers, as the command line opens it); without, the numbers only.
    """
    from .app import TutorApp

    loaded = load_lesson(lesson) if isinstance(lesson, str) else lesson
    return TutorApp(loaded, method=method)


__all__ = ["make_app"]
