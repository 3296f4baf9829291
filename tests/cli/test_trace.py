"""`backprop-tutor trace`: the worked example as tables at 80 columns, as JSON, and errors."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from rich.cells import cell_len

from backprop_tutor.cli import main
from backprop_tutor.engine import StepTrace, builtin_lesson_paths, load_lesson, run_lesson

if TYPE_CHECKING:
    import subprocess

    from conftest import CliResult, RunMain, RunProcess

PLAIN_80 = {"COLUMNS": "80", "NO_COLOR": "1"}


def trace_in_process(*args: str) -> str:
    """`backprop-tutor trace ARGS` at 80 columns in this process; what it printed.

    The module's fixtures run it once for many tests, so it cannot use `capsys`.
    """
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name, value in PLAIN_80.items():
            patch.setenv(name, value)
        patch.delenv("FORCE_COLOR", raising=False)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["trace", *args])
    assert (code, err.getvalue()) == (0, "")
    return out.getvalue()


@pytest.fixture(scope="module")
def tables() -> str:
    """The default trace (branch-merge) as printed at 80 columns."""
    return trace_in_process()


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """The default trace as JSON."""
    data: dict[str, Any] = json.loads(trace_in_process("--json"), parse_constant=_no_constants)
    return data


def _no_constants(name: str) -> float:
    raise AssertionError(f"the JSON holds {name}, which is not JSON")


# ---------------------------------------------------------------- tables


def test_tables_fit_80_columns(tables: str) -> None:
    """No line is wider than 80 terminal cells (Greek letters and ∂ count one cell each)."""
    widths = {line: cell_len(line) for line in tables.splitlines()}
    too_wide = [line for line, width in widths.items() if width > 80]
    assert too_wide == []
    assert max(widths.values()) > 40  # tables were printed, not an empty screen


@pytest.mark.parametrize(
    "number",
    [
        # step 1: values, δ and the gradients, the update
        # (six significant figures, as every number is written)
        "0.142857", "0.734694", "0.834694", "0.0349854", "0.239942", "0.174927",
        "0.449854", "0.955015", "−0.0174927", "0.976006", "−0.00349854",
        # step 2
        "−0.0206926", "1.02113", "0.00044647", "0.093232", "0.0936785", "−0.0440644",
        "0.0975871", "−0.0425598", "0.0955015", "0.945464", "−0.0132367", "0.966247",
        "0.000907899",
    ],
)  # fmt: skip
def test_tables_show_every_worked_example_number(tables: str, number: str) -> None:
    """Each number of the seed walkthrough appears, at 6 decimals, unbroken by wrapping."""
    assert number in tables


def test_tables_show_both_steps_formulas_greek_and_paths(tables: str) -> None:
    """Steps, formulas, Greek names, the named gradient δ and the three paths to a."""
    assert "Step 1 of 2" in tables and "Step 2 of 2" in tables
    for text in ("2·u", "−1/(1 + v)²", "λ/2·(a² + c²)", "c·h + u + d", "λ·a"):
        assert text in tables
    assert "lambda" not in tables
    assert "δ" in tables
    for path in ("J→L→p→v→u→a", "J→L→p→v→h→u→a", "J→R→a", "J→R→c"):
        assert path in tables
    # ∂J/∂u is shown as the sum of what arrives through h and through v.
    assert "via h: 0.139942 + via v: 0.034985" in tables


def test_tables_at_80_columns_through_main(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In-process, `main(["trace"])` prints the same tables and returns 0."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["trace", "--lesson", "branch-merge"]) == 0
    out = capsys.readouterr().out
    assert "0.449854" in out
    assert max(cell_len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("lesson", sorted(builtin_lesson_paths()))
def test_every_builtin_lesson_fits_80_columns(
    lesson: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tables of every built-in lesson read at 80 columns too."""
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["trace", "--lesson", lesson]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if cell_len(line) > 80] == []


def test_the_real_command_prints_the_same_tables(tables: str, run_process: RunProcess) -> None:
    """`python -m backprop_tutor trace` in a pipe at 80 columns: exit 0, the same tables."""
    result = run_process("trace", env=PLAIN_80)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == tables


# ---------------------------------------------------------------- JSON


STEP_KEYS = {"step", "inputs", "params_before", "values", "grads", "edges", "params_after"}
EDGE_KEYS = {"from", "to", "local", "formula", "contribution"}


def test_json_shape(document: dict[str, Any]) -> None:
    """Exactly the documented shape: lesson, objective, steps with their maps and edges."""
    assert document["lesson"] == "branch-merge"
    assert document["objective"] == "J"
    assert len(document["steps"]) == 2
    nodes = {"x", "y", "lambda", "a", "b", "c", "d", "u", "h", "v", "p", "L", "R", "J"}
    for number, step in enumerate(document["steps"], start=1):
        assert set(step) >= STEP_KEYS
        assert step["step"] == number
        assert set(step["values"]) == nodes
        assert set(step["grads"]) == nodes
        assert set(step["params_before"]) == set(step["params_after"]) == set("abcd")
        assert len(step["edges"]) == 16
        for edge in step["edges"]:
            assert set(edge) >= EDGE_KEYS
            assert isinstance(edge["formula"], str)
            for key in ("local", "contribution"):
                assert isinstance(edge[key], float)
    assert document["steps"][0]["inputs"] == {"x": 2.0}
    assert document["steps"][1]["inputs"] == {"x": 0.0}


def test_json_is_full_precision(
    document: dict[str, Any], worked_traces: tuple[StepTrace, ...]
) -> None:
    """Every number is the engine's float exactly (repr precision, not 6 decimals)."""
    for step, trace in zip(document["steps"], worked_traces, strict=True):
        assert step["values"] == dict(trace.values)
        assert step["grads"] == dict(trace.grads)
        assert step["params_before"] == dict(trace.params_before)
        assert step["params_after"] == dict(trace.params_after)
        edges = [(e.operand, e.node, e.local, e.contribution) for e in trace.edges]
        assert [(e["from"], e["to"], e["local"], e["contribution"]) for e in step["edges"]] == edges


def test_json_matches_the_issue_example(document: dict[str, Any]) -> None:
    """The numbers of the example in the issue, to the last digit or two of a double."""
    first = document["steps"][0]
    assert first["params_before"] == {"a": 1.0, "b": 0.0, "c": 1.0, "d": 0.0}
    assert first["values"]["u"] == 2.0
    assert first["values"]["h"] == 4.0
    expected = {
        ("values", "J"): 0.8346938775510203,
        ("grads", "a"): 0.4498542274052478,
        ("grads", "u"): 0.17492711370262393,
        ("params_after", "a"): 0.9550145772594752,
    }
    for (table, name), value in expected.items():
        assert first[table][name] == pytest.approx(value, rel=1e-15), (table, name)
    (edge,) = [e for e in first["edges"] if (e["from"], e["to"]) == ("u", "h")]
    assert edge["local"] == 4.0
    assert edge["formula"] == "2·u"
    assert edge["contribution"] == pytest.approx(0.13994169096209913, rel=1e-15)


def test_json_for_every_builtin_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    """Every built-in lesson traces to valid JSON with one entry per step."""
    for name in builtin_lesson_paths():
        assert main(["trace", "--lesson", name, "--json"]) == 0
        data = json.loads(capsys.readouterr().out, parse_constant=_no_constants)
        assert data["lesson"] == name
        assert len(data["steps"]) == len(load_lesson(name).steps)


def test_lesson_by_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--lesson accepts a file path; the lesson's name is the file's stem."""
    path = tmp_path / "mine.toml"
    path.write_text(
        'title = "Mine"\nobjective = "J"\n[parameters]\nw = 3\n[optimizer]\n'
        'learning_rate = 0.5\n[graph]\nJ = "w^2"\n',
        encoding="utf-8",
    )
    assert main(["trace", "--lesson", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lesson"] == "mine"
    (step,) = data["steps"]
    assert step["grads"]["w"] == 6.0
    assert step["params_after"] == {"w": 0.0}
    assert step["inputs"] == {}
    assert run_lesson(load_lesson(path))[0].params_after == {"w": 0.0}


# ---------------------------------------------------------------- errors


def assert_one_line_error(
    result: CliResult | subprocess.CompletedProcess[str], *fragments: str
) -> None:
    """Exit code 2, nothing on stdout, exactly one line on stderr, no traceback."""
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_error_unknown_lesson_name(run_main: RunMain) -> None:
    """An unknown lesson name is one line listing the built-in lessons."""
    result = run_main("trace", "--lesson", "no-such-lesson")
    assert_one_line_error(result, "no lesson named 'no-such-lesson'", "branch-merge")


def test_error_missing_lesson_file(run_main: RunMain, tmp_path: Path) -> None:
    """A path to a missing file is one line naming it."""
    missing = tmp_path / "gone.toml"
    assert_one_line_error(run_main("trace", "--lesson", str(missing)), str(missing))


def test_error_broken_lesson_file(run_main: RunMain, tmp_path: Path) -> None:
    """A lesson with a syntax error is one line naming file, line, node and column."""
    path = tmp_path / "broken.toml"
    path.write_text(
        'title = "B"\nobjective = "J"\n[parameters]\nw = 1\n[optimizer]\n'
        'learning_rate = 0.1\n[graph]\nJ = "w * (w + "\n',
        encoding="utf-8",
    )
    result = run_main("trace", "--lesson", str(path), "--json")
    assert_one_line_error(result, f"{path}:8:", "[graph] J", "column 10")


def test_error_broken_toml(run_main: RunMain, tmp_path: Path) -> None:
    """Invalid TOML is one line too."""
    path = tmp_path / "bad.toml"
    path.write_text('title = "B"\n[graph\n', encoding="utf-8")
    assert_one_line_error(run_main("trace", "--lesson", str(path)), f"{path}:2:", "TOML")


def test_error_during_evaluation(run_main: RunMain, tmp_path: Path) -> None:
    """A lesson that fails at some step names the step and node, in one line."""
    path = tmp_path / "log.toml"
    path.write_text(
        'title = "L"\nobjective = "J"\n[parameters]\nw = 1\n[optimizer]\n'
        'learning_rate = 0.1\n[graph]\nJ = "log(w - x)"\n[[steps]]\nx = 5\n',
        encoding="utf-8",
    )
    assert_one_line_error(run_main("trace", "--lesson", str(path)), "step 1", "node J")


def test_error_unknown_option(run_main: RunMain) -> None:
    """An unknown option is a one-line usage error with exit code 2."""
    assert_one_line_error(run_main("trace", "--bogus"), "unrecognized arguments: --bogus")


def test_error_option_missing_its_value(run_main: RunMain) -> None:
    """--lesson without a value is a one-line usage error too."""
    assert_one_line_error(run_main("trace", "--lesson"), "--lesson")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (("trace", "--lesson", "no-such-lesson"), "no lesson named 'no-such-lesson'"),
        (("trace", "--bogus"), "unrecognized arguments: --bogus"),
    ],
    ids=["lesson-error", "usage-error"],
)
def test_errors_from_the_real_command(
    run_process: RunProcess, argv: tuple[str, ...], fragment: str
) -> None:
    """As a process, both kinds of error exit with status 2 and one line, no traceback."""
    assert_one_line_error(run_process(*argv, env=PLAIN_80), fragment)


def test_errors_through_main(capsys: pytest.CaptureFixture[str]) -> None:
    """In-process, a lesson error is returned as 2 with one line on stderr."""
    assert main(["trace", "--lesson", "no-such-lesson"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("backprop-tutor: no lesson named")
