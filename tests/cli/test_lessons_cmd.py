"""`backprop-tutor lessons [--json] [--lessons-dir DIR]`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import list_lessons

VALID = """\
order = 1
title = "My own lesson"
summary = "A learner's lesson."
objective = "J"

[parameters]
w = 1

[optimizer]
learning_rate = 0.1

[graph]
J = "(w*x)^2"

[[steps]]
x = 2
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_lesson_in_curriculum_order(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints one list: order, name, title, summary for each built-in lesson."""
    code, out, err = run(capsys, "lessons", "--json")
    assert (code, err) == (0, "")
    listed = json.loads(out)
    expected = list_lessons()
    assert [item["name"] for item in listed] == [lesson.name for lesson in expected]
    assert [item["order"] for item in listed] == list(range(1, len(expected) + 1))
    for item, lesson in zip(listed, expected, strict=True):
        assert item["title"] == lesson.title
        assert item["summary"] == lesson.summary
        assert item["builtin"] is True
        assert Path(item["path"]) == lesson.path
    assert listed[2]["name"] == "branch-merge"


def test_table_shows_order_name_title_summary(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Rich table has a row per lesson with its order, name, title and summary."""
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no cell wraps
    code, out, err = run(capsys, "lessons")
    assert (code, err) == (0, "")
    rows = [line for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert len(rows) == len(list_lessons())
    for row, lesson in zip(rows, list_lessons(), strict=True):
        assert row.split()[:2] == [str(lesson.order), lesson.name]
        assert lesson.title in row
        assert lesson.summary in row


def test_lessons_dir_adds_the_learners_lessons(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Lessons in --lessons-dir come after the built-in ones, with their paths."""
    (tmp_path / "mine.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a lesson", encoding="utf-8")
    code, out, err = run(capsys, "lessons", "--json", "--lessons-dir", str(tmp_path))
    assert (code, err) == (0, "")
    listed = json.loads(out)
    assert len(listed) == len(list_lessons()) + 1
    mine = listed[-1]
    assert mine["name"] == "mine"
    assert mine["title"] == "My own lesson"
    assert mine["builtin"] is False
    assert Path(mine["path"]) == tmp_path / "mine.toml"


def test_lessons_dir_table_names_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In the table a learner's lesson is shown by its path, so it can be opened by it."""
    monkeypatch.setenv("COLUMNS", "250")
    (tmp_path / "mine.toml").write_text(VALID, encoding="utf-8")
    code, out, _ = run(capsys, "lessons", "--lessons-dir", str(tmp_path))
    assert code == 0
    assert str(tmp_path / "mine.toml") in out
    assert "My own lesson" in out


def test_a_broken_file_is_skipped_and_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file that fails to load is named on stderr, one line; the rest are still listed."""
    (tmp_path / "mine.toml").write_text(VALID, encoding="utf-8")
    (tmp_path / "broken.toml").write_text(VALID.replace('"(w*x)^2"', '"(w*q)^2"'), "utf-8")
    code, out, err = run(capsys, "lessons", "--json", "--lessons-dir", str(tmp_path))
    assert code == 0
    assert [item["name"] for item in json.loads(out)][-1] == "mine"
    assert err.count("\n") == 1
    assert err.startswith(f"backprop-tutor: skipped {tmp_path / 'broken.toml'}:13: [graph] J:")
    assert "'q' is not defined" in err
    assert err.rstrip().endswith("(see: backprop-tutor check-lesson)")


def test_missing_lessons_dir(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A --lessons-dir that does not exist: one line on stderr, exit 2."""
    missing = tmp_path / "nowhere"
    code, out, err = run(capsys, "lessons", "--lessons-dir", str(missing))
    assert (code, out) == (2, "")
    assert err == f"backprop-tutor: --lessons-dir {missing}: no such folder\n"


def test_lessons_dir_that_is_a_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A --lessons-dir that is a file: one line on stderr, exit 2."""
    file = tmp_path / "one.toml"
    file.write_text(VALID, encoding="utf-8")
    code, out, err = run(capsys, "lessons", "--lessons-dir", str(file))
    assert (code, out) == (2, "")
    assert err == f"backprop-tutor: --lessons-dir {file}: is a file, not a folder\n"


def test_unknown_option(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown option is a one-line usage error with exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["lessons", "--bogus"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "backprop-tutor: error: unrecognized arguments: --bogus\n"
