"""`backprop-tutor quiz`: a self-study session on fresh numbers, in the app or in plain text."""

from __future__ import annotations

import argparse
import random
import sys
from datetime import datetime
from typing import Any, TextIO

from ..engine import DEFAULT_LESSON, load_lesson
from ..plain.lines import is_terminal
from ..study.progress import CannotSave, ProgressStore, UnreadableProgress, data_dir
from ..study.session import StudySession
from . import CommandError, add_data_dir


def add_parser(subparsers: Any) -> None:
    """Register `quiz`."""
    parser = subparsers.add_parser(
        "quiz",
        help="self-study: fresh numbers, the skills that are due, progress saved as you go",
        description="A study session on a lesson's graph with fresh numbers. It asks the"
        " skills that are due (Leitner boxes: a miss comes back soon, a success after"
        " growing gaps) and saves after every answer; an interrupted session resumes.",
    )
    parser.add_argument(
        "--lesson",
        default=DEFAULT_LESSON,
        metavar="NAME|PATH",
        help=f"a built-in lesson name or a lesson file (default: {DEFAULT_LESSON})",
    )
    parser.add_argument("--plain", action="store_true", help="plain lines of text, no app")
    parser.add_argument(
        "--seed", type=int, metavar="N", help="draw the exercise's numbers from this seed"
    )
    add_data_dir(parser)


def now() -> datetime:
    """The local time, with its offset; the only place the study mode reads the clock."""
    return datetime.now().astimezone()


def new_seed() -> int:
    """A fresh exercise number for a new session."""
    return random.SystemRandom().randrange(1, 100_000)


def confirm(question: str, stdin: TextIO, stdout: TextIO) -> bool:
    """Ask a yes/no question on a terminal; anything but y or yes is no."""
    stdout.write(f"{question} [y/N] ")
    stdout.flush()
    reply = stdin.readline().strip().lower()
    return reply in ("y", "yes")


def moved_aside_name(problem: UnreadableProgress) -> str:
    """The suffix a file is moved aside under: `newer` for a newer format, else `corrupt`."""
    return "newer" if problem.newer else "corrupt"


def open_plain_session(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> StudySession:
    """Open (or resume) the session, asking before an unreadable file is moved aside."""
    lesson = load_lesson(args.lesson)
    store = ProgressStore(data_dir(args.data_dir))
    try:
        try:
            return StudySession.open(store, lesson, clock=now, seed=args.seed, new_seed=new_seed)
        except UnreadableProgress as problem:
            if not is_terminal(stdin):
                raise CommandError(
                    f"{problem}; nothing was changed. Run `backprop-tutor quiz` in a terminal"
                    " to move it aside and start afresh."
                ) from None
            stdout.write(f"Your progress file cannot be used: {problem}.\n")
            if not confirm("Move it aside (nothing is deleted) and start afresh?", stdin, stdout):
                raise CommandError(f"{problem.path} left as it is; nothing was changed") from None
            moved = store.move_aside(now(), reason=moved_aside_name(problem))
            stdout.write(f"Moved it to {moved}. Starting afresh.\n")
            return StudySession.open(store, lesson, clock=now, seed=args.seed, new_seed=new_seed)
    except CannotSave as problem:
        raise CommandError(str(problem)) from None


def run(args: argparse.Namespace) -> int:
    """Run a study session: the app, or plain text with --plain."""
    if args.plain:
        from ..plain.lines import forgiving
        from ..plain.study import PlainStudy

        forgiving(sys.stdin, sys.stdout)
        study = open_plain_session(args, sys.stdin, sys.stdout)
        return PlainStudy(study, sys.stdin, sys.stdout).run()
    lesson = load_lesson(args.lesson)  # a bad lesson is one line before any screen
    store = ProgressStore(data_dir(args.data_dir))
    try:
        store.check_writable()  # a folder that cannot be written: one line, no screen
    except CannotSave as problem:
        raise CommandError(str(problem)) from None
    from ..tui.screens.study_app import run_study_app  # Textual only for the app

    return run_study_app(store, lesson, clock=now, new_seed=new_seed, seed=args.seed)
