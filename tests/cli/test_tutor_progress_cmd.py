"""`progress` and `lessons` as a learner runs them after working in the tutor; `--fresh` alone."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from backprop_tutor.engine import load_lesson
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.plan import lesson_plan
from backprop_tutor.study.progress import ProgressStore
from backprop_tutor.study.tutor_records import Place
from backprop_tutor.study.tutor_saves import LessonSaves

if TYPE_CHECKING:
    from conftest import RunMain


def _work(folder: Path, name: str, *, everything: bool) -> None:
    """Answer a lesson's questions right (all of them, or the first two) as the tutor saves."""
    lesson = load_lesson(name)
    saves = LessonSaves.open(
        ProgressStore(folder), lesson, clock=lambda: datetime.now().astimezone()
    )
    # The tutor asks the lesson's plan (paths and formulas too); what show-me would show is
    # a right answer of every kind, typed here as the learner's own.
    session = QuizSession(lesson, plan=lesson_plan(lesson))
    questions = session.questions
    for question in questions if everything else questions[:2]:
        right = QuizSession(lesson, plan=lesson_plan(lesson)).reveal(question.id).shown
        saves.add(question.id, "answer", right, Place())


def test_progress_lists_the_lessons_above_the_skills(run_main: RunMain, tmp_path: Path) -> None:
    """One lesson done, one in progress: both named with how far, in the table and in --json."""
    _work(tmp_path, "single-chain", everything=True)
    _work(tmp_path, "branch-merge", everything=False)
    env = {"BACKPROP_TUTOR_HOME": str(tmp_path)}
    table = run_main("progress", env=env)
    assert table.returncode == 0
    out = table.stdout
    rows = {line.split("│")[2].strip(): line for line in out.splitlines() if line.count("│") > 4}

    def cells(title: str) -> list[str]:
        return [cell.strip() for cell in rows[title].split("│")[3:6]]

    assert cells("A single chain") == ["done", "22/22", "22"]
    assert cells("Branch and merge") == ["in progress, step 1", "2/53", "2"]
    assert cells("Two paths that never meet") == ["not started", "", ""]
    assert out.index("Lessons") < out.index("No self-study yet")
    document = json.loads(run_main("progress", "--json", env=env).stdout)
    by_name = {row["name"]: row for row in document["lessons"]}
    assert [row["name"] for row in document["lessons"]][:3] == [
        "single-chain",
        "two-paths",
        "branch-merge",
    ]
    assert (by_name["single-chain"]["state"], by_name["single-chain"]["first_try"]) == ("done", 22)
    assert (by_name["branch-merge"]["state"], by_name["branch-merge"]["answered"]) == (
        "in progress",
        2,
    )
    assert by_name["two-paths"]["state"] == "not started"


def test_progress_with_nothing_saved_says_where_to_start(run_main: RunMain, tmp_path: Path) -> None:
    """No file yet: one line naming both ways in."""
    out = run_main("progress", env={"BACKPROP_TUTOR_HOME": str(tmp_path)}).stdout
    assert "No progress yet" in out and "backprop-tutor quiz" in out


def test_lessons_ends_with_how_to_open_one(run_main: RunMain) -> None:
    """The table's last line says how to open a lesson."""
    out = run_main("lessons").stdout.strip()
    assert out.splitlines()[-1].strip().endswith("opens the selected lesson.")
    assert "backprop-tutor --lesson NAME" in out


def test_fresh_needs_a_lesson(run_main: RunMain, tmp_path: Path) -> None:
    """`--fresh` alone is one line and exit code 2: it starts one named lesson over."""
    result = run_main("--fresh", env={"BACKPROP_TUTOR_HOME": str(tmp_path)})
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--lesson" in result.stderr
