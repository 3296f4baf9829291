"""Work the app puts off until after a paint, counted so tests can wait for it.

Every piece of work the app defers goes through this module: `later` (a timer, for
work done once the screen has been drawn) and `track` (an awaitable already under way,
such as a mount). Each counts as pending until it has run. `settled(app)` (also
`TutorApp.settled()`) returns once nothing is pending, every message queue of the
screen is empty and the screen has painted: the one point tests, snapshots and
`screenshots.py` wait for instead of sleeping.

What is deferred, and by whom:
- the next quiz row's `Input`, mounted 0.15 s after a row gets focus
  (`QuizPanel.on_descendant_focus`, `later`): the flaky snapshot raced this one;
- a row's label and `Input`, mounted the first time the row is used, and its feedback
  line, the first time there is something to say (`QuestionRow`, `track`);
- the graph, the path panel and the status line, brought up to date with an answer
  once its verdict has been painted (`TutorScreen._state_changed`, `after_paint`);
- a new step's rows, mounted after a stepping key (`TutorScreen._state_changed`,
  `track` of `QuizPanel.load`);
- the help screen and a new lesson's screen (`TutorScreen.action_help`,
  `TutorApp.open_lesson`, `track` of the push or switch).
Textual's own after-paint work (`scroll_visible`, the footer's rebuild) is covered by
the queue and paint waits in `settled`.

`BACKPROP_TUTOR_SLOW_DEFERRALS=0.3` (read once, here) adds that many seconds to every
timer, so a test run under it proves no test depends on when deferred work happens.
Tracked mounts are not slowed: they hold the keys a learner types, which must reach
their row in order.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.widget import Widget

from ..engine import collector

SLOW_ENV = "BACKPROP_TUTOR_SLOW_DEFERRALS"


def read_slowdown() -> float:
    """Seconds added to every deferral (0 unless a test run asks for more)."""
    try:
        return max(0.0, float(os.environ.get(SLOW_ENV, "0") or 0))
    except ValueError:
        return 0.0


SLOWDOWN = read_slowdown()


class Pending:
    """How many deferred pieces of work an app has not yet run."""

    def __init__(self) -> None:
        self.count = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.after_paint: list[Callable[[], None]] = []  # work waiting for the next frame

    def start(self) -> None:
        """One more piece of work is pending."""
        self.count += 1
        self._idle.clear()

    def finish(self) -> None:
        """One piece of work has run (or will never run)."""
        self.count -= 1
        if self.count <= 0:
            self.count = 0
            self._idle.set()

    async def idle(self) -> None:
        """Wait until nothing is pending."""
        await self._idle.wait()

    def keep(self, task: asyncio.Task[None]) -> None:
        """Hold a tracking task until it is done (asyncio keeps only weak references)."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


_PENDING: WeakKeyDictionary[App[Any], Pending] = WeakKeyDictionary()


def pending(app: App[Any]) -> Pending:
    """The counter of one app's deferred work."""
    if app not in _PENDING:
        _PENDING[app] = Pending()
    return _PENDING[app]


def _counted(owner: MessagePump, callback: Callable[[], object]) -> Callable[[], None]:
    """`callback` counted as pending from now until it has run, once (later calls do
    nothing); it does nothing if `owner` has gone by then."""
    counter = pending(owner.app)
    counter.start()
    done = False

    def run() -> None:
        nonlocal done
        if done:
            return
        done = True
        try:
            if owner.is_attached:
                callback()
        finally:
            counter.finish()

    return run


def later(owner: MessagePump, delay: float, callback: Callable[[], object]) -> None:
    """Run `callback` after `delay` seconds (plus the test slowdown), counted as pending.

    The timer belongs to the app, which outlives every widget, so it always fires and
    the count always comes back down; a callback whose widget has gone does nothing.
    """
    owner.app.set_timer(delay + SLOWDOWN, _counted(owner, callback))


def track(owner: MessagePump, work: Awaitable[object]) -> None:
    """Count `work` (a mount, a screen switch) as pending until it completes."""
    counter = pending(owner.app)
    counter.start()

    async def wait() -> None:
        try:
            await work
        finally:
            counter.finish()

    counter.keep(asyncio.ensure_future(wait()))


def after_refresh(owner: MessagePump, callback: Callable[[], object]) -> None:
    """Run `callback` when the screen is next idle (`call_after_refresh`), counted as pending."""
    run = _counted(owner, callback)
    if not owner.call_after_refresh(run):
        run()


# Seconds after which work waiting for a paint runs anyway (no frame came: nothing changed).
PAINT_LIMIT = 0.1


def after_paint(owner: MessagePump, callback: Callable[[], object]) -> None:
    """Run `callback` once the app has painted its next frame, counted as pending.

    For work that must not hold up a frame already on its way (a row's verdict): the
    app tells this module when it has painted (`painted`). Textual's own
    `call_after_refresh` is not enough: it runs its callback the next time the screen
    is idle, which can come before the widgets just changed have asked for a repaint
    (each asks from its own queue), and the work then joined the same frame. Should no
    frame come, the callback runs after `PAINT_LIMIT` seconds.
    """
    app = owner.app
    run = _counted(owner, callback)
    pending(app).after_paint.append(run)
    app.set_timer(PAINT_LIMIT + SLOWDOWN, run)


def painted(app: App[Any]) -> None:
    """The app has painted a frame: start the work that waited for one, unless a change
    made before it is still to be painted (then the frame that paints it starts it)."""
    counter = _PENDING.get(app)
    if counter is None or not counter.after_paint or _unpainted(app):
        return
    waiting, counter.after_paint = counter.after_paint, []
    for run in waiting:
        # Not inside the paint itself: the screen is still finishing its frame.
        app.call_later(run)


# Event-loop turns a frame is held for the widgets a change touched (`one_frame`).
HOLD_TURNS = 40


@contextmanager
def one_frame(app: App[Any], within: Widget | None = None) -> Iterator[None]:
    """Paint everything changed in the block in one frame, once every widget has asked.

    A verdict changes a row's mark, input and feedback line, the cursor's row and the
    panel's title; each widget asks the screen for its repaint from its own queue, and
    Textual's frame timer went off as soon as the first had asked: in a terminal the
    answered input went out alone, and the mark and the title followed a frame (20 to
    40 ms) later. Textual's batch holds the frame until no widget of `within` (or of the
    screen) has a repaint, layout or restyle still to ask for, nor messages queued (or
    `HOLD_TURNS` turns of the event loop have gone by), and then lets it go. Python's
    collector waits for the frame too (`collector.hold`): a collection the verdict's
    allocations start runs after it.
    `within`: the widget whose children the block changes (the quiz panel): work queued
    elsewhere (the footer's keys after a focus move) then takes the frame after. The
    screen should be a `HoldsFrames`.
    """
    app._begin_batch()
    collector.hold()
    try:
        yield
    finally:
        _release_when_asked(app, within, HOLD_TURNS)


def _release_when_asked(app: App[Any], within: Widget | None, turns: int) -> None:
    if turns > 0 and app.is_running and _unasked(app, within):
        asyncio.get_running_loop().call_soon(_release_when_asked, app, within, turns - 1)
        return
    app._end_batch()
    if app.is_running:
        after_paint(app, collector.release)  # the collector back once the frame is out
    else:
        collector.release()  # no frame is coming
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return
    screen.check_idle()  # its idle, skipped while held, starts the frame


class HoldsFrames(Screen[None]):
    """A screen whose idle work waits while a frame is held (`one_frame`).

    Held, Textual's screen skips its paint at idle but still runs the callbacks waiting
    for its refresh (`call_after_refresh`), before the frame they wait for: the scroll
    to the step's end ran before the end was laid out, and scrolled nowhere. Here idle
    does nothing while held; the release (`screen.check_idle()`) brings it back.
    """

    async def _on_idle(self, event: events.Idle) -> None:
        if self.app._batch_count:
            event.prevent_default()  # Screen's idle (the paint, the callbacks) waits


def _unasked(app: App[Any], within: Widget | None = None) -> bool:
    """Whether a widget of the screen (or of `within`) has a repaint, layout or restyle it
    has not yet asked the screen for, or messages of its own still to handle."""
    try:
        top = app.screen if within is None else within
    except Exception:  # no screen yet, or the app is closing
        return False
    return any(
        _refresh_asked(node) or (node.is_running and not node._message_queue.empty())
        for node in top.walk_children(Widget, with_self=within is not None)
    )


def _refresh_asked(widget: Widget) -> bool:
    """Whether `widget` wants a repaint, layout or restyle it has not yet taken to the
    screen (it does so when its own queue next falls idle)."""
    return widget._repaint_required or widget._layout_required or widget._refresh_styles_required


def _unpainted(app: App[Any]) -> bool:
    """Whether a widget of the screen has asked for a refresh no frame has shown yet.

    A verdict changes a row's label, input and feedback line, each of which asks the
    screen for its repaint from its own queue; a frame can go out between those asks
    (the answered input's, alone). Work run after that frame used to join the verdict's
    own, which then waited for the graph to be drawn: at 200x60 in a terminal, 70-120
    ms instead of 20-40.
    """
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return False
    # Asked and on its way to the screen, or arrived and waiting for the next frame.
    if screen._dirty_widgets or screen._layout_required or screen._repaint_required:
        return True
    if not screen._message_queue.empty():
        return True
    return any(_refresh_asked(node) for node in screen.walk_children(Widget, with_self=True))


async def _drain(app: App[Any]) -> None:
    """Wait until every message queued so far on the app and its screen is handled."""
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return
    done = asyncio.Event()
    count = 0

    def one_done() -> None:
        nonlocal count
        count -= 1
        if count == 0:
            done.set()

    for node in _live(app, screen):
        if node.call_later(one_done):
            count += 1
    if count:
        await done.wait()


async def _refreshed(app: App[Any]) -> None:
    """Wait until the screen has painted, and its after-paint callbacks have run."""
    try:
        screen = app.screen
    except Exception:  # no screen yet, or the app is closing
        return
    if not screen.is_running:
        return
    # A screen being dismissed (Escape on the palette or help) never paints again: stop
    # waiting once it is no longer the one showing, and `settled` loops on the new one.
    painted = asyncio.ensure_future(screen.wait_for_refresh())
    while not painted.done() and screen.is_running and _showing(app) is screen:
        await asyncio.wait({painted}, timeout=0.01)
    painted.cancel()


def _showing(app: App[Any]) -> object:
    try:
        return app.screen
    except Exception:  # the app is closing
        return None


async def settled(app: App[Any], limit: float | None = None) -> None:
    """Return once no deferred work is pending, every queue is empty and the screen painted.

    Handling a message may defer more work (a focus move starts a timer), so the waits
    repeat until they all hold at once. Each wait is bounded: an app that has crashed or
    exited while something is still awaited raises `NotSettled` at once, and one still
    busy after `limit` seconds (`SETTLE_LIMIT` unless given) raises it naming what is
    still pending, so a broken test fails instead of hanging.
    """
    counter = pending(app)
    bound = _Bound(app, SETTLE_LIMIT if limit is None else limit)
    while True:
        await bound.wait("deferred work", counter.idle())
        await bound.wait("message queues", _drain(app))
        await bound.wait("animations", app.animator.wait_until_complete())
        await bound.wait("the screen's paint", _refreshed(app))
        await bound.wait("message queues", _drain(app))
        if counter.count == 0 and _quiet(app):
            return
        bound.check("the app to be quiet")


SETTLE_ENV = "BACKPROP_TUTOR_SETTLE_LIMIT"
POLL = 0.05  # seconds between looks at whether the app is still alive while waiting


def read_settle_limit() -> float:
    """Seconds `settled` waits before it gives up (30 unless the environment says)."""
    try:
        value = float(os.environ.get(SETTLE_ENV, "") or 30.0)
    except ValueError:
        return 30.0
    return value if value > 0 else 30.0


SETTLE_LIMIT = read_settle_limit()


class NotSettled(AssertionError):
    """The app crashed, exited or stayed busy while a test waited for it to settle."""


class _Bound:
    """One `settled` call's deadline, and the checks made while it waits."""

    def __init__(self, app: App[Any], limit: float) -> None:
        self.app = app
        self.limit = limit
        self.deadline = asyncio.get_running_loop().time() + limit

    async def wait(self, what: str, work: Awaitable[object]) -> None:
        """Await `work`, looking every `POLL` seconds whether the app died or time ran out."""
        task = asyncio.ensure_future(work)
        try:
            while True:
                await asyncio.wait({task}, timeout=POLL)
                if task.done():
                    task.result()
                    return
                self.check(what)
        finally:
            task.cancel()

    def check(self, what: str) -> None:
        """Raise `NotSettled` if the app crashed or exited, or the time is up."""
        app = self.app
        if app._exception is not None:
            raise NotSettled(
                f"the app crashed while settled() waited for {what}: {app._exception!r}"
            ) from app._exception
        if not app.is_running:
            raise NotSettled(f"the app has exited while settled() waited for {what}")
        if asyncio.get_running_loop().time() >= self.deadline:
            raise NotSettled(
                f"the app did not settle within {self.limit:g} s ({SETTLE_ENV}): "
                f"waiting for {what}; {stuck(app)}"
            )


def stuck(app: App[Any]) -> str:
    """What is still pending in `app`: deferred work, and each node with a queued message."""
    counter = pending(app)
    parts = [f"{counter.count} deferred piece(s) pending"]
    parts += [f"tracked {task!r}"[:300] for task in counter._tasks if not task.done()]
    try:
        nodes = [app, *app.screen.walk_children(with_self=True)]
    except Exception:  # no screen yet, or the app is closing
        nodes = [app]
    for node in nodes:
        queued: int = node._message_queue.qsize()
        if queued:
            state = "running" if node.is_running else "not running"
            attached = "attached" if node.is_attached else "detached"
            parts.append(f"{node!r}: {queued} message(s) queued, {state}, {attached}")
    return "; ".join(parts)


def _quiet(app: App[Any]) -> bool:
    """Whether no message waits in any queue (a key bubbling up is posted anew at each
    level, after the drain's own callbacks, so one drain can miss it)."""
    try:
        nodes = _live(app, app.screen)
    except Exception:  # no screen yet, or the app is closing
        return True
    return all(node._message_queue.empty() for node in nodes)


def _live(app: App[Any], screen: MessagePump) -> list[MessagePump]:
    """The app and the screen's nodes whose queues are being processed: a widget being
    mounted or removed is in the tree but not running, and would never answer."""
    nodes = [app, *screen.walk_children(with_self=True)]  # type: ignore[attr-defined]
    return [node for node in nodes if node.is_running and node.is_attached]
