"""`backprop-tutor --plain`: a whole step piped in, the transcript checked line by line."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

import pytest

from backprop_tutor.cli import main
from backprop_tutor.engine import builtin_lesson_paths, load_lesson
from backprop_tutor.plain.quiz import run_plain

if TYPE_CHECKING:
    from conftest import RunMain, RunProcess

# The worked example's first two moves at step 1, answered right: the paths to each
# parameter, then (after the forward values) the local derivatives at u and the formulas.
PATHS = [
    ("paths from J to a", "J L p v u a; J L p v h u a; J R a"),
    ("paths from J to b", "J L p v u b; J L p v h u b"),
    ("paths from J to c", "J L p v c; J R c"),
    ("paths from J to d", "J L p v d"),
]
TYPED_PATHS = "".join(f"{answer}\n" for _, answer in PATHS)
FORMULAS = [
    ("∂h/∂u", "4"),
    ("∂v/∂u through the direct term", "1"),
    ("δ = ∂J/∂v, as a formula", "2*(p - y)*(-1/(1 + v)^2)"),
    ("∂J/∂d, as a formula", "delta"),
    ("∂J/∂c, as a formula", "delta*h + lambda*c"),
    ("∂J/∂b, as a formula", "delta*(2*c*u + 1)"),
    ("∂J/∂a, as a formula", "delta*(2*c*u + 1)*x + lambda*a"),
]
# Step 1 of the worked example, typed as a learner might: hints, slips, a reveal.
STEP_ONE = [
    *PATHS,
    ("u", "?"),
    ("u", "2"),
    ("h", "5"),
    ("h", "4"),
    ("v", "6"),
    ("p", "0.1429"),
    ("L", "0.73462"),
    ("R", "!"),
    ("J", "0.83"),
    ("J", "0.8347"),
    *FORMULAS,
    ("∂J/∂R", "1"),
    ("∂J/∂L", "1"),
    ("∂J/∂p", "-12/7"),
    ("δ = ∂J/∂v", "0.034985"),
    ("∂J/∂h", "abc"),
    ("∂J/∂h", "0.034985"),
    ("∂J/∂u", "0.069971"),
    ("∂J/∂u", "0.174927"),
    ("∂J/∂d", "0.034985"),
    ("∂J/∂c", "0.239942"),
    ("∂J/∂b", "0.174927"),
    ("∂J/∂a", "0.349854"),
    ("∂J/∂a", "0.449854"),
    ("new a", "0.955015"),
    ("new b", "−0.017493"),
    ("new c", "0.976006"),
    ("new d", "-0.003499"),
]


def test_a_whole_step_piped_in(run_process: RunProcess) -> None:
    """Through a real pipe: every prompt in order, the panel's feedback, the summary."""
    typed = "".join(f"{answer}\n" for _, answer in STEP_ONE)
    result = run_process("--plain", stdin=typed)
    assert result.returncode == 0
    assert result.stderr == ""
    out = result.stdout
    assert "\x1b" not in out  # no colour codes or cursor moves in a pipe
    lines = out.splitlines()

    # One prompt per answer, each naming the quantity, the answer echoed after it.
    prompts = [line for line in lines if " = ? " in line]
    assert prompts[: len(STEP_ONE)] == [f"{label} = ? {answer}" for label, answer in STEP_ONE]

    expected_in_order = [
        "Branch and merge: the quiz, one quantity at a time.",
        "Step 1 of 2: x = 2; parameters a = 1, b = 0, c = 1, d = 0.",
        "Mapping the paths",
        "  Correct: all 3 paths from J to a.",
        "  Correct: the path from J to d.",
        "Forward pass",
        "  Hint 1: Forward pass: put the current values of a, x and b into u's expression.",
        "  Correct: u = 2.",
        "  Not right yet. Check your working and try again, or ask for a hint.",
        "  Correct: h = 4.",
        "  Correct to the digits you typed; in full, p = 0.142857.",
        "  Right given your rounding of p; carry more digits of p for L in full.",
        "  Shown: R = 0.1. Counted as revealed.",
        "  Right as far as it goes; give at least 3 significant figures.",
        "  Correct to the digits you typed; in full, J = 0.834694.",
        "Backward pass",
        "  Correct: ∂h/∂u = 4.",
        "  Correct: that is δ.",
        "  Correct: that is ∂J/∂a.",
        "  Correct: ∂J/∂p = −1.71429.",
        "  Correct: δ = ∂J/∂v = 0.0349854.",
        # A wrong answer is named, and its right value is not given.
        "  A factor is missing: the local derivative ∂h/∂u = 2·u was left out of the chain.",
        "  That leaves out the path J→R→a; ∂J/∂a adds up all 3 paths from J to a.",
        "Update (η = 0.1)",
        "  Correct: new d = −0.00349854.",
        "Step 1 of 2 is done.",
        "With the updated parameters and the same input, J goes from 0.834694 to 0.804518.",
        "The update moved a 1 → 0.955015, b 0 → −0.0174927, c 1 → 0.976006 and d 0 → −0.00349854.",
        "Next: step 2, with x = 0.",
        "Step 2 of 2: x = 0; parameters a = 0.955015, b = −0.0174927, c = 0.976006, "
        "d = −0.00349854.",
        "End of input.",
        "Summary",
        "Solved 31 of 53 (27 at the first try, 1 right for your own earlier numbers, "
        "0 worked through in parts).",
    ]
    position = 0
    for expected in expected_in_order:
        assert expected in lines[position:], f"missing, or out of order: {expected!r}"
        position = lines.index(expected, position) + 1
    assert any(line.startswith("  Names such as 'abc'") for line in lines)
    assert "Mistakes recognised: factor left out ×1, path left out ×1." in lines
    # Step notes come after their stage, never before the answers they quote.
    note = next(i for i, line in enumerate(lines) if line.startswith("Note: Keep p as a fraction"))
    assert note > lines.index("  Correct to the digits you typed; in full, J = 0.834694.")


def test_empty_input_still_ends_with_a_summary(run_main: RunMain) -> None:
    """Nothing on stdin: the first prompt, end of input, the summary, exit 0."""
    result = run_main("--plain", stdin="")
    out = result.stdout
    assert result.returncode == 0
    assert "paths from J to a = ? \nEnd of input." in out
    assert "Solved 0 of 53" in out


def test_q_stops_with_the_summary(run_main: RunMain) -> None:
    """q ends the session early, with the summary."""
    result = run_main("--plain", stdin=f"{PATHS[0][1]}\nq\nJ L p v u b; J L p v h u b\n")
    out = result.stdout
    assert result.returncode == 0
    assert "Stopped." in out and "Solved 1 of 53" in out
    assert "Correct: both paths from J to b." not in out


def test_lesson_by_path_and_another_lesson(run_main: RunMain) -> None:
    """--lesson takes a file path or another built-in lesson name."""
    path = str(builtin_lesson_paths()["branch-merge"])
    assert "Branch and merge" in run_main("--plain", "--lesson", path).stdout
    other = next(name for name in builtin_lesson_paths() if name != "branch-merge")
    result = run_main("--plain", "--lesson", other)
    assert result.returncode == 0
    assert load_lesson(other).title in result.stdout


def test_a_bad_lesson_is_one_line_and_exit_2(run_main: RunMain) -> None:
    """An unknown lesson: one line on stderr naming it, exit code 2, nothing on stdout."""
    result = run_main("--plain", "--lesson", "no-such-lesson")
    assert result.returncode == 2
    assert result.stdout == ""
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1
    assert err.startswith("backprop-tutor:") and "no-such-lesson" in err


def test_an_ascii_only_pipe_does_not_end_the_session(
    run_main: RunMain, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where ∂ and δ cannot be encoded they are replaced; the session still runs to the end."""
    typed = TYPED_PATHS + "2\n4\n"
    in_utf8 = run_main("--plain", stdin=typed).stdout
    # What sys.stdout is in a process started with PYTHONIOENCODING=ascii: strict ASCII.
    pipe = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(pipe, "ascii", write_through=True))
    monkeypatch.setattr(sys, "stdin", io.StringIO(typed))
    assert main(["--plain"]) == 0
    assert b"Correct: h = 4." in pipe.getvalue()
    assert b"Solved 6 of 53" in pipe.getvalue()
    # The same transcript, each character ASCII lacks written as "?".
    assert pipe.getvalue() == in_utf8.encode("ascii", errors="replace") != in_utf8.encode()


def test_run_plain_on_streams_in_process() -> None:
    """The front end takes any text streams, so it can be driven without a subprocess."""
    out = io.StringIO()
    code = run_plain(load_lesson("branch-merge"), io.StringIO(TYPED_PATHS + "2\n?\n?\n?\n!\n"), out)
    text = out.getvalue()
    assert code == 0
    assert "h = ? ?\n  Hint 1: " in text
    assert "  Hint 2: h = 2²" in text
    assert "  Hint 3 (that is the last hint): With your numbers, the two sides come to 2 " in text
    assert "  Shown: h = 4. Counted as revealed." in text
    assert "v = ? \nEnd of input." in text
