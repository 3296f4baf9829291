"""The input a learner types an answer into."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

# No answer contains these, so they stay free for the app's keys even while typing.
APP_CHARACTERS = frozenset("?")


class AnswerInput(Input):
    """An `Input` that leaves `?` to the app (it opens the help)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check", show=False, tooltip="check the answer in the quiz"),
    ]

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Consume every printable key but the app's own."""
        if character in APP_CHARACTERS:
            return False
        return super().check_consume_key(key, character)
