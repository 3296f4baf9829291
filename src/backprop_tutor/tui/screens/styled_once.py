"""A screen that skips two pieces of Textual's start-up work that change nothing."""

from __future__ import annotations

from textual import events
from textual.geometry import Size
from textual.screen import Screen


class StyledOnce(Screen[None]):
    """Not restyled whole when first shown, nor laid out again for a resize to its size.

    Each node is styled as it is mounted; the first resume comes right after the mount,
    and restyling the whole tree again was about a tenth of the lesson's first screen.
    Later resumes (after a modal, a theme change) restyle as Textual does. And as it
    starts, Textual sends the screen three resizes to the size it was just laid out at
    (the screen's own size change, echoed): each was a full layout and paint.
    """

    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)

    def _screen_resized(self, size: Size) -> None:
        if size == self._compositor.size:
            return  # laid out at this size already; any other change has its own refresh
        super()._screen_resized(size)
