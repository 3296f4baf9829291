"""Every hint of every question of every built-in lesson adds something.

No hint states its own question's quantity on both sides of "is" or "=" (`∂J/∂R is the
local derivative ∂J/∂R`), and the three levels say three different things.
"""

from __future__ import annotations

import re

import pytest

from backprop_tutor.engine import list_lessons
from backprop_tutor.quiz import QuizSession
from backprop_tutor.quiz.hints import LEVELS, hint
from backprop_tutor.quiz.plan import NUMBERS_ONLY

LESSONS = list_lessons()


def _names(graph_label: str) -> re.Pattern[str]:
    """The label as a whole name: `u` but not the u of `∂J/∂u` or of `u₂`."""
    return re.compile(rf"(?<![A-Za-z0-9_∂/₀-₉]){re.escape(graph_label)}(?![A-Za-z0-9_/₀-₉(])")


def both_sides(text: str, label: str) -> bool:
    """Whether some clause of `text` has `label` before and after one `=` or ` is `."""
    pattern = _names(label)
    for clause in re.split(r"[.;:,]\s", text):
        pieces = re.split(r" = | is ", clause)
        for i in range(1, len(pieces)):
            if pattern.search(pieces[i - 1]) and pattern.search(pieces[i]):
                return True
    return False


def test_the_check_catches_the_tautologies_of_the_issue() -> None:
    """The check itself: the hints the issue quotes are caught, honest ones are not."""
    assert both_sides("J uses R directly: ∂J/∂R is the local derivative ∂J/∂R.", "∂J/∂R")
    assert both_sides("∂E/∂o₁ is the local derivative ∂E/∂o₁", "∂E/∂o₁")
    assert both_sides("v = 1 + v", "v")
    assert not both_sides("v = 2·2 + 2 + 0", "v")
    assert not both_sides("∂J/∂u = ∂J/∂h·2·u + δ", "u")


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.name for lesson in LESSONS])
def test_every_hint_adds_something(lesson: object) -> None:
    """Over every number question of the lesson: no tautology, three different levels."""
    session = QuizSession(lesson, plan=NUMBERS_ONLY)  # type: ignore[arg-type]
    graph = session.graph
    for question in session.questions:
        trace = session.traces[question.step - 1]
        texts = [hint(question, trace, level).text for level in range(1, LEVELS + 1)]
        assert len(set(texts)) == LEVELS, (question.id, texts)
        labels = {question.symbol}
        if question.kind.value == "grad":
            labels.add(graph.derivative_symbol(question.node))
        for text in texts:
            for label in labels:
                assert not both_sides(text, label), (str(question.id), label, text)
