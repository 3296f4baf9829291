"""Fixtures for the quiz tests: a fresh numbers-only session on the worked example."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import Lesson, StepTrace
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.plan import NUMBERS_ONLY


@pytest.fixture
def session(worked_example: Lesson, worked_traces: tuple[StepTrace, ...]) -> QuizSession:
    """A new quiz session over both steps of the worked example, asking the numbers only
    (the tests of the number questions' mechanics)."""
    return QuizSession(worked_example, worked_traces, NUMBERS_ONLY)
