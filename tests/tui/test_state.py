"""The tutor screen's state without a Pilot: base values, rules, and what is derived."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.quiz import Question
from backprop_tutor.tui.state import TutorState
from backprop_tutor.tui.stepper import Position


@pytest.fixture
def state() -> TutorState:
    """The worked example's state at its start."""
    lesson = load_lesson("branch-merge")
    return TutorState(lesson, run_lesson(lesson))


def question(state: TutorState, kind: str, node: str) -> Question:
    """The current step's question of this kind about this node."""
    return next(q for q in state.questions if q.kind.value == kind and q.node == node)


def test_starts_at_step_one_on_the_first_computed_node(state: TutorState) -> None:
    """Nothing done, u selected, no path, every question open."""
    assert state.position == Position()
    assert state.selected == "u"
    assert state.path == ()
    assert state.current is None
    assert state.progress == (0, 0, 21)
    assert {state.mark(q) for q in state.questions} == {"open"}


def test_the_stage_node_becomes_the_selection(state: TutorState) -> None:
    """Stepping to h selects h and clears the path; the watcher hears all three."""
    heard: list[frozenset[str]] = []
    state.watch(heard.append)
    state.path = ("J", "L", "p", "v", "h")
    state.position = Position(0, "forward", 2)
    assert state.selected == "h"
    assert state.path == ()
    assert heard[-1] == {"position", "selected", "path"}


def test_a_new_step_clears_the_path(state: TutorState) -> None:
    """Going to step 2 forgets the highlighted path; the questions are step 2's."""
    state.path = ("J", "R", "a")
    state.position = Position(1, "forward", 0)
    assert state.path == ()
    assert state.trace.step == 2
    assert all(q.step == 2 for q in state.questions)


def test_selecting_clears_the_path_and_the_same_node_changes_nothing(state: TutorState) -> None:
    """A new selection starts without a path; selecting the selected node is no change."""
    heard: list[frozenset[str]] = []
    state.watch(heard.append)
    state.selected = "a"
    state.path = ("J", "R", "a")
    state.selected = "a"
    assert state.path == ("J", "R", "a")
    assert heard == [{"selected"}, {"path"}]
    state.selected = "c"
    assert state.path == ()
    assert heard[-1] == {"selected", "path"}


def test_what_is_shown_follows_stepping_and_the_quiz(state: TutorState) -> None:
    """u is shown once stepped to or answered; the graph state says the same."""
    assert "u" not in state.revealed.values
    state.answer(question(state, "value", "u"), "2")
    assert "u" in state.revealed.values
    assert "u" in state.graph_state.values
    assert "h" not in state.graph_state.values
    state.position = Position(0, "forward", 2)
    assert "h" in state.graph_state.values
    assert state.graph_state.current == "h"


def test_the_session_is_the_record(state: TutorState) -> None:
    """An answer given to the session directly shows in progress and marks alike."""
    u = question(state, "value", "u")
    state.session.answer(u.id, "2")
    assert state.progress == (1, 0, 21)
    assert state.finished(u)


def test_marks_follow_verdicts(state: TutorState) -> None:
    """Wrong, too few digits, unreadable, carried, right and shown each have their mark."""
    u, h, j = (question(state, "value", n) for n in ("u", "h", "J"))
    state.answer(j, "0.83")
    assert state.mark(j) == "close"
    state.answer(u, "abc")
    assert state.mark(u) == "invalid"
    state.answer(u, "3")
    assert state.mark(u) == "wrong"
    assert state.typed(u) == "3"
    state.answer(h, "9")  # right for the learner's own u = 3
    assert state.mark(h) == "carried"
    state.answer(u, "2")
    assert state.mark(u) == "right"
    v = question(state, "value", "v")
    shown = state.reveal(v)
    assert state.mark(v) == "revealed"
    assert state.typed(v) == shown.shown == "6"
    assert state.progress == (2, 1, 21)
