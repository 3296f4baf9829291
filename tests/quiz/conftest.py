"""Fixtures for the quiz tests: a fresh session on the worked example."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.quiz import QuizSession


@pytest.fixture
def session(worked_example: Lesson, worked_traces: tuple[StepTrace, ...]) -> QuizSession:
    """A new quiz session over both steps of the worked example."""
    return QuizSession(worked_example, worked_traces)
