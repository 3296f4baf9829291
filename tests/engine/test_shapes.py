"""Shapes (engine/shapes.py) give exactly what the passes give on a node's own expression."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from exprgen import expressions
from hypothesis import given, settings
from hypothesis import strategies as st
from test_formula_pin import CORPUS

from backprop_tutor.engine import ExprSyntaxError, parse, parse_lesson, run_lesson
from backprop_tutor.engine.export import lesson_to_dict
from backprop_tutor.engine.expr import names_in
from backprop_tutor.engine.names import display_name
from backprop_tutor.engine.shapes import Shapes
from backprop_tutor.engine.symbolic import derivative, render
from backprop_tutor.engine.tape import compile_expr

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "trace.py"
# Names as lessons spell them: Greek, subscripted, long, and one that looks like e of 1e5.
RENAMES = {"u": "lambda_2", "v": "e5"}


def _renamed(source: str) -> str:
    return re.sub(r"\b[uv]\b", lambda m: RENAMES[m.group()], source)


def _assert_same_as_direct(shapes: Shapes, source: str) -> None:
    """Tree, names, tape and every formula through the shape equal the direct passes."""
    tree = parse(source)
    shaped = shapes.parse(source)
    assert shaped.names == names_in(tree)
    assert shaped.tree() == tree
    assert shaped.tape() == compile_expr(tree)
    labels = tuple(map(display_name, shaped.names))
    for index, name in enumerate(shaped.names):
        direct = derivative(tree, name)
        assert shaped.derivative(name) == direct
        assert shaped.shape.formula(index, labels) == render(direct)


@pytest.mark.parametrize("source", CORPUS)
def test_every_corpus_expression_matches_under_its_own_and_other_names(source: str) -> None:
    """One cache for the corpus and its renamed copy: the second reads the first's shape."""
    shapes = Shapes()
    _assert_same_as_direct(shapes, source)
    _assert_same_as_direct(shapes, _renamed(source))
    assert shapes.parse(source).shape is shapes.parse(_renamed(source)).shape


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_random_expressions_match_with_a_shared_cache(data: st.DataObject) -> None:
    """Random expressions over a few names, all through one cache, match the direct passes."""
    shapes = Shapes()
    for _ in range(4):
        source = data.draw(expressions(["a", "b", "w_1"], depth=3)).text
        _assert_same_as_direct(shapes, source)


def test_shapes_are_told_apart_by_function_and_number() -> None:
    """A function's name and a literal's spelling are part of the shape; a name is not."""
    shapes = Shapes()
    assert shapes.parse("exp(a) + 1").shape is not shapes.parse("log(a) + 1").shape
    assert shapes.parse("a*0.5").shape is not shapes.parse("a*.5").shape
    assert shapes.parse("a*b").shape is not shapes.parse("a*a").shape
    assert shapes.parse("x1*y").shape is shapes.parse("alpha*beta2").shape
    assert shapes.parse("1e5*x").names == ("x",)


@pytest.mark.parametrize(
    ("good", "bad"),
    [
        ("a*b", "a b"),
        ("2*x", "2x"),
        ("exp(a)", "exp + a"),
        ("a + 1e5", "a + 1e"),
        ("relu(a)", "foo(a)"),
        ("a + b", "a + é"),
    ],
)
def test_a_bad_source_never_borrows_a_good_ones_shape(good: str, bad: str) -> None:
    """After a similar good expression is cached, a bad one still gets parse's own error."""
    shapes = Shapes()
    shapes.parse(good)
    with pytest.raises(ExprSyntaxError) as direct:
        parse(bad)
    with pytest.raises(ExprSyntaxError) as cached:
        shapes.parse(bad)
    assert str(cached.value) == str(direct.value)


def test_a_generated_lesson_prints_every_formula_as_direct_differentiation() -> None:
    """The benchmark's lesson (shapes repeated hundreds of times): every formula of the
    export, and local_formula and local_tree, equal differentiating that node directly."""
    benchmark = importlib.util.spec_from_file_location("bench_trace", BENCHMARK)
    assert benchmark is not None and benchmark.loader is not None
    module = importlib.util.module_from_spec(benchmark)
    benchmark.loader.exec_module(module)
    text, _ = module.lesson_text(400)
    lesson = parse_lesson(text, Path("generated.toml"))
    graph = lesson.graph
    exported = lesson_to_dict(lesson, run_lesson(lesson))["steps"][0]["edges"]
    assert len(exported) == len(graph.edge_pairs) > 1000
    for edge in exported:
        direct = derivative(parse(graph.node(edge["to"]).expression or ""), edge["from"])
        assert edge["formula"] == render(direct)
        assert graph.local_formula(edge["to"], edge["from"]) == render(direct)
        assert graph.local_tree(edge["to"], edge["from"]) == direct
