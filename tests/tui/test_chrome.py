"""Help, palette, themes, lessons and sizes: the conventions a Textual user expects."""

from __future__ import annotations

from unittest import mock

import pytest
from textual.binding import Binding
from textual.command import CommandList
from textual.widgets._footer import FooterKey

from backprop_tutor.engine import builtin_lesson_paths, load_lesson, run_lesson
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.fit import Drawing, drawing, graph_room
from backprop_tutor.tui.graph_view import GraphState, GraphView
from backprop_tutor.tui.screens.help import CLICKS, KEY_GLYPHS, HelpScreen
from backprop_tutor.tui.screens.tutor import TutorScreen
from backprop_tutor.tui.widgets.answer_input import AnswerInput
from backprop_tutor.tui.widgets.graph_panel import GraphPanel
from backprop_tutor.tui.widgets.key_footer import KeyFooter
from backprop_tutor.tui.widgets.quiz_panel import QuizPanel
from backprop_tutor.tui.widgets.too_small import TooSmall

from .helpers import settle, short, tutor, wait_until

SIZE = (120, 40)


def palette_offers(app: TutorApp, title: str) -> bool:
    """Whether the open command palette's highlighted command is `title`."""
    lists = list(app.screen.query(CommandList))
    if not lists or lists[0].highlighted is None:
        return False
    option = lists[0].get_option_at_index(lists[0].highlighted)
    return str(option.prompt).startswith(title)


@pytest.mark.parametrize("key", ["f1"])
async def test_help_opens_from_the_input_and_closes(key: str) -> None:
    """F1 opens the help even with the cursor in an answer; escape closes it."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        listed = {k for k, _ in app.screen.keys}
        assert {"ctrl+n", "ctrl+b", "ctrl+l", "f7", "f8", "ctrl+r", "ctrl+g", "f1"} <= listed
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TutorScreen)
        assert tutor(app).quiz_panel.rows[0].input.value == ""


async def test_every_footer_binding_is_in_the_help() -> None:
    """What the footer shows, the help lists; and every binding of the panels, by its key."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        rows = screen.help_keys()
        helped = {k for k, _ in rows}
        shown = {b.key for b in screen.BINDINGS if getattr(b, "show", False)}
        assert shown <= helped
        keys_text = " ".join(k for k, _ in rows)
        owners = (TutorScreen, QuizPanel, GraphPanel, AnswerInput, TutorApp)
        for owner in owners:
            for binding in owner.BINDINGS:
                assert isinstance(binding, Binding)
                key = KEY_GLYPHS.get(binding.key, binding.key)
                assert key in keys_text.split(" "), (owner.__name__, binding.key)
        assert ("click", CLICKS[0][1]) in rows


async def test_palette_jumps_to_a_step() -> None:
    """ctrl+p, 'Go to step 2', Enter: the app is at step 2."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Go to step 2")
        await wait_until(pilot, lambda: palette_offers(app, "Go to step 2"), "Go to step 2 offered")
        await pilot.press("enter")
        await settle(pilot)
        assert tutor(app).position.step == 1


async def test_palette_shows_paths_of_a_parameter() -> None:
    """The palette's 'Show paths of c' selects c and lists its two paths."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Show paths of c")
        await wait_until(
            pilot, lambda: palette_offers(app, "Show paths of c"), "Show paths of c offered"
        )
        await pilot.press("enter")
        await settle(pilot)
        screen = tutor(app)
        assert screen.selected == "c"
        assert len(screen.path_panel.paths) == 2


async def test_theme_toggles_between_light_and_dark() -> None:
    """The theme command switches to a light theme and back."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dark = app.current_theme.dark
        app.action_toggle_dark()
        await settle(pilot)
        assert app.current_theme.dark is not dark
        app.action_toggle_dark()
        await settle(pilot)
        assert app.current_theme.dark is dark


async def test_switch_lesson_opens_another_graph() -> None:
    """Switching lesson replaces the screen with the new lesson's graph."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_lesson("single-chain")
        await settle(pilot)
        screen = tutor(app)
        assert screen.lesson.name == "single-chain"
        assert short(screen.quiz_panel.rows[0].question) == "value:z"


SIZES = [(120, 40), (80, 24), (100, 30)]


def every_number_known(view: GraphView) -> GraphState:
    """The state at the end of the update: the drawing at its widest."""
    nodes = frozenset(view.nodes)
    return GraphState(nodes, nodes, nodes, selected=None, current=None, path=())


@pytest.mark.parametrize("name", sorted(builtin_lesson_paths()))
def test_every_lesson_is_drawn_or_listed_at_every_size(name: str) -> None:
    """Any lesson's graph is laid out and drawn within its room, or listed where it does not fit."""
    lesson = load_lesson(name)
    names = {n.name for n in lesson.graph.nodes}
    for trace in run_lesson(lesson):
        view = GraphView(lesson.graph, trace)
        state = every_number_known(view)
        for size in SIZES:
            shown = drawing(view, *size)
            room_w, room_h = graph_room(*size)
            assert set(view.layout.rects) == names
            wide = view.layout_for(narrow=False)
            wide_fits = wide.width <= room_w and wide.height <= room_h
            if shown in (Drawing.DRAWN, Drawing.NARROW):
                # Narrow numbers only where the usual ones do not fit.
                assert (shown is Drawing.DRAWN) == wide_fits, (name, size)
                lines = view.draw(state)
                assert len(lines) == view.layout.height <= room_h
                assert {sum(len(t) for t, _ in line) for line in lines} == {view.layout.width}
                assert view.layout.width <= room_w
            else:
                assert shown is Drawing.COMPACT, (name, size)
                assert not wide_fits
                rows = view.compact(state)
                assert len(rows) == len(names)
                listed = {view.compact_node_at(i) for i in range(len(rows))}
                assert listed == names


@pytest.mark.parametrize(
    ("name", "size"), [("branch-merge", (80, 24)), ("shared-weight", (100, 30))]
)
async def test_the_screen_shows_what_the_fit_says(name: str, size: tuple[int, int]) -> None:
    """Booted at a size, the graph panel draws or lists the graph as `drawing` decides."""
    app = make_app(load_lesson(name), plan=NUMBERS_ONLY)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l", "ctrl+l", "ctrl+l")
        await settle(pilot)
        screen = tutor(app)
        view = screen.graph_panel.view
        expected = drawing(GraphView(screen.lesson.graph, screen.trace), *size)
        assert screen.graph_panel.compact == (expected is Drawing.COMPACT)
        assert view.narrow == (expected is Drawing.NARROW)


async def test_resizing_down_to_20x8_never_raises() -> None:
    """Every size down to 20×8 works; tiny ones ask for a larger terminal."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        for width, height in [(100, 30), (80, 24), (60, 18), (40, 12), (20, 8), (120, 40)]:
            await pilot.resize_terminal(width, height)
            await settle(pilot)
            small = screen.has_class("-too-small")
            assert small == (width < 60 or height < 18)
            assert screen.query_one(TooSmall).display == small
            expected = drawing(GraphView(screen.lesson.graph, screen.trace), width, height)
            if not small:
                assert screen.graph_panel.compact == (expected is Drawing.COMPACT), (width, height)
        assert not screen.graph_panel.compact


async def test_compact_list_when_the_drawing_does_not_fit() -> None:
    """At 80×20 (u's neighbourhood too tall as well) the graph is a list, still selectable."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=(80, 20)) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert screen.graph_panel.compact
        screen.graph_panel.focus()
        await pilot.press("up")
        await settle(pilot)
        assert screen.selected == "d"  # the line above u


@pytest.mark.parametrize("lesson", ["branch-merge", None])
async def test_the_footer_has_its_keys_in_the_first_frame(lesson: str | None) -> None:
    """The footer's keys are composed with the screen, not rebuilt a frame later (which
    laid the whole screen out again), and they are the keys the screen's bindings show."""
    rebuilds: list[str] = []
    real = KeyFooter.recompose

    async def recompose(footer: KeyFooter) -> None:
        rebuilds.append(type(footer.screen).__name__)
        await real(footer)

    app = make_app(lesson, plan=NUMBERS_ONLY)
    with mock.patch.object(KeyFooter, "recompose", recompose):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            footer = app.screen.query_one(KeyFooter)
            shown = [key.description for key in footer.query(FooterKey)]
            wanted = [
                binding.description
                for (_, binding, _, _) in app.screen.active_bindings.values()
                if binding.show
            ]
            assert shown[: len(wanted)] == wanted
            assert rebuilds == []
            # A change of the keys shown still rebuilds it.
            await pilot.press("ctrl+p")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
