"""Generated lesson files, valid and nearly valid: each loads, or gets file:line errors.

Hypothesis writes lessons from the format's grammar (parameters, constants, inputs, a
graph of expressions over the names defined so far, steps), then often breaks one thing
the way a person editing by hand would, or puts an extreme in: a line dropped, doubled
or swapped, a character replaced, an operator doubled, a name misspelt, a number past a
float or past Python's digit limit, brackets a hundred deep, a thousand-term sum, control
characters, markup, a BOM. Whatever comes out, `check-lesson` ends with exit 0, or exit
2 and error lines that each name the file; a lesson that loads also traces, quizzes and
draws a study exercise, or refuses with one line. Never a traceback, never a hang.
`BACKPROP_TUTOR_FUZZ_EXAMPLES` sets how many files (default 150).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.conftest import RunMain

EXAMPLES = int(os.environ.get("BACKPROP_TUTOR_FUZZ_EXAMPLES", "150"))

_PARAMS = ["w", "b", "a1", "theta"]
_INPUTS = ["x", "y2"]
_CONSTANTS = ["lambda", "k"]
_NUMBERS = st.one_of(
    st.integers(min_value=-5, max_value=9).map(str),
    st.sampled_from(["0.5", "1e-3", "2.5", "0", "1e2"]),
)
_EXTREME_NUMBERS = st.sampled_from(
    ["1e309", "1" + "0" * 400, "9" * 5000, "nan", "inf", "-0.0", "1e-400", "0x10", "1_000"]
)
_UNARY = ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs"]


def _expression(names: list[str]) -> st.SearchStrategy[str]:
    leaves = st.one_of(st.sampled_from(names), _NUMBERS)

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", "**"]), inner).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"
        )
        call = st.tuples(st.sampled_from(_UNARY), inner).map(lambda t: f"{t[0]}({t[1]})")
        pair = st.tuples(st.sampled_from(["max", "min"]), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"
        )
        return st.one_of(binary, call, pair, inner.map(lambda e: f"-{e}"))

    return st.recursive(leaves, grow, max_leaves=6)


@st.composite
def lesson_text(draw: st.DrawFn) -> str:
    """A lesson file in the format's grammar, every name defined before it is used."""
    params = draw(st.lists(st.sampled_from(_PARAMS), min_size=1, max_size=3, unique=True))
    inputs = draw(st.lists(st.sampled_from(_INPUTS), max_size=2, unique=True))
    constants = draw(st.lists(st.sampled_from(_CONSTANTS), max_size=1, unique=True))
    names = [*params, *inputs, *constants]
    title = draw(st.text(st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=12))
    lines = [f'title = "{title}"', 'objective = "J"']
    if constants:
        lines.append("[constants]")
        lines += [f"{c} = {draw(_NUMBERS)}" for c in constants]
    lines.append("[parameters]")
    lines += [f"{p} = {draw(_NUMBERS)}" for p in params]
    lines += ["[optimizer]", f"learning_rate = {draw(st.sampled_from(['0.1', '0.01', '1']))}"]
    lines.append("[graph]")
    for index in range(draw(st.integers(min_value=0, max_value=3))):
        node = f"n{index}"
        lines.append(f'{node} = "{draw(_expression(names))}"')
        names.append(node)
    # The objective reaches a parameter, or there is nothing to practise (quiz says so).
    lines.append(f'J = "{draw(_expression(names))} + {draw(st.sampled_from(params))}^2"')
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        lines.append("[[steps]]")
        lines += [f"{name} = {draw(_NUMBERS)}" for name in inputs]
    return "\n".join(lines) + "\n"


@st.composite
def near_lesson_text(draw: st.DrawFn) -> str:
    """A valid lesson, or one with a person's slip or an extreme put in."""
    lines = draw(lesson_text()).splitlines()
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 2]))):
        if not lines:  # an earlier slip cut the whole file: an empty file is case enough
            break
        where = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        slip = draw(st.integers(min_value=0, max_value=11))
        line = lines[where]
        if slip == 0:
            del lines[where]
        elif slip == 1:
            lines.insert(where, line)
        elif slip == 2:
            other = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[where], lines[other] = lines[other], line
        elif slip == 3 and line:
            at = draw(st.integers(min_value=0, max_value=len(line) - 1))
            lines[where] = line[:at] + draw(st.characters()) + line[at + 1 :]
        elif slip == 4:
            lines[where] = line.replace("*", "**", 1).replace("+", "++", 1)
        elif slip == 5 and "=" in line:
            key, _, _ = line.partition("=")
            lines[where] = f"{key}= {draw(_EXTREME_NUMBERS)}"
        elif slip == 6 and '"' in line:
            lines[where] = line.replace('"', '"' + "(" * 100, 1).replace('"', ")" * 100 + '"', 2)
        elif slip == 7 and line.startswith("J ="):
            lines[where] = 'J = "' + "+".join(["w"] * 1000) + '"'
        elif slip == 8:
            lines[where] = line + draw(st.sampled_from(["\x1b[2J", "[/]", "\x00", "\u202e"]))
        elif slip == 9:
            lines.insert(where, draw(st.sampled_from(["[unknown]", "oops = 1", "[[steps]]"])))
        elif slip == 10:
            lines[where] = line.replace("w", "ww", 1).replace("x", "xx", 1)
        else:
            lines = lines[:where]
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()) and draw(st.booleans()):
        text = "\ufeff" + text
    return text


def _one_line_each(stderr: str, path: Path) -> None:
    assert "Traceback" not in stderr
    for line in stderr.splitlines():
        assert str(path) in line, stderr
        assert len(line) < 400, line


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=near_lesson_text())
def test_a_generated_lesson_loads_or_names_the_file_and_line(
    run_main: RunMain, tmp_path: Path, text: str
) -> None:
    """check-lesson: exit 0, or 2 with each error line naming the file; never a traceback."""
    path = tmp_path / "generated.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    home = {"BACKPROP_TUTOR_HOME": str(tmp_path / "data")}
    checked = run_main("check-lesson", str(path), env=home)
    assert checked.returncode in (0, 2), checked.stderr
    event(f"check-lesson exit {checked.returncode}")
    if checked.returncode == 2:
        _one_line_each(checked.stderr, path)
        assert checked.stderr.strip(), "exit 2 says why"
        return
    # A lesson check-lesson calls valid works in every other command too.
    for argv in (("trace", "--lesson"), ("--plain", "--lesson"), ("quiz", "--plain", "--lesson")):
        result = run_main(*argv, str(path), stdin="1\n?\n!\nq\n", env=home)
        assert result.returncode in (0, 2), (argv, result.stderr)
        assert "Traceback" not in result.stderr + result.stdout
        event(f"{argv[0]} exit {result.returncode}")
        if result.returncode == 2:
            assert result.stderr.count("\n") == 1, (argv, result.stderr)
            assert len(result.stderr) < 400
