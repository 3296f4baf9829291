"""Textual's Footer, redrawn only when the keys it shows change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A `Footer` that skips the rebuild when focus moves but its keys stay the same.

    Textual's footer recomposes on every change of the active bindings, which happens
    at each focus move; in this app that is every answer, and rebuilding the keys cost
    more than checking the answer.
    """

    _shown: tuple[tuple[str, str, bool], ...] | None = None

    def compose(self) -> ComposeResult:
        """Footer's keys, each made compact before it is first styled.

        Footer binds each key's `compact` to its own, and the key's watcher then adds
        the class once mounted, restyling the key: about a tenth of the first screen.
        """
        for widget in super().compose():
            if self.compact and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
                widget.set_reactive(FooterKey.compact, True)
            yield widget

    def _keys(self, screen: Screen[object]) -> tuple[tuple[str, str, bool], ...]:
        return tuple(
            (binding.key, binding.description, enabled)
            for (_, binding, enabled, _) in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        """Rebuild only when the keys shown would differ from those last asked for."""
        keys = self._keys(screen)
        if keys == self._shown:
            return  # already shown, or on their way (the rebuild waits for a refresh)
        super().bindings_changed(screen)
        # Footer rebuilds only for its own screen, once the app has the focus: until it
        # does, the next change must still ask.
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            self._shown = keys

    def watch_show_command_palette(self) -> None:
        """Add or drop the palette's key: Footer reads the flag only when it composes."""
        if self.is_mounted:
            self.refresh(recompose=True)
