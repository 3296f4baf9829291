"""Formula answers: equal formulas in any form accepted, changed ones refused and named.

Over every lesson's planned formula and local-derivative questions and over random
graphs: the engine's own formula, printed (as shown and as typed) and read back, is
accepted; rewrites that keep it equal (expanded, reordered, a node replaced by its
definition, a named gradient written out) are accepted; mutations that change it (a
term dropped, a factor dropped, the sign flipped) are refused. Fuzzed text never raises.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import (
    Graph,
    StepTrace,
    list_lessons,
    load_lesson,
    parse_lesson,
    run_lesson,
)
from backprop_tutor.engine.expr import Bin, Expr, Neg, Var, names_in, walk
from backprop_tutor.engine.tape import compile_expr, value_at
from backprop_tutor.quiz import Kind, Mistake, Question, QuestionId, QuizSession, Verdict
from backprop_tutor.quiz.diagnosis import Candidate
from backprop_tutor.quiz.formula_answer import (
    allowed_gradients,
    askable,
    formula_text,
    gradient_formula,
    judge_formula,
    points,
    replace_at,
    values_of,
)
from backprop_tutor.quiz.plan import lesson_plan
from backprop_tutor.quiz.typed_kinds import gradient_mistakes, judge
from engine.exprgen import GraphSpec, graphs

from .generated import trace_or_skip

LESSON = load_lesson("branch-merge")
TRACES = run_lesson(LESSON)
GRAPH = LESSON.graph
EXAMPLES = int(os.environ.get("BACKPROP_FUZZ_EXAMPLES", "150"))


def judge_a(text: str, step: int = 1, node: str = "a") -> tuple[Verdict, str, Mistake | None]:
    """∂J/∂node as typed, judged at `step` of the worked example."""
    trace = TRACES[step - 1]
    found = judge_formula(
        GRAPH,
        trace,
        text,
        symbol=GRAPH.gradient_label(node),
        seed=f"{step}:formula:{node}",
        target=lambda t: t.grads[node],
        gradients=allowed_gradients(GRAPH, node),
        mistakes=_mistakes(node),
    )
    return found.verdict, found.message, found.mistake


def _mistakes(node: str) -> Callable[[StepTrace], list[Candidate]]:
    return lambda trace: gradient_mistakes(trace, node)


@pytest.mark.parametrize("step", [1, 2])
@pytest.mark.parametrize(
    "text",
    [
        "delta*(2*c*u + 1)*x + lambda*a",
        "δ·(2·c·u + 1)·x + λ·a",
        "∂J/∂v*(2*c*u + 1)*x + λ*a",
        "x*delta + 2*x*c*u*delta + a*lambda",  # expanded, reordered
        "-2*(p - y)/(1 + v)^2*(2*c*(a*x + b) + 1)*x + lambda*a",  # no δ, u written out
        "∂J/∂a = (2·δ·c·u + δ)·x + λ·a",  # the printed form, with its left side
        "delta*(2*c*u^1 + 1)*x + lambda*a*1",
        "δ·(2·c·√u² + 1)·x + λ·a".replace("√u²", "u"),
        "2*(p - y)*(-1/(1 + v)²)*(2*c*u + 1)*x + lambda*a",  # superscript power
    ],
)
def test_equal_formulas_in_any_form_are_right(text: str, step: int) -> None:
    """Expanded, factored, with δ or without, ∂J/∂v written out: all ∂J/∂a, at either step."""
    verdict, message, _ = judge_a(text, step)
    assert verdict is Verdict.CORRECT, message
    assert message == "Correct: that is ∂J/∂a."


def test_a_formula_without_the_regularization_path_is_named() -> None:
    """λa left out: the path J→R→a is named, at step 1 and at step 2 (where x = 0)."""
    for step in (1, 2):
        verdict, message, mistake = judge_a("delta*(2*c*u + 1)*x", step)
        assert verdict is Verdict.WRONG
        assert mistake is Mistake.PATH_LEFT_OUT
        assert message.startswith("That leaves out the path J→R→a;")


@pytest.mark.parametrize(
    ("text", "mistake", "says"),
    [
        ("delta*(c*u + 1)*x + lambda*a", Mistake.POWER_RULE_SLIP, "exponent 2"),
        ("delta*(2*c*u)*x + lambda*a", Mistake.PATH_LEFT_OUT, "J→L→p→v→u→a"),
        ("-(delta*(2*c*u + 1)*x + lambda*a)", Mistake.SIGN, "wrong sign"),
        ("delta*(2*c*u + 1) + lambda*a", Mistake.FACTOR_LEFT_OUT, "∂u/∂a = x"),
    ],
)
def test_mistakes_are_named_by_the_numeric_machinery(
    text: str, mistake: Mistake, says: str
) -> None:
    """A factor left out, a path left out, the power rule's 2, a sign: judged at every point."""
    verdict, message, found = judge_a(text)
    assert verdict is Verdict.WRONG
    assert found is mistake, message
    assert says in message


def test_a_leaf_for_a_node_is_named() -> None:
    """a written where u belongs (2·c·a for 2·c·u)."""
    verdict, message, _ = judge_a("delta*(2*c*a + 1)*x + lambda*a")
    assert verdict is Verdict.WRONG
    assert message.startswith("That uses a where the node u belongs")


def test_equal_only_at_this_steps_numbers_is_not_right() -> None:
    """0.449854·a/a … a number dressed as a formula agrees at the step and nowhere else."""
    verdict, message, _ = judge_a("0.4498542274*a")
    assert verdict is Verdict.WRONG
    assert message.startswith("That gives this step's number, but it is not the same formula")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("zz*a", "'zz' is not a name in this lesson"),
        ("foo(a)", "unknown function 'foo'"),
        ("delta*(2*c*u 2 + 1)", "write this product with *"),
        ("delta*(2*c*u + 1)*x + 1/2lambda*a", "can be read two ways"),
        ("(a", "expected ')'"),
        ("0.449854", "That is a number"),
        ("∂J/∂a*2", "∂J/∂a cannot be used here"),
        ("", "The answer is empty."),
        ("x" * 500, "longer than 400 characters"),
        ("__import__('os')", "not a formula"),
    ],
)
def test_what_is_not_a_formula_gets_one_line(text: str, says: str) -> None:
    """Unknown names and functions, syntax errors, a bare number: not counted, one line."""
    verdict, message, _ = judge_a(text)
    assert verdict is Verdict.UNREADABLE
    assert says in message and "\n" not in message


def test_nothing_typed_reaches_eval(monkeypatch: pytest.MonkeyPatch) -> None:
    """eval and exec are never called while formulas are judged."""

    def refuse(*args: object, **kwargs: object) -> object:
        raise AssertionError("eval called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    assert judge_a("delta*(2*c*u + 1)*x + lambda*a")[0] is Verdict.CORRECT
    assert judge_a("__import__('os').system('true')")[0] is Verdict.UNREADABLE


def test_the_delta_formula_cannot_use_delta() -> None:
    """δ is what is asked: writing δ for δ is refused, and so is any gradient below it."""
    verdict, message, _ = judge_a("delta", node="v")
    assert verdict is Verdict.UNREADABLE
    assert "δ cannot be used here" in message
    assert judge_a("2*(p - y)*(-1/(1 + v)^2)", node="v")[0] is Verdict.CORRECT


# ---------------------------------------------------------------- every lesson


def _typed_questions() -> Iterator[tuple[str, Question, StepTrace]]:
    for lesson in list_lessons():
        session = QuizSession(lesson, plan=lesson_plan(lesson))
        for q in session.questions_for(1):
            if q.kind in (Kind.FORMULA, Kind.LOCAL):
                yield lesson.name, q, session.traces[0]


TYPED = list(_typed_questions())


@pytest.mark.parametrize(
    ("question", "trace"),
    [(q, t) for _, q, t in TYPED],
    ids=[f"{name}-{q.id}" for name, q, _ in TYPED],
)
def test_every_lessons_own_formula_is_accepted_as_printed_and_as_typed(
    question: Question, trace: StepTrace
) -> None:
    """The engine's formula, as the screen shows it and as a learner types it, is right."""
    graph = trace.graph
    if question.kind is Kind.FORMULA:
        tree = gradient_formula(graph, question.node)
        forms = [formula_text(graph, tree), formula_text(graph, tree, typed=True)]
        forms.append(formula_text(graph, gradient_formula(graph, question.node, named=False)))
    else:
        tree = graph.local_tree(question.id.via, question.node)
        forms = [formula_text(graph, tree), formula_text(graph, tree, typed=True)]
    forms.append(question.typed)
    for form in forms:
        feedback = judge(question, trace, form)
        assert feedback.verdict is Verdict.CORRECT, (form, feedback.message)


@pytest.mark.parametrize(
    ("question", "trace"),
    [(q, t) for _, q, t in TYPED if q.kind is Kind.FORMULA],
    ids=[f"{name}-{q.id}" for name, q, _ in TYPED if q.kind is Kind.FORMULA],
)
def test_every_lessons_formula_rewritten_is_accepted_and_mutated_is_refused(
    question: Question, trace: StepTrace
) -> None:
    """Reordered or with nodes written out: right. A term or factor dropped, the sign flipped:
    wrong (where the change makes a difference at the step's own numbers)."""
    graph = trace.graph
    tree = gradient_formula(graph, question.node)
    for rewritten in _rewrites(graph, tree):
        text = formula_text(graph, rewritten, typed=True)
        assert judge(question, trace, text).verdict is Verdict.CORRECT, text
    for mutated in _mutations(tree, trace):
        text = formula_text(graph, mutated, typed=True)
        verdict = judge(question, trace, text).verdict
        # A mutation left with no name at all is a bare number: refused, not counted.
        refused = Verdict.WRONG if names_in(mutated) else Verdict.UNREADABLE
        assert verdict is refused, text


def _rewrites(graph: Graph, tree: Expr) -> list[Expr]:
    """Equal formulas: every + and * reordered; each computed node replaced by its definition."""
    out = [_swap(tree)]
    for name in {e.name for e in walk(tree) if isinstance(e, Var)}:
        if name in graph.computed:
            out.append(_substitute(tree, name, graph.tree(name)))
    return out


def _swap(tree: Expr) -> Expr:
    if isinstance(tree, Bin):
        left, right = _swap(tree.left), _swap(tree.right)
        return Bin(tree.op, right, left) if tree.op in "+*" else Bin(tree.op, left, right)
    if isinstance(tree, Neg):
        return Neg(_swap(tree.arg))
    return tree


def _substitute(tree: Expr, name: str, by: Expr) -> Expr:
    if isinstance(tree, Var):
        return by if tree.name == name else tree
    if isinstance(tree, Bin):
        return Bin(tree.op, _substitute(tree.left, name, by), _substitute(tree.right, name, by))
    if isinstance(tree, Neg):
        return Neg(_substitute(tree.arg, name, by))
    return tree


def _at_step(tree: Expr, trace: StepTrace) -> float:
    env = {**trace.values, **{f"__d_{n}": g for n, g in trace.grads.items()}}
    env.update({trace.graph.gradient_names[n]: trace.grads[n] for n in trace.graph.gradient_names})
    return value_at(compile_expr(tree), env)


def _mutations(tree: Expr, trace: StepTrace) -> list[Expr]:
    """Changed formulas that differ at the step: the sign flipped, each term or factor dropped."""
    out: list[Expr] = []
    whole = _at_step(tree, trace)
    if whole != 0:
        out.append(Neg(tree))
    for index, e in enumerate(walk(tree)):
        if isinstance(e, Bin) and e.op in "+-*":
            for kept in (e.left, e.right):
                mutated = _replace(tree, index, kept)
                try:
                    changed = _at_step(mutated, trace)
                except (ArithmeticError, ValueError, KeyError):
                    continue
                if abs(changed - whole) > 1e-6 * max(1.0, abs(whole)):
                    out.append(mutated)
    return out


def _replace(tree: Expr, index: int, by: Expr) -> Expr:
    return replace_at(tree, index, by)


# ---------------------------------------------------------------- random graphs


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(spec=graphs(max_nodes=4, depth=2))
def test_random_graphs_own_formulas_accepted_and_sign_flips_refused(spec: GraphSpec) -> None:
    """Each parameter's gradient formula, printed and read back, is right; negated, wrong."""
    trace = trace_or_skip(spec)
    graph = trace.graph
    for name in graph.parameters:
        if not askable(graph, name):
            continue
        tree = gradient_formula(graph, name)
        if not any(v is not None for v in values_of(tree, points(trace, "defined?"))):
            # Undefined wherever it is evaluated (0·log 0 with a constant 0): the engine
            # takes the limit, and no typed formula can be checked against it.
            continue
        question = Question(_qid(name), "", f"∂J/∂{name}", trace.grads[name], (), ())
        for form in (formula_text(graph, tree), formula_text(graph, _swap(tree), typed=True)):
            feedback = judge(question, trace, form)
            assert feedback.verdict is Verdict.CORRECT, (form, feedback.message)
        if abs(trace.grads[name]) > 1e-6:
            flipped = formula_text(graph, Neg(tree), typed=True)
            assert judge(question, trace, flipped).verdict is Verdict.WRONG, flipped


def _qid(name: str) -> QuestionId:
    return QuestionId(1, Kind.FORMULA, name)


@settings(max_examples=EXAMPLES, deadline=None)
@given(
    text=st.text(max_size=80)
    | st.text(alphabet="acuvxyhpLRJδλ∂/*+-^()²·− 0123456789.", max_size=60)
)
def test_any_text_is_judged_as_a_formula_without_raising(text: str) -> None:
    """Whatever is typed as a formula or a local derivative: a verdict and one line."""
    session = QuizSession(LESSON, TRACES, lesson_plan(LESSON))
    for q in session.questions_for(1):
        if q.kind in (Kind.FORMULA, Kind.LOCAL) and q.node in ("a", "u"):
            feedback = session.answer(q.id, text)
            assert feedback.message and "\n" not in feedback.message


def test_a_formula_undefined_only_at_the_step_itself_is_still_right() -> None:
    """x^(2 + a) at x = 0: the engine takes ∂J/∂a = x^(2 + a)·log(x) as its limit, 0; the
    same formula typed cannot be evaluated there, and agrees everywhere else."""
    text = (
        'title = "limit"\nobjective = "J"\n[parameters]\na = 0.5\n[optimizer]\n'
        'learning_rate = 0.1\n[[steps]]\nx = 0.0\n[graph]\nJ = "x^(2 + a)"\n'
    )
    lesson = parse_lesson(text, Path("limit.toml"))
    trace = run_lesson(lesson)[0]
    question = Question(_qid("a"), "", "∂J/∂a", trace.grads["a"], (), ())
    assert judge(question, trace, "x^(2 + a)*log(x)").verdict is Verdict.CORRECT
    assert judge(question, trace, "x^(2 + a)").verdict is Verdict.WRONG


def test_a_formula_copied_with_its_coefficients_as_shown_is_right() -> None:
    """The app writes 2/7 as 0.285714: the formula typed as shown is right, as is the
    exact one; a coefficient cut shorter than shown is not the same formula."""
    text = (
        'title = "sevenths"\nobjective = "J"\n[parameters]\na = 0.5\n[optimizer]\n'
        'learning_rate = 0.1\n[[steps]]\nx = 1.0\n[graph]\nn0 = "2 + a/7"\nJ = "2 + 2/n0"\n'
    )
    lesson = parse_lesson(text, Path("sevenths.toml"))
    trace = run_lesson(lesson)[0]
    shown = formula_text(lesson.graph, gradient_formula(lesson.graph, "a"), typed=True)
    assert "0.285714" in shown
    question = Question(_qid("a"), "", "∂J/∂a", trace.grads["a"], (), ())
    for typed in (shown, "-2/7/n0^2"):
        assert judge(question, trace, typed).verdict is Verdict.CORRECT, typed
    assert judge(question, trace, "-0.28/n0^2").verdict is Verdict.WRONG
