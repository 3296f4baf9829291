"""Deferred work: counted, awaited by `settled`, and harmless once its widget is gone."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import deferred, make_app

from .helpers import settle, tutor

SIZE = (120, 40)


async def test_settled_waits_for_the_next_row_to_be_prepared() -> None:
    """After focus lands on u, h's input is mounted ahead of use, and settled waits for it."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = tutor(app).quiz_panel.rows
        assert deferred.pending(app).count == 0
        assert rows[0].children and rows[1].children  # u in use, h prepared
        assert not rows[2].children  # the rest still draw themselves


async def test_a_deferral_for_a_replaced_row_does_nothing() -> None:
    """Going to step 2 before step 1's timer fires leaves step 2's rows untouched.

    This was the flaky snapshot: the timer prepared "the row after u" by index, which
    after F8 was a row of step 2. Now it prepares the very row it was set for, if that
    row is still there, whenever it fires.
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f8")
        await settle(pilot)
        screen = tutor(app)
        assert screen.position.step == 1
        rows = screen.quiz_panel.rows
        # Step 2 puts the cursor in its first row and prepares the one after it (its own
        # timer); nothing past them is touched.
        assert app.focused is rows[0].input
        assert not any(row.children for row in rows[2:])


@pytest.mark.parametrize(("value", "seconds"), [("0.3", 0.3), ("", 0.0), ("soon", 0.0)])
def test_the_slow_switch_is_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, seconds: float
) -> None:
    """BACKPROP_TUTOR_SLOW_DEFERRALS adds its seconds; unset or unreadable adds none."""
    monkeypatch.setenv(deferred.SLOW_ENV, value)
    assert deferred.read_slowdown() == seconds


async def test_after_paint_work_waits_for_the_frame_that_shows_every_change() -> None:
    """A frame that goes out while a widget's repaint is still on its way to the screen
    does not start the after-paint work: the frame that paints that change does (the
    follow-up work had joined a verdict's frame, which then waited for the graph)."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ran: list[bool] = []
        label = tutor(app).query_one("#status")
        deferred.after_paint(app, lambda: ran.append(True))
        label._repaint_required = True  # asked, and not yet sent to the screen
        deferred.painted(app)
        assert ran == [] and deferred.pending(app).after_paint
        label._repaint_required = False
        deferred.painted(app)
        await settle(pilot)
        assert ran == [True]


class _TwoLines(deferred.HoldsFrames):
    """Two lines, which a change fills in on different turns of the event loop."""

    def compose(self) -> ComposeResult:
        yield Static("", id="first")
        yield Static("", id="second")


class _TwoLinesApp(App[None]):
    """Paints `_TwoLines`, keeping the text of every frame."""

    def __init__(self) -> None:
        super().__init__()
        self.frames: list[str] = []
        self.held_as_second_filled: bool | None = None  # frames held when line 2 came

    def on_mount(self) -> None:
        self.push_screen(_TwoLines())

    def post_display_hook(self) -> None:
        compositor = self.screen._compositor
        self.frames.append("\n".join(strip.text for strip in compositor.render_strips()))
        deferred.painted(self)

    def change(self) -> None:
        """Fill the first line now and the second five turns of its own queue later."""
        first = self.screen.query_one("#first", Static)
        second = self.screen.query_one("#second", Static)

        def later(turns: int) -> None:
            if turns:
                second.call_later(later, turns - 1)
                return
            second.update("second line")
            self.held_as_second_filled = self._batch_count > 0

        with deferred.one_frame(self):
            first.update("first line")
            second.call_later(later, 5)


async def test_one_frame_holds_the_frame_until_every_widget_has_asked() -> None:
    """The frame waits while a widget still has work queued that may change it (a line
    filled in five turns later), then goes out with both lines, and nothing stays held."""
    app = _TwoLinesApp()
    async with app.run_test(size=(40, 5)):
        await deferred.settled(app)
        app.frames.clear()
        app.change()
        await deferred.settled(app)
        assert app.held_as_second_filled is True
        assert app._batch_count == 0
        first = next(frame for frame in app.frames if "first line" in frame)
        assert "second line" in first, app.frames
