"""One test per lesson error: each is one line naming the file, line, table and node."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backprop_tutor.engine import LessonError, lesson_errors, load_lesson, run_lesson

VALID = """\
title = "Small"
objective = "J"

[constants]
y = 1

[parameters]
a = 1
b = 0

[optimizer]
learning_rate = 0.1

[graph]
u = "a*x + b"
J = "(u - y)^2"

[[steps]]
x = 2

[[steps]]
x = 0
"""


def write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    """Save a lesson file under tmp_path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    """The one-line message loading (and, if it loads, running) the lesson raises."""
    with pytest.raises(LessonError) as caught:
        run_lesson(load_lesson(path))
    message = str(caught.value)
    assert "\n" not in message
    return message


def lesson_with(graph: str = "", *, head: str = "", steps: str = "[[steps]]\nx = 2\n") -> str:
    """A small lesson with the given [graph] body (line 9 onwards) and steps."""
    return (
        'title = "T"\n'  # 1
        'objective = "J"\n'  # 2
        f"{head}"
        "[constants]\n"  # 3
        "y = 1\n"  # 4
        "[parameters]\n"  # 5
        "a = 1\n"  # 6
        "[optimizer]\nlearning_rate = 0.1\n"  # 7, 8
        "[graph]\n"  # 9
        f"{graph}"  # 10...
        f"{steps}"
    )


def test_the_valid_base_lesson_loads(tmp_path: Path) -> None:
    """The lesson the error tests start from is itself valid (so each error is the edit's)."""
    path = write(tmp_path, VALID, "small.toml")
    assert lesson_errors(path) == []
    traces = run_lesson(load_lesson(path))
    assert [t.step for t in traces] == [1, 2]


def test_name_used_before_it_is_defined(tmp_path: Path) -> None:
    """A node using a node defined further down names both lines: nodes run in order."""
    path = write(tmp_path, lesson_with('J = "u + a"\nu = "a^2"\n'))
    assert error_of(path) == (
        f"{path}:10: [graph] J: uses 'u' before it is defined (line 11);"
        " nodes are evaluated in the order written"
    )


def test_name_never_defined(tmp_path: Path) -> None:
    """A name that is no constant, parameter, input or node is reported with its node."""
    path = write(tmp_path, lesson_with('u = "a*q"\nJ = "u"\n'))
    message = error_of(path)
    assert message.startswith(f"{path}:10: [graph] u: 'q' is not defined")


def test_cycle(tmp_path: Path) -> None:
    """Two nodes that use each other: the cycle is spelled out."""
    path = write(tmp_path, lesson_with('u = "w + a"\nw = "2*u"\nJ = "w"\n'))
    assert error_of(path) == f"{path}:10: [graph] u: is part of a cycle: u → w → u"


def test_node_using_itself_is_a_cycle(tmp_path: Path) -> None:
    """u = u + a is a cycle of one node."""
    path = write(tmp_path, lesson_with('u = "u + a"\nJ = "u"\n'))
    assert error_of(path) == f"{path}:10: [graph] u: is part of a cycle: u → u"


def test_redefinition_in_the_same_table(tmp_path: Path) -> None:
    """The same key twice in one table (a TOML error) is named with its second line."""
    path = write(tmp_path, lesson_with('u = "a"\nu = "2*a"\nJ = "u"\n'))
    assert error_of(path) == f"{path}:11: 'u' is defined twice in the same table"


def test_redefinition_across_constants_and_parameters(tmp_path: Path) -> None:
    """A name that is both a constant and a parameter."""
    path = write(tmp_path, lesson_with('J = "a*y"\n').replace("a = 1\n", "a = 1\ny = 3\n"))
    assert error_of(path) == (
        f"{path}:7: [parameters] y: is defined twice: in [constants] and in [parameters]"
    )


def test_redefinition_across_parameters_and_graph(tmp_path: Path) -> None:
    """A node with the name of a parameter."""
    path = write(tmp_path, lesson_with('a = "2"\nJ = "a"\n'))
    assert (
        error_of(path) == f"{path}:10: [graph] a: is defined twice: in [parameters] and in [graph]"
    )


def test_redefinition_across_steps_and_graph(tmp_path: Path) -> None:
    """A node with the name of an input that [[steps]] feeds."""
    path = write(tmp_path, lesson_with('x = "2*a"\nJ = "x"\n'))
    assert error_of(path) == f"{path}:10: [graph] x: is defined twice: in [[steps]] and in [graph]"


@pytest.mark.parametrize("value", ['"one"', "[]", "true", "{ v = 1 }"])
def test_parameter_without_a_numeric_value(tmp_path: Path, value: str) -> None:
    """A parameter must be a number; strings, lists, booleans and tables are refused."""
    path = write(tmp_path, lesson_with('J = "a"\n').replace("a = 1\n", f"a = {value}\n"))
    message = error_of(path)
    assert message.startswith(f"{path}:6: [parameters] a: has no numeric value")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_non_finite_numbers_are_not_values(tmp_path: Path, value: str) -> None:
    """TOML allows nan and inf; a parameter, constant or input may not be one (an unused
    input would otherwise reach the JSON trace as NaN, which is not JSON)."""
    parameter = write(tmp_path, lesson_with('J = "a"\n').replace("a = 1\n", f"a = {value}\n"))
    assert error_of(parameter) == (
        f"{parameter}:6: [parameters] a: has no numeric value (got {float(value)!r}); write a = 1.5"
    )
    constant = write(tmp_path, lesson_with('J = "a*y"\n').replace("y = 1\n", f"y = {value}\n"))
    assert error_of(constant).startswith(f"{constant}:4: [constants] y: has no numeric value")
    step = write(tmp_path, lesson_with('J = "a"\n', steps=f"[[steps]]\nx = {value}\n"))
    assert error_of(step).startswith(f"{step}:12: [[steps]] step 1: x: has no numeric value")


@pytest.mark.parametrize("rate", ["nan", "inf", "0", "-0.1"])
def test_learning_rate_must_be_a_positive_finite_number(tmp_path: Path, rate: str) -> None:
    """The learning rate is refused when it is not a positive, finite number."""
    path = write(
        tmp_path, lesson_with('J = "a"\n').replace("learning_rate = 0.1", f"learning_rate = {rate}")
    )
    assert error_of(path).startswith(
        f"{path}:8: [optimizer] learning_rate must be a positive number"
    )


def test_parameter_with_no_value_at_all(tmp_path: Path) -> None:
    """`a =` with nothing after it is a TOML error, reported at its line."""
    path = write(tmp_path, lesson_with('J = "a"\n').replace("a = 1\n", "a =\n"))
    message = error_of(path)
    assert message.startswith(f"{path}:6: not valid TOML: ")


@pytest.mark.parametrize(
    ("expression", "column", "reason"),
    [
        ("a * (a + ", 10, "the expression ends too early"),
        ("a $ 2", 3, "unexpected character '$'"),
        ("a + b)", 6, "unmatched ')'"),
        ("2a", 2, "expected an operator before 'a'"),
    ],
)
def test_syntax_error_with_column(
    tmp_path: Path, expression: str, column: int, reason: str
) -> None:
    """A malformed expression names its node, quotes it, and gives the column."""
    path = write(tmp_path, lesson_with(f'J = "{expression}"\n'))
    assert error_of(path) == (
        f'{path}:10: [graph] J = "{expression}": syntax error at column {column}: {reason}'
    )


def test_steps_assign_a_parameter(tmp_path: Path) -> None:
    """A step may not set a parameter: SGD owns it. The line of the assignment is named."""
    steps = "[[steps]]\nx = 1\n[[steps]]\nx = 2\na = 3\n"
    path = write(tmp_path, lesson_with('J = "a*x"\n', steps=steps))
    assert error_of(path) == (
        f"{path}:15: [[steps]] step 2: a: assigns the parameter 'a'; parameters start in"
        " [parameters] and SGD updates them"
    )


def test_steps_assign_a_constant(tmp_path: Path) -> None:
    """A step may not set a constant either."""
    steps = "[[steps]]\nx = 1\ny = 2\n"
    path = write(tmp_path, lesson_with('J = "a*x*y"\n', steps=steps))
    assert error_of(path) == (
        f"{path}:13: [[steps]] step 1: y: assigns the constant 'y'; a step may only feed inputs"
    )


def test_step_missing_an_input(tmp_path: Path) -> None:
    """Every step feeds the same inputs; the step that misses one is named, at its header."""
    steps = "[[steps]]\nx = 1\n[[steps]]\n\n[[steps]]\nx = 2\n"
    path = write(tmp_path, lesson_with('J = "a*x"\n', steps=steps))
    assert error_of(path) == (
        f"{path}:13: [[steps]] step 2: does not assign the input 'x'"
        " (every step must feed the same inputs)"
    )


def test_unknown_function(tmp_path: Path) -> None:
    """A function the engine does not have is named, with the ones it has."""
    path = write(tmp_path, lesson_with('J = "a + sin(a)"\n'))
    assert error_of(path) == (
        f'{path}:10: [graph] J = "a + sin(a)": syntax error at column 5:'
        " unknown function 'sin' (known: exp, log, sqrt, tanh, sigmoid, relu, abs, max, min)"
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    """A misspelt key is reported with the keys a lesson may have."""
    path = write(tmp_path, lesson_with('J = "a"\n', head='colour = "red"\n'))
    message = error_of(path)
    assert message.startswith(f"{path}:3: unknown key 'colour' (a lesson has: ")


def test_unknown_table(tmp_path: Path) -> None:
    """An unknown table is reported at its header."""
    path = write(tmp_path, lesson_with('J = "a"\n') + "[extras]\nq = 1\n")
    assert error_of(path).startswith(f"{path}:13: unknown key 'extras'")


def test_unknown_optimizer_key(tmp_path: Path) -> None:
    """Inside a table, an unknown key names the table."""
    path = write(
        tmp_path, lesson_with('J = "a"\n').replace("learning_rate", "momentum = 0.9\nlearning_rate")
    )
    assert (
        error_of(path) == f"{path}:8: [optimizer] unknown key 'momentum' (expected learning_rate)"
    )


# ---------------------------------------------------------------- evaluation errors


def test_division_by_zero(tmp_path: Path) -> None:
    """Evaluation errors name the step and the node, with its expression."""
    steps = "[[steps]]\nx = 2\n[[steps]]\nx = 1\n"
    path = write(tmp_path, lesson_with('u = "y - x"\nJ = "a/u"\n', steps=steps))
    assert error_of(path) == f'{path}: step 2, node J = "a/u": division by zero'


def test_log_of_a_non_positive_number(tmp_path: Path) -> None:
    """log of a negative number names the value it got."""
    path = write(tmp_path, lesson_with('J = "log(a - x)"\n', steps="[[steps]]\nx = 3\n"))
    assert error_of(path) == (
        f'{path}: step 1, node J = "log(a - x)": log of a non-positive number (-2)'
    )


def test_log_of_zero(tmp_path: Path) -> None:
    """log(0) is refused too, not turned into −inf."""
    path = write(tmp_path, lesson_with('J = "log(a - y)"\n'))
    assert "log of a non-positive number (0)" in error_of(path)


@pytest.mark.parametrize(
    ("graph", "x"),
    [
        ('J = "exp(a*x)"\n', "1000"),
        ('J = "(a*x)^300"\n', "1e10"),
        ('u = "a*x"\nJ = "u*u*u"\n', "1e200"),
    ],
)
def test_overflow(tmp_path: Path, graph: str, x: str) -> None:
    """A value too large for a float, by exp, by a power or by products, is an overflow."""
    path = write(tmp_path, lesson_with(graph, steps=f"[[steps]]\nx = {x}\n"))
    message = error_of(path)
    assert re.fullmatch(rf'{re.escape(str(path))}: step 1, node J = "[^"]+": overflow: .+', message)


def test_not_a_number(tmp_path: Path) -> None:
    """inf − inf inside one node is reported as NaN, naming node and step."""
    path = write(tmp_path, lesson_with('J = "a*x*x - x*x"\n', steps="[[steps]]\nx = 1e200\n"))
    assert error_of(path) == f'{path}: step 1, node J = "a*x*x - x*x": not a number'


def test_gradient_overflow(tmp_path: Path) -> None:
    """Finite values and finite local derivatives whose product along a path overflows:
    the node whose gradient overflows is named (never an inf in the trace or its JSON)."""
    graph = 'u = "x*1e300*a"\nJ = "u*1e300"\n'
    path = write(tmp_path, lesson_with(graph, steps="[[steps]]\nx = 1e-300\n"))
    assert error_of(path) == (
        f"{path}: step 1, node x: ∂J/∂x overflows: the gradient is too large for a float"
    )


def test_error_in_a_later_step_names_that_step(tmp_path: Path) -> None:
    """Parameters change after step 1; the error at step 3 says step 3."""
    steps = "[[steps]]\nx = 1\n[[steps]]\nx = 2\n[[steps]]\nx = -1\n"
    path = write(tmp_path, lesson_with('J = "sqrt(x)"\n', steps=steps))
    assert error_of(path) == (
        f'{path}: step 3, node J = "sqrt(x)": square root of a negative number (-1)'
    )


# ---------------------------------------------------------------- finding lessons


def test_unknown_lesson_name() -> None:
    """An unknown name lists the built-in lessons."""
    with pytest.raises(LessonError) as caught:
        load_lesson("no-such-lesson")
    message = str(caught.value)
    assert message.startswith("no lesson named 'no-such-lesson' (built-in lessons: ")
    assert "branch-merge" in message


def test_missing_file(tmp_path: Path) -> None:
    """A path to a file that does not exist says so."""
    missing = tmp_path / "missing.toml"
    with pytest.raises(LessonError) as caught:
        load_lesson(missing)
    assert str(caught.value) == f"{missing}: no such lesson file"


def test_folder_is_not_a_lesson(tmp_path: Path) -> None:
    """A folder given as a lesson path is named as a folder."""
    with pytest.raises(LessonError) as caught:
        load_lesson(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a folder, not a lesson file"


def test_not_utf8(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are one error, not a UnicodeDecodeError."""
    path = tmp_path / "latin1.toml"
    path.write_bytes(lesson_with('J = "a"\n').replace("T", "\xe9").encode("latin-1"))
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    assert str(caught.value) == f"{path}: the file is not UTF-8 text"


# ---------------------------------------------------------------- collecting every error


def test_lesson_errors_collects_several(tmp_path: Path) -> None:
    """lesson_errors reports every independent problem, each once, each with its line."""
    text = lesson_with('u = "q + 1"\nv = "sin(a)"\nJ = "u + v"\n').replace("a = 1\n", 'a = "one"\n')
    path = write(tmp_path, text)
    messages = sorted(str(error) for error in lesson_errors(path))
    assert messages == sorted(
        [
            f"{path}:6: [parameters] a: has no numeric value (got 'one'); write a = 1.5",
            f"{path}:10: [graph] u: 'q' is not defined (it is not a constant, a parameter,"
            " an input fed by [[steps]], or a node)",
            f'{path}:11: [graph] v = "sin(a)": syntax error at column 1: unknown function'
            " 'sin' (known: exp, log, sqrt, tanh, sigmoid, relu, abs, max, min)",
        ]
    )


def test_broken_objective_node_is_not_also_missing(tmp_path: Path) -> None:
    """When the objective's expression has a syntax error, that is the one error: the
    objective is not also reported as 'not a node of [graph]'."""
    path = write(tmp_path, lesson_with('u = "a"\nJ = "u +"\n'))
    messages = [str(error) for error in lesson_errors(path)]
    assert messages == [
        f'{path}:11: [graph] J = "u +": syntax error at column 4: the expression ends too early'
    ]


def test_lesson_errors_of_a_valid_lesson_and_of_a_missing_one(tmp_path: Path) -> None:
    """A valid lesson has no errors; a missing one has exactly the loading error."""
    assert lesson_errors("branch-merge") == []
    (error,) = lesson_errors(tmp_path / "gone.toml")
    assert str(error) == f"{tmp_path / 'gone.toml'}: no such lesson file"


def test_lesson_errors_of_broken_toml(tmp_path: Path) -> None:
    """Broken TOML is one error at its line (nothing else can be checked)."""
    path = write(tmp_path, 'title = "T"\n[parameters\na = 1\n')
    (error,) = lesson_errors(path)
    assert str(error).startswith(f"{path}:2: not valid TOML: ")
