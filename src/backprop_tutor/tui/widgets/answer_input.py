"""The input a learner types an answer into, which edits and checks in the key's order."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import ClassVar

from textual import events
from textual.actions import SkipAction, parse
from textual.binding import Binding, BindingType
from textual.widgets import Input

# Keys the quiz panel and the screen bind (previous / next question, panels): not edits.
PANEL_KEYS = frozenset({"up", "down", "tab", "shift+tab"})


class AnswerInput(Input):
    """An `Input` that handles its keys the moment the app hands them over.

    Textual gives each widget its own message queue: a key the app forwards waits in
    the input's queue, its bindings (Backspace, Left, Enter) run only when the key has
    bubbled back up to the app, and a Submitted message waits in the panel's queue. A
    burst of keys then overtakes itself: `12`, Backspace, `34` became `123`, and keys
    typed after Enter landed in the row just answered. Here the app's own task, which
    takes keys one at a time in the order they came, edits the text, runs the input's
    bindings and checks the answer (moving the focus) before it looks at the next key,
    so every key reaches the row that has the focus when it is its turn.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "submit", "Check", show=False, tooltip="check the answer in the quiz"),
    ]

    # Called with the text when Enter is pressed (set by the question row).
    answered: Callable[[str], None] | None = None

    def _forward_event(self, event: events.Event) -> None:
        """Handle keys and pastes now, in the app's order; everything else as usual."""
        if isinstance(event, events.Key) and self._key_now(event):
            return
        if isinstance(event, events.Paste):
            self._paste_now(event.text)
            return
        super()._forward_event(event)

    def _key_now(self, event: events.Key) -> bool:
        """Apply a key at once; False leaves it to the usual route (the app's keys)."""
        if self.disabled or event.key in PANEL_KEYS:
            return False
        if event.is_printable and event.character is not None:
            self._insert(event.character)
            return True
        # A newline is an Enter too: keys typed while the terminal was still in cooked
        # mode (the app starting) arrive with Return turned into a newline (ctrl+j).
        if event.key in ("enter", "ctrl+j"):
            if self.answered is not None:
                self.answered(self.value)
            return True
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            name, params = parse(binding.action)[1:]
            method = getattr(self, f"action_{name}", None)
            # Only the input's own plain editing actions run here; others take the usual route.
            if method is None or inspect.iscoroutinefunction(method):
                return False
            try:
                method(*params)
            except SkipAction:  # PageDown in a one-line input: the key goes on its way
                return False
            return True
        return False

    def _paste_now(self, text: str) -> None:
        """A paste lands whole, its first line only (as Textual's input does)."""
        if text and not self.disabled:
            self._insert(text.splitlines()[0])

    def _insert(self, text: str) -> None:
        selection = self.selection
        if selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *selection)
