"""Hostile lesson files: each kind ends as one line and exit 2 from every command, or works.

Each case here crashed, hung or misreported before issue 17: the command line must say
what is wrong with the file, on one line that names it, never with a traceback.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import RunMain

LESSON = """title = "{title}"
objective = "J"
[optimizer]
learning_rate = 0.1
[parameters]
{parameters}
{steps}
[graph]
J = "{expression}"
"""


def lesson(
    title: str = "T",
    parameters: str = "w = 0.5",
    expression: str = "(w*x - 1)^2",
    steps: str = "[[steps]]\nx = 2",
) -> str:
    """A small lesson text with one part replaced."""
    return LESSON.format(title=title, parameters=parameters, expression=expression, steps=steps)


COMMANDS: tuple[tuple[str, ...], ...] = (
    ("trace", "--lesson"),
    ("check-lesson",),
    ("quiz", "--plain", "--lesson"),
    ("--plain", "--lesson"),
)

# Each kind of bad file, and a piece of the one line every command must print for it.
BAD_TEXT: dict[str, tuple[str, str]] = {
    "flat sum of 1000 terms": (lesson(expression="+".join(["w*x"] * 1000)), "more than 130"),
    "1000-parameter sum": (
        lesson(
            parameters="\n".join(f"p{i} = 0.5" for i in range(1000)),
            expression="+".join(f"p{i}" for i in range(1000)),
        ),
        "longer than",
    ),
    "200 operands in a short expression": (
        lesson(expression="+".join(["w"] * 200)),
        "more than 130 numbers and names",
    ),
    "TOML nested 5000 deep": ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    "integer beyond a float": (lesson(parameters="w = 1" + "0" * 309), "has no numeric value"),
    "integer beyond 4300 digits": (lesson(parameters="w = 1" + "0" * 5000), "not valid TOML"),
    "1000 steps": (lesson(steps="[[steps]]\nx = 2\n" * 1000), "at most 100 are allowed"),
    "10000 steps": (lesson(steps="[[steps]]\nx = 2\n" * 10_000), "at most 100 are allowed"),
    "a 200 KB bad expression": (lesson(expression="w*x+(" * 40_000), "longer than"),
    "non-ASCII digit": (lesson(expression="(w*x - ١)^2"), "unexpected character"),
    "1 MB file": (lesson(expression="w+" * 300_000 + "x"), "larger than 256 KB"),
}


def _assert_one_line(result_err: str, code: int, piece: str) -> None:
    assert code == 2, result_err
    assert "Traceback" not in result_err
    assert result_err.count("\n") == 1, result_err
    assert len(result_err) < 400, "error lines are cut to a readable length"
    assert piece in result_err


@pytest.mark.parametrize("kind", list(BAD_TEXT))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_bad_lesson_text_is_one_line_from_every_command(
    run_main: RunMain, tmp_path: Path, kind: str, command: tuple[str, ...]
) -> None:
    """Every command refuses the file on one line naming it, with exit code 2."""
    text, piece = BAD_TEXT[kind]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    result = run_main(*command, str(path), env={"BACKPROP_TUTOR_HOME": str(tmp_path / "data")})
    _assert_one_line(result.stderr, result.returncode, piece)
    assert str(path) in result.stderr


@pytest.mark.parametrize("kind", list(BAD_TEXT))
def test_one_bad_file_in_a_lessons_dir_hides_no_other(
    run_main: RunMain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """TOML nested thousands deep aborted the whole listing: now each bad file is one line."""
    text, piece = BAD_TEXT[kind]
    (tmp_path / "bad.toml").write_text(text, encoding="utf-8")
    (tmp_path / "good.toml").write_text(lesson(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a short path: the table's name column is not cut
    result = run_main("lessons", "--lessons-dir", ".")
    assert result.returncode == 0, result.stderr
    assert "good.toml" in result.stdout and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and piece in result.stderr
    assert "bad.toml" in result.stderr


def _fifo(tmp_path: Path) -> str:
    path = tmp_path / "pipe.toml"
    os.mkfifo(path)
    return str(path)


def _loop(tmp_path: Path) -> str:
    path = tmp_path / "loop.toml"
    path.symlink_to(path)
    return str(path)


SPECIAL: dict[str, tuple[Callable[[Path], str], str]] = {
    "named pipe": (_fifo, "is a named pipe, not a lesson file"),
    "device": (lambda _: "/dev/null", "is a device, not a lesson file"),
    "symlink loop": (_loop, "is a symbolic link loop, not a lesson file"),
    "folder": (lambda tmp: str(tmp), "is a folder, not a lesson file"),
    "unknown user": (lambda _: "~nosuchuser17/x.toml", "there is no user named 'nosuchuser17'"),
    "empty name": (lambda _: "", "the lesson name is empty"),
}


@pytest.mark.parametrize("kind", list(SPECIAL))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_special_files_are_refused_by_kind(
    run_main: RunMain, tmp_path: Path, kind: str, command: tuple[str, ...]
) -> None:
    """A pipe is never opened (it would hang); each kind is named, not 'no such file'."""
    make, piece = SPECIAL[kind]
    spec = make(tmp_path)
    result = run_main(*command, spec, env={"BACKPROP_TUTOR_HOME": str(tmp_path / "data")})
    _assert_one_line(result.stderr, result.returncode, piece)


def test_a_byte_order_mark_is_read_past(run_main: RunMain, tmp_path: Path) -> None:
    """An editor's UTF-8 BOM is not part of the lesson."""
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + lesson().encode())
    result = run_main("check-lesson", str(path))
    assert result.returncode == 0, result.stderr
    assert "a valid lesson" in result.stdout


ESCAPES = "\\u001b[31mRED\\u001b]0;title\\u0007\\u009b2J"


@pytest.mark.parametrize(
    "command", [*COMMANDS, ("trace", "--json", "--lesson")], ids=lambda c: "-".join(c[:2])
)
def test_control_characters_in_lesson_text_never_reach_the_terminal(
    run_main: RunMain, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Lesson text is data: escape sequences are stripped when the lesson is read."""
    path = tmp_path / "escape.toml"
    path.write_text(lesson(title=ESCAPES), encoding="utf-8")
    result = run_main(*command, str(path), env={"BACKPROP_TUTOR_HOME": str(tmp_path / "data")})
    assert result.returncode == 0, result.stderr
    everything = result.stdout + result.stderr
    assert not any(ord(ch) < 0x20 and ch not in "\n\t" for ch in everything)
    assert not any(0x7F <= ord(ch) < 0xA0 for ch in everything)
    assert "RED" in result.stdout


def test_markup_in_a_title_is_printed_as_written(run_main: RunMain, tmp_path: Path) -> None:
    """`[/]` in a title crashed trace (Rich markup read from lesson text)."""
    path = tmp_path / "markup.toml"
    path.write_text(lesson(title="[/] [bold]x[/bold]"), encoding="utf-8")
    result = run_main("trace", "--lesson", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("[/] [bold]x[/bold]")


def test_an_objective_on_no_parameter_says_so(run_main: RunMain, tmp_path: Path) -> None:
    """Not "no hand-friendly numbers after 2000 draws": the reason, at once."""
    path = tmp_path / "noparam.toml"
    path.write_text(lesson(expression="(x - 1)^2"), encoding="utf-8")
    result = run_main(
        "quiz", "--plain", "--lesson", str(path), env={"BACKPROP_TUTOR_HOME": str(tmp_path)}
    )
    _assert_one_line(result.stderr, result.returncode, "depends on no parameter")


def _undecodable(tmp_path: Path, name: bytes) -> Path:
    """A valid lesson at a path whose bytes are not UTF-8 (as Python names it: surrogates)."""
    path = Path(os.fsdecode(os.fsencode(tmp_path) + b"/" + name))
    path.write_text(lesson(), encoding="utf-8")
    return path


NOT_UTF8 = "the path is not valid UTF-8 (\ufffd marks what is not)"


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_path_that_is_not_utf8_is_refused_by_every_command(
    run_main: RunMain, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """Its progress would be keyed by text no save can write: refused, named readably."""
    path = _undecodable(tmp_path, b"caf\xe9.toml")
    result = run_main(*command, str(path), env={"BACKPROP_TUTOR_HOME": str(tmp_path / "data")})
    _assert_one_line(result.stderr, result.returncode, NOT_UTF8)
    assert f"{tmp_path}/caf\ufffd.toml" in result.stderr
    assert not (tmp_path / "data").exists() or not any((tmp_path / "data").rglob("*.json"))


def test_a_folder_that_is_not_utf8_is_refused_too(
    run_main: RunMain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A relative name is keyed by its full path: a folder above it counts as well."""
    folder = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe"))
    folder.mkdir()
    (folder / "fine.toml").write_text(lesson(), encoding="utf-8")
    monkeypatch.chdir(folder)
    result = run_main("trace", "--lesson", "fine.toml")
    _assert_one_line(result.stderr, result.returncode, NOT_UTF8)
    assert f"{tmp_path}/\ufffd\ufffd/fine.toml" in result.stderr


def test_a_lessons_dir_lists_the_others_and_names_the_one_refused(
    run_main: RunMain, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One such file in --lessons-dir is skipped with its line; the rest are listed."""
    _undecodable(tmp_path, b"caf\xe9.toml")
    (tmp_path / "good.toml").write_text(lesson(), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a short path: the table's name column is not cut
    result = run_main("lessons", "--lessons-dir", ".")
    assert result.returncode == 0, result.stderr
    assert "good.toml" in result.stdout
    assert NOT_UTF8 in result.stderr and "caf\ufffd.toml" in result.stderr
