"""The app asking the lesson's plan (its default, as the command line opens it): a path
question and a formula question answered in the quiz panel, with their feedback; the
path panel holds back what would give the asked paths or formula away; the status line
says which move of the method the learner is at."""

from __future__ import annotations

from textual.pilot import Pilot

from backprop_tutor.quiz.plan import NUMBERS_ONLY
from backprop_tutor.tui import make_app
from backprop_tutor.tui.widgets.status_line import StatusLine

from .helpers import settle, short, tutor, type_answer

SIZE = (120, 40)
PATHS = [
    "J L p v u a; J L p v h u a; J R a",
    "J L p v u b; J L p v h u b",
    "J L p v c; J R c",
    "J L p v d",
]
VALUES = ["2", "4", "6", "1/7", "0.734694", "0.1", "0.834694"]
LOCALS = ["2*u", "1"]
FORMULAS = ["2*(p - y)*(-1/(1 + v)^2)", "delta", "delta*h + lambda*c", "delta*(2*c*u + 1)"]


async def _answer(pilot: Pilot[None], answers: list[str]) -> None:
    for text in answers:
        await type_answer(pilot, text)


async def _paths_missing_one(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await type_answer(pilot, "J L p v u a; J L p v h u a")


async def _formula_without_lambda(pilot: Pilot[None]) -> None:
    await settle(pilot)
    await _answer(pilot, PATHS + VALUES + LOCALS + FORMULAS)
    await type_answer(pilot, "delta*(2*c*u + 1)*x")


class TestMethodSnapshots:
    """The two new kinds of question with their feedback."""

    def test_path_question_with_the_regularization_path_missing(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """The route through R named; a's paths held back in the path panel."""
        app = make_app()
        assert snap_compare(app, terminal_size=SIZE, run_before=_paths_missing_one)

    def test_formula_question_without_the_regularization_term(self, snap_compare) -> None:  # type: ignore[no-untyped-def]
        """∂J/∂a without λ·a: the path J→R→a named, never the formula."""
        app = make_app()
        assert snap_compare(app, terminal_size=SIZE, run_before=_formula_without_lambda)


def status(app: object) -> str:
    """The status line as drawn."""
    return str(tutor(app).query_one(StatusLine).render())  # type: ignore[arg-type]


async def test_paths_are_held_back_while_the_paths_questions_are_mapped() -> None:
    """a's paths wait while they are asked, then while b's are (they share u, h, v, p, L);
    once the paths are mapped, the formulas still to come hold nothing back."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        rows = screen.quiz_panel.rows
        assert [short(r.question) for r in rows[:4]] == [f"paths:{n}" for n in "abcd"]
        assert screen.path_panel.paths == []
        assert "asked in the quiz" in str(screen.path_panel.summary.render())
        await type_answer(pilot, "J L p v u a; J R a")  # the worked example's grain
        assert rows[0].status == "right"
        screen.show_paths_of("a")
        await settle(pilot)
        assert screen.path_panel.paths == []
        held = str(screen.path_panel.summary.render())
        assert held.startswith("Held back while the quiz asks for the paths from J to b:"), held
        assert screen.path_panel.border_title == "Paths to a: held back"
        for row in rows[1:4]:
            screen.state.reveal(row.question)
        await settle(pilot)
        assert len(screen.path_panel.paths) == 3
        assert screen.path_panel.border_title == "Paths to a: 3"


async def test_the_status_line_names_the_move_and_the_panel_holds_back_its_give_aways() -> None:
    """Mapping the paths, then the forward pass, then deriving δ: the status line follows
    each answer; at δ, u's paths wait (they would show ∂p/∂v) and R's still show."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = tutor(app)
        assert "│ mapping the paths to a (1 of 4), next: the paths to b │" in status(app)
        await type_answer(pilot, PATHS[0])
        assert "│ mapping the paths to b (2 of 4), next: the paths to c │" in status(app)
        await _answer(pilot, PATHS[1:] + VALUES[:1])
        assert "│ Forward pass at u (1/7) │" in status(app)
        await _answer(pilot, VALUES[1:] + LOCALS)
        assert "│ deriving δ = ∂J/∂v (1 of 5), next: ∂J/∂d │" in status(app)
        screen.state.selected = "u"  # clicked on the graph: the focus stays in the quiz
        await settle(pilot)
        assert screen.path_panel.paths == []
        held = str(screen.path_panel.summary.render())
        assert "δ = ∂J/∂v as a formula: the paths to u pass through L, p and v" in held, held
        screen.state.selected = "R"
        await settle(pilot)
        assert len(screen.path_panel.paths) == 1
        await type_answer(pilot, FORMULAS[0])
        assert "│ deriving ∂J/∂d (2 of 5), next: ∂J/∂c │" in status(app)


async def test_the_lessons_plan_is_the_default_and_the_numbers_only_are_asked_for() -> None:
    """make_app(lesson) asks the lesson's plan (the paths first); with plan=NUMBERS_ONLY the
    quiz starts at u, as a test of the number questions asks it."""
    for app, first in ((make_app(), "paths:a"), (make_app(plan=NUMBERS_ONLY), "value:u")):
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert short(tutor(app).quiz_panel.rows[0].question) == first
