"""The input a learner types an answer into."""

from __future__ import annotations

from textual.widgets import Input

# No answer contains these, so they stay free for the app's keys even while typing.
APP_CHARACTERS = frozenset("?")


class AnswerInput(Input):
    """An `Input` that leaves `?` to the app (it opens the help)."""

    def check_consume_key(self, key: str, character: str | None = None) -> bool:
        """Consume every printable key but the app's own."""
        if character in APP_CHARACTERS:
            return False
        return super().check_consume_key(key, character)
