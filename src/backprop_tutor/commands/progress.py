"""`backprop-tutor progress`: the lessons worked in the tutor, then each skill; or a reset."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..engine import Lesson, LessonError, list_lessons, load_lesson
from ..quiz.plan import lesson_plan
from ..quiz.skills import describe
from ..study.progress import (
    CannotSave,
    Progress,
    ProgressError,
    ProgressStore,
    UnreadableProgress,
    data_dir,
)
from ..study.scheduler import streak
from ..study.session import lesson_key
from ..study.tutor_records import TutorRecord, current_record
from ..study.tutor_saves import LessonStatus, lesson_status
from ..study.words import when
from . import CommandError, add_data_dir
from .quiz import confirm, now


def add_parser(subparsers: Any) -> None:
    """Register `progress`."""
    parser = subparsers.add_parser(
        "progress",
        help="how each lesson and each skill is going: done, in progress, box, when due",
        description="Show the lessons worked in the tutor (done, in progress, score), then"
        " the self-study progress kept by `backprop-tutor quiz`.",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON document instead")
    parser.add_argument(
        "--reset",
        action="store_true",
        help="start over (the old file is kept beside the new one, renamed)",
    )
    parser.add_argument("--yes", action="store_true", help="with --reset: do not ask")
    add_data_dir(parser)


def run(args: argparse.Namespace) -> int:
    """Print the progress table or JSON, or reset."""
    store = ProgressStore(data_dir(args.data_dir))
    if args.reset:
        return _reset(store, yes=args.yes)
    try:
        progress = store.load()
    except UnreadableProgress as problem:
        raise CommandError(
            f"{problem}; nothing was changed (`backprop-tutor quiz` offers to move it aside,"
            " or use `progress --reset`)"
        ) from None
    except ProgressError as problem:
        raise CommandError(str(problem)) from None
    today = now().date()
    if args.json:
        json.dump(_document(store, progress, today), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    _table(store, progress, today)
    return 0


def _reset(store: ProgressStore, *, yes: bool) -> int:
    if not store.path.exists():
        print(f"Nothing to reset: there is no progress in {store.directory}.")
        return 0
    if not yes:
        if not sys.stdin.isatty():
            raise CommandError("--reset asks for confirmation; add --yes to reset without asking")
        question = f"Reset all progress in {store.path}? The old file is kept, renamed."
        if not confirm(question, sys.stdin, sys.stdout):
            print("Nothing was changed.")
            return 0
    try:
        moved = store.move_aside(now(), reason="reset")
    except CannotSave as problem:
        raise CommandError(str(problem)) from None
    print(f"Progress reset. The old file is now {moved}.")
    return 0


def _lessons(progress: Progress) -> list[tuple[Lesson, LessonStatus]]:
    """The built-in lessons, then any lesson file worked on, each with how far it is."""
    lessons = list_lessons()
    known = {lesson_key(lesson) for lesson in lessons}
    for key in sorted({r.lesson for r in progress.tutor.values() if r.aside is None} - known):
        try:
            lessons.append(load_lesson(key))
        except LessonError:
            continue  # a lesson file moved or broken since: its record stays in the file
    return [
        (
            lesson,
            lesson_status(
                lesson, current_record(progress.tutor, lesson_key(lesson)), lesson_plan(lesson)
            ),
        )
        for lesson in lessons
    ]


def _lesson_rows(progress: Progress) -> list[dict[str, Any]]:
    return [
        {
            "order": lesson.order,
            "name": lesson.name,
            "title": lesson.title,
            "state": status.state,
            "step": status.step,
            "answered": status.answered,
            "total": status.total,
            "first_try": status.first_try,
            "revealed": status.revealed,
            "changed": status.changed,
        }
        for lesson, status in _lessons(progress)
    ]


def _rows(progress: Progress, today: date) -> list[dict[str, Any]]:
    rows = []
    for name, state in sorted(progress.skills().items()):
        rows.append(
            {
                "skill": name,
                "name": describe(name),
                "asked": state.asked,
                "right": state.right,
                "accuracy": state.accuracy,
                "box": state.box,
                "due": state.due.isoformat() if state.due else None,
                "due_now": state.is_due(today),
            }
        )
    return rows


def _document(store: ProgressStore, progress: Progress, today: date) -> dict[str, Any]:
    return {
        "file": str(store.path),
        "today": today.isoformat(),
        "answers": len(progress.answers),
        "streak": streak(progress.answers, today),
        "lessons": _lesson_rows(progress),
        "skills": _rows(progress, today),
        "open_sessions": [
            {"lesson": s.lesson, "seed": s.seed, "question": s.position + 1, "of": len(s.queue)}
            for s in progress.sessions.values()
        ],
    }


def _answers(count: int) -> str:
    return f"{count} answer" if count == 1 else f"{count} answers"


def _table(store: ProgressStore, progress: Progress, today: date) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    worked = _worked(progress.tutor.values())
    if not progress.answers and not worked:
        console.print(
            f"No progress yet in {store.directory}. Start with: backprop-tutor (the lessons)"
            " or backprop-tutor quiz (self-study)"
        )
        return
    if worked:
        lessons = Table(title="Lessons", title_justify="left")
        lessons.add_column("#", justify="right")
        lessons.add_column("lesson")
        lessons.add_column("where")
        lessons.add_column("answered", justify="right")
        lessons.add_column("first try", justify="right")
        for lesson, status in _lessons(progress):
            where = (
                f"in progress, step {status.step}"
                if status.state == "in progress"
                else status.state
            )
            counts = (
                ("", "")
                if status.state == "not started"
                else (
                    f"{status.answered}/{status.total}",
                    str(status.first_try),
                )
            )
            lessons.add_row(str(lesson.order), lesson.title, where, *counts)
        console.print(lessons)
    if not progress.answers:
        console.print(f"No self-study yet (backprop-tutor quiz) · kept in {store.path}")
        return
    table = Table(title="Progress by skill", title_justify="left")
    table.add_column("skill")
    table.add_column("right", justify="right")
    table.add_column("accuracy", justify="right")
    table.add_column("box", justify="right")
    table.add_column("due")
    for row in _rows(progress, today):
        accuracy = "—" if row["accuracy"] is None else f"{round(100 * row['accuracy'])}%"
        due = (
            "now"
            if row["due_now"]
            else when(date.fromisoformat(row["due"]), today)
            if row["due"]
            else "now"
        )
        table.add_row(row["name"], f"{row['right']}/{row['asked']}", accuracy, str(row["box"]), due)
    console.print(table)
    days = streak(progress.answers, today)
    console.print(
        f"Streak: {days} day{'s' if days != 1 else ''} in a row · {_answers(len(progress.answers))}"
        f" · kept in {store.path}"
    )
    for session in progress.sessions.values():
        if session.finished or session.current is None:
            continue  # nothing left to resume (an edited file said "question 9 of 8")
        console.print(
            f"Unfinished session on {session.lesson} (exercise {session.seed}): question"
            f" {session.position + 1} of {len(session.queue)}; `backprop-tutor quiz` resumes it."
        )


def _worked(records: Iterable[TutorRecord]) -> bool:
    """Whether anything was done in the tutor (a record with an event or a place)."""
    return any(r.events or r.placed for r in records)
