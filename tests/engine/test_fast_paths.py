"""The quick ways (a batch of shapes, the JSON written from templates) give the slow ways'
results exactly: the same shapes and errors, the same document byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exprgen import expressions, graphs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_shapes import BENCHMARK

from backprop_tutor.commands.trace import trace_json
from backprop_tutor.engine import ExprSyntaxError, list_lessons, parse_lesson, run_lesson
from backprop_tutor.engine.export import lesson_json, lesson_to_dict
from backprop_tutor.engine.shapes import Shapes

BAD = ["a b", "2x", "exp + a", "a + 1e", "foo(a)", "a + é", "a; b", "(a", "a..b", "relu"]


def _alone(source: str) -> tuple[object, tuple[str, ...]] | str:
    """What a fresh cache's `parse` gives one source: its tree and names, or its error."""
    try:
        shaped = Shapes().parse(source)
    except ExprSyntaxError as error:
        return f"error: {error}"
    return shaped.shape.tree, shaped.names


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.one_of(
            expressions(["a", "b", "w_1", "lambda"], depth=3).map(lambda gen: gen.text),
            st.sampled_from(BAD),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_a_batch_gives_each_source_what_parsing_it_alone_gives(sources: list[str]) -> None:
    """Good and bad expressions mixed in one batch (a `;` among them, which is the batch's
    separator): each gets the shape, names or error it gets alone."""
    shapes = Shapes()
    for source, found in zip(sources, shapes.parse_all(sources), strict=True):
        expected = _alone(source)
        if isinstance(found, ExprSyntaxError):
            assert f"error: {found}" == expected
        else:
            assert (found.shape.tree, found.names) == expected


def _json_of(lesson_text: str) -> tuple[str, str]:
    """A lesson's trace written from templates, and json.dumps of its dictionaries."""
    lesson = parse_lesson(lesson_text, Path("generated.toml"))
    traces = run_lesson(lesson)
    expected = json.dumps(lesson_to_dict(lesson, traces), ensure_ascii=False)
    return lesson_json(lesson, traces), expected


@pytest.mark.parametrize("lesson", list_lessons(), ids=lambda lesson: lesson.name)
def test_every_builtin_lesson_writes_json_dumps_text(lesson: object) -> None:
    """trace --json's text is json.dumps of the export dictionary, with a newline."""
    from backprop_tutor.engine import Lesson

    assert isinstance(lesson, Lesson)
    expected = json.dumps(lesson_to_dict(lesson, run_lesson(lesson)), ensure_ascii=False)
    assert trace_json(lesson) == expected + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_lessons_write_json_dumps_text(spec: object) -> None:
    """Random graphs (Greek, subscripted and repeated names, every operator)."""
    try:
        written, expected = _json_of(spec.toml())  # type: ignore[attr-defined]
    except (ArithmeticError, ValueError):
        return  # a point outside a domain: nothing is written
    assert written == expected


def test_the_benchmark_lesson_over_several_chunks_writes_json_dumps_text() -> None:
    """Thousands of nodes (several chunks of the writer), two steps, subscripted names."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_trace", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text, _ = module.lesson_text(3000, steps=2)
    written, expected = _json_of(text)
    assert written == expected
    assert written.count('"formula"') > 20_000
