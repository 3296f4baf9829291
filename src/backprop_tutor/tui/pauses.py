"""Python's full garbage collections, run while the learner pauses, not during a verdict."""

from __future__ import annotations

import time

from textual import events
from textual.app import App

from ..engine import collector

# Seconds without a key, a click or a paste that count as a pause, and how often the
# app looks. A learner works each answer out by hand: pauses of seconds are the rule.
PAUSE = 1.0
LOOK_EVERY = 0.5


class CollectsInPauses(App[None]):
    """An app that runs the full collection due (`collector.collect_in_pause`) once the
    learner has paused for `PAUSE` seconds, so that Python's own seldom lands on a key.
    """

    _last_input = 0.0  # time.monotonic() of the learner's last key, click or paste

    async def on_event(self, event: events.Event) -> None:
        """Note when the learner last did something, then handle the event as usual."""
        if isinstance(event, (events.InputEvent, events.Paste)):
            self._last_input = time.monotonic()
        await super().on_event(event)

    def _on_mount(self, event: events.Mount) -> None:
        self.set_interval(LOOK_EVERY, self.collect_if_paused, name="collect in pauses")

    def _on_unmount(self, event: events.Unmount) -> None:
        collector.release_all()  # a verdict's hold on the collector ends with the app

    def collect_if_paused(self) -> bool:
        """Run the due full collection if the learner has paused; whether it ran."""
        if time.monotonic() - self._last_input < PAUSE:
            return False
        return collector.collect_in_pause()
