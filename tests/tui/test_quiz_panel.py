"""The quiz panel driven by a learner: right, wrong, unreadable and shown answers, and what a
verdict redraws."""

from __future__ import annotations

import asyncio
from collections import Counter
from unittest import mock

from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Input

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.screens.tutor import TutorScreen
from backprop_tutor.tui.widgets.key_footer import KeyFooter
from backprop_tutor.tui.widgets.lesson_text import LessonText
from backprop_tutor.tui.widgets.question_row import QuestionRow
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import STEP1_ANSWERS, settle, short, tutor, type_answer

SIZE = (120, 40)


def focused_row(app) -> QuestionRow:  # type: ignore[no-untyped-def]
    """The question row holding the focused input."""
    focused = app.focused
    assert isinstance(focused, Input)
    row = next(a for a in focused.ancestors if isinstance(a, QuestionRow))
    return row


async def test_the_quiz_at_the_start() -> None:
    """The cursor waits on u; the quantities come in hand order, δ named.

    Forward values, gradients backward, parameter gradients, updates.
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert short(focused_row(app).question) == "value:u"
        keys = [short(r.question) for r in tutor(app).quiz_panel.rows]
        assert keys == list(STEP1_ANSWERS)
        labels = {short(r.question): r.question.label for r in tutor(app).quiz_panel.rows}
        assert labels["grad:v"] == "δ = ∂J/∂v"
        assert labels["grad:a"] == "∂J/∂a"
        assert labels["update:a"] == "new a"


async def test_wrong_answer_says_so_and_keeps_the_input() -> None:
    """A wrong u is marked wrong, the text stays for another try, u stays hidden."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await type_answer(pilot, "3")
        row = screen.quiz_panel.rows[0]
        assert row.status == "wrong"
        assert row.input.value == "3"
        assert focused_row(app) is row
        assert screen.graph_panel.state is not None
        assert "u" not in screen.graph_panel.state.values
        # Another try, right this time.
        await pilot.press("backspace")
        await type_answer(pilot, "2")
        assert row.status == "right"


async def test_unreadable_answer_is_not_counted_wrong() -> None:
    """Text that is not a number gets a message on what to type, not a cross."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_answer(pilot, "abc")
        row = tutor(app).quiz_panel.rows[0]
        assert row.status == "invalid"
        assert "Type a number" in row.feedback_text


async def test_show_me_reveals_without_solving() -> None:
    """ctrl+r fills in the value, marks it shown (not solved) and moves on."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("ctrl+r")
        await settle(pilot)
        row = screen.quiz_panel.rows[0]
        assert row.status == "revealed"
        assert row.input.value == "2"
        assert screen.state.progress == (0, 1, 21)
        assert screen.graph_panel.state is not None
        assert "u" in screen.graph_panel.state.values
        assert short(focused_row(app).question) == "value:h"


async def test_a_whole_step_by_hand_then_step_two_and_back() -> None:
    """Every quantity of step 1 typed as a person would; step 2 fresh; step 1 kept.

    The first right answer gets a check mark, shows u on the graph, moves focus to h
    and counts in the status line; at the end all are solved and on the graph. Going
    to step 2 and back keeps step 1's solved quantities.
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert screen.graph_panel.state is not None
        assert "u" not in screen.graph_panel.state.values
        for i, (key, text) in enumerate(STEP1_ANSWERS.items()):
            assert short(focused_row(app).question) == key
            await type_answer(pilot, text)
            assert screen.quiz_panel.rows[i].status == "right", key
            if i == 0:
                assert "u" in screen.graph_panel.state.values
                assert short(focused_row(app).question) == "value:h"
                assert "1/21" in str(screen.query_one(StatusLine).render())
        assert screen.state.progress == (21, 0, 21)
        state = screen.graph_panel.state
        assert state is not None
        assert {"u", "h", "v", "p", "L", "R", "J"} <= state.values
        assert {"a", "b", "c", "d", "u", "v"} <= state.grads
        assert {"a", "b", "c", "d"} <= state.updated
        await pilot.press("f8")
        await settle(pilot)
        assert screen.state.progress == (0, 0, 21)
        assert {r.status for r in screen.quiz_panel.rows} == {"open"}
        await pilot.press("f7")
        await settle(pilot)
        rows = screen.quiz_panel.rows
        assert [r.status for r in rows] == ["right"] * 21
        assert [r.input.value for r in rows] == list(STEP1_ANSWERS.values())


async def test_up_and_down_move_between_quantities() -> None:
    """Arrow keys in the quiz go to the next and previous quantity."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("down", "down")
        assert short(focused_row(app).question) == "value:v"
        await pilot.press("up")
        assert short(focused_row(app).question) == "value:h"


async def test_carried_error_counts_as_method_right() -> None:
    """With u wrong at 3, h typed as 9 is right for the learner's u, and says so."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await type_answer(pilot, "3")
        await pilot.press("down")
        await type_answer(pilot, "9")
        row = screen.quiz_panel.rows[1]
        assert row.status == "carried"
        message = row.feedback_text
        # Named, not told: their u is pointed back to, neither value given (issue 11).
        assert "your own u" in message and "3" not in message and "2" not in message
        assert screen.state.progress == (1, 0, 21)


async def test_too_few_digits_asks_for_more() -> None:
    """J typed as 0.83 is right as far as it goes: not solved, the input kept."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        row = screen.quiz_panel.rows[6]
        assert short(row.question) == "value:J"
        row.input.focus()
        await type_answer(pilot, "0.83")
        assert row.status == "close"
        assert focused_row(app) is row


async def test_hints_come_in_levels() -> None:
    """ctrl+g shows the first hint, again the second, under the current quantity."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = tutor(app).quiz_panel.rows[0]
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert row.feedback_text.startswith("Hint 1")
        await pilot.press("ctrl+g")
        await settle(pilot)
        assert row.feedback_text.startswith("Hint 2")
        assert row.status == "open"


async def test_click_on_a_row_puts_the_cursor_in_it() -> None:
    """A row not used yet draws itself; clicking it gives it a real input with focus."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = tutor(app).quiz_panel.rows[4]
        assert not row.children  # drawn, not composed, until used
        await pilot.click(f"#{row.id}", offset=(20, 0))
        await settle(pilot)
        assert focused_row(app) is row
        await type_answer(pilot, "0.734694")
        assert row.status == "right"


class Calls:
    """Counts every render and every measure (a layout) of some widgets and their children.

    Textual calls `render` only to redraw a widget whose content or size changed, and
    `get_content_width` / `get_content_height` only to lay out one whose size may have.
    """

    def __init__(self, *widgets: Widget) -> None:
        self.renders: Counter[str] = Counter()
        self.measures: Counter[str] = Counter()
        for top in widgets:
            for widget in top.walk_children(with_self=True):
                if isinstance(widget, Widget):
                    self._watch(widget)

    def _watch(self, widget: Widget) -> None:
        name = type(widget).__name__
        render, width, height = widget.render, widget.get_content_width, widget.get_content_height

        def counted_render() -> object:
            self.renders[name] += 1
            return render()

        def counted_width(container: Size, viewport: Size) -> int:
            self.measures[name] += 1
            return width(container, viewport)

        def counted_height(container: Size, viewport: Size, width: int) -> int:
            self.measures[name] += 1
            return height(container, viewport, width)

        widget.render = counted_render  # type: ignore[method-assign]
        widget.get_content_width = counted_width  # type: ignore[method-assign]
        widget.get_content_height = counted_height  # type: ignore[method-assign]

    def __bool__(self) -> bool:
        return bool(self.renders or self.measures)

    def __repr__(self) -> str:
        return f"renders {dict(self.renders)}, measures {dict(self.measures)}"


def others(app: TutorApp) -> tuple[Widget, ...]:
    """Everything on the tutor screen outside the quiz panel."""
    screen = tutor(app)
    return (
        screen.graph_panel,
        screen.path_panel,
        screen.query_one(KeyFooter),
        screen.query_one(StatusLine),
        screen.query_one(LessonText),
    )


async def enter_until_painted(app: TutorApp, row: QuestionRow) -> None:
    """Press Enter as the terminal does and wait for the frame that shows the row's verdict."""
    typed = row.input.value
    painted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    hook = app.post_display_hook

    def shown() -> None:
        hook()
        # The first frame painted once the answer is recorded (and so its verdict shown).
        if row.state.typed(row.question) == typed and not painted.done():
            painted.set_result(None)

    app.post_display_hook = shown  # type: ignore[method-assign]
    app.post_message(events.Key("enter", "\r"))
    await asyncio.wait_for(painted, timeout=30)
    app.post_display_hook = hook  # type: ignore[method-assign]


async def test_a_wrong_verdict_redraws_the_row_and_nothing_else() -> None:
    """A wrong answer repaints its row: the graph, the paths, the footer, the status line and
    the lesson text are neither drawn again nor laid out, then or after."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = tutor(app).quiz_panel.rows[0]
        await pilot.press("3")
        await settle(pilot)
        calls, in_row = Calls(*others(app)), Calls(row)
        await enter_until_painted(app, row)
        assert row.status == "wrong"
        assert in_row.renders, "the row's verdict was painted"
        await settle(pilot)
        assert not calls, calls
        # A second wrong answer with a line as long: the row redrawn, nothing laid out.
        await pilot.press("backspace", "4")
        await settle(pilot)
        in_row = Calls(row)
        await enter_until_painted(app, row)
        await settle(pilot)
        assert row.feedback_text and in_row.renders
        assert not in_row.measures, in_row
        assert not calls, calls


async def test_a_right_verdict_is_painted_before_the_other_panels_follow() -> None:
    """The frame with a right answer's verdict draws only the quiz; then the graph is drawn
    once with the new value, never laid out, and the footer is left as it was."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        row = screen.quiz_panel.rows[0]
        await pilot.press("2")
        await settle(pilot)
        footer = screen.query_one(KeyFooter)
        keys = list(footer.children)
        calls, canvas, bottom = Calls(*others(app)), Calls(screen.graph_panel.canvas), Calls(footer)
        await enter_until_painted(app, row)
        assert row.status == "right"
        assert not calls, calls
        await settle(pilot)
        assert screen.graph_panel.state is not None and "u" in screen.graph_panel.state.values
        assert canvas.renders == {"GraphCanvas": 1}, canvas
        assert not canvas.measures, canvas
        assert not bottom, bottom
        assert list(footer.children) == keys


async def test_stepping_keys_in_a_burst_show_the_last_step_once() -> None:
    """F8, F7, F8 queued at once: each new step's rows mount in turn (the second load used
    to mount while the first was still under way: DuplicateIds), and the last step shows."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        for keys in (("f8", "f7", "f8"), ("f7", "f8", "f7", "f8", "f7")):
            for key in keys:  # queued at once, as a key held down sends them
                app.post_message(events.Key(key, None))
            await settle(pilot)
            want = 1 if keys[-1] == "f8" else 0
            assert screen.state.step == want and screen.quiz_panel.step == want
            rows = screen.quiz_panel.rows
            assert [r.question for r in rows] == list(screen.state.questions)
            assert len({r.id for r in rows}) == len(rows)
            assert all(r.is_mounted for r in rows)


async def test_the_cursors_row_is_made_ready_to_type_in() -> None:
    """The row the cursor starts in is composed with its input, so the screen's first
    layout has it (mounted once the screen was up, it cost the first screen a layout)."""
    app = make_app(plan=NUMBERS_ONLY)
    at_mount: list[list[bool]] = []
    real = TutorScreen.on_mount

    def on_mount(screen: TutorScreen) -> None:
        at_mount.append([bool(row.query(Input)) for row in screen.quiz_panel.rows[:3]])
        real(screen)

    with mock.patch.object(TutorScreen, "on_mount", on_mount):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            rows = tutor(app).quiz_panel.rows
            assert app.focused is rows[0].input
            assert not rows[5].children  # the rest draw themselves until used
    assert at_mount == [[True, False, False]]


async def test_a_verdict_at_the_bottom_of_the_panel_is_in_view_in_its_own_frame() -> None:
    """A wrong answer in the last row in view grows the row below the panel's edge: the
    frame that paints the verdict has already scrolled it into view (the scroll used to
    wait for the layout, and the verdict showed a frame later)."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = tutor(app).quiz_panel
        view = panel.scrollable_content_region
        last = max(
            (row for row in panel.rows if view.contains_region(row.region)),
            key=lambda row: row.region.y,
        )
        last.input.focus()
        await settle(pilot)
        await pilot.press("1", "2", "3", "4", "5")
        await settle(pilot)
        await enter_until_painted(app, last)
        assert last.status == "wrong"
        line = next(last.query(".question-feedback").results())
        assert line.display and line.region.height
        assert panel.scrollable_content_region.contains_region(line.region), (
            line.region,
            panel.scrollable_content_region,
        )
