"""A verdict reaches the screen whole, in one frame that redraws the quiz panel alone, and
Python's collector waits for that frame."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass

import pytest
from textual import events
from textual.geometry import Region

from backprop_tutor.engine import collector
from backprop_tutor.quiz import Feedback, Question
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.widgets.question_row import QuestionRow

from .helpers import tutor

SIZE = (120, 40)


@dataclass
class Frame:
    """One painted frame: the screen's text and the regions Textual redrew for it."""

    text: str
    redrawn: list[Region]


class Frames:
    """Every frame the app paints from now on (headless: the compositor's own picture)."""

    def __init__(self, app: TutorApp) -> None:
        self.app = app
        self.frames: list[Frame] = []
        self._redrawn: list[Region] = []
        compositor = app.screen._compositor
        render_update = compositor.render_update

        def noted_render_update(*args: object, **kwargs: object) -> object:
            self._redrawn = list(compositor._dirty_regions)
            return render_update(*args, **kwargs)  # type: ignore[arg-type]

        compositor.render_update = noted_render_update  # type: ignore[method-assign]
        hook = app.post_display_hook

        def painted() -> None:
            hook()
            text = "\n".join(strip.text for strip in compositor.render_strips())
            self.frames.append(Frame(text, self._redrawn))

        app.post_display_hook = painted  # type: ignore[method-assign]

    def first_with(self, text: str) -> Frame:
        """The first frame whose screen shows `text`."""
        return next(frame for frame in self.frames if text in frame.text)


async def answer(app: TutorApp, row: QuestionRow, text: str) -> None:
    """Type `text` into the row and press Enter as the terminal sends it; wait for calm."""
    row.input.focus()
    await app.settled()
    row.input.value = text
    await app.settled()
    app.post_message(events.Key("enter", "\r"))
    await app.settled()


def right_answer(row: QuestionRow) -> str:
    """What a learner types to answer the row right."""
    return str(row.question.typed or repr(row.question.expected))


def last_row_in_view(app: TutorApp) -> QuestionRow:
    """The lowest question row the quiz panel shows whole."""
    panel = tutor(app).quiz_panel
    view = panel.scrollable_content_region
    return max(
        (row for row in panel.rows if view.contains_region(row.region)),
        key=lambda row: row.region.y,
    )


async def test_a_right_answer_shows_its_mark_line_and_count_in_one_frame() -> None:
    """The frame that first shows a right answer's sentence also shows its ✓ and the
    panel's new count. (In a terminal the answered input and its sentence went out a
    frame before the mark and the count; headless, the frames come in another order,
    and test_deferred checks the hold that prevents it.)"""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(200, 60)):
        await app.settled()
        row = tutor(app).quiz_panel.rows[0]
        await answer(app, row, "3")  # wrong first: the sentence's line is already shown
        row.input.value = "2"
        await app.settled()
        frames = Frames(app)
        app.post_message(events.Key("enter", "\r"))
        await app.settled()
        assert row.status == "right"
        frame = frames.first_with("Correct: u = 2")
        assert "✓ u" in frame.text
        assert "Quiz: 1/" in frame.text


async def test_a_verdict_that_scrolls_redraws_the_quiz_panel_alone() -> None:
    """A right answer in the last row in view moves the cursor below the panel's edge; its
    frame scrolls and redraws the quiz panel, not the screen (Textual drew a scroll alone,
    straight after a layout, as the whole screen: 41 KB at 200x60 in a terminal)."""
    app = make_app(plan=NUMBERS_ONLY)
    # Wide enough for the wrong answer's sentence to take one line, as the right one's:
    # the row keeps its height, and only the cursor's move scrolls.
    async with app.run_test(size=(200, 60)):
        await app.settled()
        screen = tutor(app)
        panel = screen.quiz_panel
        for row in panel.rows:  # down to the last row in view, each answered right
            if row is last_row_in_view(app):
                break
            await answer(app, row, right_answer(row))
        row = last_row_in_view(app)
        await answer(app, row, "12345")  # wrong: its line shown, the panel scrolled
        top = panel.scroll_y
        frames = Frames(app)
        await answer(app, row, right_answer(row))
        assert row.status == "right"
        assert panel.scroll_y > top, "the verdict scrolled the panel"
        verdict = frames.first_with("✓ " + row.question.row_label)
        region = panel.region
        assert verdict.redrawn
        assert all(region.contains_region(part) for part in verdict.redrawn), (
            verdict.redrawn,
            region,
        )


@pytest.mark.usefixtures("collector_unheld")
async def test_the_collector_waits_for_the_verdicts_frame() -> None:
    """Off from Enter until the verdict is painted, on again after, so that a collection
    the verdict's allocations start never lands between the key and its frame."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE):
        await app.settled()
        state = tutor(app).state
        row = tutor(app).quiz_panel.rows[0]
        on_while_judging: list[bool] = []
        on_at_frames: list[bool] = []  # from Enter on
        judge = state.answer

        def watched(question: Question, text: str) -> Feedback:
            on_while_judging.append(gc.isenabled())
            return judge(question, text)

        state.answer = watched  # type: ignore[method-assign]
        hook = app.post_display_hook

        def painted() -> None:
            on_at_frames.append(gc.isenabled())
            hook()

        row.input.focus()
        row.input.value = "3"
        await app.settled()
        app.post_display_hook = painted  # type: ignore[method-assign]
        app.post_message(events.Key("enter", "\r"))
        await app.settled()
        assert row.status == "wrong"
        assert on_while_judging == [False]
        assert on_at_frames and on_at_frames[0] is False  # the verdict's own frame
        assert gc.isenabled()


@pytest.mark.usefixtures("collector_unheld")
async def test_an_app_closing_during_a_hold_gives_the_collector_back() -> None:
    """Quit with a verdict's hold still on: the collector is on once the app has gone."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE):
        await app.settled()
        collector.hold(limit=60)
        assert not gc.isenabled()
    assert gc.isenabled()


async def test_a_full_collection_waits_for_a_pause_in_the_learners_keys() -> None:
    """Looked for every half second; run only once no key has come for a second."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await app.settled()
        ran: list[bool] = []
        real = collector.collect_in_pause

        def counted() -> bool:
            ran.append(True)
            return real()

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(collector, "collect_in_pause", counted)
            await pilot.press("3")
            assert not app.collect_if_paused()  # a key a moment ago: no look at all
            assert ran == []
            app._last_input = time.monotonic() - 5
            gc.collect(1)  # something has reached the oldest generation
            assert app.collect_if_paused()
            assert ran == [True]
