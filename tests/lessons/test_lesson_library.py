"""The built-in lesson library: every lesson loads, in curriculum order, with its text."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import (
    STAGES,
    builtin_lesson_paths,
    list_lessons,
    load_lesson,
    run_lesson,
)

CURRICULUM = (
    "single-chain",
    "two-paths",
    "branch-merge",
    "shared-weight",
    "sigmoid-logistic",
    "two-layer",
    "softmax-cross-entropy",
    "residual",
)

# The lesson panel is about 40 columns wide: a stage note should fit in about four lines.
STAGE_MAX = 160
INTRO_MAX = 420
ITEM_MAX = 130


def test_the_curriculum_is_listed_in_order() -> None:
    """list_lessons gives the eight lessons in the issue's order, numbered 1 to 8."""
    lessons = list_lessons()
    assert tuple(lesson.name for lesson in lessons) == CURRICULUM
    assert [lesson.order for lesson in lessons] == list(range(1, len(CURRICULUM) + 1))


def test_every_packaged_file_is_in_the_curriculum() -> None:
    """No stray lesson file ships without a place in the curriculum."""
    assert set(builtin_lesson_paths()) == set(CURRICULUM)


@pytest.mark.parametrize("name", CURRICULUM)
def test_lesson_loads_by_name_and_by_path(name: str) -> None:
    """A lesson loads by its name (the file stem) and by its path, to the same lesson."""
    by_name = load_lesson(name)
    by_path = load_lesson(builtin_lesson_paths()[name])
    assert by_name.name == by_path.name == name
    assert by_name.is_builtin
    assert by_name.title and by_name.summary
    assert by_name.graph.objective == by_name.objective == "J"
    assert len(by_name.steps) == 2


@pytest.mark.parametrize("name", CURRICULUM)
def test_lesson_text_is_complete_and_short(name: str) -> None:
    """Intro, a note per stage, two or three takeaways, step notes: all sized for the panel."""
    lesson = load_lesson(name)
    text = lesson.text
    assert 0 < len(text.intro) <= INTRO_MAX
    assert text.intro.count("\n\n") <= 1  # one or two paragraphs
    for stage in STAGES:
        assert 0 < len(text.stage_text(stage)) <= STAGE_MAX, stage
    assert 2 <= len(text.takeaways) <= 3
    for item in (*text.takeaways, *(note.text for note in text.notes)):
        assert len(item) <= ITEM_MAX, item
    assert text.notes, "every lesson points at something in its own numbers"
    assert len(lesson.summary) <= 80


@pytest.mark.parametrize("name", CURRICULUM)
def test_notes_are_found_for_their_step_and_stage(name: str) -> None:
    """Each step note is what note_for returns for its step and stage."""
    lesson = load_lesson(name)
    for note in lesson.text.notes:
        stages = (note.stage,) if note.stage else STAGES
        for stage in stages:
            assert lesson.text.note_for(note.step, stage) is not None


@pytest.mark.parametrize("name", CURRICULUM)
def test_every_step_runs(name: str) -> None:
    """Every step of every lesson evaluates (no log of 0, no division by 0)."""
    traces = run_lesson(load_lesson(name))
    assert [trace.step for trace in traces] == [1, 2]


@pytest.mark.parametrize("name", CURRICULUM)
def test_starting_numbers_are_hand_friendly(name: str) -> None:
    """Every number a lesson starts from has at most two decimals, for a calculator by hand."""
    lesson = load_lesson(name)
    numbers = {
        **lesson.constants,
        **lesson.parameters,
        "learning_rate": lesson.learning_rate,
        **{f"step {i} {k}": v for i, step in enumerate(lesson.steps, 1) for k, v in step.items()},
    }
    for label, value in numbers.items():
        assert round(value, 2) == value, f"{label} = {value}"
