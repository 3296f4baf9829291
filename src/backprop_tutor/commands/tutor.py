"""The default command: open the tutor app (or the plain front end) on a lesson."""

from __future__ import annotations

import argparse

from ..engine import DEFAULT_LESSON, load_lesson


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of the default command, which also apply when no subcommand is given."""
    parser.add_argument(
        "--lesson",
        default=DEFAULT_LESSON,
        metavar="NAME|PATH",
        help=f"a built-in lesson name or a lesson file (default: {DEFAULT_LESSON})",
    )
    parser.add_argument(
        "--plain",
        action="store_true",
        help="run the quiz as plain lines of text (screen readers, small terminals, pipes)",
    )


def run(args: argparse.Namespace) -> int:
    """Open the tutor app on the chosen lesson."""
    # Load first, so that a bad lesson is one line on stderr before any screen is drawn.
    lesson = load_lesson(args.lesson)
    if getattr(args, "plain", False):
        from ..plain.quiz import run_plain  # no Textual for the plain front end

        return run_plain(lesson)
    from ..tui import make_app  # imported late: `trace` and friends never load Textual

    make_app(lesson=lesson, method=True).run()
    return 0
