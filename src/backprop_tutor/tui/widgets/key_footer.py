"""Textual's Footer, redrawn only when the keys it shows change."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
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
        And the keys are composed the first time, not left for the first change of
        bindings: then they are in the screen's first frame, and the rebuild Footer
        would make a frame later (a layout of the whole screen) is skipped when the
        keys it would show are these.
        """
        if not self._bindings_ready:
            self.set_reactive(Footer._bindings_ready, True)
            with self._as_focused(self.screen):
                widgets = list(super().compose())
                self._shown = self._keys(self.screen)
        else:
            widgets = list(super().compose())
        for widget in widgets:
            if self.compact and isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
                widget.set_reactive(FooterKey.compact, True)
            yield widget

    @staticmethod
    @contextmanager
    def _as_focused(screen: Screen[object]) -> Iterator[None]:
        """The screen's bindings read as they will be once its first focus has arrived.

        A screen that focuses a widget as it mounts names it as `first_focus`; that
        widget's keys (the home list's Enter) are then in the first frame too.
        """
        first = getattr(screen, "first_focus", None)
        if screen.focused is not None or not isinstance(first, Widget):
            yield
            return
        screen.set_reactive(Screen.focused, first)  # read, with no watcher told
        try:
            yield
        finally:
            screen.set_reactive(Screen.focused, None)

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
