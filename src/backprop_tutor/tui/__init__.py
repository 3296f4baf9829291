"""The Textual front end: `make_app` builds the tutor app on a lesson, or on the home screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from backprop_tutor.engine import Lesson, load_lesson

if TYPE_CHECKING:
    from backprop_tutor.quiz.plan import QuizPlan
    from backprop_tutor.study.progress import ProgressStore

    from .app import Clock, TutorApp


def make_app(
    lesson: str | Lesson | None = "branch-merge",
    *,
    store: ProgressStore | None = None,
    extra_lessons: Sequence[Lesson] = (),
    fresh: bool = False,
    clock: Clock | None = None,
    plan: QuizPlan | None = None,
) -> TutorApp:
    """The tutor app on a lesson (name, path or loaded; None: the home screen).

    With a progress store, the work in every lesson is saved as it is done and picked up
    again when the lesson is opened; `fresh` starts the first lesson over. The quiz asks
    each lesson's own plan (its `[quiz]` table: paths and formulas before the numbers by
    default); a `plan` given here is asked in every lesson instead.
    """
    from .app import TutorApp, local_now

    loaded = load_lesson(lesson) if isinstance(lesson, str) else lesson
    return TutorApp(
        loaded,
        store=store,
        extra_lessons=extra_lessons,
        fresh=fresh,
        clock=clock or local_now,
        plan=plan,
    )


__all__ = ["make_app"]
