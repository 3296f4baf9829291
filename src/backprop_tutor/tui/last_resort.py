"""An error Textual catches inside an app goes to the command line's last resort.

Textual handles an exception raised in a handler itself: it closes the app and prints
its own full traceback on the terminal, and the process still exits 0. Both apps derive
from `LastResortApp` instead, which keeps Textual's closing but not its printout, and
raises the error again once the app has closed and the terminal is restored, so that
`cli.main` writes its one line and the report file and exits 2, as for any other bug.
Pilot tests see the error exactly as before: Textual re-raises it from `run_test`.
"""

from __future__ import annotations

from typing import Any

from textual.app import App


class LastResortApp(App[None]):
    """A Textual app whose unexpected errors end as one line and a report, never a traceback."""

    crashed: Exception | None = None

    def _handle_exception(self, error: Exception) -> None:
        """Keep the first error to raise after the app has closed; Textual closes the app."""
        if self.crashed is None:
            self.crashed = error
        super()._handle_exception(error)

    def _fatal_error(self) -> None:
        """Close the app, without Textual's traceback on the terminal."""
        self.bell()
        self._close_messages_no_wait()

    def panic(self, *renderables: Any) -> None:
        """Close the app; what an error renders of itself goes to the report, not the screen."""
        if self.crashed is not None:
            self._close_messages_no_wait()
            return
        super().panic(*renderables)

    def run(self, *args: Any, **kwargs: Any) -> None:
        """Run the app; an error Textual caught inside it is raised again here."""
        result = super().run(*args, **kwargs)  # what exit() gave (a snapshot's SVG)
        if self.crashed is not None:
            raise self.crashed
        return result
