"""Shared fixtures for every test package."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import Lesson, StepTrace, load_lesson, run_lesson


@pytest.fixture(scope="session")
def worked_example() -> Lesson:
    """The built-in lesson that reproduces the seed walkthrough."""
    return load_lesson("branch-merge")


@pytest.fixture(scope="session")
def worked_traces(worked_example: Lesson) -> tuple[StepTrace, ...]:
    """Both steps of the worked example."""
    return run_lesson(worked_example)
