"""Help, palette, themes, lessons and sizes: the conventions a Textual user expects."""

from __future__ import annotations

import pytest

from backprop_tutor.engine import builtin_lesson_paths, load_lesson
from backprop_tutor.tui import make_app
from backprop_tutor.tui.screens.help import HelpScreen
from backprop_tutor.tui.screens.tutor import TutorScreen
from backprop_tutor.tui.widgets.too_small import TooSmall

from .helpers import tutor

SIZE = (120, 40)


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_opens_from_the_input_and_closes(key: str) -> None:
    """F1 and ? open the help even with the cursor in an answer; escape closes it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        listed = {k for k, _ in app.screen.keys}
        assert {"ctrl+n", "ctrl+b", "ctrl+l", "f7", "f8", "ctrl+r", "f1", "?"} <= listed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TutorScreen)
        assert tutor(app).quiz_panel.rows[0].input.value == ""


async def test_every_footer_binding_is_in_the_help() -> None:
    """What the footer shows, the help lists."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = tutor(app)
        helped = {k for k, _ in screen.help_keys()}
        shown = {b.key for b in screen.BINDINGS if getattr(b, "show", False)}
        assert shown <= helped


async def test_palette_jumps_to_a_step() -> None:
    """ctrl+p, 'Go to step 2', Enter: the app is at step 2."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Go to step 2")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert tutor(app).position.step == 1


async def test_palette_shows_paths_of_a_parameter() -> None:
    """The palette's 'Show paths of c' selects c and lists its two paths."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Show paths of c")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = tutor(app)
        assert screen.selected == "c"
        assert len(screen.path_panel.paths) == 2


async def test_theme_toggles_between_light_and_dark() -> None:
    """The theme command switches to a light theme and back."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        dark = app.current_theme.dark
        app.action_toggle_dark()
        await pilot.pause()
        assert app.current_theme.dark is not dark
        app.action_toggle_dark()
        await pilot.pause()
        assert app.current_theme.dark is dark


async def test_switch_lesson_opens_another_graph() -> None:
    """Switching lesson replaces the screen with the new lesson's graph."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_lesson("single-chain")
        await pilot.pause()
        screen = tutor(app)
        assert screen.lesson.name == "single-chain"
        assert screen.quiz_panel.rows[0].quantity.short == "value:z"


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
@pytest.mark.parametrize("size", [(120, 40), (80, 24), (100, 30)])
async def test_every_lesson_opens_at_every_size(name: str, size: tuple[int, int]) -> None:
    """Any lesson's graph is laid out and drawn, or listed where it does not fit."""
    app = make_app(load_lesson(name))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l")
        await pilot.pause()
        screen = tutor(app)
        view = screen.graph_panel.view
        assert set(view.layout.rects) == {n.name for n in screen.lesson.graph.nodes}


async def test_resizing_down_to_20x8_never_raises() -> None:
    """Every size down to 20×8 works; tiny ones ask for a larger terminal."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = tutor(app)
        for width, height in [(100, 30), (80, 24), (60, 18), (40, 12), (20, 8), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            small = screen.has_class("-too-small")
            assert small == (width < 60 or height < 18)
            assert screen.query_one(TooSmall).display == small
        assert not screen.graph_panel.compact


async def test_compact_list_when_the_drawing_does_not_fit() -> None:
    """At 80×24 the graph is a list, one node a line, still selectable."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = tutor(app)
        assert screen.graph_panel.compact
        screen.graph_panel.focus()
        await pilot.press("up")
        await pilot.pause()
        assert screen.selected == "d"  # the line above u
