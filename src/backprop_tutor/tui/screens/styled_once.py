"""A screen that is not restyled whole when it is first shown, moments after styling."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class StyledOnce(Screen[None]):
    """Skips the restyle of every node that Textual makes when a screen first resumes.

    Each node is styled as it is mounted; the first resume comes right after the mount,
    and restyling the whole tree again was about a tenth of the lesson's first screen.
    Later resumes (after a modal, a theme change) restyle as Textual does.
    """

    _resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False
        super()._on_screen_resume(event)
