"""A lesson whose objective is E: nothing on screen speaks of ∂J."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from backprop_tutor.engine import builtin_lesson_paths, load_lesson
from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.app import TutorApp
from backprop_tutor.tui.screens.help import HelpScreen
from backprop_tutor.tui.widgets.lesson_text import LessonText
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import screen_text, settle, tutor

SIZE = (120, 50)


def lesson_with_objective_e(folder: Path) -> Path:
    """branch-merge with its objective named E (and without its own texts, all about J)."""
    source = builtin_lesson_paths()["branch-merge"].read_text(encoding="utf-8")
    source = source[: source.index("[text]")]
    source = source.replace('objective = "J"', 'objective = "E"')
    source = source.replace('J = "L + R"', 'E = "L + R"')
    path = folder / "branch-merge-e.toml"
    path.write_text(source, encoding="utf-8")
    return path


def everything_shown(app: TutorApp, *, whole_screen: bool = True) -> str:
    """The panels' whole text (scrolled-off lines too), and the screen as drawn."""
    screen = tutor(app)
    options = screen.path_panel.path_list
    parts = [
        screen_text(app) if whole_screen else "",
        str(screen.query_one(StatusLine).render()),
        str(screen.path_panel.summary.render()),
        str(screen.query_one(LessonText).query_one("#lesson-body", Static).render()),
        str(screen.graph_panel.border_subtitle),
        *(str(options.get_option_at_index(i).prompt) for i in range(options.option_count)),
    ]
    return "\n".join(parts)


async def test_no_dj_anywhere_for_an_objective_named_e(tmp_path: Path) -> None:
    """Every position of both steps, every node's paths and the help say ∂E, never ∂J."""
    lesson = load_lesson(str(lesson_with_objective_e(tmp_path)))
    assert lesson.graph.objective_label == "E"
    app = make_app(lesson, plan=NUMBERS_ONLY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert "∇ = ∂E/∂node" in str(screen.graph_panel.border_subtitle)
        seen_de = False
        for step in range(screen.state.stepper.step_count):
            screen.goto_step(step)
            await settle(pilot)
            while True:
                pos = screen.position
                stage_end = pos.done in (0, len(screen.state.stepper.items(pos.stage)))
                # The whole screen at each stage's start and end; the panels' text at
                # every position between (exporting the screen is the slow part).
                text = everything_shown(app, whole_screen=stage_end)
                assert "∂J" not in text, (screen.position, text)
                seen_de = seen_de or "∂E/∂" in text
                if pos.stage == "update" and pos.done == len(screen.state.stepper.items("update")):
                    break
                await pilot.press("ctrl+n")
                await settle(pilot)
            # At the end of the update every node's paths carry their numbers.
            for node in lesson.graph.nodes:
                screen.select(node.name)
                await settle(pilot)
                assert "∂J" not in everything_shown(app, whole_screen=False), (step, node.name)
        assert seen_de
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        assert "∂J" not in screen_text(app)
