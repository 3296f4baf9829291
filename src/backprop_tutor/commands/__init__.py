"""Subcommands of `backprop-tutor`; each module has `add_parser` and `run`."""

from __future__ import annotations

import argparse


class CommandError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with code 2."""


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    """The --data-dir option the tutor, `quiz` and `progress` share."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="where progress is kept (default: $BACKPROP_TUTOR_HOME, else the user data folder)",
    )
