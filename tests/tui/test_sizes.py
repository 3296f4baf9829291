"""Every terminal size keeps what the learner needs: their row, the quiz count, the legend."""

from __future__ import annotations

import pytest

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.widgets.status_line import StatusLine, fitted

from .helpers import STEP1_ANSWERS, screen_text, settle, short, tutor, type_answer
from .test_typing_speed import visible

# Height alone first (the rows keep their width, so only the panel notices), then both.
SIZES = [(120, 30), (120, 24), (80, 24), (200, 60), (60, 18), (120, 40)]


async def test_a_resize_keeps_the_row_being_answered_in_view() -> None:
    """Twelve answers in, each resize (smaller, larger, smallest, back) still shows the row."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        panel = tutor(app).quiz_panel
        for answer in list(STEP1_ANSWERS.values())[:12]:
            await type_answer(pilot, answer)
        row = panel.current
        assert row is not None and short(row.question) == "grad:u"
        await type_answer(pilot, "7777")  # wrong: its feedback is written under it
        assert row.feedback_text
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            assert app.size == (width, height)
            where = f"{short(row.question)} at {width}×{height}"
            if row.region.height <= panel.scrollable_content_region.height:
                assert visible(panel, row), f"{where}: out of view"
            else:
                # Taller than the panel (60×18): its answer line is the panel's top line.
                view = app.screen.find_widget(panel).region.shrink(panel.styles.gutter)
                assert app.screen.find_widget(row.input).region.y <= view.y + 1, where
                assert view.contains_region(app.screen.find_widget(row.input).region), where
            assert app.focused is row.input


@pytest.mark.parametrize("lesson", ["sigmoid-logistic", "softmax-cross-entropy"])
async def test_at_80_by_24_the_status_keeps_its_quiz_count_and_the_legend_is_whole(
    lesson: str,
) -> None:
    """A long title and stage give way; `quiz n/m ✓` and `∇ = ∂J/∂node` are shown whole."""
    app = make_app(lesson, plan=NUMBERS_ONLY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot)
        screen = tutor(app)
        status = str(screen.query_one(StatusLine).render())
        total = len(screen.quiz_panel.rows)
        assert status.rstrip().endswith(f"quiz 0/{total} ✓"), status
        assert len(status.rstrip()) <= 80 - 2
        legend = str(screen.graph_panel.border_subtitle)
        assert legend.endswith("∇ = ∂J/∂node") and len(legend) <= 80 - 4, legend


def test_the_title_gives_way_first_then_the_inputs() -> None:
    """The title is cut to a dozen letters, then the inputs go; the quiz count never does."""
    full = "step 1/2 (x = 2, y = 1) │ Backward pass at p (2/3)"
    short_part = "step 1/2 │ Backward pass at p (2/3)"
    quiz = "quiz 10/21 ✓ (2 shown)"
    title = "A sigmoid neuron with logistic loss"
    assert fitted(title, (full, short_part), quiz, 200) == (title, full)
    lesson, where = fitted(title, (full, short_part), quiz, 100)
    assert where == full and lesson.endswith("…") and len(lesson) >= 12
    lesson, where = fitted(title, (full, short_part), quiz, 78)
    assert where == short_part and lesson.endswith("…")
    assert len(f"{lesson} │ {where} │ {quiz}") <= 78


async def test_at_80_by_24_the_graph_panel_draws_the_selected_nodes_neighbourhood() -> None:
    """Too small for the whole graph: the selected node, its operands and consumers, drawn.

    It follows the quiz's node, arrow keys walk to a neighbour, and the list comes back
    for a node whose neighbourhood does not fit either.
    """
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = tutor(app)
        panel = screen.graph_panel
        assert panel.compact and screen.state.selected == "u"
        assert str(panel.border_title) == "Graph around u"
        text = screen_text(app)
        assert "╭─ ● u" in text and "▶● h = ?" in text and "◆ a = 1" in text
        await type_answer(pilot, "2")
        assert str(panel.border_title) == "Graph around h"
        assert panel.canvas.size.width == panel.view.near_layout("h").width
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is panel
        await pilot.press("left")
        await settle(pilot)
        assert screen.state.selected == "u"
        assert str(panel.border_title) == "Graph around u"
        await pilot.resize_terminal(80, 20)  # seven rows are now four: the list
        await settle(pilot)
        assert str(panel.border_title) == "Graph"
        assert "▸ ● u  = 2" in screen_text(app), screen_text(app)
