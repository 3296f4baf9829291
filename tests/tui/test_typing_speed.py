"""Keys sent as a terminal sends them, in one burst: each reaches its row, in order.

`pilot.press` waits for the app to go idle after every key, which hides any race
between widgets' queues. These tests post the whole burst to the app at once (as the
driver does when a paste or a fast typist fills one read) and only then wait.
"""

from __future__ import annotations

from textual import events
from textual.geometry import Region

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.widgets.question_row import QuestionRow
from backprop_tutor.tui.widgets.quiz_panel import QuizPanel
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import STEP1_ANSWERS, settle, short, tutor, type_answer

SIZE = (120, 40)
# Keys the tests send by name, with the character a terminal sends for them.
NAMED = {"enter": "\r", "backspace": "\x08", "left": None, "right": None, "home": None}
# Textual's key names for the characters an answer is typed with.
KEY_OF = {"/": "slash", "*": "asterisk", "-": "minus", ".": "full_stop", "+": "plus"}
KEY_OF |= {"(": "left_parenthesis", ")": "right_parenthesis", " ": "space"}


def burst(app: TutorApp, *keys: str) -> None:
    """Queue every key on the app at once, with no pause: names ("enter") or characters."""
    for key in keys:
        if key in NAMED:
            app.post_message(events.Key(key, NAMED[key]))
        else:
            app.post_message(events.Key(KEY_OF.get(key, key), key))


async def test_backspace_in_a_burst_edits_in_order() -> None:
    """`12`, Backspace, `34` in one burst gives 134 (it gave 123)."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "1", "2", "backspace", "3", "4")
        await settle(pilot)
        assert tutor(app).quiz_panel.rows[0].input.value == "134"


async def test_left_in_a_burst_moves_the_cursor_first() -> None:
    """`12`, Left, `9` in one burst gives 192 (it gave 129)."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "1", "2", "left", "9")
        await settle(pilot)
        assert tutor(app).quiz_panel.rows[0].input.value == "192"


async def test_answers_and_enters_in_one_burst_land_in_their_rows() -> None:
    """`2⏎4⏎6⏎` answers u, h and v; the status line walks the forward pass with them."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        burst(app, "2", "enter", "4", "enter", "6", "enter")
        await settle(pilot)
        screen = tutor(app)
        rows = screen.quiz_panel.rows
        assert [r.input.value for r in rows[:3]] == ["2", "4", "6"]
        assert [r.status for r in rows[:3]] == ["right"] * 3
        assert screen.state.progress.solved == 3
        status = str(screen.query_one(StatusLine).render())
        assert "Forward pass at v (3/7)" in status
        assert short(screen.quiz_panel.rows[3].question) == "value:p"
        assert app.focused is rows[3].input


async def test_a_whole_step_typed_in_one_burst() -> None:
    """All 21 answers of step 1, one burst: every row right, in its own row."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        keys: list[str] = []
        for answer in STEP1_ANSWERS.values():
            keys += [*answer, "enter"]
        burst(app, *keys)
        await settle(pilot)
        rows = tutor(app).quiz_panel.rows
        assert [r.input.value for r in rows] == list(STEP1_ANSWERS.values())
        assert all(r.status == "right" for r in rows), [r.status for r in rows]


async def test_a_paste_lands_whole_and_is_checked_whole() -> None:
    """A pasted arithmetic answer (bracketed paste) is one answer, checked as typed."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(events.Paste("(0.4+1.6)"))
        burst(app, "enter")
        await settle(pilot)
        row = tutor(app).quiz_panel.rows[0]
        assert row.input.value == "(0.4+1.6)"
        assert row.status == "right"


def visible(panel: QuizPanel, row: QuestionRow) -> bool:
    """Whether the row, and everything written under it, is inside the panel's view."""
    screen = panel.screen
    view = screen.find_widget(panel).region.shrink(panel.styles.gutter)
    region: Region = screen.find_widget(row).region
    return view.contains_region(region)


async def test_every_answer_of_step_1_keeps_the_learners_row_in_view() -> None:
    """After each of the 21 answers (a wrong try first), the current row is fully shown."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = tutor(app).quiz_panel
        for answer in STEP1_ANSWERS.values():
            row = panel.current
            assert row is not None
            await type_answer(pilot, "7777")  # wrong: its feedback is under the row
            assert row.feedback_text
            assert visible(panel, row), f"{short(row.question)} (wrong) is out of view"
            await pilot.press("ctrl+u")
            await type_answer(pilot, answer)
            assert row.status == "right", short(row.question)
            nxt = panel.current
            if nxt is not None and nxt is not row:
                assert visible(panel, nxt), f"{short(nxt.question)} is out of view"
                assert visible(panel, row) or row.region.y < nxt.region.y


async def test_three_hints_stay_in_view() -> None:
    """The three hints for δ are read in full: the row grows and stays inside the panel."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = tutor(app).quiz_panel
        for answer in list(STEP1_ANSWERS.values())[:10]:
            await type_answer(pilot, answer)
        row = panel.current
        assert row is not None and short(row.question) == "grad:v"
        for _ in range(3):
            await pilot.press("ctrl+g")
            await settle(pilot)
            assert visible(panel, row)


async def test_a_step_change_puts_the_cursor_in_the_first_open_row() -> None:
    """After F8 the quiz has the focus, on step 2's first question, at the top."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)
        panel = tutor(app).quiz_panel
        assert panel.step == 1
        first = panel.rows[0]
        assert app.focused is first.input
        assert visible(panel, first)
        burst(app, "3")
        await settle(pilot)
        assert first.input.value == "3"


async def test_tab_then_right_moves_the_graph_selection_and_marks_the_panel() -> None:
    """Tab goes to the graph (its border marked), Right selects the next node; back to the quiz."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert screen.quiz_panel.has_class("-active")
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is screen.graph_panel
        assert not screen.quiz_panel.has_class("-active")
        before = screen.state.selected
        await pilot.press("right")
        await settle(pilot)
        assert screen.state.selected != before
        await pilot.press("shift+tab")
        await settle(pilot)
        assert app.focused is screen.quiz_panel.rows[0].input
