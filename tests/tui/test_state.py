"""The tutor screen's state without a Pilot: base values, rules, and what is derived."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import load_lesson, run_lesson
from backprop_tutor.quiz import Question
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui.state import StageLine, TutorState
from backprop_tutor.tui.stepper import Position


@pytest.fixture
def state() -> TutorState:
    """The worked example's state at its start, asking the numbers only (the tests of the
    stepping and the number questions' mechanics)."""
    lesson = load_lesson("branch-merge")
    return TutorState(lesson, run_lesson(lesson), NUMBERS_ONLY)


@pytest.fixture
def method() -> TutorState:
    """The worked example's state as a learner meets it: the lesson's own plan."""
    lesson = load_lesson("branch-merge")
    return TutorState(lesson, run_lesson(lesson))


def answer_right(state: TutorState, question: Question) -> None:
    """Answer one question right, as typed or as its number."""
    state.answer(question, question.typed or repr(question.expected))
    assert state.finished(question), question.id


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


def test_the_status_line_follows_the_methods_moves_then_the_passes(method: TutorState) -> None:
    """Mapping the paths, finding the local derivatives and deriving the formulas do not
    move the pass: the status line says which move the learner is at, how far along it,
    and what comes next, in the lesson's names; each answer moves it on."""
    lines: list[StageLine] = []
    while (at := method.at) is not None and at.kind.value != "grad":
        if not lines or lines[-1] != method.stage_line:
            lines.append(method.stage_line)
        answer_right(method, at)
    method_lines = [line for line in lines if not line.now.startswith("Forward pass")]
    assert method_lines == [
        ("mapping the paths to a (1 of 4)", "next: the paths to b"),
        ("mapping the paths to b (2 of 4)", "next: the paths to c"),
        ("mapping the paths to c (3 of 4)", "next: the paths to d"),
        ("mapping the paths to d (4 of 4)", "next: the forward pass"),
        ("finding ∂h/∂u (1 of 2)", "next: ∂v/∂u through the direct term"),
        ("finding ∂v/∂u through the direct term (2 of 2)", "next: deriving the formulas"),
        ("deriving δ = ∂J/∂v (1 of 5)", "next: ∂J/∂d"),
        ("deriving ∂J/∂d (2 of 5)", "next: ∂J/∂c"),
        ("deriving ∂J/∂c (3 of 5)", "next: ∂J/∂b"),
        ("deriving ∂J/∂b (4 of 5)", "next: ∂J/∂a"),
        ("deriving ∂J/∂a (5 of 5)", "next: the backward pass"),
    ]
    # Between the paths and the locals, the forward values walk the pass as before.
    forward = [line.now for line in lines if line.now.startswith("Forward pass")]
    assert forward[:2] == ["Forward pass (0/7)", "Forward pass at u (1/7)"]
    assert forward[-1] == "Forward pass at R (6/7)" and len(forward) == 7
    # The gradients' numbers are the backward pass: the status line is on it again.
    answer_right(method, method.at)  # type: ignore[arg-type]
    assert method.stage_line.now.startswith("Backward pass at ")
    assert method.stage_line.then == ""


def test_stepping_shows_the_pass_until_the_next_answer_or_focus(method: TutorState) -> None:
    """ctrl+n during a move of the method shows the pass it walks; a wrong answer, or the
    quiz taking the focus again, brings the move back."""
    paths_a = method.at
    assert paths_a is not None and str(paths_a.id) == "1:paths:a"
    heard: list[frozenset[str]] = []
    method.watch(heard.append)
    method.position = method.stepper.forward(method.position)
    assert method.stage_line == ("Forward pass at u (1/7)", "")
    method.answer(paths_a, "J L p v u a")  # wrong (two paths left out): the move stays
    assert method.stage_line == ("mapping the paths to a (1 of 4)", "next: the paths to b")
    method.position = method.stepper.forward(method.position)
    assert method.stage_line.now == "Forward pass at h (2/7)"
    method.at = question(method, "formula", "a")  # the learner clicks ∂J/∂a's row
    assert heard[-1] == {"at"}
    assert method.stage_line == ("deriving ∂J/∂a (5 of 5)", "next: the backward pass")
    # A step's start is the quiz's own place: F8 shows the next step's first move.
    method.position = Position(0, "forward", 0)
    assert method.stage_line.now == "deriving ∂J/∂a (5 of 5)"


def test_the_path_panel_holds_back_what_the_learners_move_would_give_away(
    method: TutorState,
) -> None:
    """At δ's formula, u's paths wait (they show ∂p/∂v); R's, which share nothing, show."""
    while (at := method.at) is not None and at.kind.value != "formula":
        answer_right(method, at)
    assert "δ = ∂J/∂v as a formula" in (method.withheld("u") or "")
    assert method.withheld("R") is None
    # The learner moves to ∂J/∂a's row: δ, skipped and open, still holds u back.
    method.at = question(method, "formula", "a")
    assert "δ = ∂J/∂v as a formula" in (method.withheld("u") or "")
