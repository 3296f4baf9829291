"""Picking a path on the graph for a paths question: mark nodes, take one back, add the path.

The learner moves the graph's selection (arrows or a click), marks each node (Space),
takes the last back (Backspace) and adds the finished path to the answer (Enter), which
is then judged as typed text is. A hop that is not an edge is refused at once.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from textual.pilot import Pilot

from backprop_tutor.engine import load_lesson, parse_lesson, run_lesson
from backprop_tutor.quiz import Verdict
from backprop_tutor.quiz.plan import NUMBERS_ONLY, lesson_plan
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.graph_view import neighbours
from backprop_tutor.tui.path_pick import PathPick
from backprop_tutor.tui.screens.tutor import TutorScreen
from backprop_tutor.tui.state import TutorState
from backprop_tutor.tui.widgets.key_footer import KeyFooter
from quiz.test_paths import _ladder

from .helpers import screen_text, settle, short, tutor
from .test_typing_speed import burst

SIZE = (120, 40)
DATA_PATH = ("J", "L", "p", "v", "u", "a")


async def _on_the_graph(pilot: Pilot[None]) -> TutorScreen:
    """The method app at its first question (paths to a), the focus on the graph."""
    await settle(pilot)
    screen = tutor(pilot.app)  # type: ignore[arg-type]
    assert short(screen.quiz_panel.rows[0].question) == "paths:a"
    await pilot.press("tab")
    await settle(pilot)
    assert pilot.app.focused is screen.graph_panel
    return screen


async def _mark(pilot: Pilot[None], screen: TutorScreen, nodes: tuple[str, ...]) -> None:
    """Select each node (as a click does) and press Space on it."""
    for node in nodes:
        screen.select(node)
        await pilot.press("space")
    await settle(pilot)


def _arrows(screen: TutorScreen, start: str, goal: str) -> list[str]:
    """The arrow keys that move the graph's selection from `start` to `goal` (fewest)."""
    layout = screen.graph_panel.view.layout
    seen = {start: [] if start == goal else None}
    queue: deque[tuple[str, list[str]]] = deque([(start, [])])
    while queue:
        here, keys = queue.popleft()
        if here == goal:
            return keys
        for direction in ("left", "right", "up", "down"):
            there = neighbours(layout, here, direction)
            if there is not None and there not in seen:
                seen[there] = None
                queue.append((there, [*keys, direction]))
    raise AssertionError(f"no arrows from {start} to {goal}")


async def test_a_picked_path_is_added_to_the_answer_and_judged_as_typed() -> None:
    """J L p v u a and J R a picked, each added with Enter; checked in the row: right."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        row = screen.quiz_panel.rows[0]
        await _mark(pilot, screen, DATA_PATH)
        assert "Picked J → L → p → v → u → a: Enter adds it" in row.feedback_text
        await pilot.press("enter")
        await settle(pilot)
        assert row.input.value == "J → L → p → v → u → a"
        assert "Added J → L → p → v → u → a to the answer" in row.feedback_text
        await _mark(pilot, screen, ("a", "R", "J"))  # from the node up, this time
        await pilot.press("enter")
        await settle(pilot)
        assert row.input.value == "J → L → p → v → u → a; J → R → a"
        assert row.status == "open"  # added, not yet checked
        await pilot.press("shift+tab")
        await settle(pilot)
        assert app.focused is row.input
        await pilot.press("enter")
        await settle(pilot)
        assert row.status == "right"
        assert "itself 2 paths" in row.feedback_text  # the seed's grain, as typed


async def test_a_hop_that_is_not_an_edge_is_refused_at_once() -> None:
    """J then v: refused with the typed answer's words; the path stays J → …."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        await _mark(pilot, screen, ("J", "v"))
        row = screen.quiz_panel.rows[0]
        assert row.feedback_text.startswith("J → v is not an edge: J uses L and R.")
        assert "The path stays J → …" in row.feedback_text
        assert screen.state.pick.nodes == ("J",)
        await _mark(pilot, screen, ("x",))
        assert screen.state.pick.nodes == ("J",)  # a leaf that no node here uses


async def test_backspace_takes_the_last_node_back_and_the_graph_draws_the_path() -> None:
    """The marked nodes are the graph's highlighted path; Backspace shortens it."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        await _mark(pilot, screen, ("J", "L", "p"))
        assert screen.graph_panel.state is not None
        assert screen.graph_panel.state.path == ("J", "L", "p")
        await pilot.press("backspace")
        await settle(pilot)
        assert screen.state.pick.nodes == ("J", "L")
        assert screen.graph_panel.state.path == ("J", "L")
        row = screen.quiz_panel.rows[0]
        assert row.feedback_text.startswith("Picking J → L → …")
        await pilot.press("enter")  # not finished: not added
        await settle(pilot)
        assert row.input.value == ""
        assert "J → L → … stops at L: mark nodes on to a" in row.feedback_text


async def test_an_unfinished_start_is_refused_and_nothing_is_added() -> None:
    """A path starts at J or at a; Enter with nothing marked adds nothing."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        await pilot.press("enter")
        await settle(pilot)
        row = screen.quiz_panel.rows[0]
        assert row.feedback_text.startswith("No path is marked yet: select J")
        await _mark(pilot, screen, ("u",))
        assert screen.state.pick.nodes == ()
        assert "start it at J (or at a, going up)" in row.feedback_text


async def test_arrows_and_marks_typed_in_one_burst_land_in_order() -> None:
    """The whole data path by arrow keys and Space in one burst, then Enter: added as typed."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        keys: list[str] = []
        here = screen.state.selected
        for node in DATA_PATH:
            keys += [*_arrows(screen, here, node), " "]
            here = node
        burst(app, *keys, "enter")
        await settle(pilot)
        assert screen.quiz_panel.rows[0].input.value == "J → L → p → v → u → a"
        assert screen.state.pick.nodes == ()


async def test_the_picking_keys_are_in_the_footer_only_while_a_paths_question_is_open() -> None:
    """The footer offers Mark node on the graph at a paths question, not at a number."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await _on_the_graph(pilot)
        assert _footer_offers(app, "Mark node")
        for row in screen.quiz_panel.rows[:4]:
            screen.state.reveal(row.question)
        screen.quiz_panel.focus_first_open()  # u's value: no paths asked
        await settle(pilot)
        assert screen.state.pick.question is None
        await pilot.press("tab")
        await settle(pilot)
        assert app.focused is screen.graph_panel
        assert not _footer_offers(app, "Mark node")
        before = screen.state.selected
        await pilot.press("space")
        await settle(pilot)
        assert screen.state.pick.nodes == () and screen.state.selected == before


async def test_the_numbers_only_tutor_never_picks() -> None:
    """Without the plan there is no paths question: Space on the graph does nothing."""
    app = make_app(plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        await pilot.press("tab", "space")
        await settle(pilot)
        assert screen.state.pick.nodes == ()
        assert not _footer_offers(app, "Mark node")


def _footer_offers(app: TutorApp, description: str) -> bool:
    """Whether the footer shows a key with this description (bound, enabled, on screen)."""
    active = app.screen.active_bindings.values()
    bound = any(b.description == description and on and b.show for (_, b, on, _) in active)
    footer = screen_text(app).splitlines()[-1]
    assert app.screen.query_one(KeyFooter).is_mounted
    return bound and description in footer


async def _picking_the_data_path(pilot: Pilot[None]) -> None:
    screen = await _on_the_graph(pilot)
    await _mark(pilot, screen, ("J", "L", "p"))


class TestPathPickSnapshot:
    """The path being picked, on the graph and in the quiz row."""

    def test_picking_a_path_on_the_graph(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """J → L → p marked: highlighted in the graph, `Picking J → L → p → …` in the row."""
        app = make_app()
        assert snap_compare(app, terminal_size=SIZE, run_before=_picking_the_data_path)


def _pick_for_a() -> PathPick:
    """A pick for the worked example's first paths question (paths to a), with no app."""
    lesson = load_lesson("branch-merge")
    state = TutorState(lesson, run_lesson(lesson), lesson_plan(lesson))
    question = state.questions[0]
    assert short(question) == "paths:a"
    state.pick.follow(question)
    return state.pick


def test_a_path_marked_from_the_node_up_is_added_from_the_objective_down() -> None:
    """a, u, v, p, L, J going up: shown a ← u ← …, drawn and added J first."""
    pick = _pick_for_a()
    for node in ("a", "u", "v", "p"):
        assert not pick.mark(node).message.startswith(("A path", "The path"))
    assert pick.shown() == "a ← u ← v ← p ← …"
    assert pick.drawn == ("p", "v", "u", "a")
    assert pick.mark("h").message.startswith("h → p is not an edge: h uses u.")
    pick.mark("L")
    pick.mark("J")
    assert (
        pick.mark("R").message == "The path has reached J: Enter adds it, Backspace takes J back."
    )
    added = pick.add()
    assert added.added == "J → L → p → v → u → a"
    assert pick.nodes == ()


def test_following_another_question_starts_afresh() -> None:
    """Moving to a question that does not ask for paths ends the pick; nothing is kept."""
    pick = _pick_for_a()
    pick.mark("J")
    pick.follow(None)
    assert pick.question is None and pick.nodes == ()


def test_a_path_picked_for_a_count_question_is_its_example() -> None:
    """Where the question asks for the number of paths and one, the added path is the one."""
    lesson = parse_lesson(_ladder(3), Path("ladder.toml"))
    state = TutorState(lesson, run_lesson(lesson), lesson_plan(lesson))
    question = next(q for q in state.questions if short(q) == "paths:w")
    state.pick.follow(question)
    for node in ("J", "r3", "l3", "r2", "m2", "r1", "l1", "r0", "w"):
        state.pick.mark(node)
    added = state.pick.add()
    assert added.added == "J → r₃ → l₃ → r₂ → m₂ → r₁ → l₁ → r₀ → w"
    assert "the answer is the number of paths, then ';', then one path" in added.message
    session = state.session
    assert session.answer(question.id, f"8; {added.added}").verdict is Verdict.CORRECT
