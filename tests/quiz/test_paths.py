"""Path answers: the worked example's paths typed every way, checked as a set; random graphs
(every path set accepted, any path left out named, a made-up hop refused); fuzzed text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import (
    StepTrace,
    load_lesson,
    parse_lesson,
    run_lesson,
)
from backprop_tutor.quiz import Mistake, Question, QuizSession, Status, Verdict
from backprop_tutor.quiz.checker import Judgement
from backprop_tutor.quiz.path_answer import (
    LIST_LIMIT,
    all_paths,
    judge_paths,
    model_answer,
)
from backprop_tutor.quiz.plan import lesson_plan
from backprop_tutor.quiz.typed_kinds import withheld
from engine.exprgen import GraphSpec, graphs

from .generated import trace_or_skip

LESSON = load_lesson("branch-merge")
GRAPH = LESSON.graph
STEP_ONE = run_lesson(LESSON)[0]
EXAMPLES = int(os.environ.get("BACKPROP_FUZZ_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


def judge(text: str, target: str = "a", trace: StepTrace = STEP_ONE) -> Judgement:
    """The judgement of a typed answer about the paths from J to `target`."""
    return judge_paths(trace.graph, trace, target, text)


@pytest.mark.parametrize(
    "text",
    [
        "J L p v u a; J L p v h u a; J R a",
        "J→R→a, J→L→p→v→h→u→a, J→L→p→v→u→a",
        "J -> L -> p -> v -> u -> a\nJ-L-p-v-h-u-a; J R a",
        "a u v p L J; a u h v p L J; a R J",  # from the node up
        "a ← R ← J; J L p v u a; J L p v h u a; J R a; J R a",  # a repeat is ignored
    ],
)
def test_every_path_in_any_typed_form_is_right(text: str) -> None:
    """Spaces or arrows, `;` `,` or lines, either direction, repeats: all three paths."""
    found = judge(text)
    assert found.verdict is Verdict.CORRECT
    assert found.message == "Correct: all 3 paths from J to a."


def test_the_regularization_path_left_out_is_named() -> None:
    """The route through R is named, with its role, and not spelled out; nothing else is
    said to be missing."""
    found = judge("J L p v u a; J L p v h u a")
    assert found.verdict is Verdict.WRONG
    assert found.mistake is Mistake.PATH_LEFT_OUT
    assert found.message == (
        "You have not yet listed a route through R (the regularization branch)."
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # Both routes through L missing: counted, by the branch they take from J.
        ("J R a", "You have not yet listed 2 routes through L (the data branch)."),
        # The detour through h listed, the direct step not: named where it leaves.
        ("J L p v h u a; J R a", "You have not yet listed a route that steps from v to u."),
    ],
)
def test_a_route_left_out_is_named_where_it_leaves_the_listed_ones(text: str, message: str) -> None:
    """Never the path itself (finding it is the task): where it leaves what was listed."""
    found = judge(text)
    assert (found.verdict, found.message) == (Verdict.WRONG, message)
    assert "→" not in found.message


def test_a_hop_that_is_not_an_edge_is_named() -> None:
    """J → v skips nodes: the message says which nodes J uses."""
    found = judge("J v u a; J R a")
    assert found.verdict is Verdict.WRONG
    assert found.message == "J → v is not an edge: J uses L and R."


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("L p v u a", "does not start at J"),
        ("J L p v u", "ends at u, not at a"),
        ("J R a u", "goes on past a, which uses nothing"),
    ],
)
def test_other_wrong_paths_are_named(text: str, says: str) -> None:
    """A path not from the objective, one stopping short, one going past a leaf."""
    found = judge(text)
    assert found.verdict is Verdict.WRONG
    assert says in found.message


def test_the_worked_examples_grain_is_right_at_that_grain() -> None:
    """v → u as one step (∂v/∂u = 2cu + 1): right, and v → u is itself two paths."""
    found = judge("J L p v u a; J R a")
    assert found.verdict is Verdict.CORRECT
    assert found.message == (
        "Right at the grain of one step per use: v → u is itself 2 paths, directly and "
        "through h, so there are 3 paths from J to a in all."
    )
    # At that grain, what is still missing is what is named.
    left_out = judge("J L p v u a")
    assert left_out.verdict is Verdict.WRONG
    assert left_out.message == (
        "You have not yet listed a route through R (the regularization branch)."
    )


@pytest.mark.parametrize("text", ["", "  ;  ", "J L q a", "J L p v u a; zz"])
def test_text_that_is_not_paths_is_not_counted(text: str) -> None:
    """Empty, or a name that is no node: said in one line, not counted as a try."""
    found = judge(text)
    assert found.verdict is Verdict.UNREADABLE
    assert "\n" not in found.message
    assert found.message.endswith("(e.g. J L; J R).")


def _ladder(rungs: int) -> str:
    """A lesson whose objective reaches w along 2**rungs paths (each rung doubles them)."""
    graph = ['r0 = "w*x"']
    for i in range(1, rungs + 1):
        graph += [f'l{i} = "r{i - 1}*2"', f'm{i} = "r{i - 1}*3"', f'r{i} = "l{i} + m{i}"']
    graph.append(f'J = "r{rungs}"')
    return "\n".join(
        [
            'title = "ladder"',
            'objective = "J"',
            "[parameters]",
            "w = 1",
            "[optimizer]",
            "learning_rate = 0.1",
            "[graph]",
            *graph,
            "[[steps]]",
            "x = 1",
        ]
    )


def test_many_paths_ask_for_the_exact_count_and_one_example() -> None:
    """2**60 paths: the count is exact, one real path completes it, a wrong count is named."""
    lesson = parse_lesson(_ladder(60), Path("ladder.toml"))
    trace = run_lesson(lesson)[0]
    graph = lesson.graph
    example = " ".join(["J", *(f"r{i} l{i}" for i in range(60, 0, -1)), "r0", "w"])
    right = judge_paths(graph, trace, "w", f"{2**60}; {example}")
    assert right.verdict is Verdict.CORRECT
    assert str(2**60) in right.message
    assert model_answer(graph, trace, "w").startswith(f"{2**60}; J r60 ")
    low = judge_paths(graph, trace, "w", f"{2**60 - 1}; {example}")
    assert low.verdict is Verdict.WRONG and "more paths" in low.message
    bad = judge_paths(graph, trace, "w", f"{2**60}; J r60 w")
    assert bad.verdict is Verdict.WRONG and "r₆₀ → w is not an edge" in bad.message
    assert judge_paths(graph, trace, "w", "J r60 w").verdict is Verdict.UNREADABLE


# ---------------------------------------------------------------- random graphs


@SETTINGS
@given(spec=graphs(), data=st.data())
def test_random_path_sets_right_and_with_one_left_out(spec: GraphSpec, data: st.DataObject) -> None:
    """The whole set in any order is right; one left out is wrong unless a coarse hop covers it."""
    trace = trace_or_skip(spec)
    graph = trace.graph
    for target in graph.parameters:
        count = graph.path_counts[target]
        if not 1 <= count <= LIST_LIMIT:
            continue
        paths = all_paths(trace, target)
        assert len(paths) == spec.count_paths(target)
        shuffled = data.draw(st.permutations(paths))
        text = "; ".join(" ".join(p if data.draw(st.booleans()) else p[::-1]) for p in shuffled)
        assert judge_paths(graph, trace, target, text).verdict is Verdict.CORRECT
        if count == 1:
            continue
        dropped = data.draw(st.sampled_from(paths))
        rest = "; ".join(" ".join(p) for p in paths if p != dropped)
        found = judge_paths(graph, trace, target, rest)
        if found.verdict is Verdict.CORRECT:
            assert found.message.startswith("Right at the grain"), found.message
        else:
            assert found.mistake is Mistake.PATH_LEFT_OUT
            # Named by the first node where it leaves every listed path, not spelled out.
            shared = max(
                next((i for i, (a, b) in enumerate(zip(dropped, p, strict=False)) if a != b), 0)
                for p in paths
                if p != dropped
            )
            assert graph.label(dropped[max(shared, 1)]) in found.message, found.message
            assert "→" not in found.message


@SETTINGS
@given(spec=graphs())
def test_random_graphs_refuse_a_made_up_hop(spec: GraphSpec) -> None:
    """The objective straight to a parameter it does not use is named as no edge."""
    trace = trace_or_skip(spec)
    graph = trace.graph
    for target in graph.parameters:
        count = graph.path_counts[target]
        if 1 <= count <= LIST_LIMIT and target not in graph.operands(graph.objective):
            found = judge_paths(graph, trace, target, f"{graph.objective} {target}")
            assert found.verdict is Verdict.WRONG
            assert "is not an edge" in found.message


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=st.text(max_size=80) | st.text(alphabet="JLpvuahRbcd →-;,<>\n", max_size=60))
@example(text="¹")  # a digit to str.isdigit, not to int(): it once raised
@example(text="²; J L p a")
def test_any_text_is_judged_without_raising(text: str) -> None:
    """Whatever is typed as paths (or as a count), a verdict and a one-line message."""
    for target in ("a", "d"):
        found = judge(text, target)
        assert found.message and "\n" not in found.message
    graph_lesson = parse_lesson(_ladder(4), Path("ladder.toml"))
    trace = run_lesson(graph_lesson)[0]
    assert judge_paths(trace.graph, trace, "w", text).message


def test_a_panel_holds_the_paths_back_and_shows_those_listed() -> None:
    """While the question is open: held back, with the right paths typed so far listed."""
    session = QuizSession(LESSON, plan=lesson_plan(LESSON))
    question = session.questions_for(1)[0]
    assert str(question.id) == "1:paths:a"
    assert withheld(session, 1, "a") == (
        "The paths from J to a are asked in the quiz; they are listed here once you have answered."
    )
    session.answer(question.id, "J L p v u a; J v a")
    assert withheld(session, 1, "a") == (
        "The paths from J to a are asked in the quiz; they are listed here once you have "
        "answered. Listed so far: J→L→p→v→u→a."
    )
    session.answer(question.id, question.typed)
    # The paths to b are asked next: a's paths run through u, h, v, p and L as b's do.
    assert (withheld(session, 1, "a") or "").startswith(
        "Held back while the quiz asks for the paths from J to b: the paths to a pass through "
        "L, p, v, h and more, as do those paths"
    )
    assert withheld(session, 1, "u") is not None
    assert withheld(session, 1, "R") is None  # J → R is not on a path to b


def _answer_until(session: QuizSession, wanted: str) -> Question:
    """Answer step 1 right, in order, up to the question `wanted` (returned, still open)."""
    for q in session.questions_for(1):
        if str(q.id) == wanted:
            return q
        session.answer(q.id, q.typed or repr(q.expected))
        assert session.status(q.id) is Status.SOLVED, q.id
    raise AssertionError(f"{wanted} is not asked")


def test_a_formula_question_holds_back_every_panel_that_would_give_part_of_it_away() -> None:
    """While δ = ∂J/∂v is asked: v's own paths, and every node's whose paths pass through L,
    p or v (u's show ∂p/∂v, c's ∂L/∂p); R's paths share nothing with δ's and still show."""
    session = QuizSession(LESSON)
    delta = _answer_until(session, "1:formula:v")
    assert withheld(session, 1, "v") == (
        "δ is asked as a formula in the quiz; its paths are listed here once you have answered."
    )
    assert withheld(session, 1, "u") == (
        "Held back while the quiz asks for δ = ∂J/∂v as a formula: the paths to u pass through "
        "L, p and v, as do its paths, so the local derivatives along them would give it away. "
        "They are listed here once you have answered it."
    )
    for node in ("c", "d", "a", "h", "p", "L", "y"):
        assert "δ = ∂J/∂v as a formula" in (withheld(session, 1, node) or ""), node
    assert "L is on its paths" in (withheld(session, 1, "L") or "")
    for node in ("R", "J"):
        assert withheld(session, 1, node) is None, node
    # Answered: the next formula (∂J/∂d) holds back what its paths pass through; R still shows.
    session.answer(delta.id, delta.typed)
    assert "∂J/∂d as a formula" in (withheld(session, 1, "u") or "")
    assert withheld(session, 1, "R") is None


def test_a_local_derivative_question_holds_back_the_paths_that_take_its_step() -> None:
    """∂v/∂u through the direct term: u's paths and those below u take v → u; d's do not."""
    session = QuizSession(LESSON)
    _answer_until(session, "1:local:u@v")
    assert withheld(session, 1, "u") == (
        "∂v/∂u through the direct term is asked in the quiz; the paths to u, which take that "
        "step, are listed here once you have answered."
    )
    assert withheld(session, 1, "a") == (
        "Held back while the quiz asks for ∂v/∂u through the direct term: the paths to a take "
        "the step v → u, so they would show it. They are listed here once you have answered it."
    )
    for node in ("d", "c", "R", "h"):
        assert withheld(session, 1, node) is None, node


def test_only_the_questions_the_learner_has_reached_hold_anything_back() -> None:
    """At u's value, δ's formula is still to come: nothing waits for it. A paths question
    skipped (still open before the learner's place) keeps holding its paths back."""
    session = QuizSession(LESSON)
    value_u = _answer_until(session, "1:value:u")
    assert all(withheld(session, 1, n) is None for n in LESSON.graph.computed)
    skipped = QuizSession(LESSON)
    assert withheld(skipped, 1, "u", at=value_u.id) is not None  # the paths to a, skipped
    assert withheld(skipped, 1, "R", at=value_u.id) is not None  # J → R leads to a


def test_self_study_holds_back_for_its_one_question_only() -> None:
    """Self-study asks ∂J/∂a's formula alone (only_at): the paths questions it never asks
    hold nothing back; the tutor counts them, skipped and open before the learner's place."""
    session = QuizSession(LESSON)
    formula_a = next(q for q in session.questions_for(1) if str(q.id) == "1:formula:a")
    alone = withheld(session, 1, "u", formula_a.id, only_at=True) or ""
    assert alone.startswith("Held back while the quiz asks for ∂J/∂a as a formula:"), alone
    assert "R is on its paths" in (withheld(session, 1, "R", formula_a.id, only_at=True) or "")
    tutor = withheld(session, 1, "u", formula_a.id) or ""
    assert tutor.startswith("Held back while the quiz asks for the paths from J to a:"), tutor


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("J L p v u a; J R a; J L p v h u a; J L p vv u a", "'vv' is not a node of this lesson."),
        ("j l p v u a", "'j' is not a node of this lesson: did you mean J?"),
        ("J L p v u 0", "'0' is not a node of this lesson."),
    ],
)
def test_a_name_that_is_no_node_is_refused_with_the_nodes_a_path_can_hold(
    typed: str, start: str
) -> None:
    """Refused as unreadable (no attempt counted), a near miss named, and every computed
    node listed from the objective down: none dropped, the objective not among them."""
    found = judge(typed)
    assert found.verdict is Verdict.UNREADABLE
    assert found.message.startswith(start), found.message
    assert "A path runs from J through its computed nodes (R, L, p, v, h and u) down to a." in (
        found.message
    )


def test_a_zero_typed_for_an_o_is_named_and_no_node_is_left_out() -> None:
    """The textbook 2-2-2 network: `02` for o2 is named as o₂, and z₂, o₂ are listed."""
    lesson = load_lesson(str(Path(__file__).parents[1] / "lessons/published/mazur-2-2-2.toml"))
    trace = run_lesson(lesson)[0]
    found = judge_paths(lesson.graph, trace, "w1", "E o1 z1 h1 a1 w1, E 02 z2 h1 a1 w1")
    assert found.verdict is Verdict.UNREADABLE
    assert found.message.startswith("'02' is not a node of this lesson: did you mean o₂?")
    assert "(o₂, z₂, o₁, z₁, h₂, a₂, h₁ and a₁) down to w₁" in found.message
