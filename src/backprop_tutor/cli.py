"""The one entry point: `backprop-tutor [COMMAND] ...`.

Each subcommand lives in `commands/<name>.py` with `add_parser(subparsers)` and
`run(args) -> int`. With no subcommand the tutor app opens. Every failure a learner can
cause ends as one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from . import __version__
from .commands import CommandError, tutor
from .engine import LessonError

# Subcommands in the order `--help` lists them; each is a module in `commands/`.
COMMAND_MODULES: tuple[str, ...] = ("trace", "lessons", "check_lesson", "quiz", "progress", "serve")
_COMMAND_WORDS = frozenset(name.replace("_", "-") for name in COMMAND_MODULES)

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    """argparse, but its usage errors are one line and exit 2 like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print one line naming the problem and exit 2."""
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"backprop_tutor.commands.{name}")


def build_parser() -> argparse.ArgumentParser:
    """The full command-line parser, with every subcommand registered."""
    parser = _Parser(
        prog="backprop-tutor",
        description="Learn backpropagation by computing one small graph by hand; "
        "every number you type is checked.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    tutor.add_arguments(parser)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        _load(name).add_parser(subparsers)
    return parser


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The parsed command line; the subcommands' modules are imported only when needed."""
    words = sys.argv[1:] if argv is None else list(argv)
    # With no subcommand named (the tutor opens), a parser of the tutor's own options reads
    # the line, so starting the app imports no other command. Anything it does not know
    # (a subcommand, --help, a mistake) goes to the full parser, which says what it says.
    if _COMMAND_WORDS.isdisjoint(words):
        quick = _Parser(prog="backprop-tutor", add_help=False)
        quick.add_argument("--version", action="store_true")
        tutor.add_arguments(quick)
        args, extra = quick.parse_known_args(words)
        if not extra and not args.version:
            args.command = None
            del args.version
            return args
    return build_parser().parse_args(words)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    args = parse_arguments(argv)
    try:
        if args.command is None:
            return tutor.run(args)
        result: int = _load(args.command.replace("-", "_")).run(args)
        return result
    except (LessonError, CommandError) as error:
        print(f"backprop-tutor: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        # Say so rather than vanish; 130 is the shell's code for SIGINT. (The plain front
        # ends treat ctrl+c at a prompt as q, and the study app saves before it ends.)
        print("\nbackprop-tutor: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # `backprop-tutor trace | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return EXIT_OK
    except Exception as error:  # the last resort: one line here, the details in a file
        print(f"backprop-tutor: {_last_resort(error)}", file=sys.stderr)
        return EXIT_USAGE


def _last_resort(error: Exception) -> str:
    """The one line for an error nothing else caught, after writing the full report."""
    name = type(error).__name__
    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="backprop-tutor-error-", suffix=".txt", delete=False, encoding="utf-8"
        ) as report:
            report.write(f"backprop-tutor {__version__}\n")
            report.write("".join(traceback.format_exception(error)))
        where = f"a full report is in {Path(report.name)}"
    except OSError:
        where = "no report could be written"
    return f"unexpected error ({name}); {where}"
