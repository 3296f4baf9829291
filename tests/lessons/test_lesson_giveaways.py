"""Lesson text never gives an asked number away: check-lesson warns, built-ins pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import builtin_lesson_paths, list_lessons, load_lesson, run_lesson
from backprop_tutor.quiz.giveaways import giveaways

SOFTMAX = builtin_lesson_paths()["softmax-cross-entropy"]
NOTE = 'text = "The label is class 2, but z₁ = 1 beats z₂ = −1, so p₂ ≈ 0.12 and J ≈ 2.13."'


@pytest.mark.parametrize("lesson", list_lessons(), ids=lambda lesson: lesson.name)
def test_the_built_in_lessons_give_nothing_away(lesson: object) -> None:
    """No built-in lesson's text tells a number before the stage that asks it is done."""
    assert giveaways(lesson, run_lesson(lesson)) == []  # type: ignore[arg-type]


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = SOFTMAX.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_a_number_in_the_intro_is_a_giveaway(tmp_path: Path) -> None:
    """p₂ ≈ 0.12 in the introduction gives away step 1's p₂ at the digits written."""
    path = _variant(tmp_path, "p − y, just as in the sigmoid lesson.", "p − y; here p₂ ≈ 0.12.")
    lesson = load_lesson(str(path))
    found = giveaways(lesson, run_lesson(lesson))
    assert [(g.where, g.number, str(g.question.id)) for g in found] == [
        ("[text] intro", "0.12", "1:value:p2")
    ]


def test_a_note_after_its_own_stage_is_not_a_giveaway(tmp_path: Path) -> None:
    """The same numbers in step 1's forward note come after the forward pass: no warning."""
    assert NOTE in SOFTMAX.read_text(encoding="utf-8")
    lesson = load_lesson(str(SOFTMAX))
    assert giveaways(lesson, run_lesson(lesson)) == []
    # Moved to the backward stage's text, shown before ∂J/∂z₁ = 0.880797 is asked.
    path = _variant(tmp_path, "add the three.", "add the three, about 0.88.")
    moved = load_lesson(str(path))
    found = giveaways(moved, run_lesson(moved))
    assert [(g.where, g.number, g.question.symbol) for g in found] == [
        ("[text] backward", "0.88", "∂J/∂z₁")
    ]


def test_check_lesson_warns_on_stderr_and_still_passes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The warning is one line naming the file, the place and the question; exit code 0."""
    path = _variant(tmp_path, "p − y, just as in the sigmoid lesson.", "p − y; here p₂ ≈ 0.12.")
    assert main(["check-lesson", str(path)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"{path}: warning: [text] intro: 0.12 gives away step 1's p₂ before it is asked; "
        "hold the note back until that stage is done, or drop the number"
    ]
