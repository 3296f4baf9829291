"""A conversation one line at a time over text streams: what both plain front ends share."""

from __future__ import annotations

from typing import TextIO


class EndOfInput(Exception):
    """The input stream ran out; the conversation ends with its summary."""


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (False for pipes, files and closed streams)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class LineConversation:
    """Prompts out, one answer per line in; echoes answers when they come from a pipe."""

    def __init__(self, stdin: TextIO, stdout: TextIO) -> None:
        """Talk to the learner through `stdin` and `stdout`."""
        self.stdin = stdin
        self.stdout = stdout
        # A terminal echoes what is typed; a pipe does not, so echo it for a readable
        # transcript.
        self.echo = not is_terminal(stdin)

    def say(self, text: str = "") -> None:
        """One line of output."""
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def ask(self, prompt: str) -> str:
        """Show a prompt and read one line (raises EndOfInput at the end of input)."""
        self.stdout.write(prompt + " ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        text = line.rstrip("\r\n")
        if self.echo:
            self.stdout.write(text + "\n")
        return text
