"""Products without `*`: the stars the answer reader puts in, and what it refuses.

Unit tests of the rule (quiz/stars.py), the worked example's own way of writing
(`2cu + 1`, `λa`) judged right, and a property over every lesson's formulas: taking out
any of the `*` the rule would put back never changes what the answer means (it is read
as the same tree, or refused as reading two ways).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backprop_tutor.engine import Graph, list_lessons
from backprop_tutor.engine.expr import FUNCTIONS, FUNCTIONS_2, tokens
from backprop_tutor.quiz import Verdict
from backprop_tutor.quiz.answers import Reading, Unreadable, read_answer
from backprop_tutor.quiz.formula_answer import (
    allowed_gradients,
    askable,
    formula_text,
    gradient_formula,
    how_to_type_formula,
    read_formula,
)
from backprop_tutor.quiz.stars import Ambiguous, insert_stars

from .test_formula import EXAMPLES, GRAPH, judge_a

NAMES = {"a", "b", "c", "u", "x", "ab", "bc", "w1", "x1", "lambda", "delta"}


def stars(text: str) -> str:
    """`text` with the rule's stars, over a small set of names."""
    return insert_stars(text, NAMES.__contains__)


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2cu + 1", "2*c*u + 1"),  # a number before a name; a run that splits one way
        ("2(u + 1)", "2*(u + 1)"),  # a number before (
        ("(u + 1)(u - 1)", "(u + 1)*(u - 1)"),  # ) before (
        ("(u + 1)x", "(u + 1)*x"),  # ) before a name
        ("(u + 1)2", "(u + 1)*2"),  # ) before a number
        ("lambda a", "lambda *a"),  # a name before a name
        ("delta(2cu + 1)x", "delta*(2*c*u + 1)*x"),  # a lesson name before (
        ("exp(u)", "exp(u)"),  # a function keeps its call
        ("2exp(u)", "2*exp(u)"),
        ("cexp(u)", "c*exp(u)"),  # a run ending in a function before its (
        ("2u^2x", "2*u^2*x"),  # a star binds as typed: (u^2)*x
        ("w1x1", "w1*x1"),
        ("ab", "ab"),  # a name of the lesson is that name
        ("2e3", "2e3"),  # a number keeps its exponent
        ("u**2c", "u^2*c"),
        ("zz(u)", "zz(u)"),  # not a name: left for the parser to refuse
        ("u 2", "u 2"),  # a name before a number is not read as a product
    ],
)
def test_the_stars_the_rule_puts_in(typed: str, read: str) -> None:
    """Each case of the rule, and what it leaves alone."""
    assert stars(typed) == read


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("abc", "'abc' can be read two ways, as a*b*c or as a*bc"),
        ("1/2u", "/2u can be read two ways, as /2*u (only 2 divides) or as /(2*u)"),
        ("1/cu", "as /c*u (only c divides) or as /(c*u)"),
        ("1/-2u", "/-2u can be read two ways"),
        ("x/u^2c", "as /u^2*c (only u^2 divides)"),
        ("x/exp(u)c", "as /exp(u)*c"),
        ("x/(u + 1)(u - 1)", "as /(u+1)*(u-1) (only (u+1) divides) or as /((u+1)*(u-1))"),
    ],
)
def test_what_reads_two_ways_is_refused_naming_both(typed: str, says: str) -> None:
    """A run that splits two ways, a product right after /: both readings named."""
    with pytest.raises(Ambiguous) as refused:
        stars(typed)
    assert says in str(refused.value)


@pytest.mark.parametrize(
    "text",
    [
        "δ·(2cu + 1)·x + λa",  # the worked example's own form
        "delta(2cu + 1)x + lambda a",
        "(2δcu + δ)x + λa",
        "-2(p - y)(2c(ax + b) + 1)x/(1 + v)^2 + λa",
    ],
)
def test_the_seeds_way_of_writing_is_right(text: str) -> None:
    """∂J/∂a as the seed writes it, without a single *: right."""
    verdict, message, _ = judge_a(text)
    assert verdict is Verdict.CORRECT, message


def test_an_ambiguous_formula_is_refused_in_one_line() -> None:
    """Refused, not counted: one line naming both readings, then how to type formulas."""
    verdict, message, _ = judge_a("delta(2cu + 1)x + 1/2λa")
    assert verdict is Verdict.UNREADABLE
    assert "can be read two ways" in message and "\n" not in message
    assert message.endswith(how_to_type_formula(GRAPH))


def test_the_hint_states_the_rule_in_the_lessons_names() -> None:
    """How to type a formula says where * may be left out, with this lesson's names."""
    hint = how_to_type_formula(GRAPH)
    assert "* may be left out after a number or ')' and between names" in hint
    assert "2ax is 2*a*x" in hint


@pytest.mark.parametrize(
    ("text", "value"),
    [("2(1/7 - 1)", 2 * (1 / 7 - 1)), ("(1 + 2)(3)", 9.0), ("2exp(0)", 2.0)],
)
def test_numbers_take_the_same_rule(text: str, value: float) -> None:
    """Arithmetic answers read products without * too; they stay arithmetic, not literals."""
    reading = read_answer(text)
    assert isinstance(reading, Reading) and not reading.is_number
    assert reading.value == pytest.approx(value)


def test_a_number_answer_that_reads_two_ways_is_refused() -> None:
    """1/2(3) is refused with both readings, not read as 1.5 or 1/6."""
    reading = read_answer("1/2(3)")
    assert isinstance(reading, Unreadable)
    assert "can be read two ways" in reading.message


# ---------------------------------------------------------------- the property

_CALLS = frozenset((*FUNCTIONS, *FUNCTIONS_2))


def _formulas() -> list[tuple[Graph, str, str]]:
    """Every built-in lesson's askable gradient formulas, typed: (graph, node, text)."""
    out = []
    for lesson in list_lessons():
        graph = lesson.graph
        for node in graph.computed + graph.parameters:
            if askable(graph, node):
                formula = gradient_formula(graph, node)
                out.append((graph, node, formula_text(graph, formula, typed=True)))
    return out


FORMULAS = _formulas()


def _droppable(graph: Graph, left: tuple[str, str], right: tuple[str, str]) -> str | None:
    """What a `*` between two tokens may be replaced by under the rule (None: it must stay)."""
    (lkind, ltext), (rkind, rtext) = left, right
    if lkind == "number" and rkind == "name":
        return " " if rtext[0] in "eE" else ""  # 2e3 would be a number
    if lkind == "number" and rtext == "(":
        return ""
    if ltext == ")" and (rkind in ("name", "number") or rtext == "("):
        return ""
    if lkind == "name" and ltext not in _CALLS:
        if rkind == "name":
            joined = ltext + rtext
            return " " if joined in graph or joined in _CALLS else ""
        if rtext == "(" and ltext in graph:
            return ""
    return None


@settings(max_examples=EXAMPLES, deadline=None)
@given(case=st.sampled_from(FORMULAS), data=st.data())
def test_leaving_out_stars_never_changes_the_meaning(
    case: tuple[Graph, str, str], data: st.DataObject
) -> None:
    """Each lesson's formula with any of its droppable `*` left out: the same tree, or refused."""
    graph, node, text = case
    gradients = allowed_gradients(graph, node)
    typed = [(kind, t) for kind, t, _ in tokens(text)][:-1]
    parts: list[str] = []
    for index, (_, token) in enumerate(typed):
        if token == "*" and 0 < index < len(typed) - 1:
            instead = _droppable(graph, typed[index - 1], typed[index + 1])
            if instead is not None and data.draw(st.booleans()):
                parts[-1] = parts[-1].rstrip()
                parts.append(instead)
                continue
        parts.append(token if not parts or parts[-1] in ("", " ") else " " + token)
    short = "".join(parts)
    try:
        read = read_formula(graph, short, gradients)
    except Exception as refused:  # the reader's own refusal (_Refused)
        assert "can be read two ways" in str(refused), (short, str(refused))
        return
    assert read == read_formula(graph, text, gradients), (text, short)
