"""`settled()` fails instead of hanging: a crashed or closed app, or work that never ends.

Before, `deferred.settled` waited forever once the app had died, so a crash inside a
Pilot test hung the run instead of failing it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.events import Show
from textual.widget import Widget
from textual.widgets import Static

from backprop_tutor.tui import deferred


class _Plain(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("nothing here")


class _Stuck(Widget):
    """A widget whose mount handler waits until `release` is set (its queue fills up)."""

    def __init__(self, release: asyncio.Event) -> None:
        super().__init__()
        self.release = release

    async def on_mount(self) -> None:
        await self.release.wait()


def _crash() -> None:
    raise ZeroDivisionError("a bug in a handler")


async def test_a_crash_while_work_is_pending_fails_at_once() -> None:
    """The app crashes with a piece of work still counted: NotSettled names the crash."""
    app = _Plain()
    with pytest.raises(ZeroDivisionError):
        async with app.run_test():
            deferred.pending(app).start()  # work that will never run: the app dies first
            app.call_later(_crash)
            with pytest.raises(deferred.NotSettled, match=r"crashed .*ZeroDivisionError"):
                await deferred.settled(app, limit=5)


async def test_an_app_that_exits_while_work_is_pending_fails_at_once() -> None:
    """The app exits with work still counted: NotSettled says it has exited."""
    app = _Plain()
    async with app.run_test():
        deferred.pending(app).start()
        app.exit()
        with pytest.raises(deferred.NotSettled, match="has exited"):
            await deferred.settled(app, limit=5)


async def test_an_exited_app_with_nothing_pending_is_settled() -> None:
    """Nothing left to wait for once the app has closed cleanly: settled returns."""
    app = _Plain()
    async with app.run_test() as pilot:
        await deferred.settled(app)
        await pilot.exit(None)
    await deferred.settled(app, limit=5)


async def test_work_that_never_ends_is_named_when_time_is_up() -> None:
    """Past the limit, NotSettled names the stage waited for and the tracked work."""
    app = _Plain()
    async with app.run_test():
        never: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        deferred.track(app.screen, never)
        with pytest.raises(deferred.NotSettled) as raised:
            await deferred.settled(app, limit=0.2)
        message = str(raised.value)
        assert "within 0.2 s" in message
        assert "waiting for deferred work" in message
        assert "1 deferred piece(s) pending" in message
        assert "tracked <Task pending" in message
        never.set_result(None)
        await deferred.settled(app)


async def test_a_widget_that_never_answers_is_named_with_its_queue() -> None:
    """A widget stuck in a handler, messages queued behind it: the message names it."""
    app = _Plain()
    release = asyncio.Event()
    async with app.run_test():
        stuck = _Stuck(release)
        _mounting = asyncio.ensure_future(app.screen.mount(stuck))
        await asyncio.wait_for(_wait_until(lambda: stuck.is_running), 10)
        stuck.post_message(Show())
        with pytest.raises(deferred.NotSettled) as raised:
            await deferred.settled(app, limit=0.2)
        message = str(raised.value)
        assert "waiting for message queues" in message
        assert "_Stuck()" in message and "message(s) queued, running" in message
        release.set()
        await _mounting
        await deferred.settled(app)


async def _wait_until(condition: Callable[[], bool]) -> None:
    """Yield to the loop until `condition()` holds (bounded by the caller's wait_for)."""
    while not condition():
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    ("value", "seconds"), [("5", 5.0), ("", 30.0), ("soon", 30.0), ("-1", 30.0)]
)
def test_the_limit_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    """BACKPROP_TUTOR_SETTLE_LIMIT sets the bound; unset, unreadable or not positive: 30 s."""
    monkeypatch.setenv(deferred.SETTLE_ENV, value)
    assert deferred.read_settle_limit() == seconds
