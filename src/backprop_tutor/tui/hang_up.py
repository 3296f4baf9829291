"""The terminal going away under an app: every answer written, then the app ended.

A terminal closes under an app in two ways. Its window or ssh session ends and the
kernel sends SIGHUP: Python's default ends the process at once, and an answer whose
save waits for its frame would be lost. Or its other end is closed with no signal at
all (a terminal program or a multiplexer killed): Textual's input thread then reads
nothing, for ever, at full speed, and the app never ends. Both end here as the quit key
ends the app, the learner's work kept (`keep_everything`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading

from textual.app import App

# Seconds between looks at whether the terminal is still there (`_watch_terminal`).
TERMINAL_LOOK = 0.5
# Seconds a hung-up app has to close before its process ends without it (`hang_up`).
HANG_UP_GRACE = 3.0


def _end_after(seconds: float) -> None:
    """End the process with 0 after `seconds`, unless it has ended by then (a daemon
    timer: a process that closes in time is not kept alive by it). Locks are `flock`s,
    which the kernel lets go of with the process."""
    timer = threading.Timer(seconds, os._exit, args=(0,))
    timer.daemon = True
    timer.start()


class HangsUp(App[None]):
    """An app that ends as its quit key does when its terminal goes (`hang_up`): it calls
    `watch_for_hang_up` once mounted, and says in `keep_everything` what to write."""

    _hung_up = False  # the terminal has gone, and `hang_up` has run

    def keep_everything(self) -> None:
        """Write every piece of the learner's work now: the terminal has gone."""

    def watch_for_hang_up(self) -> None:
        """Hang up on SIGHUP, and once the terminal has gone without one (in a terminal
        only: a headless app has none)."""
        if self.is_headless:
            return
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            asyncio.get_running_loop().add_signal_handler(signal.SIGHUP, self.hang_up)
        self._watch_terminal()

    def hang_up(self) -> None:
        """The terminal has gone: keep the learner's work, then stop."""
        if self._hung_up:
            return
        self._hung_up = True
        # Written now, not in the command's finally: with no terminal, Textual's closing
        # can wait for ever on its output thread (seen after `tmux kill-server`, which
        # sends SIGCONT after SIGHUP and Textual starts its terminal again), and the
        # process then ends after HANG_UP_GRACE seconds without it.
        self.keep_everything()
        if not self.is_headless:
            _end_after(HANG_UP_GRACE)
        self.exit()

    def _watch_terminal(self) -> None:
        """Hang up once the terminal has gone without a SIGHUP: a terminal that has gone
        is no longer a terminal to `isatty`, looked at every `TERMINAL_LOOK` seconds."""
        try:
            fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else -1
        except (ValueError, OSError):  # closed or replaced standard input
            return
        if fd < 0 or not os.isatty(fd):
            return

        def look() -> None:
            if not os.isatty(fd):
                self.hang_up()

        self.set_interval(TERMINAL_LOOK, look, name="terminal gone")
