"""The default command: the tutor app (home screen, or one lesson), or the plain front end."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import DEFAULT_LESSON, Lesson, load_lesson
from . import CommandError, add_data_dir

if TYPE_CHECKING:
    from ..study.progress import ProgressStore
    from ..tui.app import TutorApp

EXIT_NOT_SAVED = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the default command, which also apply when no subcommand is given."""
    parser.add_argument(
        "--lesson",
        metavar="NAME|PATH",
        help="go straight into a built-in lesson or a lesson file (default: the home screen;"
        f" {DEFAULT_LESSON} with --plain)",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="run the quiz as plain lines of text (screen readers, small terminals, pipes)",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="with --lesson: start the lesson over (your earlier work on it is kept, set aside)",
    )
    parser.add_argument(
        "--lessons-dir",
        type=Path,
        metavar="DIR",
        help="also list the lesson files (*.toml) in this folder on the home screen",
    )
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    """Open the tutor app: on the home screen, or on the lesson asked for."""
    if args.fresh and args.lesson is None:
        raise CommandError("--fresh starts one lesson over: name it with --lesson NAME|PATH")
    # Load first, so that a bad lesson is one line on stderr before any screen is drawn.
    spec = DEFAULT_LESSON if args.lesson is None else args.lesson
    lesson = load_lesson(spec) if args.plain or args.lesson is not None else None
    if args.plain:
        from ..plain.quiz import run_plain  # no Textual for the plain front end

        assert lesson is not None
        return run_plain(lesson)
    from ..study.progress import ProgressStore, data_dir  # not needed to read the command line

    extra = extra_lessons(args.lessons_dir)
    store = ProgressStore(data_dir(args.data_dir))
    return run_app(store, lesson, extra, fresh=args.fresh)


def extra_lessons(lessons_dir: Path | None) -> tuple[Lesson, ...]:
    """The lessons in --lessons-dir (none without it); each file skipped is named on stderr."""
    if lessons_dir is None:
        return ()  # without a folder there is nothing to add to the built-in lessons
    from .lessons import find_lessons

    listing = find_lessons(lessons_dir)
    for error in listing.skipped:
        print(
            f"backprop-tutor: skipped {error} (see: backprop-tutor check-lesson)", file=sys.stderr
        )
    return tuple(found for found in listing.lessons if not found.is_builtin)


def run_app(
    store: ProgressStore | None,
    lesson: Lesson | None,
    extra: tuple[Lesson, ...],
    *,
    fresh: bool,
    first: TutorApp | None = None,
) -> int:
    """The app (`first`, if given, then the usual one); self-study chosen on the home
    screen runs in its place, then home again."""
    from ..tui import make_app  # imported late: `trace` and friends never load Textual

    while True:
        app = first or make_app(lesson, store=store, extra_lessons=extra, fresh=fresh)
        first = None
        try:
            app.run()
        finally:
            unsaved = app.unsaved()  # whatever stopped the app: everything written first
        code = _report(app.farewell, unsaved) or (app.return_code or 0)
        # A served session knows its store only once the learner has named themselves.
        store = app.store
        if code or app.study_next is None or store is None:
            return code
        # Only now: the study app's modules are no part of the first screen.
        from ..tui.screens.study_app import run_study_app
        from .quiz import new_seed, now

        code = run_study_app(store, app.study_next, clock=now, new_seed=new_seed)
        if code:
            return code
        lesson, fresh = None, False  # back to the home screen, which shows the session's work


def _report(farewell: str | None, unsaved: list[str]) -> int:
    """Print why the app stopped and what could not be saved; the exit code that follows."""
    if farewell:
        print(f"backprop-tutor: {farewell}", file=sys.stderr)
    for line in unsaved:
        print(f"backprop-tutor: {line}", file=sys.stderr)
    return EXIT_NOT_SAVED if unsaved or farewell else 0
