"""`backprop-tutor lessons`: every lesson a learner can open, as a table or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..engine import Lesson, LessonError, list_lessons, load_lesson
from . import CommandError


@dataclass(frozen=True)
class Listing:
    """The lessons found, and the learner's files that failed to load (skipped)."""

    lessons: tuple[Lesson, ...]
    skipped: tuple[LessonError, ...]


def add_parser(subparsers: Any) -> None:
    """Register `lessons`."""
    parser = subparsers.add_parser(
        "lessons",
        help="list the lessons: order, name, title and summary",
        description="List the built-in lessons in curriculum order, then any lessons in "
        "--lessons-dir.",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON list instead")
    parser.add_argument(
        "--lessons-dir",
        type=Path,
        metavar="DIR",
        help="also list the lesson files (*.toml) in this folder",
    )


def find_lessons(lessons_dir: Path | None = None) -> Listing:
    """The built-in lessons in order, then the valid lessons in `lessons_dir` by order and name."""
    extra: list[Lesson] = []
    skipped: list[LessonError] = []
    if lessons_dir is not None:
        if not lessons_dir.exists():
            raise CommandError(f"--lessons-dir {lessons_dir}: no such folder")
        if not lessons_dir.is_dir():
            raise CommandError(f"--lessons-dir {lessons_dir}: is a file, not a folder")
        for path in sorted(lessons_dir.glob("*.toml")):
            try:
                extra.append(load_lesson(path))
            except LessonError as error:
                # One broken file should not hide the others; check-lesson shows all its errors.
                skipped.append(error)
    extra.sort(key=lambda lesson: (lesson.order, lesson.name))
    return Listing(tuple(list_lessons()) + tuple(extra), tuple(skipped))


def lesson_summary(lesson: Lesson) -> dict[str, Any]:
    """One lesson as the JSON listing shows it."""
    return {
        "order": lesson.order,
        "name": lesson.name,
        "title": lesson.title,
        "summary": lesson.summary,
        "builtin": lesson.is_builtin,
        "path": str(lesson.path),
    }


def run(args: argparse.Namespace) -> int:
    """Print the lesson list; files in --lessons-dir that fail to load are named on stderr."""
    listing = find_lessons(args.lessons_dir)
    for error in listing.skipped:
        print(
            f"backprop-tutor: skipped {error} (see: backprop-tutor check-lesson)", file=sys.stderr
        )
    if args.json:
        json.dump(
            [lesson_summary(lesson) for lesson in listing.lessons],
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
        return 0
    print_table(listing.lessons)
    return 0


def print_table(lessons: tuple[Lesson, ...]) -> None:
    """A Rich table: order, name, title, summary (a learner's own lessons marked by path)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Lessons", title_justify="left", box=box.SIMPLE_HEAD)
    table.add_column("#", justify="right")
    table.add_column("name", no_wrap=True)
    table.add_column("title")
    table.add_column("summary")
    for lesson in lessons:
        name = lesson.name if lesson.is_builtin else str(lesson.path)
        # Text, not str: a lesson's title, summary and path are data, never Rich markup.
        table.add_row(str(lesson.order), Text(name), Text(lesson.title), Text(lesson.summary))
    console = Console()
    console.print(table)
    console.print(
        "Open one with: backprop-tutor --lesson NAME (or a file's PATH); backprop-tutor alone"
        " opens the home screen, where Enter opens the selected lesson."
    )
