"""Opening the tutor reads the command line without importing the other commands."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from backprop_tutor import cli


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--plain"],
        ["--lesson", "two-paths"],
        ["--lesson=residual", "--plain"],
        ["--lesson", "trace"],  # a lesson named like a command
        ["trace", "--json"],
        ["check-lesson", "x.toml"],
    ],
)
def test_the_quick_reading_agrees_with_the_full_parser(argv: list[str]) -> None:
    """Whatever the line, the result is the one the full parser gives."""
    assert cli.parse_arguments(argv) == cli.build_parser().parse_args(argv)


def test_starting_the_tutor_imports_no_other_command() -> None:
    """No subcommand: the study, quiz-command and export modules stay unimported."""
    code = (
        "import sys\n"
        "from backprop_tutor import cli\n"
        "assert cli.parse_arguments([]).command is None\n"
        "print(sorted(m for m in sys.modules if m.startswith('backprop_tutor.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(ast.literal_eval(out))
    assert "backprop_tutor.commands.tutor" in loaded
    assert (
        not {
            "backprop_tutor.study.session",
            "backprop_tutor.study.progress",
            "backprop_tutor.quiz.giveaways",
            "backprop_tutor.engine.export",
            "backprop_tutor.commands.quiz",
        }
        & loaded
    )


def test_a_mistake_still_gets_the_full_parsers_message(capsys: pytest.CaptureFixture[str]) -> None:
    """An unknown word is reported as an unknown command, exit 2, one line."""
    with pytest.raises(SystemExit) as stop:
        cli.parse_arguments(["frobnicate"])
    assert stop.value.code == 2
    assert "invalid choice: 'frobnicate'" in capsys.readouterr().err
