"""`backprop-tutor check-lesson PATH`: a graph summary, or every error, one per line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import builtin_lesson_paths

GOOD = """\
title = "Two uses of w"
objective = "J"

[constants]
lambda = 0.5

[parameters]
w = 1
k = 2

[optimizer]
learning_rate = 0.1

[graph]
h = "w*x"
z = "w*h"
J = "(z - 1)^2 + lambda*w^2"

[[steps]]
x = 2

[[steps]]
x = 1
"""

# One file with many problems: check-lesson must report them all, in line order.
MANY = """\
title = "Broken"
objective = "J"
colour = "blue"

[constants]
k = 2

[parameters]
w = 1
k = 3
v = "one"
u = 1

[optimizer]
learning_rate = 0.1

[graph]
A = "B + 1"
B = "A*w"
C = "D"
D = "foo(w)"
E = "w*q"
F = "(w + 1"
J = "C + A + E + u"

[[steps]]
x = 1
u = 2

[[steps]]

[[text.notes]]
step = 7
text = "no such step"
"""

MANY_ERRORS = [
    "many.toml:3: unknown key 'colour'",
    "many.toml:10: [parameters] k: is defined twice: in [constants] and in [parameters]",
    "many.toml:11: [parameters] v: has no numeric value (got 'one')",
    "many.toml:18: [graph] A: is part of a cycle: A → B → A",
    "many.toml:20: [graph] C: uses 'D' before it is defined (line 21)",
    "many.toml:21: [graph] D = \"foo(w)\": syntax error at column 1: unknown function 'foo'",
    "many.toml:22: [graph] E: 'q' is not defined",
    "many.toml:23: [graph] F = \"(w + 1\": syntax error at column 7: expected ')'",
    "many.toml:28: [[steps]] step 1: u: assigns the parameter 'u'",
    "many.toml:30: [[steps]] step 2: does not assign the input 'x'",
    "many.toml:33: [[text.notes]] note 1: step must be a step number from 1 to 2",
]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the command line; return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A lesson file in the test's folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_lesson_summary(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A valid file: nodes by kind, edge count, paths to each parameter, J per step."""
    path = write(tmp_path, "mine.toml", GOOD)
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"{path}: a valid lesson, 'Two uses of w'"
    assert lines[1] == "nodes: 7"
    assert lines[2].split() == ["input:", "x"]
    assert lines[3].split() == ["constant:", "λ"]  # shown the way the tutor shows it
    assert lines[4].split() == ["parameter:", "w,", "k"]
    assert lines[5].split() == ["intermediate:", "h,", "z"]
    assert lines[6].split() == ["objective:", "J"]
    assert lines[7] == "edges: 7"  # w→h, x→h, w→z, h→z, z→J, λ→J, w→J
    assert lines[8] == "paths from J to each parameter:"
    assert lines[9].split() == ["w", "3", "paths"]
    assert lines[10].split()[:3] == ["k", "0", "paths"]
    assert "never reaches J, so it never changes" in lines[10]
    # Step 1: z = 2, J = 1 + 0.5; ∂J/∂w = 2·1·(2wx) + 2λw = 9, so w = 0.1 and at x = 1
    # step 2 has z = 0.01, J = 0.99² + 0.5·0.01.
    assert lines[11] == "steps: 2; J = 1.5 → 0.9851"
    assert len(lines) == 12


def test_every_error_is_reported_in_line_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file with eleven problems gets eleven lines on stderr, top to bottom, and exit 2."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "many.toml", MANY)
    code, out, err = run(capsys, "check-lesson", "many.toml")
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == len(MANY_ERRORS), err
    for line, expected in zip(lines, MANY_ERRORS, strict=True):
        assert line.startswith(expected), line


def test_a_builtin_lesson_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """The worked example, by path: three paths to a, two to b and c, one to d."""
    path = builtin_lesson_paths()["branch-merge"]
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, err) == (0, "")
    counts = {
        line.split()[0]: int(line.split()[1]) for line in out.splitlines() if "path" in line[4:]
    }
    assert counts == {"a": 3, "b": 2, "c": 2, "d": 1}
    assert "steps: 2; J = 0.834694 → 0.093678" in out


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
def test_every_builtin_lesson_is_valid(capsys: pytest.CaptureFixture[str], name: str) -> None:
    """check-lesson accepts every lesson that ships."""
    code, _, err = run(capsys, "check-lesson", str(builtin_lesson_paths()[name]))
    assert (code, err) == (0, "")


def test_evaluation_error_names_step_and_node(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A lesson that loads but cannot be computed at step 2: one line naming both."""
    text = GOOD.replace('J = "(z - 1)^2 + lambda*w^2"', 'J = "log(z)"').replace(
        "x = 1\n", "x = 0\n"
    )
    path = write(tmp_path, "log0.toml", text)
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, out) == (2, "")
    assert err == f'{path}: step 2, node J = "log(z)": log of a non-positive number (0)\n'


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A path that does not exist."""
    path = tmp_path / "absent.toml"
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}: no such lesson file\n"


def test_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A folder instead of a file."""
    code, out, err = run(capsys, "check-lesson", str(tmp_path))
    assert (code, out) == (2, "")
    assert err == f"{tmp_path}: is a folder, not a lesson file\n"


def test_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Bytes that are not UTF-8 text."""
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe title")
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}: the file is not UTF-8 text\n"


def test_not_toml(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A TOML syntax error stops the reading: one line with its line number."""
    path = write(tmp_path, "syntax.toml", 'title = "t"\nobjective = \n')
    code, out, err = run(capsys, "check-lesson", str(path))
    assert (code, out) == (2, "")
    assert err == f"{path}:2: not valid TOML: invalid value\n"


def test_path_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    """Without PATH: a one-line usage error, exit 2."""
    with pytest.raises(SystemExit) as exit_info:
        main(["check-lesson"])
    assert exit_info.value.code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "backprop-tutor check-lesson: error: the following arguments are required: PATH\n"


def test_no_traceback_from_the_real_command(tmp_path: Path) -> None:
    """Run as a process: errors are plain lines on stderr, never a Python traceback."""
    write(tmp_path, "many.toml", MANY)
    done = subprocess.run(
        [sys.executable, "-m", "backprop_tutor", "check-lesson", "many.toml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == len(MANY_ERRORS)
