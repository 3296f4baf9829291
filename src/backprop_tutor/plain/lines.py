"""A conversation one line at a time over text streams, and the one question loop both
plain front ends use: an answer per line, `?` for the next hint, `!` to show the value,
`q` to stop."""

from __future__ import annotations

import contextlib
from typing import Protocol, TextIO

from ..quiz import Feedback, Hint, Reveal
from ..quiz.words import HINT, QUIT, REVEAL

# How the keys are explained before the first question.
KEYS = f"{HINT} gives the next hint, {REVEAL} shows the value, {QUIT[0]} stops"


def forgiving(*streams: TextIO) -> None:
    """Replace, never raise on, bytes a stream cannot decode or characters it cannot encode."""
    for stream in streams:
        # A terminal or pipe that cannot encode ∂ or δ, or a line of invalid UTF-8 typed
        # under a UTF-8 locale, must not end the session.
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")


class EndOfInput(Exception):
    """The input stream ran out; the conversation ends with its summary."""


class Stopped(Exception):
    """The learner typed q or pressed ctrl+c (or the session cannot go on)."""


def is_terminal(stream: TextIO) -> bool:
    """Whether `stream` is a terminal (False for pipes, files and closed streams)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Asked(Protocol):
    """The question being asked, as the loop sees it: the quiz's or the study's."""

    @property
    def settled(self) -> bool:
        """Whether the question is over: solved, or its value shown."""

    def hint(self) -> Hint:
        """The next hint."""

    def reveal(self) -> Reveal:
        """Show the value."""

    def answer(self, text: str) -> Feedback:
        """Check an answer."""


class LineConversation:
    """Prompts out, one answer per line in; echoes answers when they come from a pipe."""

    # Said after "Shown: …": what a reveal means in this front end.
    REVEALED_NOTE = ""

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
        try:
            line = self.stdin.readline()
        except KeyboardInterrupt:
            # ctrl+c at a prompt is a way out like q: the summary and the last try at a
            # pending save follow, and the exit code is q's.
            self.stdout.write("\n")
            raise Stopped from None
        if not line:
            self.stdout.write("\n")
            raise EndOfInput
        text = line.rstrip("\r\n")
        if self.echo:
            self.stdout.write(text + "\n")
        return text

    def ask_until_settled(self, prompt: str, asked: Asked) -> None:
        """Ask one question until it is over; raises Stopped on q, EndOfInput at the end."""
        while not asked.settled:
            text = self.ask(prompt)
            if text.strip().lower() in QUIT:
                raise Stopped
            self.respond(asked, text)

    def respond(self, asked: Asked, text: str) -> None:
        """One line typed: the next hint, the value shown, or the answer's feedback."""
        command = text.strip()
        if command == HINT:
            self.say(f"  {asked.hint().message}")
        elif command == REVEAL:
            self.say(f"  Shown: {asked.reveal().message} {self.REVEALED_NOTE}")
        else:
            self.say(f"  {asked.answer(text).message}")
