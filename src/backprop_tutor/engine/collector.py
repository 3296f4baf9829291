"""Pausing Python's cyclic garbage collector while a large graph is built or traced, and
leaving its full collections to the moments a learner pauses."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# Seconds after the program starts before the collector runs again: the first screen,
# on a slow machine, is well inside it, and the learner's work after it is not affected.
START_UP_SECONDS = 2.0

_start_up: threading.Timer | None = None
# Seconds a `hold` lasts at most, should its release never come.
HOLD_LIMIT = 1.0

_held = 0  # `hold`s not yet released
_paused = 0  # `collector_paused` blocks under way
_on_after_pause = False  # start-up ended inside one: the collector comes on as it ends
# Start-up's end comes from a timer thread, a paused block's end from the main one.
_lock = threading.Lock()
_disabled_by_hold = False  # whether the first of them turned the collector off
_hold_ends = 0.0  # time.monotonic() at which the holds expire


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, restoring it afterwards.

    Loading or tracing a lesson makes several small objects per node and keeps all of them
    alive, so each collection finds nothing to free but walks every object made so far: at
    200k nodes that made 10× the nodes cost 11.6× the time. Reference counting still frees
    everything it always did.
    """
    global _paused, _on_after_pause
    with _lock:
        was_enabled = gc.isenabled()
        gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            turn_on = was_enabled or (_paused == 0 and _on_after_pause)
            if _paused == 0:
                _on_after_pause = False
            if turn_on:
                _promote_unwalked()
                gc.enable()


def _promote_unwalked() -> None:
    """Move everything the paused block made to the oldest generation without walking it.

    Turned back on, the collector's next collection was of the youngest generation, which
    by then held every object the block had made: all alive, all walked, a quarter of a
    second at 200k nodes, and 12x the time of 20k (the growth figure's excess). Freezing
    and unfreezing moves them in one step (and sets the counts to zero); a full
    collection still looks at them later. Skipped while start-up's objects are frozen:
    unfreezing would let those go back to the collector too.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


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
    Does nothing unless `pause_for_start_up` paused it, and only once. Inside a paused
    block (a `trace` of a large lesson outlasting the pause), the collector comes on
    when the block ends.
    """
    global _start_up, _disabled_by_hold, _on_after_pause
    with _lock:
        timer, _start_up = _start_up, None
        if timer is None:
            return
        timer.cancel()
        gc.freeze()
        if _paused:
            _on_after_pause = True
        elif _held:
            _disabled_by_hold = True  # on again when the verdict under way is painted
        else:
            gc.enable()


def hold(limit: float = HOLD_LIMIT) -> None:
    """No automatic collection until the matching `release` (a verdict on its way to the
    screen), `limit` seconds at most: the collection its allocations would have started
    runs after the frame instead."""
    global _held, _disabled_by_hold, _hold_ends
    _expire()
    if _held == 0:
        _disabled_by_hold = gc.isenabled()
        gc.disable()
    _held += 1
    _hold_ends = time.monotonic() + limit


def release() -> None:
    """End one `hold`; the last one turns the collector back on if the first turned it off."""
    global _held, _disabled_by_hold
    if _held == 0:
        return
    _held -= 1
    if _held == 0 and _disabled_by_hold:
        _disabled_by_hold = False
        gc.enable()


def release_all() -> None:
    """End every `hold` (the app is closing, or a hold outlived its limit)."""
    global _held
    if _held:
        _held = 1
        release()


def _expire() -> None:
    if _held and time.monotonic() > _hold_ends:
        release_all()


def collect_in_pause() -> bool:
    """Run a full collection if one is due (anything reached the oldest generation since
    the last); whether it ran. The app calls it when the learner pauses.

    A full collection walks everything made since start-up: 12 ms at first, 55 ms after a
    step at 200x60, and Python starts one by itself every ten collections of the middle
    generation, in the middle of whatever verdict it falls on. Run in the learner's
    pauses, it keeps that count from being reached.
    """
    _expire()
    if _held or not gc.isenabled() or gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True
