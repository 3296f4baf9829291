"""Pausing Python's cyclic garbage collector while a large graph is built or traced."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds after the program starts before the collector runs again: the first screen,
# on a slow machine, is well inside it, and the learner's work after it is not affected.
START_UP_SECONDS = 2.0

_start_up: threading.Timer | None = None


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it afterwards.

    Loading or tracing a lesson makes several small objects per node and keeps all of them
    alive, so each collection finds nothing to free but walks every object made so far: at
    200k nodes that made 10× the nodes cost 11.6× the time. Reference counting still frees
    everything it always did.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pause_for_start_up(seconds: float = START_UP_SECONDS) -> None:
    """Turn the collector off until `start_up_over`, or for `seconds` at most.

    Opening the app makes about a million objects (modules, classes, the stylesheet, the
    widgets) and keeps nearly all of them; the collections start-up triggered walked
    them again and again, about a sixth of the time to the first screen.
    """
    global _start_up
    gc.disable()
    if _start_up is None:
        _start_up = threading.Timer(seconds, start_up_over)
        _start_up.daemon = True  # never keeps a finished program alive
        _start_up.start()


def start_up_over() -> None:
    """Run the collector again, with what start-up made set aside (`gc.freeze`).

    Frozen objects are never walked again, so a later collection (in the middle of a
    verdict, say) costs what the learner's own work made, not the whole program.
    Does nothing unless `pause_for_start_up` paused it, and only once.
    """
    global _start_up
    timer, _start_up = _start_up, None
    if timer is None:
        return
    timer.cancel()
    gc.freeze()
    gc.enable()
