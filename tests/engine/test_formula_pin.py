"""Formula output is pinned: every text a learner reads about a formula stays byte-identical.

`formula_pin.json` was written from the code as it was before the lesson loader was split
and the operator semantics were folded into one table. It holds, for every built-in
lesson, each node's expression text, each local derivative formula (bare and with step 1's
numbers put in) and the whole `trace --json` export; and for a fixed corpus of
expressions covering every operator in every position, the raw and the simplified
derivative. Regenerate it only for a deliberate change of wording:
`.venv/bin/python tests/engine/test_formula_pin.py --write`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import list_lessons, parse, run_lesson
from backprop_tutor.engine.export import lesson_to_dict
from backprop_tutor.engine.symbolic import _d, derivative, render

PIN = Path(__file__).with_name("formula_pin.json")

_OPERANDS = ("u", "v", "2", "0.5", "(u*v)", "exp(u)", "(-u)", "(u+v)", "(u/v)", "(u^2)")
_ARGUMENTS = ("u", "2", "u*v", "(u+v)^2", "-u", "log(v)", "u/v")
_FUNCTIONS = ("exp", "log", "sqrt", "tanh", "sigmoid", "relu")
CORPUS = (
    *(f"{left} {op} {right}" for op in "+-*/^" for left in _OPERANDS for right in _OPERANDS),
    *(f"{fn}({arg})" for fn in _FUNCTIONS for arg in _ARGUMENTS),
    *(f"-{operand}" for operand in _OPERANDS),
    "sigmoid(tanh(u*v + 1))",
    "relu(u*v + 2) * exp(-v)",
    "log(1 + exp(u)) - u*v/2",
    "sqrt(u^2 + v^2) / (1 + v)",
    "u^v + v^u",
)  # fmt: skip


def lesson_formulas() -> dict[str, Any]:
    """Per built-in lesson: expression texts, local formulas and the JSON export."""
    result: dict[str, Any] = {}
    for lesson in list_lessons():
        graph = lesson.graph
        traces = run_lesson(lesson)
        first = traces[0].values
        result[lesson.name] = {
            "expressions": {name: graph.expression_text(name) for name in graph.computed},
            "formulas": {
                f"{operand}->{name}": graph.local_formula(name, operand)
                for name in graph.computed
                for operand in graph.operands(name)
            },
            "formulas_at_step_1": {
                f"{operand}->{name}": graph.local_formula(name, operand, first)
                for name in graph.computed
                for operand in graph.operands(name)
            },
            "export": lesson_to_dict(lesson, traces),
        }
    return result


def corpus_formulas() -> dict[str, Any]:
    """Per corpus expression and name: the rendered raw and simplified derivatives."""
    result: dict[str, Any] = {}
    for source in CORPUS:
        tree = parse(source)
        result[source] = {
            "text": render(tree),
            **{f"raw d/d{name}": render(_d(tree, name)) for name in ("u", "v")},
            **{f"d/d{name}": render(derivative(tree, name)) for name in ("u", "v")},
        }
    return result


def current() -> dict[str, Any]:
    """Everything the pin holds, computed by the code as it is now."""
    return {"lessons": lesson_formulas(), "corpus": corpus_formulas()}


def test_lesson_formulas_are_unchanged() -> None:
    """Every built-in lesson's expression texts, formulas and export match the pin."""
    pinned = json.loads(PIN.read_text(encoding="utf-8"))["lessons"]
    now = json.loads(json.dumps(lesson_formulas()))
    assert sorted(now) == sorted(pinned)
    for name in pinned:
        assert now[name] == pinned[name], name


def test_corpus_formulas_are_unchanged() -> None:
    """The corpus's raw and simplified derivatives match the pin, expression by expression."""
    pinned = json.loads(PIN.read_text(encoding="utf-8"))["corpus"]
    now = corpus_formulas()
    assert list(now) == list(pinned)
    for source in pinned:
        assert now[source] == pinned[source], source


@pytest.mark.parametrize("name", sorted(json.loads(PIN.read_text(encoding="utf-8"))["lessons"]))
def test_trace_json_prints_the_pinned_export_byte_for_byte(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`backprop-tutor trace --json` writes exactly the pinned export, as JSON text."""
    pinned = json.loads(PIN.read_text(encoding="utf-8"))["lessons"][name]["export"]
    assert main(["trace", "--json", "--lesson", name]) == 0
    assert capsys.readouterr().out == json.dumps(pinned, ensure_ascii=False) + "\n"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    PIN.write_text(json.dumps(current(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
