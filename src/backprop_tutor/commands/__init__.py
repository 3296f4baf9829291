"""Subcommands of `backprop-tutor`; each module has `add_parser` and `run`."""


class CommandError(Exception):
    """A problem the user can fix; the CLI prints it as one line and exits with code 2."""
