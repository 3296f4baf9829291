"""Textual's Footer, redrawn only when the keys it shows change."""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A `Footer` that skips the rebuild when focus moves but its keys stay the same.

    Textual's footer recomposes on every change of the active bindings, which happens
    at each focus move; in this app that is every answer, and rebuilding the keys cost
    more than checking the answer.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def _keys(self, screen: Screen[object]) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only when the keys shown would differ."""
        keys = self._keys(screen)
        if keys == self._shown and self.children:
            return
        self._shown = keys
        super().bindings_changed(screen)

    def watch_show_command_palette(self) -> None:
        """Add or drop the palette's key: Footer reads the flag only when it composes."""
        if self.is_mounted:
            self.refresh(recompose=True)
